import type pg from "pg";
import { runEventsChannel } from "../channels";
import { notify } from "../notify";
import { changeStatus } from "./change-status";
import { endRun } from "./finish";
import type { Transition } from "./statuses";
import { type Queryable, withTransaction } from "./transaction";

export interface ClaimedRun {
  id: string;
  spec: unknown;
  pipeline: string;
  queue: "any" | "gpu";
  attempt: number;
  parentId: string | null;
  /** The sweep whose trial this run is. */
  sweepId: string | null;
}

/**
 * Takes a run for this worker (claim), with attempt + 1. A run whose cancel
 * was asked while no worker held it ends CANCELLED here instead
 * (cancel-unclaimed); the claim is reported refused either way.
 */
export function claimRun(pool: pg.Pool, runId: string, workerId: string, backend: string): Promise<Transition<ClaimedRun>> {
  return withTransaction(pool, async (db) => {
    const claimed = await claim(db, runId, workerId, backend);
    if (!claimed.ok && claimed.from === "CANCELLING") await cancelUnclaimed(db, runId);
    return claimed;
  });
}

export async function claim(db: Queryable, runId: string, workerId: string, backend: string): Promise<Transition<ClaimedRun>> {
  const claimed = await changeStatus<ClaimedRun>(db, {
    operation: "claim",
    runId,
    to: "RUNNING",
    set: (value) =>
      `"workerId" = ${value(workerId)}, "backend" = ${value(backend)}, "attempt" = "attempt" + 1, "startedAt" = coalesce("startedAt", now())`,
    returning: `"id", "spec", "pipeline", "queue", "attempt", "parentId", "sweepId"`,
  });
  if (claimed.ok) await notify(db, runEventsChannel, { runId, kind: "status", status: "RUNNING" });
  return claimed;
}

export function cancelUnclaimed(db: Queryable, runId: string): Promise<Transition> {
  return endRun(db, {
    operation: "cancel-unclaimed",
    runId,
    status: "CANCELLED",
    ending: { message: "Cancelled before this attempt started" },
  });
}
