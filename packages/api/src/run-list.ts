import { plainText } from "@hindcast/models/text";
import { TRPCError } from "@trpc/server";
import type pg from "pg";
import { z } from "zod";
import type { listRunsInput } from "./schemas.js";

/**
 * A run's result summary as answers carry it: runs stored before artifacts
 * left it kept their URIs (server file paths) under "artifacts" and "results".
 */
export const resultSummaryColumn = `r."resultSummary" - 'artifacts' - 'results' AS "resultSummary"`;

export const runColumns = `r."id", r."name", r."status", r."pipeline", r."queue", r."tags", r."params", r."attempt", r."backend",
  r."phase", r."step", r."totalSteps", r."itemsDone", r."itemsTotal", r."percent", r."etaSeconds", r."samplesPerSecond",
  r."message", ${resultSummaryColumn}, r."error", r."parentId", r."workerId", r."experimentId", r."createdAt", r."startedAt", r."finishedAt",
  (SELECT count(*)::int FROM "Run" c WHERE c."parentId" = r."id") AS "childCount"`;

export interface RunSummaryRow {
  id: string;
  name: string | null;
  status: "QUEUED" | "RUNNING" | "CANCELLING" | "CANCELLED" | "SUCCEEDED" | "FAILED";
  pipeline: string;
  queue: string;
  tags: string[];
  params: Record<string, unknown>;
  attempt: number;
  backend: string | null;
  phase: string | null;
  step: number;
  totalSteps: number | null;
  itemsDone: number;
  itemsTotal: number | null;
  percent: number;
  etaSeconds: number | null;
  samplesPerSecond: number | null;
  message: string | null;
  resultSummary: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  parentId: string | null;
  /** Child runs (the windows of a parallel retrodiction). */
  childCount: number;
  workerId: string | null;
  experimentId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface MetricStats {
  last: number;
  min: number | null;
  max: number | null;
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
  text: plainText(),
  timestamptz: z.iso.datetime(),
};

function decodeCursor(text: string, cast: SortCast): Cursor {
  try {
    const cursor = z
      .object({ value: cursorValues[cast], id: z.uuid() })
      .safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    if (cursor.success) return cursor.data;
  } catch {}
  throw new TRPCError({ code: "BAD_REQUEST", message: "cursor: not one this API returned for this sort; start from the first page" });
}

/** JSON has no Infinity (missing metrics sort as ±Infinity) and no Date. */
function cursorValue(value: string | number | Date): string | number {
  if (value instanceof Date) return value.toISOString();
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
}

/** Numbered query parameters: `param(value)` adds one and returns its placeholder. */
function sqlParameters() {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  return { values, param };
}

/** A run's retrodiction skill against the naive forecast (1 - RMSE / naive RMSE), null before it has one. */
const skillSql = `(r."resultSummary" #>> '{overall,skill,rmseVsNaive}')::float8`;
/**
 * Its skill against the best classical baseline. Read from the verdict, not
 * overall.skill.rmseVsBest: that one is 0 when no baseline could be fitted,
 * where the verdict is null; runs from before the classical baselines have neither.
 */
const skillVsBestSql = `(r."resultSummary" #>> '{verdict,skillVsBest}')::float8`;
const beatsAllSql = `(r."resultSummary" #>> '{verdict,beatsAll}')::boolean`;
/** The skill each skill sort orders by. */
const skillSorts = { skill: skillSql, skillVsBest: skillVsBestSql } as const;

type ListInput = z.output<typeof listRunsInput>;
export type RunFilters = Omit<ListInput, "sort" | "metricKeys" | "limit" | "cursor">;

/** The SQL conditions of a list's filters (status, tags, params, experiment, parent, dates, free text), with their values added through `param`. */
function runFilters(input: RunFilters, param: (value: unknown) => string): string[] {
  const where: string[] = [];
  if (input.status?.length) where.push(`r."status" = ANY(${param(input.status)}::"RunStatus"[])`);
  if (input.tags?.length) where.push(`r."tags" @> ${param(input.tags)}::text[]`);
  if (input.params && Object.keys(input.params).length) where.push(`r."params" @> ${param(JSON.stringify(input.params))}::jsonb`);
  if (input.experiment) where.push(`r."experimentId" = (SELECT "id" FROM "Experiment" WHERE "name" = ${param(input.experiment)})`);
  if (input.parentId !== "any") where.push(input.parentId === null ? `r."parentId" IS NULL` : `r."parentId" = ${param(input.parentId)}`);
  if (input.createdFrom) where.push(`r."createdAt" >= ${param(input.createdFrom)}`);
  if (input.createdTo) where.push(`r."createdAt" < ${param(input.createdTo)}`);
  if (input.search) {
    const pattern = param(`%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(
      `(r."name" ILIKE ${pattern} OR r."pipeline" ILIKE ${pattern} OR r."params"->>'data.dataset' ILIKE ${pattern} OR r."params"->>'data.target' ILIKE ${pattern})`,
    );
  }
  return where;
}

/**
 * One page of runs, newest first unless sorted otherwise. Sort values never
 * null (missing metrics sort last), so (value, id) keysets stay stable while
 * runs are added.
 */
export async function listRuns(pool: pg.Pool, input: ListInput) {
  const where: string[] = [];
  const { values, param } = sqlParameters();
  const { sort } = input;
  const descending = sort.direction === "desc";
  let join = "";
  let sortExpr: string;
  let cast: SortCast;
  if (sort.by === "metric") {
    join = `LEFT JOIN "MetricSummary" ms ON ms."runId" = r."id" AND ms."key" = ${param(sort.key)}`;
    sortExpr = `coalesce(ms."${sort.stat}", '${descending ? "-Infinity" : "Infinity"}'::float8)`;
    cast = "float8";
  } else if (sort.by === "skill" || sort.by === "skillVsBest") {
    sortExpr = `coalesce(${skillSorts[sort.by]}, '${descending ? "-Infinity" : "Infinity"}'::float8)`;
    cast = "float8";
  } else if (sort.by === "name") {
    sortExpr = `coalesce(r."name", '')`;
    cast = "text";
  } else if (sort.by === "status") {
    sortExpr = `r."status"::text`;
    cast = "text";
  } else {
    sortExpr = `r."createdAt"`;
    cast = "timestamptz";
  }
  where.push(...runFilters(input, param));
  if (input.cursor) {
    const cursor = decodeCursor(input.cursor, cast);
    where.push(`(${sortExpr}, r."id") ${descending ? "<" : ">"} (${param(cursor.value)}::${cast}, ${param(cursor.id)}::uuid)`);
  }
  const direction = descending ? "DESC" : "ASC";
  const { rows } = await pool.query<RunSummaryRow & { sortValue: string | number | Date }>(
    `SELECT ${runColumns}, ${sortExpr} AS "sortValue" FROM "Run" r ${join} ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY ${sortExpr} ${direction}, r."id" ${direction} LIMIT ${param(input.limit + 1)}`,
    values,
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    runs: await withMetrics(
      pool,
      page.map(({ sortValue: _, ...run }) => run),
      input.metricKeys,
    ),
    nextCursor: rows.length > input.limit && last ? encodeCursor({ value: cursorValue(last.sortValue), id: last.id }) : null,
  };
}

/** The same rows as `listRuns` for these ids (in no particular order): how a live table refreshes the runs it shows. */
export async function runRowsByIds(pool: pg.Pool, ids: string[], metricKeys: string[]) {
  const { rows } = await pool.query<RunSummaryRow>(`SELECT ${runColumns} FROM "Run" r WHERE r."id" = ANY($1::uuid[])`, [ids]);
  return withMetrics(pool, rows, metricKeys);
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
    pool.query<{ key: string }>(`SELECT DISTINCT "key" FROM "MetricSummary" ORDER BY 1`),
  ]);
  return { params: params.rows.map((r) => r.key), metrics: metrics.rows.map((r) => r.key) };
}

async function withMetrics(pool: pg.Pool, runs: RunSummaryRow[], keys: string[]) {
  const metrics = await metricStats(
    pool,
    runs.map((r) => r.id),
    keys,
  );
  return runs.map((run) => ({ ...run, metrics: metrics.get(run.id) ?? ({} as Record<string, MetricStats>) }));
}

async function metricStats(pool: pg.Pool, runIds: string[], keys: string[]): Promise<Map<string, Record<string, MetricStats>>> {
  const byRun = new Map<string, Record<string, MetricStats>>();
  if (!runIds.length || !keys.length) return byRun;
  const { rows } = await pool.query<MetricStats & { runId: string; key: string }>(
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

/**
 * How many runs match the filters, by status; how many of those with a
 * verdict beat their best classical baseline (the runs page's one-line answer
 * to "is any of this better than a textbook forecast?"), and how many with a
 * retrodiction result beat the naive forecast (RMSE skill above zero; runs
 * from before the classical baselines have only that).
 */
export async function summarizeRuns(pool: pg.Pool, input: RunFilters) {
  const { values, param } = sqlParameters();
  const where = runFilters(input, param);
  const { rows } = await pool.query<{
    status: RunSummaryRow["status"];
    runs: number;
    scored: number;
    beatNaive: number;
    judged: number;
    beatBest: number;
  }>(
    `SELECT r."status", count(*)::int AS "runs",
            count(${skillSql})::int AS "scored", count(*) FILTER (WHERE ${skillSql} > 0)::int AS "beatNaive",
            count(${beatsAllSql})::int AS "judged", count(*) FILTER (WHERE ${beatsAllSql})::int AS "beatBest"
       FROM "Run" r ${where.length ? `WHERE ${where.join(" AND ")}` : ""} GROUP BY r."status"`,
    values,
  );
  const sum = (key: "runs" | "scored" | "beatNaive" | "judged" | "beatBest") => rows.reduce((n, row) => n + row[key], 0);
  return {
    total: sum("runs"),
    byStatus: Object.fromEntries(rows.map((row) => [row.status, row.runs])) as Partial<Record<RunSummaryRow["status"], number>>,
    withResult: sum("scored"),
    beatNaive: sum("beatNaive"),
    withVerdict: sum("judged"),
    beatBest: sum("beatBest"),
  };
}
