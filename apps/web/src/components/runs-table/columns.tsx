import type { RouterOutputs } from "@hindcast/api";
import {
  bestStat,
  type HeadlineMetric,
  type MetricCatalog,
  type MetricDirection,
  metricCatalog,
  metricDirection,
  type RunSummary,
  trackedMetricKeys,
} from "@hindcast/contracts";
import Link from "next/link";
import type { ReactNode } from "react";
import { isActive } from "@/components/run/types";
import { ProgressBar, StatusChip } from "@/components/run-status";
import { formatDate, formatDuration, formatNumber, formatParam } from "@/lib/format";
import { directionText, formatMetric } from "@/lib/metric-display";
import { baselineRmse } from "@/lib/run-headline";
import styles from "./runs-table.module.css";
import type { RunsSort } from "./runs-view";
import { TrendCell } from "./trend-cell";

/** A row of the runs table, as training.list (and compare.rows) return it. */
export type RunRow = RouterOutputs["training"]["list"]["runs"][number];

/** The columns a user added: flattened param keys, metric keys, and the metric drawn as a sparkline. */
export interface ColumnChoice {
  params: string[];
  metrics: string[];
  trend?: string;
}

/** training.list returns at most this many metric summaries per run. */
export const maxMetricColumns = 20;
export const defaultColumnChoice: ColumnChoice = { params: [], metrics: [trackedMetricKeys.valLoss] };

export const sameColumnChoice = (a: ColumnChoice, b: ColumnChoice) =>
  a.trend === b.trend && a.params.join("\n") === b.params.join("\n") && a.metrics.join("\n") === b.metrics.join("\n");

export interface RunsColumn {
  id: string;
  header: string;
  /** Pixels; the table has a fixed layout so virtual rows never change its column widths. */
  width: number;
  numeric?: boolean;
  /** The sort a click on the header asks for (the direction is decided by the table). */
  sort?: Omit<RunsSort, "direction">;
  /** Which way the column's values are better, said in the header's tooltip. */
  better?: MetricDirection;
  cell: (run: RunRow, now: number) => ReactNode;
}

const text = (value: unknown) => formatParam(value);

/** The numbers a skill compares, for its cell's tooltip; other headline metrics are named by their label. */
const headlineDetails: Partial<Record<string, (summary: RunSummary) => string | undefined>> = {
  skill_vs_naive: (s) => `RMSE ${formatNumber(s.overall?.rmse)} vs naive ${formatNumber(s.baselines?.naiveRmse)}`,
  skill_vs_best: (s) =>
    s.verdict
      ? `best baseline: ${s.verdict.bestLabel} (RMSE ${formatNumber(s.overall?.rmse)} vs ${formatNumber(baselineRmse(s, s.verdict.best))})`
      : undefined,
};

/** A headline metric of the run's stored result; a skill above zero (the model beats that baseline) is marked as such. */
function HeadlineCell({ run, metric }: { run: RunRow; metric: HeadlineMetric }) {
  const summary = run.resultSummary;
  const value = summary && metric.pick(summary);
  if (summary === null || value === null) return null;
  const skillClass = value > 0 ? styles.skillBeats : styles.skillLoses;
  return (
    <span className={metric.format === "skill" ? skillClass : undefined} title={headlineDetails[metric.key]?.(summary) ?? metric.label}>
      {formatMetric(value, metric.format)}
    </span>
  );
}

function headlineColumn(metric: HeadlineMetric): RunsColumn {
  return {
    id: `headline:${metric.key}`,
    header: metric.short,
    width: Math.max(110, 8 * metric.short.length + 30),
    numeric: true,
    sort: { by: "headline", key: metric.key, stat: "last" },
    better: metric.direction,
    cell: (run) => <HeadlineCell run={run} metric={metric} />,
  };
}

function duration(run: RunRow, now: number): string {
  if (!run.startedAt) return "—";
  return formatDuration(((run.finishedAt?.getTime() ?? now) - run.startedAt.getTime()) / 1000);
}

const fixedColumns: RunsColumn[] = [
  {
    id: "name",
    header: "Name",
    width: 220,
    sort: { by: "name", stat: "last" },
    cell: (run) => (
      <>
        {run.archivedAt && <span className={`chip ${styles.archived}`}>archived</span>}
        <Link href={`/runs/${run.id}`} className={styles.nameLink} title={run.name ?? run.id}>
          {run.name ?? run.id.slice(0, 8)}
        </Link>
      </>
    ),
  },
  { id: "status", header: "Status", width: 120, sort: { by: "status", stat: "last" }, cell: (run) => <StatusChip status={run.status} /> },
  {
    id: "progress",
    header: "Progress",
    width: 150,
    cell: (run) =>
      isActive(run.status) ? (
        <span className={styles.progress}>
          <ProgressBar percent={run.percent} label={`progress of ${run.name ?? run.id}`} />
          <span className={styles.percent}>{Math.round(run.percent)}%</span>
        </span>
      ) : null,
  },
  { id: "model", header: "Model", width: 90, cell: (run) => text(run.params["model.kind"]) },
  {
    id: "data",
    header: "Dataset / target",
    width: 190,
    cell: (run) => {
      const data = `${text(run.params["data.dataset"])} / ${text(run.params["data.target"])}`;
      return <span title={data}>{data}</span>;
    },
  },
  { id: "created", header: "Created", width: 180, sort: { by: "createdAt", stat: "last" }, cell: (run) => formatDate(run.createdAt) },
  { id: "duration", header: "Duration", width: 90, numeric: true, cell: duration },
  {
    id: "tags",
    header: "Tags",
    width: 170,
    cell: (run) => (
      <span title={run.tags.join(", ")}>
        {run.tags.map((tag) => (
          <span key={tag} className={styles.tag}>
            {tag}
          </span>
        ))}
      </span>
    ),
  },
];

function paramColumn(key: string): RunsColumn {
  return { id: `param:${key}`, header: key, width: 130, cell: (run) => text(run.params[key]) };
}

/** A metric's last value, and its best (min or max by its direction) when it has a better direction. */
function metricColumns(key: string, catalog: MetricCatalog): RunsColumn[] {
  const better = metricDirection(key, catalog);
  const best = bestStat(better);
  const last: RunsColumn = {
    id: `metric:${key}:last`,
    header: `${key} (last)`,
    width: 130,
    numeric: true,
    sort: { by: "metric", key, stat: "last" },
    better,
    cell: (run) => formatNumber(run.metrics[key]?.last),
  };
  if (!best) return [last];
  return [
    last,
    {
      id: `metric:${key}:best`,
      header: `${key} (best)`,
      width: 130,
      numeric: true,
      sort: { by: "metric", key, stat: best },
      better,
      cell: (run) => formatNumber(run.metrics[key]?.[best]),
    },
  ];
}

function trendColumn(key: string): RunsColumn {
  return { id: `trend:${key}`, header: `${key} trend`, width: 140, cell: (run) => <TrendCell run={run} metric={key} /> };
}

/**
 * The runs table's columns: the trend and the catalog's brief headline
 * metrics next to the progress bar, where they are seen without scrolling
 * sideways; then the fixed ones and the chosen params and metrics.
 */
export function runsColumns(choice: ColumnChoice, catalog: MetricCatalog = metricCatalog): RunsColumn[] {
  const at = fixedColumns.findIndex((column) => column.id === "progress") + 1;
  const trend = choice.trend ? [trendColumn(choice.trend)] : [];
  const headline = catalog.headline.filter((metric) => metric.brief).map(headlineColumn);
  return [
    ...fixedColumns.slice(0, at),
    ...trend,
    ...headline,
    ...fixedColumns.slice(at),
    ...choice.params.map(paramColumn),
    ...choice.metrics.flatMap((key) => metricColumns(key, catalog)),
  ];
}

/** The header's tooltip: the column's direction, when it has one. */
export const columnTitle = (column: RunsColumn): string | undefined =>
  column.better && column.better !== "none" ? `${column.header}: ${directionText[column.better].title}` : undefined;

export function isSortedBy(column: RunsColumn, sort: RunsSort): boolean {
  if (column.sort?.by !== sort.by) return false;
  if (sort.by === "headline") return column.sort.key === sort.key;
  return sort.by !== "metric" || (column.sort.key === sort.key && column.sort.stat === sort.stat);
}
