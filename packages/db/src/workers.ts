import type pg from "pg";

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
  const jobs = await pool.query<{ locked_by: string }>(
    `SELECT j.locked_by FROM graphile_worker.jobs j JOIN "Run" r ON j.key = r."id"::text
      WHERE r."workerId" = ANY($1::uuid[]) AND r."status" IN ('RUNNING', 'CANCELLING') AND j.locked_by IS NOT NULL`,
    [dead.rows.map((r) => r.id)],
  );
  if (jobs.rows.length) {
    await pool.query(
      `SELECT graphile_worker.force_unlock_workers($1::text[]), pg_notify('jobs:insert', json_build_object('count', $2::int)::text)`,
      [[...new Set(jobs.rows.map((j) => j.locked_by))], jobs.rows.length],
    );
  }
  return { dead: dead.rows.map((r) => r.id), unlockedJobs: jobs.rows.length };
}
