import { activeStatuses } from "@hindcast/contracts";
import type { Queryable } from "./transaction";

/**
 * The reaper's part in a run's life: force-unlocks the queue jobs of the runs
 * that dead workers held and wakes the other workers, so one claims each at
 * once (claim: RUNNING -> RUNNING) and resumes it from its last checkpoint.
 * Returns how many jobs it unlocked.
 */
export async function unlockRunsOf(db: Queryable, deadWorkerIds: readonly string[]): Promise<number> {
  const jobs = await db.query<{ locked_by: string }>(
    `SELECT j.locked_by FROM graphile_worker.jobs j JOIN "Run" r ON j.key = r."id"::text
      WHERE r."workerId" = ANY($1::uuid[]) AND r."status" = ANY($2::"RunStatus"[]) AND j.locked_by IS NOT NULL`,
    [deadWorkerIds, activeStatuses],
  );
  if (jobs.rows.length) {
    await db.query(
      `SELECT graphile_worker.force_unlock_workers($1::text[]), pg_notify('jobs:insert', json_build_object('count', $2::int)::text)`,
      [[...new Set(jobs.rows.map((j) => j.locked_by))], jobs.rows.length],
    );
  }
  return jobs.rows.length;
}
