import { type HeadlineMetric, type MetricCatalog, metricCatalog, type RunStatus, UserFacingError } from "@hindcast/contracts";
import type pg from "pg";
import { z } from "zod";
import type { MetricSummary } from "../generated/prisma/client";
import { type GroupFilter, groupMemberSql } from "./group-by";
import { maintainedCounts, type StatusCounts } from "./run-counts";
import { type RunRow, runRowColumns, type StoredRunRow, toRunRow } from "./run-row";

/** Which runs a list shows (the API's runs list input, without sort and paging). */
export interface RunFilters {
  status?: RunStatus[];
  /** Runs carrying every one of these tags. */
  tags?: string[];
  /** Flattened spec params that must match exactly, e.g. { "model.kind": "linear" }. */
  params?: Record<string, string | number | boolean>;
  /** An experiment's name. */
  experiment?: string;
  /** Free text over name, pipeline, dataset and target. */
  search?: string;
  /** Whose children: null for top-level runs, a run's id for its children, "any" for every run. */
  parentId: string | null;
  createdFrom?: Date;
  createdTo?: Date;
  /** Archived runs: left out ("hide", the default), the only ones listed ("only"), or listed with the rest ("include"). */
  archived?: "hide" | "only" | "include";
  /** The runs of one group of a grouped table (see run-groups.ts). */
  group?: GroupFilter;
}

export interface RunSort {
  by: "createdAt" | "name" | "status" | "metric" | "headline";
  /** The metric to sort by: a metric's key when `by` is "metric", a key of the catalog's headline metrics when "headline". */
  key?: string;
  stat: "last" | "min" | "max";
  direction: "asc" | "desc";
}

export interface RunListQuery extends RunFilters {
  sort: RunSort;
  /** Metrics whose last/min/max each run comes with. */
  metricKeys: string[];
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

export type MetricStats = Pick<MetricSummary, "last" | "min" | "max">;

/** A run of a list, with the stats of the metrics asked for. */
export type RunListRow = RunRow & { metrics: Record<string, MetricStats> };

export interface RunPage {
  runs: RunListRow[];
  /** Null on the last page. */
  nextCursor: string | null;
}

/** Keyset cursor: the sort value of the page's last run, and its id as the tie-break. */
interface Cursor {
  value: string | number;
  id: string;
}
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");

type SortCast = "float8" | "text" | "timestamptz";
/** What a cursor's value must be for the SQL type it is cast to: ±Infinity as text (JSON has none), times as ISO strings. */
const cursorValues: Record<SortCast, z.ZodType<string | number>> = {
  float8: z.union([z.number(), z.enum(["Infinity", "-Infinity"])]),
  text: z.string().refine((text) => !text.includes("\0")),
  timestamptz: z.iso.datetime(),
};

function decodeCursor(text: string, cast: SortCast): Cursor {
  try {
    const cursor = z
      .object({ value: cursorValues[cast], id: z.uuid() })
      .safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    if (cursor.success) return cursor.data;
  } catch {}
  throw new UserFacingError("not one this API returned for this sort", "start from the first page", { path: "cursor" });
}

/** JSON has no Infinity (missing metrics sort as ±Infinity) and no Date. */
function cursorValue(value: string | number | Date): string | number {
  if (value instanceof Date) return value.toISOString();
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
}

/** Numbered query parameters: `param(value)` adds one and returns its placeholder. */
export function sqlParameters() {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  return { values, param };
}

/**
 * A headline metric of a run's stored result, read from its catalog path
 * (`pathParam`: the placeholder of that path as text[]); null where the run
 * has no number there, as the catalog's `pick` reads it.
 */
export const headlineSql = (pathParam: string) =>
  `(CASE WHEN jsonb_typeof(r."resultSummary" #> ${pathParam}::text[]) = 'number' THEN (r."resultSummary" #>> ${pathParam}::text[])::float8 END)`;
/** A run's verdict.beatsAll; null where it holds no boolean (as the maintained counts read it, see run-counts.ts). */
const beatsAllSql = `(CASE WHEN jsonb_typeof(r."resultSummary" #> '{verdict,beatsAll}') = 'boolean' THEN (r."resultSummary" #>> '{verdict,beatsAll}')::boolean END)`;

/** The catalog's headline metric of a key; a user error naming `path` (sort.key) for one it does not have. */
export function headlineMetricOf(key: string | undefined, catalog: MetricCatalog, path = "sort.key"): HeadlineMetric {
  const metric = catalog.headline.find((m) => m.key === key);
  if (metric) return metric;
  const keys = catalog.headline.map((m) => m.key).join(", ");
  throw new UserFacingError(`"${key ?? ""}" is no headline metric`, `use one of ${keys}`, { path });
}

/** The SQL conditions of a list's filters over `"Run" r`, with their values added through `param`; runs being deleted never match. */
export function runFilters(filters: RunFilters, param: (value: unknown) => string): string[] {
  const where = [`r."deletedAt" IS NULL`];
  if (filters.archived !== "include") where.push(`r."archivedAt" IS ${filters.archived === "only" ? "NOT NULL" : "NULL"}`);
  if (filters.status?.length) where.push(`r."status" = ANY(${param(filters.status)}::"RunStatus"[])`);
  if (filters.tags?.length) where.push(`r."tags" @> ${param(filters.tags)}::text[]`);
  if (filters.params && Object.keys(filters.params).length) where.push(`r."params" @> ${param(JSON.stringify(filters.params))}::jsonb`);
  if (filters.experiment) where.push(`r."experimentId" = (SELECT "id" FROM "Experiment" WHERE "name" = ${param(filters.experiment)})`);
  if (filters.parentId !== "any")
    where.push(filters.parentId === null ? `r."parentId" IS NULL` : `r."parentId" = ${param(filters.parentId)}`);
  if (filters.createdFrom) where.push(`r."createdAt" >= ${param(filters.createdFrom)}`);
  if (filters.createdTo) where.push(`r."createdAt" < ${param(filters.createdTo)}`);
  if (filters.group) where.push(groupMemberSql(filters.group, param));
  if (filters.search) {
    const pattern = param(`%${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(
      `(r."name" ILIKE ${pattern} OR r."pipeline" ILIKE ${pattern} OR r."params"->>'data.dataset' ILIKE ${pattern} OR r."params"->>'data.target' ILIKE ${pattern})`,
    );
  }
  return where;
}

export const whereClause = (where: string[]) => (where.length ? `WHERE ${where.join(" AND ")}` : "");

/** The SQL a sort orders by, never null (missing metrics sort last), and the type its cursor value is cast to. */
function sortOrder(
  sort: RunSort,
  param: (value: unknown) => string,
  catalog: MetricCatalog,
): { join: string; expr: string; cast: SortCast } {
  const missingLast = `'${sort.direction === "desc" ? "-Infinity" : "Infinity"}'::float8`;
  switch (sort.by) {
    case "metric":
      return {
        join: `LEFT JOIN "MetricSummary" ms ON ms."runId" = r."id" AND ms."key" = ${param(sort.key)}`,
        expr: `coalesce(ms."${sort.stat}", ${missingLast})`,
        cast: "float8",
      };
    case "headline":
      return {
        join: "",
        expr: `coalesce(${headlineSql(param(headlineMetricOf(sort.key, catalog).path))}, ${missingLast})`,
        cast: "float8",
      };
    case "name":
      return { join: "", expr: `coalesce(r."name", '')`, cast: "text" };
    case "status":
      return { join: "", expr: `r."status"::text`, cast: "text" };
    case "createdAt":
      return { join: "", expr: `r."createdAt"`, cast: "timestamptz" };
  }
}

/**
 * One page of runs, newest first unless sorted otherwise. Sort values are
 * never null, so (value, id) keysets stay stable while runs are added.
 * A headline sort reads its metric's path from `catalog`.
 */
export async function listRuns(pool: pg.Pool, query: RunListQuery, catalog: MetricCatalog = metricCatalog): Promise<RunPage> {
  const { values, param } = sqlParameters();
  const descending = query.sort.direction === "desc";
  const order = sortOrder(query.sort, param, catalog);
  const where = runFilters(query, param);
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor, order.cast);
    where.push(`(${order.expr}, r."id") ${descending ? "<" : ">"} (${param(cursor.value)}::${order.cast}, ${param(cursor.id)}::uuid)`);
  }
  const direction = descending ? "DESC" : "ASC";
  const { rows } = await pool.query<StoredRunRow & { sortValue: string | number | Date }>(
    `SELECT ${runRowColumns}, ${order.expr} AS "sortValue" FROM "Run" r ${order.join} ${whereClause(where)}
      ORDER BY ${order.expr} ${direction}, r."id" ${direction} LIMIT ${param(query.limit + 1)}`,
    values,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    runs: await withMetrics(
      pool,
      page.map(({ sortValue: _, ...run }) => toRunRow(run)),
      query.metricKeys,
    ),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ value: cursorValue(last.sortValue), id: last.id }) : null,
  };
}

/** The same rows as `listRuns` for these ids (in no particular order): how a live table refreshes the runs it shows. */
export async function runRowsByIds(pool: pg.Pool, ids: readonly string[], metricKeys: readonly string[]): Promise<RunListRow[]> {
  const { rows } = await pool.query<StoredRunRow>(
    `SELECT ${runRowColumns} FROM "Run" r WHERE r."id" = ANY($1::uuid[]) AND r."deletedAt" IS NULL`,
    [ids],
  );
  return withMetrics(pool, rows.map(toRunRow), metricKeys);
}

/**
 * Every param key (of the newest runs: keys come from specs, so a sample
 * sees them all without reading every row) and every metric key, for the
 * runs table's column chooser.
 */
export async function runColumnKeys(pool: pg.Pool, newestRuns = 5_000): Promise<{ params: string[]; metrics: string[] }> {
  const [params, metrics] = await Promise.all([
    pool.query<{ key: string }>(
      `SELECT DISTINCT k AS "key" FROM (SELECT "params" FROM "Run" ORDER BY "createdAt" DESC LIMIT $1) r, jsonb_object_keys(r."params") k ORDER BY 1`,
      [newestRuns],
    ),
    pool.query<Pick<MetricSummary, "key">>(`SELECT DISTINCT "key" FROM "MetricSummary" ORDER BY 1`),
  ]);
  return { params: params.rows.map((r) => r.key), metrics: metrics.rows.map((r) => r.key) };
}

async function withMetrics(pool: pg.Pool, runs: RunRow[], keys: readonly string[]): Promise<RunListRow[]> {
  const metrics = await metricStats(
    pool,
    runs.map((r) => r.id),
    keys,
  );
  return runs.map((run) => ({ ...run, metrics: metrics.get(run.id) ?? {} }));
}

async function metricStats(pool: pg.Pool, runIds: string[], keys: readonly string[]): Promise<Map<string, Record<string, MetricStats>>> {
  const byRun = new Map<string, Record<string, MetricStats>>();
  if (!runIds.length || !keys.length) return byRun;
  const { rows } = await pool.query<Pick<MetricSummary, "runId" | "key" | "last" | "min" | "max">>(
    `SELECT "runId", "key", "last", "min", "max" FROM "MetricSummary" WHERE "runId" = ANY($1::uuid[]) AND "key" = ANY($2::text[])`,
    [runIds, keys],
  );
  // defineProperty, not assignment: a metric named "__proto__" stays a metric.
  for (const { runId, key, ...stats } of rows) {
    const run = byRun.get(runId) ?? {};
    Object.defineProperty(run, key, { value: stats, enumerable: true, writable: true, configurable: true });
    byRun.set(runId, run);
  }
  return byRun;
}

export interface RunCounts {
  total: number;
  byStatus: Partial<Record<RunStatus, number>>;
  /** Runs with a retrodiction result, and those of them whose RMSE skill beats the naive forecast. */
  withResult: number;
  beatNaive: number;
  /** Runs with a verdict, and those of them that beat their best classical baseline. */
  withVerdict: number;
  beatBest: number;
}

/**
 * How many runs match the filters, by status; how many of those with a
 * verdict beat their best classical baseline (the runs page's one-line answer
 * to "is any of this better than a textbook forecast?"), and how many with a
 * retrodiction result beat the naive forecast (RMSE skill above zero; runs
 * from before the classical baselines have only that).
 */
export async function countRuns(pool: pg.Pool, filters: RunFilters): Promise<RunCounts> {
  const skillPath = headlineMetricOf("skill_vs_naive", metricCatalog).path;
  const rows = (await maintainedCounts(pool, filters, skillPath)) ?? (await scannedCounts(pool, filters, skillPath));
  const sum = (key: "runs" | "scored" | "beatNaive" | "judged" | "beatBest") => rows.reduce((n, row) => n + row[key], 0);
  return {
    total: sum("runs"),
    byStatus: Object.fromEntries(rows.map((row) => [row.status, row.runs])),
    withResult: sum("scored"),
    beatNaive: sum("beatNaive"),
    withVerdict: sum("judged"),
    beatBest: sum("beatBest"),
  };
}

/** countRuns' answer read from the runs themselves: for filters the maintained counts are not kept by. */
async function scannedCounts(pool: pg.Pool, filters: RunFilters, skillPath: readonly string[]): Promise<StatusCounts[]> {
  const { values, param } = sqlParameters();
  const skillSql = headlineSql(param(skillPath));
  const { rows } = await pool.query<StatusCounts>(
    `SELECT r."status", count(*)::int AS "runs",
            count(${skillSql})::int AS "scored", count(*) FILTER (WHERE ${skillSql} > 0)::int AS "beatNaive",
            count(${beatsAllSql})::int AS "judged", count(*) FILTER (WHERE ${beatsAllSql})::int AS "beatBest"
       FROM "Run" r ${whereClause(runFilters(filters, param))} GROUP BY r."status"`,
    values,
  );
  return rows;
}
