import { ConflictError, isTerminalStatus } from "@hindcast/contracts";
import type pg from "pg";
import { sqlParameters } from "../read/run-list";
import { runNotFound } from "../read/run-page";
import { cancellable, cancelRun } from "./cancel";
import { queuePurge } from "./purge";
import { assertSelectedRunsExist, type Param, type RunSelection, selectionConditions, selectionTreeSql } from "./selection";
import type { RunStatus } from "./statuses";
import { type Queryable, withTransaction } from "./transaction";

/** What a bulk action did: how many runs it changed (runs already as asked are not counted). */
export interface BulkResult {
  changed: number;
}

/** A change of columns over `"Run" u`: `set`, on the runs where `unlike` holds (those not yet as asked). */
type ColumnChange = (param: Param) => { set: string; unlike: string };

/** One UPDATE of the selected runs. */
async function updateSelected(db: Queryable, selection: RunSelection, change: ColumnChange): Promise<BulkResult> {
  await assertSelectedRunsExist(db, selection);
  const { values, param } = sqlParameters();
  const { set, unlike } = change(param);
  const { rowCount } = await db.query(
    `UPDATE "Run" u SET ${set}, "updatedAt" = now()
      WHERE u."id" IN (SELECT r."id" FROM "Run" r WHERE ${selectionConditions(selection, param)}) AND ${unlike}`,
    values,
  );
  return { changed: rowCount ?? 0 };
}

/** Archives runs: hidden from the runs list and its counts unless asked for, and kept whole. */
export function archiveRuns(pool: pg.Pool, selection: RunSelection): Promise<BulkResult> {
  return updateSelected(pool, selection, () => ({ set: `"archivedAt" = now()`, unlike: `u."archivedAt" IS NULL` }));
}

/** Brings archived runs back into the runs list. */
export function restoreRuns(pool: pg.Pool, selection: RunSelection): Promise<BulkResult> {
  return updateSelected(pool, selection, () => ({ set: `"archivedAt" = NULL`, unlike: `u."archivedAt" IS NOT NULL` }));
}

/** Adds and removes tags: a tag both added and removed ends removed; the others keep their order, new ones go last, none twice. */
export function tagRuns(
  pool: pg.Pool,
  selection: RunSelection,
  change: { add: readonly string[]; remove: readonly string[] },
): Promise<BulkResult> {
  return updateSelected(pool, selection, (param) => {
    const tags = `ARRAY(SELECT t FROM unnest(u."tags" || ${param(change.add)}::text[]) WITH ORDINALITY AS x(t, o)
                         WHERE t <> ALL(${param(change.remove)}::text[]) GROUP BY t ORDER BY min(o))`;
    return { set: `"tags" = ${tags}`, unlike: `u."tags" IS DISTINCT FROM ${tags}` };
  });
}

/** A run's note (plain text); empty clears it. 404 when there is no such run or it is being deleted. */
export async function setRunNote(pool: pg.Pool, runId: string, note: string): Promise<void> {
  const { rowCount } = await pool.query(`UPDATE "Run" SET "note" = $2, "updatedAt" = now() WHERE "id" = $1 AND "deletedAt" IS NULL`, [
    runId,
    note.trim() ? note : null,
  ]);
  if (!rowCount) throw runNotFound(runId);
}

/**
 * Cancels every selected run still queued or running (each with cancelRun:
 * a queued one ends at once, a running one is told to stop).
 */
export async function cancelRuns(pool: pg.Pool, selection: RunSelection, reason: string): Promise<BulkResult> {
  await assertSelectedRunsExist(pool, selection);
  const { values, param } = sqlParameters();
  const { rows } = await pool.query<{ id: string; status: RunStatus }>(
    `SELECT r."id", r."status" FROM "Run" r
      WHERE ${selectionConditions(selection, param)} AND r."status" = ANY(${param(cancellable)}::"RunStatus"[])`,
    values,
  );
  let changed = 0;
  for (const run of rows) if ((await cancelRun(pool, run.id, reason)).status !== run.status) changed++;
  return { changed };
}

/** How many active runs a refusal names. */
const namedActive = 5;

/**
 * Marks the selected runs and their child runs as being deleted: from now on
 * no list, count or read shows them, and the purge_runs task (queued in the
 * same transaction) removes their rows and artifact bytes. Refused (409) while
 * any of them is queued, running or cancelling: a worker would go on writing.
 */
export function markRunsDeleted(pool: pg.Pool, selection: RunSelection): Promise<BulkResult> {
  return withTransaction(pool, async (db) => {
    await assertSelectedRunsExist(db, selection);
    const { values, param } = sqlParameters();
    const { rows } = await db.query<{ id: string; name: string | null; status: RunStatus }>(
      `${selectionTreeSql(selection, param)}
       SELECT r."id", r."name", r."status" FROM "Run" r JOIN tree USING ("id") ORDER BY r."createdAt", r."id" FOR UPDATE OF r`,
      values,
    );
    const active = rows.filter((run) => !isTerminalStatus(run.status));
    if (active.length) {
      const named = active.slice(0, namedActive).map((run) => `${run.id.slice(0, 8)} (${run.name ?? "unnamed"}, ${run.status})`);
      const more = active.length > named.length ? ` and ${active.length - named.length} more` : "";
      throw new ConflictError(
        `${active.length === 1 ? "1 run is" : `${active.length} runs are`} still active: ${named.join(", ")}${more}`,
        "cancel them first (Cancel in the runs table, or hindcast train cancel <id>), then delete",
        { path: "ids" in selection ? "ids" : "filter" },
      );
    }
    if (!rows.length) return { changed: 0 };
    await db.query(`UPDATE "Run" SET "deletedAt" = now(), "updatedAt" = now() WHERE "id" = ANY($1::uuid[])`, [rows.map((run) => run.id)]);
    await queuePurge(db);
    return { changed: rows.length };
  });
}
