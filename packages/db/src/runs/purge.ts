import type pg from "pg";
import { QueueTask } from "../queue";
import { type Queryable, withTransaction } from "./transaction";

/** How much one purge transaction deletes at most: few enough runs and points that it ends in moments. */
export interface PurgeLimits {
  runs: number;
  /** Metric points; a batch takes at least one run, however many it has. */
  points: number;
}

export const defaultPurgeLimits: PurgeLimits = { runs: 200, points: 1_000_000 };

/** Artifact byte removals in flight at once (S3 round trips, blob deletes). */
const removalsInFlight = 8;

export interface PurgeResult {
  runs: number;
  /** Artifact and checkpoint files whose bytes were removed. */
  files: number;
}

/**
 * Queues the purge_runs task, one job per deletion. No job key: graphile-worker
 * 0.17's add_job drops a keyed job whose namesake a worker locks at that very
 * moment (see ../sweeps/jobs.ts), and purges share the work (SKIP LOCKED).
 */
export async function queuePurge(db: Queryable): Promise<void> {
  await db.query("SELECT graphile_worker.add_job($1, '{}'::json)", [QueueTask.purge]);
}

/**
 * Removes every run marked deleted (markRunsDeleted) in small batches, each
 * one transaction: the bytes of its artifacts and checkpoints first (through
 * `removeBytes`, the host's artifact store; a file already gone is no error),
 * then its rows, whose metric points, rollups, summaries, logs, stage events,
 * artifact and checkpoint rows and sweep rungs go with them (ON DELETE
 * CASCADE). Runs with children wait until their children are gone, so a
 * cascade never takes rows whose bytes were not removed. Only the deleted
 * runs' rows are locked (SKIP LOCKED: two purges share the work), so workers
 * writing other runs never wait; a removal that fails rolls its batch back to
 * be tried again.
 */
export async function purgeDeletedRuns(
  pool: pg.Pool,
  removeBytes: (uri: string) => Promise<void>,
  limits: PurgeLimits = defaultPurgeLimits,
): Promise<PurgeResult> {
  const total: PurgeResult = { runs: 0, files: 0 };
  for (;;) {
    const batch = await withTransaction(pool, (db) => purgeBatch(db, removeBytes, limits));
    if (!batch.runs) return total;
    total.runs += batch.runs;
    total.files += batch.files;
  }
}

async function purgeBatch(db: Queryable, removeBytes: (uri: string) => Promise<void>, limits: PurgeLimits): Promise<PurgeResult> {
  const { rows: candidates } = await db.query<{ id: string; points: number }>(
    `SELECT r."id", (SELECT coalesce(sum(s."count"), 0)::float8 FROM "MetricSummary" s WHERE s."runId" = r."id") AS "points"
       FROM "Run" r
      WHERE r."deletedAt" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Run" c WHERE c."parentId" = r."id")
      ORDER BY r."deletedAt", r."id" LIMIT $1 FOR UPDATE OF r SKIP LOCKED`,
    [limits.runs],
  );
  const ids: string[] = [];
  let points = 0;
  for (const run of candidates) {
    points += run.points;
    if (ids.length && points > limits.points) break;
    ids.push(run.id);
  }
  if (!ids.length) return { runs: 0, files: 0 };
  const { rows: files } = await db.query<{ uri: string }>(
    `SELECT "uri" FROM "Artifact" WHERE "runId" = ANY($1::uuid[]) UNION SELECT "uri" FROM "Checkpoint" WHERE "runId" = ANY($1::uuid[])`,
    [ids],
  );
  const uris = files.map((file) => file.uri);
  await Promise.all(
    Array.from({ length: Math.min(removalsInFlight, uris.length) }, async () => {
      for (let uri = uris.pop(); uri !== undefined; uri = uris.pop()) await removeBytes(uri);
    }),
  );
  await db.query(`DELETE FROM "Run" WHERE "id" = ANY($1::uuid[])`, [ids]);
  return { runs: ids.length, files: files.length };
}
