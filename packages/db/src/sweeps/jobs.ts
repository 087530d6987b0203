import { QueueTask } from "../queue";
import type { Queryable } from "../runs/transaction";

/**
 * Queues a step of the sweep. No job key: graphile-worker 0.17's add_job
 * drops a keyed job whose namesake a worker locks at that very moment, and a
 * lost wake-up would leave a finished sweep RUNNING. Steps are idempotent and
 * take turns on the sweep's row lock, so an extra one costs one short
 * transaction.
 */
export async function addSweepJob(db: Queryable, sweepId: string): Promise<void> {
  await db.query("SELECT graphile_worker.add_job($1, json_build_object('sweepId', $2::text), max_attempts := 25)", [
    QueueTask.sweepStep,
    sweepId,
  ]);
}
