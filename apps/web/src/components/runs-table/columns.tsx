import type { AppRouter } from "@hindcast/api";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import type { ReactNode } from "react";
import { isActive } from "@/components/run/types";
import { ProgressBar, StatusChip } from "@/components/run-status";
import { formatDate, formatDuration, formatNumber, formatParam, formatSkill } from "@/lib/format";
import { bestStat } from "@/lib/metric-direction";
import { baselineRmse, storedHeadline } from "@/lib/run-headline";
import styles from "./runs-table.module.css";
import type { RunsSort } from "./runs-view";
import { TrendCell } from "./trend-cell";

/** A row of the runs table, as training.list (and compare.rows) return it. */
export type RunRow = inferRouterOutputs<AppRouter>["training"]["list"]["runs"][number];

/** The columns a user added: flattened param keys, metric keys, and the metric drawn as a sparkline. */
export interface ColumnChoice {
  params: string[];
  metrics: string[];
  trend?: string;
}

/** training.list returns at most this many metric summaries per run. */
export const maxMetricColumns = 20;
export const defaultColumnChoice: ColumnChoice = { params: [], metrics: ["val_loss"] };

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
  cell: (run: RunRow, now: number) => ReactNode;
}

const text = (value: unknown) => formatParam(value);

/** The retrodiction's RMSE skill against repeating the last value: above zero the model beats the naive forecast. */
function NaiveSkill({ run }: { run: RunRow }) {
  const { overall, baselines } = storedHeadline(run.resultSummary);
  const skill = overall?.skill?.rmseVsNaive;
  if (typeof skill !== "number") return null;
  const title = `RMSE ${formatNumber(overall?.rmse)} vs naive ${formatNumber(baselines?.naiveRmse)}`;
  return (
    <span className={skill > 0 ? styles.skillBeats : styles.skillLoses} title={title}>
      {formatSkill(skill)}
    </span>
  );
}

/** The skill against the run's best classical baseline (its verdict), named in the tooltip; none for runs from before those baselines. */
function BestSkill({ run }: { run: RunRow }) {
  const headline = storedHeadline(run.resultSummary);
  const verdict = headline.verdict;
  if (!verdict) return null;
  const title = `best baseline: ${verdict.bestLabel} (RMSE ${formatNumber(headline.overall?.rmse)} vs ${formatNumber(baselineRmse(headline, verdict.best))})`;
  return (
    <span className={verdict.beatsAll ? styles.skillBeats : styles.skillLoses} title={title} data-best={verdict.best}>
      {formatSkill(verdict.skillVsBest)}
    </span>
  );
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
      <Link href={`/runs/${run.id}`} className={styles.nameLink} title={run.name ?? run.id}>
        {run.name ?? run.id.slice(0, 8)}
      </Link>
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
  {
    id: "skillVsBest",
    header: "Skill vs best baseline",
    width: 170,
    numeric: true,
    sort: { by: "skillVsBest", stat: "last" },
    cell: (run) => <BestSkill run={run} />,
  },
  {
    id: "skill",
    header: "Skill vs naive",
    width: 120,
    numeric: true,
    sort: { by: "skill", stat: "last" },
    cell: (run) => <NaiveSkill run={run} />,
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
function metricColumns(key: string): RunsColumn[] {
  const best = bestStat(key);
  const last: RunsColumn = {
    id: `metric:${key}:last`,
    header: `${key} (last)`,
    width: 130,
    numeric: true,
    sort: { by: "metric", key, stat: "last" },
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
      cell: (run) => formatNumber(run.metrics[key]?.[best]),
    },
  ];
}

function trendColumn(key: string): RunsColumn {
  return { id: `trend:${key}`, header: `${key} trend`, width: 140, cell: (run) => <TrendCell run={run} metric={key} /> };
}

/** The trend goes next to the progress bar, where it is seen without scrolling sideways. */
export function runsColumns(choice: ColumnChoice): RunsColumn[] {
  const at = fixedColumns.findIndex((column) => column.id === "progress") + 1;
  const trend = choice.trend ? [trendColumn(choice.trend)] : [];
  return [
    ...fixedColumns.slice(0, at),
    ...trend,
    ...fixedColumns.slice(at),
    ...choice.params.map(paramColumn),
    ...choice.metrics.flatMap(metricColumns),
  ];
}

export const isSortedBy = (column: RunsColumn, sort: RunsSort) =>
  column.sort !== undefined &&
  column.sort.by === sort.by &&
  (sort.by !== "metric" || (column.sort.key === sort.key && column.sort.stat === sort.stat));
