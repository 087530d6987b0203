import type pg from "pg";
import { runEventsChannel } from "../channels.js";
import { notify } from "../notify.js";
import { changeStatus } from "./change-status.js";
import { addRunJob } from "./enqueue.js";
import { heldBy } from "./finish.js";
import type { Transition } from "./statuses.js";
import { withTransaction } from "./transaction.js";

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
