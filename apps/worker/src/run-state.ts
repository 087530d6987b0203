import type { RunStatus } from "@hindcast/db";
import { addRunJob, countChildDone, notify, runEventsChannel, terminalStatuses, withTransaction } from "@hindcast/db";
import type pg from "pg";
import { retryTransient } from "./ports/transient.js";

export interface ClaimedRun {
  id: string;
  spec: unknown;
  pipeline: string;
  queue: "any" | "gpu";
  attempt: number;
  parentId: string | null;
}

/** A transaction, retried whole while the database is unreachable or restarting. */
function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return retryTransient(() => withTransaction(pool, fn));
}

/**
 * Takes a run for this worker: QUEUED (or RUNNING on a worker that died or
 * released it) -> RUNNING with attempt + 1. A run whose cancel was requested
 * meanwhile ends CANCELLED here and is not started; a finished one is skipped.
 */
export function claimRun(pool: pg.Pool, runId: string, workerId: string, backend: string): Promise<ClaimedRun | undefined> {
  return inTransaction(pool, async (db) => {
    const { rows } = await db.query<{ status: RunStatus; spec: unknown; pipeline: string; queue: "any" | "gpu"; parentId: string | null }>(
      `SELECT "status", "spec", "pipeline", "queue", "parentId" FROM "Run" WHERE "id" = $1 FOR UPDATE`,
      [runId],
    );
    const run = rows[0];
    if (!run || terminalStatuses.includes(run.status)) return undefined;
    if (run.status === "CANCELLING") {
      await setTerminal(db, runId, "CANCELLED", { message: "Cancelled before this attempt started" });
      return undefined;
    }
    const claimed = await db.query<{ attempt: number }>(
      `UPDATE "Run" SET "status" = 'RUNNING', "workerId" = $2, "backend" = $3, "attempt" = "attempt" + 1,
              "startedAt" = coalesce("startedAt", now()), "updatedAt" = now()
        WHERE "id" = $1 RETURNING "attempt"`,
      [runId, workerId, backend],
    );
    await notify(db, runEventsChannel, { runId, kind: "status", status: "RUNNING" });
    const attempt = (claimed.rows[0] as { attempt: number }).attempt;
    return { id: runId, spec: run.spec, pipeline: run.pipeline, queue: run.queue, attempt, parentId: run.parentId };
  });
}

export interface Ending {
  message?: string;
  resultSummary?: unknown;
  error?: unknown;
}

async function setTerminal(db: pg.PoolClient, runId: string, status: RunStatus, ending: Ending): Promise<void> {
  await db.query(
    `UPDATE "Run" SET "status" = $2::"RunStatus", "finishedAt" = now(), "updatedAt" = now(), "message" = coalesce($3, "message"),
            "resultSummary" = coalesce($4::jsonb, "resultSummary"), "error" = coalesce($5::jsonb, "error"),
            "percent" = CASE WHEN $2::"RunStatus" = 'SUCCEEDED' THEN 100 ELSE "percent" END,
            "etaSeconds" = CASE WHEN $2::"RunStatus" = 'SUCCEEDED' THEN 0 ELSE "etaSeconds" END
      WHERE "id" = $1`,
    [
      runId,
      status,
      ending.message ?? null,
      ending.resultSummary === undefined ? null : JSON.stringify(ending.resultSummary),
      ending.error === undefined ? null : JSON.stringify(ending.error),
    ],
  );
  await notify(db, runEventsChannel, {
    runId,
    kind: "status",
    status,
    ...(ending.message ? { message: ending.message.slice(0, 500) } : {}),
  });
}

/**
 * Ends a run this worker holds (a run taken over by another worker is left
 * alone: the WHERE on workerId fences off a worker declared dead). A child
 * run counts itself done on its parent; the last one queues the aggregate.
 */
export function finishRun(pool: pg.Pool, runId: string, workerId: string, status: RunStatus, ending: Ending): Promise<boolean> {
  return inTransaction(pool, async (db) => {
    const { rows } = await db.query<{ parentId: string | null }>(
      `SELECT "parentId" FROM "Run" WHERE "id" = $1 AND "workerId" = $2 AND "status" IN ('RUNNING', 'CANCELLING') FOR UPDATE`,
      [runId, workerId],
    );
    const run = rows[0];
    if (!run) return false;
    await setTerminal(db, runId, status, ending);
    if (run.parentId) await countChildDone(db, run.parentId);
    return true;
  });
}

/**
 * Hands a run back to the queue (graceful shutdown): the next worker resumes it from its last
 * checkpoint. False when the run was no longer this worker's to hand back.
 */
export function releaseRun(pool: pg.Pool, runId: string, workerId: string, task: string): Promise<boolean> {
  return inTransaction(pool, async (db) => {
    const { rowCount } = await db.query(
      `UPDATE "Run" SET "status" = 'QUEUED', "workerId" = NULL, "updatedAt" = now(), "message" = 'Released by a stopping worker; resumes from its last checkpoint'
        WHERE "id" = $1 AND "workerId" = $2 AND "status" = 'RUNNING'`,
      [runId, workerId],
    );
    if (!rowCount) return false;
    // Our job is still locked by us: graphile-worker gives the key to a new job.
    await addRunJob(db, runId, task);
    await notify(db, runEventsChannel, { runId, kind: "status", status: "QUEUED" });
    return true;
  });
}

export { inTransaction, setTerminal };
