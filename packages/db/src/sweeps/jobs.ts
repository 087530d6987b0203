import { QueueTask } from "../queue";
import type { Queryable } from "../runs/transaction";

/**
 * Queues a step of the sweep (job key: the sweep, so wakes coalesce while no
 * step runs; one that comes while a step runs queues the next, and nothing
 * a trial's end changed is missed).
 */
export async function addSweepJob(db: Queryable, sweepId: string): Promise<void> {
  await db.query(
    "SELECT graphile_worker.add_job($1, json_build_object('sweepId', $2::text), job_key := 'sweep:' || $2::text, max_attempts := 25)",
    [QueueTask.sweepStep, sweepId],
  );
}
