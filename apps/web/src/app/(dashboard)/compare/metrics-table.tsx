import Link from "next/link";
import { directionText, formatMetric } from "@/lib/metric-display";
import styles from "./compare.module.css";
import { type Comparison, hasHeadline, headlineRows, type ResultRow, runLabel, trackedRows } from "./types";
import type { WindowGroup } from "./window-check";
import { WindowWarning } from "./window-warning";

/** Which baseline each run's skill-vs-best is against: the best classical baseline of its own report. */
function BestBaselineRow({ runs }: { runs: Comparison["runs"] }) {
  const labels = runs.map((run) => run.resultSummary?.verdict?.bestLabel);
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

function Rows({ rows }: { rows: ResultRow[] }) {
  return rows.map((row) => {
    const { best } = row;
    return (
      <tr key={row.id} data-row={row.id}>
        <th scope="row">{row.label}</th>
        <td className="muted" title={directionText[row.direction].title}>
          {directionText[row.direction].text}
        </td>
        {row.values.map((value, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: one cell per compared run, in run order
          <td key={i} className={best.has(i) ? `num ${styles.best}` : "num"} data-best={best.has(i) || undefined}>
            {formatMetric(value, row.format)}
            {best.has(i) && (
              <span className={styles.bestMark} title="best of these runs">
                {" "}
                ★<span className="sr-only"> best</span>
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
  const tracked = trackedRows(comparison.metrics);
  const retrodiction = hasHeadline(runs) ? headlineRows(runs) : [];
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
