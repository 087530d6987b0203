import Link from "next/link";
import { formatNumber, formatSkill } from "@/lib/format";
import { bestIndexes, bestStat, type MetricDirection, metricDirection } from "@/lib/metric-direction";
import { storedHeadline } from "@/lib/run-headline";
import styles from "./compare.module.css";
import { type Comparison, hasHeadline, headlineRows, headlineValue, isSkillKey, runLabel } from "./types";
import type { WindowGroup } from "./window-check";
import { WindowWarning } from "./window-warning";

interface Row {
  id: string;
  label: string;
  /** The key whose direction decides the best run. */
  directionKey: string;
  values: (number | null)[];
  format?: (value: number | null) => string;
}

/** Each metric's last value, and its best when it has a better direction (the learning rate has none). */
function metricRows(comparison: Comparison): Row[] {
  return Object.entries(comparison.metrics).flatMap(([key, perRun]) => {
    const best = bestStat(key);
    const last = { id: `${key}:last`, label: `${key} · last`, directionKey: key, values: perRun.map((s) => s?.last ?? null) };
    if (!best) return [last];
    return [last, { id: `${key}:best`, label: `${key} · best (${best})`, directionKey: key, values: perRun.map((s) => s?.[best] ?? null) }];
  });
}

const directionText: Record<MetricDirection, { text: string; title: string }> = {
  lower: { text: "lower", title: "smaller values are better" },
  higher: { text: "higher", title: "larger values are better" },
  none: { text: "—", title: "no value is better than another: no run is starred" },
};

function headline(comparison: Comparison): Row[] {
  return headlineRows.map((row) => ({
    id: `headline:${row.key}`,
    label: row.label,
    directionKey: row.key,
    values: comparison.runs.map((run) => headlineValue(run, row.key)),
    format: isSkillKey(row.key) ? formatSkill : undefined,
  }));
}

/** Which baseline each run's skill-vs-best is against: the best classical baseline of its own report. */
function BestBaselineRow({ runs }: { runs: Comparison["runs"] }) {
  const labels = runs.map((run) => storedHeadline(run.resultSummary).verdict?.bestLabel);
  if (labels.every((label) => !label)) return null;
  return (
    <tr data-row="headline:best_baseline">
      <th scope="row">Best baseline</th>
      <td className="muted">—</td>
      {runs.map((run, i) => (
        <td key={run.id} className="num">
          {labels[i] ?? "—"}
        </td>
      ))}
    </tr>
  );
}

function Rows({ rows }: { rows: Row[] }) {
  return rows.map((row) => {
    const best = bestIndexes(row.directionKey, row.values);
    return (
      <tr key={row.id} data-row={row.id}>
        <th scope="row">{row.label}</th>
        <td className="muted" title={directionText[metricDirection(row.directionKey)].title}>
          {directionText[metricDirection(row.directionKey)].text}
        </td>
        {row.values.map((value, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: one cell per compared run, in run order
          <td key={i} className={best.has(i) ? `num ${styles.best}` : "num"} data-best={best.has(i) || undefined}>
            {(row.format ?? formatNumber)(value)}
            {best.has(i) && (
              <span className={styles.bestMark} title="best of these runs">
                {" "}
                ★<span className={styles.srOnly}> best</span>
              </span>
            )}
          </td>
        ))}
      </tr>
    );
  });
}

/**
 * Last and best of every metric per run, and the retrodiction headline, with
 * the best run of each row marked; a warning first when the runs were scored
 * on different retrodiction windows.
 */
export function MetricsTable({ comparison, windowGroups }: { comparison: Comparison; windowGroups: WindowGroup[] }) {
  const { runs } = comparison;
  const tracked = metricRows(comparison);
  const retrodiction = hasHeadline(runs) ? headline(comparison) : [];
  return (
    <section className="card" aria-labelledby="metric-table-title">
      <h2 id="metric-table-title">Results</h2>
      <WindowWarning runs={runs} groups={windowGroups} />
      {tracked.length === 0 && retrodiction.length === 0 ? (
        <p className="muted">No metrics or results yet.</p>
      ) : (
        <div className={styles.tableScroll}>
          <table data-testid="metrics-table">
            <thead>
              <tr>
                <th scope="col">Metric</th>
                <th scope="col">Better</th>
                {runs.map((run) => (
                  <th key={run.id} scope="col" className="num">
                    <Link href={`/runs/${run.id}`}>{runLabel(run)}</Link>
                  </th>
                ))}
              </tr>
            </thead>
            {retrodiction.length > 0 && (
              <tbody>
                <tr className={styles.group}>
                  <th scope="rowgroup" colSpan={runs.length + 2}>
                    Retrodiction (each run over all its windows{windowGroups.length ? "; the windows differ, see above" : ""})
                  </th>
                </tr>
                <Rows rows={retrodiction} />
                <BestBaselineRow runs={runs} />
              </tbody>
            )}
            {tracked.length > 0 && (
              <tbody>
                <tr className={styles.group}>
                  <th scope="rowgroup" colSpan={runs.length + 2}>
                    Tracked metrics
                  </th>
                </tr>
                <Rows rows={tracked} />
              </tbody>
            )}
          </table>
        </div>
      )}
    </section>
  );
}
