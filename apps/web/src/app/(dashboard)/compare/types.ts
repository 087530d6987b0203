import type { RouterOutputs } from "@hindcast/api";
import {
  bestIndexes,
  bestStat,
  type HeadlineMetric,
  type MetricCatalog,
  type MetricDirection,
  type MetricFormat,
  metricCatalog,
  metricEntry,
} from "@hindcast/contracts";

export type Comparison = RouterOutputs["compare"]["runs"];
export type ComparedRun = Comparison["runs"][number];

/** How a run is named in legends and table heads: its name with a short id (names repeat), or the short id. */
export const runLabel = (run: { id: string; name: string | null }) =>
  run.name ? `${run.name} · ${run.id.slice(0, 6)}` : run.id.slice(0, 8);

/** A param's value in the i-th compared run. */
export const paramOf = (comparison: Comparison, key: string, index: number): unknown =>
  key in comparison.differing ? comparison.differing[key]?.[index] : comparison.shared[key];

/** A headline value of a run, or null before the run has results (or, for skill vs best, before the classical baselines). */
export function headlineValue(run: Pick<ComparedRun, "resultSummary">, metric: HeadlineMetric): number | null {
  const summary = run.resultSummary;
  return summary && metric.pick(summary);
}

export const hasHeadline = (runs: Pick<ComparedRun, "resultSummary">[], catalog: MetricCatalog = metricCatalog) =>
  runs.some((run) => catalog.headline.some((metric) => headlineValue(run, metric) !== null));

/** A row of Compare's results table: one value per compared run, the best of them marked by the row's direction. */
export interface ResultRow {
  id: string;
  label: string;
  direction: MetricDirection;
  format: MetricFormat;
  values: (number | null)[];
  /** Indexes of the runs with the best value (none when the row has no direction, or every run ties). */
  best: Set<number>;
}

const resultRow = (row: Omit<ResultRow, "best">): ResultRow => ({ ...row, best: bestIndexes(row.direction, row.values) });

/** One row per headline metric of the catalog, over every window of each run. */
export function headlineRows(runs: Pick<ComparedRun, "resultSummary">[], catalog: MetricCatalog = metricCatalog): ResultRow[] {
  return catalog.headline.map((metric) =>
    resultRow({
      id: `headline:${metric.key}`,
      label: metric.label,
      direction: metric.direction,
      format: metric.format,
      values: runs.map((run) => headlineValue(run, metric)),
    }),
  );
}

/** Each tracked metric's last value, and its best when it has a better direction (the learning rate has none). */
export function trackedRows(metrics: Comparison["metrics"], catalog: MetricCatalog = metricCatalog): ResultRow[] {
  return Object.entries(metrics).flatMap(([key, perRun]) => {
    const entry = metricEntry(key, catalog);
    const direction = entry?.direction ?? "none";
    const best = bestStat(direction);
    const row = { direction, format: entry?.format ?? "number" };
    const last = resultRow({ ...row, id: `${key}:last`, label: `${key} · last`, values: perRun.map((s) => s?.last ?? null) });
    if (!best) return [last];
    return [last, resultRow({ ...row, id: `${key}:best`, label: `${key} · best (${best})`, values: perRun.map((s) => s?.[best] ?? null) })];
  });
}
