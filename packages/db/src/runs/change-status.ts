import { allowedFrom, type Refused, type RunOperation, type RunStatus, runTransitions, type Transition } from "./statuses";
import type { Queryable } from "./transaction";

/** Adds a value to the statement and returns its placeholder ($4, $5, ...). */
type Placeholder = (value: unknown) => string;
/** A SQL fragment whose values go through the placeholder. */
type Fragment = (value: Placeholder) => string;

export interface StatusChange {
  operation: RunOperation;
  runId: string;
  to: RunStatus;
  /** The other columns it sets: `"col" = expr, ...`. */
  set?: Fragment;
  /** A further condition (the worker that holds the run), and what a refusal by it says. */
  fence?: { where: Fragment; refusal: string };
  /** Columns of the changed row to return; "id" when unset. */
  returning?: string;
}

/**
 * The one UPDATE of the "Run" status that every operation goes through. It
 * changes the row only while its status is one `operation` may leave
 * (runTransitions), so an illegal change changes nothing; that is reported
 * with the status the run had.
 */
export async function changeStatus<Row extends object>(db: Queryable, change: StatusChange): Promise<Transition<Row>> {
  const { operation, runId, to } = change;
  const legalTo: readonly RunStatus[] = runTransitions[operation].to;
  if (!legalTo.includes(to)) throw new Error(`${operation} never moves a run to ${to} (only to ${legalTo.join(" or ")})`);
  const values: unknown[] = [runId, to, allowedFrom(operation)];
  const value: Placeholder = (v) => `$${values.push(v)}`;
  const set = change.set ? `, ${change.set(value)}` : "";
  const fence = change.fence ? ` AND ${change.fence.where(value)}` : "";
  const { rows } = await db.query<Row>(
    `UPDATE "Run" SET "status" = $2::"RunStatus", "updatedAt" = now()${set}
      WHERE "id" = $1 AND "status" = ANY($3::"RunStatus"[])${fence}
      RETURNING ${change.returning ?? `"id"`}`,
    values,
  );
  const row = rows[0];
  return row ? { ok: true, to, row } : refusal(db, change);
}

async function refusal(db: Queryable, { operation, runId, fence }: StatusChange): Promise<Refused> {
  const { rows } = await db.query<{ status: RunStatus }>(`SELECT "status" FROM "Run" WHERE "id" = $1`, [runId]);
  const from = rows[0]?.status;
  const froms = allowedFrom(operation);
  const reason =
    from === undefined
      ? `run ${runId} does not exist`
      : !froms.includes(from)
        ? `${operation} moves a run from ${froms.join(" or ")}, and run ${runId} is ${from}`
        : `${operation} refused: ${fence?.refusal ?? "the run changed meanwhile"}`;
  return { ok: false, operation, runId, from, reason };
}
