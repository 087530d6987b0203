import type pg from "pg";
import { runCancelChannel, runEventsChannel } from "./channels.js";
import { UserFacingError } from "./errors.js";
import type { RunStatus } from "./generated/prisma/enums.js";
import { notify } from "./notify.js";
import { maxJobAttempts, QueueTask } from "./queue.js";

export interface NewRun {
  spec: unknown;
  pipeline: string;
  /** "gpu" runs only go to workers whose backend is a GPU one. */
  queue?: "any" | "gpu";
  params?: Record<string, unknown>;
  tags?: string[];
  name?: string;
  experimentId?: string;
  parentId?: string;
  createdById?: string;
}

type Queryable = Pick<pg.PoolClient, "query">;

export const terminalStatuses: readonly RunStatus[] = ["CANCELLED", "SUCCEEDED", "FAILED"];

/** Task that trains a run from `queue`. */
export const trainTask = (queue: "any" | "gpu") => (queue === "gpu" ? QueueTask.trainGpu : QueueTask.trainAny);

/** Adds the queue job of a run (job key = run id, so adding twice never queues it twice). */
export async function addRunJob(db: Queryable, runId: string, task: string): Promise<void> {
  await db.query("SELECT graphile_worker.add_job($1, json_build_object('runId', $2::text), job_key := $2::text, max_attempts := $3)", [
    task,
    runId,
    maxJobAttempts,
  ]);
}

/** Runs `fn` in one transaction on a pooled connection: committed if it returns, rolled back if it throws. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Inserts a QUEUED run and its queue job in one transaction; returns the run id. */
export function enqueueRun(pool: pg.Pool, run: NewRun): Promise<string> {
  return withTransaction(pool, (client) => insertRun(client, run));
}

/** The insert + job + notify of enqueueRun, inside the caller's transaction. */
export async function insertRun(db: Queryable, run: NewRun): Promise<string> {
  const queue = run.queue ?? "any";
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO "Run" ("id", "name", "pipeline", "queue", "spec", "params", "tags", "experimentId", "parentId", "createdById", "updatedAt")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, now()) RETURNING "id"`,
    [
      run.name ?? null,
      run.pipeline,
      queue,
      JSON.stringify(run.spec),
      JSON.stringify(run.params ?? {}),
      run.tags ?? [],
      run.experimentId ?? null,
      run.parentId ?? null,
      run.createdById ?? null,
    ],
  );
  const id = (rows[0] as { id: string }).id;
  await addRunJob(db, id, trainTask(queue));
  await notify(db, runEventsChannel, { runId: id, kind: "status", status: "QUEUED" });
  return id;
}

export interface CancelResult {
  status: RunStatus;
  /** Child runs whose cancel was requested too. */
  children: number;
}

/**
 * Cancels a run and its children. A QUEUED run leaves the queue and ends
 * CANCELLED at once; a RUNNING one goes CANCELLING and its worker is told
 * (NOTIFY run_cancel); a finished one is left as it is.
 */
export function cancelRun(pool: pg.Pool, runId: string, reason = "cancelled by user"): Promise<CancelResult> {
  return withTransaction(pool, (client) => cancelInTransaction(client, runId, reason));
}

async function cancelInTransaction(db: Queryable, runId: string, reason: string): Promise<CancelResult> {
  const { rows } = await db.query<{ status: RunStatus; parentId: string | null }>(
    `SELECT "status", "parentId" FROM "Run" WHERE "id" = $1 FOR UPDATE`,
    [runId],
  );
  const current = rows[0]?.status;
  if (!current) throw new UserFacingError(`Run ${runId} does not exist`, "check the run id (hindcast train list shows them)");
  let status = current;
  if (current === "QUEUED") {
    await db.query("SELECT graphile_worker.remove_job($1)", [runId]);
    await db.query(
      `UPDATE "Run" SET "status" = 'CANCELLED', "cancelRequestedAt" = now(), "finishedAt" = now(), "message" = $2, "updatedAt" = now() WHERE "id" = $1`,
      [runId, `Cancelled before it started: ${reason}`],
    );
    status = "CANCELLED";
    const parentId = rows[0]?.parentId;
    if (parentId) await countChildDone(db, parentId);
  } else if (current === "RUNNING") {
    await db.query(`UPDATE "Run" SET "status" = 'CANCELLING', "cancelRequestedAt" = now(), "updatedAt" = now() WHERE "id" = $1`, [runId]);
    await notify(db, runCancelChannel, { runId, reason });
    status = "CANCELLING";
  }
  if (status !== current) await notify(db, runEventsChannel, { runId, kind: "status", status });
  const children = await db.query<{ id: string }>(
    `SELECT "id" FROM "Run" WHERE "parentId" = $1 AND "status" IN ('QUEUED', 'RUNNING') ORDER BY "createdAt"`,
    [runId],
  );
  for (const child of children.rows) await cancelInTransaction(db, child.id, reason);
  return { status, children: children.rowCount ?? 0 };
}

/**
 * Fan-in: a child run of a parallel retrodiction has ended. Counted on the
 * parent in the same transaction as the child's end; the last one queues the
 * parent's aggregate step.
 */
export async function countChildDone(db: Queryable, parentId: string): Promise<void> {
  const { rows } = await db.query<{ itemsDone: number; itemsTotal: number | null }>(
    `UPDATE "Run" SET "itemsDone" = "itemsDone" + 1, "updatedAt" = now(),
            "percent" = CASE WHEN coalesce("itemsTotal", 0) > 0 THEN 100.0 * ("itemsDone" + 1) / "itemsTotal" ELSE "percent" END,
            "message" = ("itemsDone" + 1) || '/' || coalesce("itemsTotal", 0) || ' windows done'
      WHERE "id" = $1 RETURNING "itemsDone", "itemsTotal"`,
    [parentId],
  );
  const parent = rows[0];
  await notify(db, runEventsChannel, { runId: parentId, kind: "progress" });
  if (parent && parent.itemsTotal !== null && parent.itemsDone >= parent.itemsTotal) await addRunJob(db, parentId, QueueTask.aggregate);
}

export interface RunMatch {
  id: string;
  name: string | null;
  status: RunStatus;
}

/**
 * The runs whose id starts with each prefix (hex digits, dashes where a UUID
 * has them), at most `limit` per prefix, in id order. A prefix is a range of
 * UUIDs (1a2b -> 1a2b0000-... to 1a2bffff-...), so the primary key's index
 * finds them in one query.
 */
export async function runsByIdPrefix(db: Queryable, prefixes: readonly string[], limit: number): Promise<RunMatch[][]> {
  const uuid = (hex: string) => hex.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
  const hex = prefixes.map((prefix) => prefix.replaceAll("-", ""));
  const { rows } = await db.query<RunMatch & { index: string }>(
    `SELECT p."index", r."id", r."name", r."status"
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS p("low", "high", "index")
       CROSS JOIN LATERAL (SELECT "id", "name", "status" FROM "Run" WHERE "id" BETWEEN p."low" AND p."high" ORDER BY "id" LIMIT $3) r
      ORDER BY p."index", r."id"`,
    [hex.map((h) => uuid(h.padEnd(32, "0"))), hex.map((h) => uuid(h.padEnd(32, "f"))), limit],
  );
  const found: RunMatch[][] = prefixes.map(() => []);
  for (const { index, ...run } of rows) found[Number(index) - 1]?.push(run);
  return found;
}
