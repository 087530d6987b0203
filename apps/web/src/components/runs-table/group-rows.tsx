"use client";
import type { RouterInputs, RouterOutputs } from "@hindcast/api";
import { bestIndexes, type MetricFormat, metricEntry } from "@hindcast/contracts";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Fragment, useMemo, useState } from "react";
import { GroupChart } from "@/components/group-chart";
import { errorMessage } from "@/lib/errors";
import { formatCount, formatParam } from "@/lib/format";
import { formatMetric } from "@/lib/metric-display";
import { toggled } from "@/lib/toggled";
import { useTRPC } from "@/lib/trpc";
import { columnTitle, type RunsColumn } from "./columns";
import { groupByLabel } from "./group-by-field";
import styles from "./group-rows.module.css";
// The runs table's own summary line, hint and empty state.
import tableStyles from "./runs-table.module.css";
import type { ListRunsQuery } from "./runs-view";

type Group = RouterOutputs["groups"]["list"]["groups"][number];
type GroupStats = Group["metrics"][number];
type GroupMetric = RouterInputs["groups"]["list"]["metrics"] extends (infer M)[] | undefined ? M : never;

/** A group chart and member list read this many of the group's runs. */
const membersShown = 50;

/** A metric column of the runs table as what a group row summarises: a headline metric of the runs' results, or a stat of a tracked metric. */
interface SummaryColumn {
  column: RunsColumn;
  metric: GroupMetric;
  format: MetricFormat;
}

function summaryColumns(columns: readonly RunsColumn[]): SummaryColumn[] {
  return columns.flatMap((column): SummaryColumn[] => {
    const { sort } = column;
    if (!sort?.key || (sort.by !== "headline" && sort.by !== "metric")) return [];
    const metric: GroupMetric =
      sort.by === "headline" ? { source: "headline", key: sort.key } : { source: "metric", key: sort.key, stat: sort.stat };
    return [{ column, metric, format: metricEntry(sort.key)?.format ?? "number" }];
  });
}

const groupLabel = (value: unknown) => (value === null ? "(none)" : formatParam(value));
const groupKey = (group: Group) => JSON.stringify(group.value);

/** Mean ± std, then min – max and the best; a spread of a skill or share is in percentage points. */
function StatsCell({ stats, format, bestMean }: { stats: GroupStats; format: MetricFormat; bestMean: boolean }) {
  if (stats.count === 0) return <span className="muted">—</span>;
  const spread = format === "skill" || format === "share" ? "share" : "number";
  return (
    <span title={`${stats.count} run${stats.count === 1 ? "" : "s"} with a value: mean ± sample std; min – max; best`}>
      <span className={bestMean ? styles.bestMean : undefined}>{formatMetric(stats.mean, format)}</span>
      {stats.std !== null && <span className={styles.std}> ± {formatMetric(stats.std, spread)}</span>}
      <span className={styles.range}>
        {formatMetric(stats.min, format)} – {formatMetric(stats.max, format)}
        {stats.best !== null && ` · best ${formatMetric(stats.best, format)}`}
      </span>
    </span>
  );
}

/** The runs of one group (its newest first, at most membersShown) in the runs table's own columns. */
function GroupMembers({ query, columns }: { query: ListRunsQuery; columns: RunsColumn[] }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.training.list.queryOptions({ ...query, limit: membersShown }));
  const now = Date.now();
  if (list.error) return <p className="banner-error">{errorMessage(list.error)}</p>;
  return (
    <div className={styles.members}>
      <table className={styles.memberTable} style={{ width: columns.reduce((sum, column) => sum + column.width, 0) }}>
        <colgroup>
          {columns.map((column) => (
            <col key={column.id} style={{ width: column.width }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.id} scope="col" className={column.numeric ? "num" : undefined} title={columnTitle(column)}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {list.data?.runs.map((run) => (
            <tr key={run.id} data-run-id={run.id}>
              {columns.map((column) => (
                <td key={column.id} className={column.numeric ? "num" : undefined} data-column={column.id}>
                  {column.cell(run, now)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {list.data?.nextCursor && <p className="muted">The newest {membersShown} runs; show this group alone to list them all.</p>}
    </div>
  );
}

export interface RunGroupsProps {
  /** The runs list's query: its filters choose the runs grouped, its sort and metrics the members'. */
  query: ListRunsQuery;
  groupBy: string;
  columns: RunsColumn[];
  /** Whether the view shows one group alone: it is open at once. */
  alone: boolean;
  /** Shows one group alone (its value), or every group again (undefined). */
  onAlone: (value: unknown) => void;
}

/**
 * The runs table grouped: a row per group with its run count and, for each
 * metric column of the table, the mean ± std, min – max and best over its
 * runs (computed by the API in one pass); a group opens to its runs and a
 * chart of their mean with a band.
 */
export function RunGroups({ query, groupBy, columns, alone, onAlone }: RunGroupsProps) {
  const trpc = useTRPC();
  const { sort: _, metricKeys: __, limit: ___, ...filters } = query;
  const summarised = useMemo(() => summaryColumns(columns), [columns]);
  const groups = useQuery(
    trpc.groups.list.queryOptions({ ...filters, groupBy, metrics: summarised.map((s) => s.metric) }, { placeholderData: keepPreviousData }),
  );
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const rows = groups.data?.groups ?? [];
  const bestMeans = useMemo(
    () =>
      summarised.map((s, i) =>
        bestIndexes(
          s.column.better ?? "none",
          rows.map((group) => group.metrics[i]?.mean),
        ),
      ),
    [summarised, rows],
  );
  const label = groupByLabel(groupBy);

  if (groups.error) return <p className="banner-error">{errorMessage(groups.error)}</p>;
  if (groups.isSuccess && rows.length === 0) return <div className={tableStyles.empty}>No runs match these filters.</div>;
  const width = 260 + 80 + summarised.length * 190;
  return (
    <>
      <p className={tableStyles.summary} aria-live="polite">
        {groups.isPending
          ? "Loading groups…"
          : `${formatCount(rows.length)} group${rows.length === 1 ? "" : "s"} by ${label}${groups.data?.more ? " (the largest)" : ""}`}
        {groups.isFetching && !groups.isPending ? " · refreshing…" : ""}
      </p>
      <section className={styles.scroller} aria-label={`Runs grouped by ${label}`} data-testid="run-groups">
        <table className={styles.table} style={{ width }}>
          <colgroup>
            <col style={{ width: 260 }} />
            <col style={{ width: 80 }} />
            {summarised.map((s) => (
              <col key={s.column.id} style={{ width: 190 }} />
            ))}
          </colgroup>
          <thead>
            <tr>
              <th scope="col">{label}</th>
              <th scope="col" className="num">
                Runs
              </th>
              {summarised.map((s) => (
                <th key={s.column.id} scope="col" className="num" title={columnTitle(s.column)}>
                  {s.column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((group) => {
              const key = groupKey(group);
              const expanded = alone || open.has(key);
              const name = groupLabel(group.value);
              return (
                <Fragment key={key}>
                  <tr data-group={key} className={expanded ? styles.openRow : undefined}>
                    <th scope="row">
                      <button
                        type="button"
                        className={styles.toggle}
                        aria-expanded={expanded}
                        disabled={alone}
                        onClick={() => setOpen((current) => toggled(current, key))}
                        title={`${expanded ? "Hide" : "Show"} the runs of ${name}`}
                      >
                        <span aria-hidden="true">{expanded ? "▾ " : "▸ "}</span>
                        {name}
                      </button>
                    </th>
                    <td className="num" data-column="count">
                      {formatCount(group.count)}
                    </td>
                    {summarised.map((s, i) => (
                      <td key={s.column.id} className="num" data-column={s.column.id}>
                        {group.metrics[i] && (
                          <StatsCell
                            stats={group.metrics[i]}
                            format={s.format}
                            bestMean={bestMeans[i]?.has(rows.indexOf(group)) ?? false}
                          />
                        )}
                      </td>
                    ))}
                  </tr>
                  {expanded && (
                    <tr className={styles.detailRow}>
                      <td colSpan={summarised.length + 2}>
                        <div className={styles.detail}>
                          <div className={styles.detailBar}>
                            <strong>
                              {label}: {name}
                            </strong>
                            <span className="muted">{formatCount(group.count)} runs</span>
                            <button type="button" onClick={() => onAlone(alone ? undefined : group.value)}>
                              {alone ? "Show every group" : "Only this group"}
                            </button>
                          </div>
                          <GroupChart
                            query={{ ...filters, group: { by: groupBy, value: group.value as never } }}
                            runCount={group.count}
                            title={`${label}: ${name}`}
                          />
                          <GroupMembers query={{ ...query, group: { by: groupBy, value: group.value as never } }} columns={columns} />
                        </div>
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </section>
      <p className={tableStyles.hint}>
        Each cell: mean ± sample std over the group&apos;s runs, then min – max and the best; the best mean is bold.
      </p>
    </>
  );
}
