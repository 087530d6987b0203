import { NotFoundError } from "@hindcast/contracts";
import type pg from "pg";
import { runCancelChannel, runEventsChannel } from "../channels";
import { notify } from "../notify";
import { changeStatus } from "./change-status";
import { endRun } from "./finish";
import { allowedFrom, type RunStatus, type Transition } from "./statuses";
import { type Queryable, withTransaction } from "./transaction";

export interface CancelResult {
  status: RunStatus;
  /** Child runs whose cancel was requested too. */
  children: number;
}

/** The statuses a cancel changes; a finished run, or one already cancelling, is left as it is. */
export const cancellable: readonly RunStatus[] = [...allowedFrom("cancel-queued"), ...allowedFrom("cancel-running")];

/**
 * Cancels a run and its children. A QUEUED run leaves the queue and ends
 * CANCELLED at once (cancel-queued); a RUNNING one goes CANCELLING and its
 * worker is told (cancel-running).
 */
export function cancelRun(pool: pg.Pool, runId: string, reason = "cancelled by user"): Promise<CancelResult> {
  return withTransaction(pool, (client) => cancelInTransaction(client, runId, reason));
}

/** cancelRun inside the caller's transaction. */
export async function cancelInTransaction(db: Queryable, runId: string, reason: string): Promise<CancelResult> {
  const { rows } = await db.query<{ status: RunStatus }>(`SELECT "status" FROM "Run" WHERE "id" = $1 FOR UPDATE`, [runId]);
  const current = rows[0]?.status;
  if (!current) throw new NotFoundError(`Run ${runId} does not exist`, "check the run id (hindcast train list shows them)");
  const cancelled = allowedFrom("cancel-queued").includes(current)
    ? await cancelQueued(db, runId, reason)
    : allowedFrom("cancel-running").includes(current)
      ? await requestCancel(db, runId, reason)
      : undefined;
  const children = await db.query<{ id: string }>(
    `SELECT "id" FROM "Run" WHERE "parentId" = $1 AND "status" = ANY($2::"RunStatus"[]) ORDER BY "createdAt"`,
    [runId, cancellable],
  );
  for (const child of children.rows) await cancelInTransaction(db, child.id, reason);
  return { status: cancelled?.ok ? cancelled.to : current, children: children.rowCount ?? 0 };
}

/** cancel-queued: the run leaves the queue and ends CANCELLED. */
export async function cancelQueued(db: Queryable, runId: string, reason: string): Promise<Transition> {
  const cancelled = await endRun(db, {
    operation: "cancel-queued",
    runId,
    status: "CANCELLED",
    ending: { message: `Cancelled before it started: ${reason}` },
    alsoSet: `"cancelRequestedAt" = now()`,
  });
  if (cancelled.ok) await db.query("SELECT graphile_worker.remove_job($1)", [runId]);
  return cancelled;
}

/** cancel-running: the run goes CANCELLING and the worker that holds it is told (NOTIFY run_cancel). */
export async function requestCancel(db: Queryable, runId: string, reason: string): Promise<Transition> {
  const requested = await changeStatus(db, {
    operation: "cancel-running",
    runId,
    to: "CANCELLING",
    set: () => `"cancelRequestedAt" = now()`,
  });
  if (!requested.ok) return requested;
  await notify(db, runCancelChannel, { runId, reason });
  await notify(db, runEventsChannel, { runId, kind: "status", status: "CANCELLING" });
  return requested;
}
