import { activeStatuses } from "@hindcast/contracts";
import type { Queryable } from "./transaction";

/**
 * The reaper's part in a run's life: force-unlocks every queue job that dead
 * workers held (their runs, and the short tasks too: a sweep's step, a
 * purge, an aggregate) and wakes the other workers, so one claims each at
 * once (a run: RUNNING -> RUNNING, resumed from its last checkpoint).
 * Returns how many jobs it unlocked.
 */
export async function unlockRunsOf(db: Queryable, deadWorkerIds: readonly string[]): Promise<number> {
  // The queue workers each process recorded, and, for a worker that died before recording them, those holding its runs' jobs.
  const jobs = await db.query<{ locked_by: string }>(
    `SELECT j.locked_by FROM graphile_worker.jobs j
      WHERE j.locked_by IS NOT NULL
        AND (j.locked_by IN (SELECT unnest(w."queueWorkerIds") FROM "Worker" w WHERE w."id" = ANY($1::uuid[]))
             OR j.key IN (SELECT r."id"::text FROM "Run" r WHERE r."workerId" = ANY($1::uuid[]) AND r."status" = ANY($2::"RunStatus"[])))`,
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
