import type pg from "pg";
import { prismaOf } from "./client";
import type { Worker } from "./generated/prisma/client";
import { logger } from "./logger";
import { type WorkerCapabilities, type WorkerLoad, workerLoadSchema } from "./read/workers";
import { unlockRunsOf } from "./runs/reap";

export type NewWorker = Pick<Worker, "id" | "hostname" | "pid" | "backend" | "concurrency"> & { capabilities: WorkerCapabilities };

/**
 * Joins the fleet: the worker's row, ONLINE. Plain SQL like the heartbeats: its
 * heartbeat is stamped by the database's clock (the one the reaper compares it
 * with), and the worker retries it on pg's connection-loss errors, which Prisma would wrap.
 */
export async function registerWorker(pool: pg.Pool, worker: NewWorker): Promise<void> {
  await pool.query(
    `INSERT INTO "Worker" ("id", "hostname", "pid", "backend", "capabilities", "concurrency", "status") VALUES ($1, $2, $3, $4, $5, $6, 'ONLINE')`,
    [worker.id, worker.hostname, worker.pid, worker.backend, JSON.stringify(worker.capabilities), worker.concurrency],
  );
}

/** Records a queue worker (graphile-worker's id, what its jobs' locked_by holds) of this process, as it starts. */
export async function recordQueueWorker(pool: pg.Pool, workerId: string, queueWorkerId: string): Promise<void> {
  await pool.query(`UPDATE "Worker" SET "queueWorkerIds" = array_append("queueWorkerIds", $2) WHERE "id" = $1`, [workerId, queueWorkerId]);
}

/**
 * Stamps the worker's heartbeat, with its machine's load when given (a
 * heartbeat without one keeps the last load); false when it was declared
 * DEAD (it must then leave its runs alone).
 */
export async function recordHeartbeat(pool: pg.Pool, workerId: string, load?: WorkerLoad): Promise<boolean> {
  // A load that does not fit the schema is left out, never allowed to fail the heartbeat that keeps the worker alive.
  const checked = load === undefined ? undefined : workerLoadSchema.safeParse(load);
  if (checked && !checked.success)
    logger.warn({ workerId, issues: checked.error.issues }, "heartbeat load left out: it does not fit workerLoadSchema");
  const alive = await pool.query(
    `UPDATE "Worker" SET "heartbeatAt" = now(), "load" = coalesce($2::jsonb, "load") WHERE "id" = $1 AND "status" <> 'DEAD'`,
    [workerId, checked?.success ? JSON.stringify(checked.data) : null],
  );
  return Boolean(alive.rowCount);
}

/** A stopping worker takes no new jobs; a DEAD verdict stands. */
export async function markWorkerDraining(pool: pg.Pool, workerId: string): Promise<void> {
  await prismaOf(pool).worker.updateMany({ where: { id: workerId, status: { not: "DEAD" } }, data: { status: "DRAINING" } });
}

/** A worker that stopped cleanly; a DEAD verdict stands. */
export async function markWorkerOffline(pool: pg.Pool, workerId: string): Promise<void> {
  await pool.query(`UPDATE "Worker" SET "status" = 'OFFLINE', "heartbeatAt" = now() WHERE "id" = $1 AND "status" <> 'DEAD'`, [workerId]);
}

/** Which workers to declare dead: those silent for too long, or the one whose process was seen to exit. */
export type DeadWorkers = { silentForMs: number } | { pid: number; hostname: string };

export interface ReapResult {
  dead: string[];
  unlockedJobs: number;
}

/**
 * Marks live workers DEAD with a reason and force-unlocks the queue jobs of
 * their runs, waking the other workers so one resumes each run from its last
 * checkpoint at once. Safe to call from every worker and the supervisor at
 * the same time: the UPDATE .. RETURNING hands each dead worker to exactly one caller.
 */
export async function reapWorkers(pool: pg.Pool, which: DeadWorkers, reason: string): Promise<ReapResult> {
  const [condition, params] =
    "silentForMs" in which
      ? [`"heartbeatAt" < now() - make_interval(secs => $2::double precision / 1000)`, [which.silentForMs]]
      : [`"pid" = $2 AND "hostname" = $3`, [which.pid, which.hostname]];
  const dead = await pool.query<{ id: string }>(
    `UPDATE "Worker" SET "status" = 'DEAD', "exitReason" = $1
      WHERE "status" IN ('ONLINE', 'DRAINING') AND ${condition}
      RETURNING "id"`,
    [reason, ...params],
  );
  if (!dead.rowCount) return { dead: [], unlockedJobs: 0 };
  const deadIds = dead.rows.map((r) => r.id);
  return { dead: deadIds, unlockedJobs: await unlockRunsOf(pool, deadIds) };
}
