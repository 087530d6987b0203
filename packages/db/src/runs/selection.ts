import { NotFoundError } from "@hindcast/contracts";
import { type RunFilters, runFilters } from "../read/run-list";
import type { Queryable } from "./transaction";

/** The runs a bulk action acts on: these ids, or every run a list's filters match. Runs being deleted are never selected. */
export type RunSelection = { ids: readonly string[] } | { filter: RunFilters };

/** Adds a value to the statement and returns its placeholder. */
export type Param = (value: unknown) => string;

/** The conditions over `"Run" r` that select a selection's runs. */
export function selectionConditions(selection: RunSelection, param: Param): string {
  const where =
    "ids" in selection ? [`r."id" = ANY(${param(selection.ids)}::uuid[])`, `r."deletedAt" IS NULL`] : runFilters(selection.filter, param);
  return where.join(" AND ");
}

/**
 * `WITH RECURSIVE tree("id")`: the selected runs and, below them, their child
 * runs at any depth (a run goes with its children), none being deleted.
 */
export const selectionTreeSql = (selection: RunSelection, param: Param) =>
  `WITH RECURSIVE tree("id") AS (
     SELECT r."id" FROM "Run" r WHERE ${selectionConditions(selection, param)}
     UNION SELECT c."id" FROM "Run" c JOIN tree t ON c."parentId" = t."id" WHERE c."deletedAt" IS NULL)`;

/** 404 naming the ids of a selection by ids that name no run (or one being deleted), so none is skipped unnoticed. */
export async function assertSelectedRunsExist(db: Queryable, selection: RunSelection): Promise<void> {
  if (!("ids" in selection)) return;
  const { rows } = await db.query<{ id: string }>(
    `SELECT i."id" FROM unnest($1::uuid[]) AS i("id")
      WHERE NOT EXISTS (SELECT 1 FROM "Run" r WHERE r."id" = i."id" AND r."deletedAt" IS NULL)`,
    [selection.ids],
  );
  if (!rows.length) return;
  const named = rows.slice(0, 5).map((row) => row.id);
  throw new NotFoundError(
    `No run ${named.join(", ")}${rows.length > named.length ? ` (and ${rows.length - named.length} more)` : ""}`,
    "check the run ids (hindcast train list shows them); a deleted run is gone",
    { path: "ids" },
  );
}
