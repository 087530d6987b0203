import type { RouterOutputs } from "@hindcast/api";
import { type MetricCatalog, metricCatalog, metricDirection, type RunSummary } from "@hindcast/contracts";
import { baselineNames, baselineTitles } from "@hindcast/models/baseline-names";
import { betterText, formatMetric, precision } from "./summary";
import { type Column, table } from "./table";

type ListedRun = RouterOutputs["training"]["list"]["runs"][number];
type Comparison = RouterOutputs["compare"]["runs"];

/** The stat of the retrodiction's rows: numbers over every window of the run, as `train list` shows them. */
const allWindows = "all windows";
const metricStats = ["last", "min", "max"] as const;

const cell = (value: unknown): string =>
  value === null || value === undefined ? "-" : typeof value === "string" ? value : JSON.stringify(value);

/** `train list`'s table: each run with the catalog's brief headline metrics of its result. */
export function runsListTable(runs: readonly ListedRun[], catalog: MetricCatalog = metricCatalog, sortedBy?: string): string {
  // The brief headline metrics, and the one the list is sorted by when it is not among them.
  const headline = catalog.headline.filter((metric) => metric.brief || metric.key === sortedBy);
  const rows = runs.map((run) => {
    const summary = run.resultSummary;
    return [
      run.id,
      String(run.status),
      `${Number(run.percent).toFixed(0)}%`,
      ...headline.map((metric) => formatMetric(summary && metric.pick(summary), metric.format)),
      run.pipeline,
      run.name ?? "",
    ];
  });
  const columns: Column[] = [
    { header: "id" },
    { header: "status" },
    { header: "done", align: "right" },
    ...headline.map((metric) => ({ header: metric.short, align: "right" as const })),
    { header: "pipeline" },
    { header: "name" },
  ];
  return table(columns, rows);
}

/**
 * `train compare`'s table (metric | stat | better | one column per run): the
 * run names and the parameters that differ, every headline metric of the
 * catalog and the classical baselines, and last, min and max of every metric;
 * "better" says which way each metric is better ("-" where none is).
 */
export function compareTable(comparison: Comparison, catalog: MetricCatalog = metricCatalog): string {
  const summaries: (RunSummary | null)[] = comparison.runs.map((run) => run.resultSummary);
  // "-" where a run has no retrodiction result, or stored one before a baseline existed.
  const rows: string[][] = [
    ["name", "run", "", ...comparison.runs.map((run) => cell(run.name))],
    ...Object.entries(comparison.differing).map(([key, values]) => [key, "param", "", ...values.map(cell)]),
    ...catalog.headline.map((metric) => [
      metric.label,
      allWindows,
      betterText[metric.direction],
      ...summaries.map((summary) => formatMetric(summary && metric.pick(summary), metric.format)),
    ]),
    ["best baseline", allWindows, "", ...summaries.map((summary) => cell(summary?.verdict?.bestLabel))],
    ...baselineNames.map((name) => [
      `${baselineTitles[name]} RMSE`,
      allWindows,
      "",
      ...summaries.map((summary) => precision(summary?.baselines?.[`${name}Rmse`])),
    ]),
    ...Object.entries(comparison.metrics).flatMap(([key, values]) =>
      metricStats.map((stat) => [key, stat, betterText[metricDirection(key, catalog)], ...values.map((v) => precision(v?.[stat]))]),
    ),
  ];
  const columns: Column[] = [
    { header: "metric" },
    { header: "stat" },
    { header: "better" },
    ...comparison.runs.map((run) => ({ header: run.id.slice(0, 8), maxWidth: 36 })),
  ];
  return table(columns, rows);
}
