import type { RunStatus } from "@hindcast/contracts";
import type pg from "pg";
import type { RunFilters } from "./run-list";

/** How many runs of one status match, and how many of them have (and beat) each baseline comparison. */
export interface StatusCounts {
  status: RunStatus;
  runs: number;
  scored: number;
  beatNaive: number;
  judged: number;
  beatBest: number;
}

/** The result path the maintained counts read skill against the naive forecast from (the migration's run_count_key). */
const countedSkillPath = ["overall", "skill", "rmseVsNaive"];
/** Filters the counts are kept by; any other filter with a value needs the runs themselves. */
const countedFilters = new Set<string>(["status", "parentId", "archived"]);
/** Rows of changes read past which they are folded into one row per key. */
const foldAfterRows = 5_000;

const unset = (value: unknown) =>
  value === undefined ||
  value === "" ||
  (Array.isArray(value) ? value.length === 0 : typeof value === "object" && value !== null && !Object.keys(value).length);

/**
 * countRuns' answer from "derived"."run_counts" (prisma/migrations/…_run_counts:
 * triggers keep it in the same transaction as every change of "Run"), in
 * milliseconds however many runs there are: when the filters are only a
 * status, top-level runs or every run, and archived or not, and the skill
 * is read from the path the counts were kept by. Undefined otherwise.
 */
export async function maintainedCounts(
  pool: pg.Pool,
  filters: RunFilters,
  skillPath: readonly string[],
): Promise<StatusCounts[] | undefined> {
  if (skillPath.join(".") !== countedSkillPath.join(".")) return undefined;
  if (Object.entries(filters).some(([name, value]) => !countedFilters.has(name) && !unset(value))) return undefined;
  if (filters.parentId !== null && filters.parentId !== "any") return undefined;
  const where = [filters.parentId === null ? `"top"` : "true"];
  if (filters.archived !== "include") where.push(filters.archived === "only" ? `"archived"` : `NOT "archived"`);
  const values: unknown[] = [];
  if (filters.status?.length) {
    values.push(filters.status);
    where.push(`"status" = ANY($1::"RunStatus"[])`);
  }
  const { rows } = await pool.query<StatusCounts & { changes: number }>(
    `SELECT "status", sum("runs")::int AS "runs",
            coalesce(sum("runs") FILTER (WHERE "scored"), 0)::int AS "scored", coalesce(sum("runs") FILTER (WHERE "beatNaive"), 0)::int AS "beatNaive",
            coalesce(sum("runs") FILTER (WHERE "judged"), 0)::int AS "judged", coalesce(sum("runs") FILTER (WHERE "beatBest"), 0)::int AS "beatBest",
            count(*)::int AS "changes"
       FROM "derived"."run_counts" WHERE ${where.join(" AND ")} GROUP BY "status"`,
    values,
  );
  if (rows.reduce((n, row) => n + row.changes, 0) > foldAfterRows) await foldCounts(pool);
  return rows.filter((row) => row.runs !== 0).map(({ changes: _, ...counts }) => counts);
}

/**
 * Folds the rows of changes into one row per key, in one statement: rows
 * another transaction adds meanwhile are not seen, so not taken away, and
 * two folds at once each fold only what the other did not.
 */
async function foldCounts(pool: pg.Pool): Promise<void> {
  await pool.query(
    `WITH folded AS (DELETE FROM "derived"."run_counts" RETURNING *)
     INSERT INTO "derived"."run_counts"
     SELECT "status", "top", "archived", "scored", "beatNaive", "judged", "beatBest", sum("runs") FROM folded
      GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum("runs") <> 0`,
  );
}
