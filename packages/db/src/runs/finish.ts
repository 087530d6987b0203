import type pg from "pg";
import { runEventsChannel } from "../channels";
import { notify } from "../notify";
import { addSweepJob } from "../sweeps/jobs";
import { changeStatus, type StatusChange } from "./change-status";
import { countChildDone } from "./fan-in";
import { notifiedMessage } from "./run-events";
import type { RunOperation, TerminalStatus, Transition } from "./statuses";
import { type Queryable, withTransaction } from "./transaction";

export interface Ending {
  message?: string;
  resultSummary?: unknown;
  error?: unknown;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/**
 * A run's last status change, whichever operation makes it: watchers are
 * told, a child run counts itself done on its parent (the last one
 * queues the parent's aggregate step), and a sweep trial wakes its sweep.
 */
export async function endRun(
  db: Queryable,
  end: { operation: RunOperation; runId: string; status: TerminalStatus; ending: Ending; fence?: StatusChange["fence"]; alsoSet?: string },
): Promise<Transition> {
  const { runId, status, ending } = end;
  const ended = await changeStatus<{ parentId: string | null; sweepId: string | null }>(db, {
    operation: end.operation,
    runId,
    to: status,
    fence: end.fence,
    returning: `"parentId", "sweepId"`,
    set: (value) =>
      [
        `"finishedAt" = now()`,
        `"message" = coalesce(${value(ending.message ?? null)}, "message")`,
        `"resultSummary" = coalesce(${value(json(ending.resultSummary))}::jsonb, "resultSummary")`,
        `"error" = coalesce(${value(json(ending.error))}::jsonb, "error")`,
        ...(status === "SUCCEEDED" ? [`"percent" = 100`, `"etaSeconds" = 0`] : []),
        ...(end.alsoSet ? [end.alsoSet] : []),
      ].join(", "),
  });
  if (!ended.ok) return ended;
  await notify(db, runEventsChannel, {
    runId,
    kind: "status",
    status,
    ...(ending.message ? { message: notifiedMessage(ending.message) } : {}),
  });
  if (ended.row.parentId) await countChildDone(db, ended.row.parentId);
  if (ended.row.sweepId) await addSweepJob(db, ended.row.sweepId);
  return ended;
}

/**
 * finish: ends a run this worker holds. A run taken over by another worker is
 * refused: the fence on "workerId" keeps out a worker declared dead.
 */
export function finishRun(pool: pg.Pool, runId: string, workerId: string, status: TerminalStatus, ending: Ending): Promise<Transition> {
  return withTransaction(pool, (db) => endRun(db, { operation: "finish", runId, status, ending, fence: heldBy(workerId) }));
}

/** The fence of the operations only the worker that holds a run may do. */
export const heldBy = (workerId: string): NonNullable<StatusChange["fence"]> => ({
  where: (value) => `"workerId" = ${value(workerId)}`,
  refusal: `worker ${workerId} does not hold the run (another worker took it over)`,
});
