import type pg from "pg";
import { runEventsChannel } from "../channels";
import { notify } from "../notify";
import { changeStatus } from "./change-status";
import { addRunJob } from "./enqueue";
import { heldBy } from "./finish";
import type { Transition } from "./statuses";
import { withTransaction } from "./transaction";

/**
 * release: hands a run this worker holds back to the queue (graceful
 * shutdown); the next worker resumes it from its last checkpoint.
 */
export function releaseRun(pool: pg.Pool, runId: string, workerId: string, task: string): Promise<Transition> {
  return withTransaction(pool, async (db) => {
    const released = await changeStatus(db, {
      operation: "release",
      runId,
      to: "QUEUED",
      set: () => `"workerId" = NULL, "message" = 'Released by a stopping worker; resumes from its last checkpoint'`,
      fence: heldBy(workerId),
    });
    if (!released.ok) return released;
    // Our job is still locked by us: graphile-worker gives the key to a new job.
    await addRunJob(db, runId, task);
    await notify(db, runEventsChannel, { runId, kind: "status", status: "QUEUED" });
    return released;
  });
}
