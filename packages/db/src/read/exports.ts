import { metricCatalog, type RunExportColumn, type RunExportField, runExportFields, summaryStats } from "@hindcast/contracts";
import type pg from "pg";
import { headlineSql, type RunFilters, runFilters, sqlParameters } from "./run-list";
import { runNotFound } from "./run-page";
import { readSweep } from "./sweeps";

/** A cell of an exported table: text, a number (NaN and infinities included), a boolean, a time, or nothing. */
export type ExportCell = string | number | boolean | Date | null;

/** An exported table as batches of rows: the first batch is the header row alone. */
export type ExportRows = AsyncGenerator<ExportCell[][]>;

/** What the rows of an export are: the header, the query read through a cursor, and how a stored row becomes cells. */
interface ExportPlan<T> {
  header: string[];
  sql: string;
  values: unknown[];
  row: (stored: T) => ExportCell[];
}

/** Rows fetched per round trip: a few hundred kB in memory, however many rows the export has. */
const fetchRows = 2_000;

/**
 * An export read through a server-side cursor (DECLARE / FETCH), in one
 * read-only snapshot from the plan's first query (what columns there are) to
 * the last row. A plan that throws (a run that does not exist) throws before
 * the header is yielded, so the caller can still answer 404; a consumer that
 * stops early (a download cut short) ends the transaction and frees the connection.
 */
async function* throughCursor<T>(pool: pg.Pool, plan: (db: pg.PoolClient) => Promise<ExportPlan<T>>): ExportRows {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const { header, sql, values, row } = await plan(client);
    yield [header];
    await client.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${sql}`, values);
    for (;;) {
      const { rows } = await client.query<T & pg.QueryResultRow>(`FETCH ${fetchRows} FROM export_rows`);
      if (rows.length) yield rows.map(row);
      if (rows.length < fetchRows) break;
    }
  } finally {
    await client.query("ROLLBACK").catch((error: Error) => {
      broken = error;
    });
    client.release(broken);
  }
}

/** The SQL of each run field over `"Run" r`. */
const runFields: Record<RunExportField, string> = {
  id: `r."id"`,
  name: `r."name"`,
  status: `r."status"::text`,
  pipeline: `r."pipeline"`,
  experiment: `(SELECT e."name" FROM "Experiment" e WHERE e."id" = r."experimentId")`,
  tags: `array_to_string(r."tags", ';')`,
  created: `r."createdAt"`,
  started: `r."startedAt"`,
  finished: `r."finishedAt"`,
  duration_s: `extract(epoch FROM coalesce(r."finishedAt", now()) - r."startedAt")::float8`,
  progress_percent: `r."percent"`,
  parent_id: `r."parentId"`,
  archived: `r."archivedAt"`,
};

export interface RunExportRequest {
  filters: RunFilters;
  /** The columns in order, or "all": every field, headline metric, param any matching run has, and last/min/max of every metric. */
  columns: readonly RunExportColumn[] | "all";
}

function columnHeader(column: RunExportColumn): string {
  switch (column.kind) {
    case "field":
      return column.field;
    case "param":
      return column.key;
    case "metric":
      return `${column.key} (${column.stat})`;
    case "headline":
      return column.key;
  }
}

/** "all": the union of the params and metric keys of the matching runs, read in the export's snapshot. */
async function allColumns(db: pg.PoolClient, where: string, values: unknown[]): Promise<RunExportColumn[]> {
  const [params, metrics] = await Promise.all([
    db.query<{ key: string }>(
      `SELECT DISTINCT k AS "key" FROM "Run" r
         CROSS JOIN jsonb_object_keys(CASE WHEN jsonb_typeof(r."params") = 'object' THEN r."params" ELSE '{}' END) k
        ${where} ORDER BY 1`,
      values,
    ),
    db.query<{ key: string }>(
      `SELECT DISTINCT ms."key" FROM "MetricSummary" ms JOIN "Run" r ON r."id" = ms."runId" ${where} ORDER BY 1`,
      values,
    ),
  ]);
  return [
    ...runExportFields.map((field) => ({ kind: "field" as const, field })),
    ...metricCatalog.headline.map((metric) => ({ kind: "headline" as const, key: metric.key })),
    ...params.rows.map(({ key }) => ({ kind: "param" as const, key })),
    ...metrics.rows.flatMap(({ key }) => summaryStats.map((stat) => ({ kind: "metric" as const, key, stat }))),
  ];
}

/** A param's value as a cell: lists and objects as their JSON. */
const paramCell = (value: unknown): ExportCell =>
  value === undefined || value === null ? null : typeof value === "object" ? JSON.stringify(value) : (value as ExportCell);

/** A stat of a metric summary as JSON keeps it: NaN and infinities as text. */
const statCell = (value: number | string | null | undefined): ExportCell => (typeof value === "string" ? Number(value) : (value ?? null));

type StoredRunCells = Record<`c${number}`, ExportCell> & {
  params?: Record<string, unknown> | null;
  metrics?: Record<string, [number | string, number | string | null, number | string | null]> | null;
};

const statIndex = { last: 0, min: 1, max: 2 } as const;

/**
 * The runs a list's filters match, newest first, as CSV-ready rows: the
 * columns asked for, or all of them. Params and metric summaries are read
 * once per run whatever the number of their columns.
 */
export function exportRuns(pool: pg.Pool, request: RunExportRequest): ExportRows {
  return throughCursor<StoredRunCells>(pool, async (db) => {
    const { values, param } = sqlParameters();
    const filters = runFilters(request.filters, param);
    const where = `WHERE ${filters.join(" AND ")}`;
    const columns = request.columns === "all" ? await allColumns(db, where, values) : request.columns;
    const select: string[] = [];
    const metricKeys = [...new Set(columns.flatMap((c) => (c.kind === "metric" ? [c.key] : [])))];
    if (columns.some((c) => c.kind === "param")) select.push(`r."params" AS "params"`);
    if (metricKeys.length)
      select.push(`(SELECT jsonb_object_agg(ms."key", jsonb_build_array(ms."last", ms."min", ms."max")) FROM "MetricSummary" ms
                     WHERE ms."runId" = r."id" AND ms."key" = ANY(${param(metricKeys)}::text[])) AS "metrics"`);
    const cells = columns.map((column, i) => {
      const name = `c${i}` as const;
      if (column.kind === "field") select.push(`${runFields[column.field]} AS "${name}"`);
      if (column.kind === "headline") {
        const metric = metricCatalog.headline.find((m) => m.key === column.key);
        select.push(`${metric ? headlineSql(param(metric.path)) : "NULL::float8"} AS "${name}"`);
      }
      return (stored: StoredRunCells): ExportCell => {
        if (column.kind === "param") return paramCell(stored.params?.[column.key]);
        if (column.kind === "metric") return statCell(stored.metrics?.[column.key]?.[statIndex[column.stat]]);
        return stored[name] ?? null;
      };
    });
    return {
      header: columns.map(columnHeader),
      sql: `SELECT ${select.length ? select.join(", ") : "1"} FROM "Run" r ${where} ORDER BY r."createdAt" DESC, r."id" DESC`,
      values,
      row: (stored) => cells.map((cell) => cell(stored)),
    };
  });
}

type StoredPoint = { runId: string; key: string; step: number; value: number; wallTime: Date };

/** Every point of a run's metric series (of `keys` only, when given), by key then step, at full resolution; 404 for no such run. */
export function exportMetricSeries(pool: pg.Pool, runId: string, keys?: readonly string[]): ExportRows {
  return throughCursor<StoredPoint>(pool, async (db) => {
    const { rowCount } = await db.query(`SELECT 1 FROM "Run" WHERE "id" = $1 AND "deletedAt" IS NULL`, [runId]);
    if (!rowCount) throw runNotFound(runId, "runId");
    return {
      header: ["run_id", "key", "step", "value", "wall_time"],
      sql: `SELECT "runId", "key", "step", "value", "wallTime" FROM "MetricPoint"
             WHERE "runId" = $1 ${keys?.length ? `AND "key" = ANY($2::text[])` : ""} ORDER BY "key", "step"`,
      values: keys?.length ? [runId, keys] : [runId],
      row: (p) => [p.runId, p.key, p.step, p.value, p.wallTime],
    };
  });
}

/**
 * A sweep's trials in number order: each trial's run and status, the value
 * of every searched param (blank where a trial's model family has no such
 * field), the sweep's objective and the highest rung it reached. A sweep has
 * at most a thousand trials, so they are read whole. 404 for no such sweep.
 */
export async function* exportSweepTrials(pool: pg.Pool, sweepId: string, metric: (config: unknown) => string): ExportRows {
  const sweep = await readSweep(pool, sweepId, metric);
  const searched = [...new Set(sweep.trials.flatMap((trial) => Object.keys(trial.trial ?? {})))].sort();
  yield [["trial", "run_id", "status", ...searched, `objective (${metric(sweep.config)})`, "rung"]];
  yield sweep.trials.map((trial) => [
    trial.number,
    trial.runId,
    trial.status,
    ...searched.map((key) => paramCell(trial.trial?.[key])),
    trial.objective,
    trial.rungs.length ? Math.max(...trial.rungs.map((rung) => rung.rung)) : null,
  ]);
}
