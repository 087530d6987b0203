import Link from "next/link";
import { StatusChip } from "@/components/run-status";
import { ScrollRegion } from "@/components/scroll-region";
import { formatDuration, formatNumber, formatParam } from "@/lib/format";
import styles from "./sweeps.module.css";
import { formatObjective, type SweepDetail, type SweepTrial, searchedPaths } from "./types";

/** The last rung a trial reached: its epoch, validation loss, and whether ASHA let it go on. */
function RungReached({ trial }: { trial: SweepTrial }) {
  const rung = trial.rungs.at(-1);
  if (!rung) return <>—</>;
  return (
    <span title={`rung ${rung.rung + 1} of ASHA at epoch ${rung.epoch}: validation loss ${formatNumber(rung.value)}`}>
      epoch {rung.epoch} ({formatNumber(rung.value)}){" "}
      <span className={rung.promoted ? styles.promoted : styles.stopped}>{rung.promoted ? "went on" : "stopped"}</span>
    </span>
  );
}

const seconds = (trial: SweepTrial) =>
  trial.startedAt ? ((trial.finishedAt ?? new Date()).getTime() - trial.startedAt.getTime()) / 1000 : null;

/** Every trial: its values, how it ended, its objective and the rung it reached; each links to its run. */
export function TrialTable({ sweep }: { sweep: SweepDetail }) {
  const paths = searchedPaths(sweep);
  const metric = sweep.spec?.metric ?? "objective";
  return (
    <section className="card" aria-labelledby="trials-title">
      <h2 id="trials-title">Trials</h2>
      {sweep.trials.length === 0 ? (
        <p className="muted">The first trials are being queued.</p>
      ) : (
        <ScrollRegion label="Trials table">
          <table data-testid="trial-table">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>Run</th>
                <th>Status</th>
                {paths.map((path) => (
                  <th key={path}>{path}</th>
                ))}
                <th className="num">{metric}</th>
                <th>Rung reached</th>
                <th className="num">Time</th>
                <th>Why it ended</th>
              </tr>
            </thead>
            <tbody>
              {sweep.trials.map((trial) => (
                <tr key={trial.runId} data-trial={trial.number} data-best={trial.runId === sweep.bestRunId || undefined}>
                  <td className="num">{trial.number}</td>
                  <td>
                    <Link href={`/runs/${trial.runId}`}>{trial.name ?? trial.runId.slice(0, 8)}</Link>
                    {trial.runId === sweep.bestRunId && <span className={styles.bestMark}> ★ best</span>}
                  </td>
                  <td>
                    <StatusChip status={trial.status} />
                  </td>
                  {paths.map((path) => (
                    <td key={path}>{trial.trial && path in trial.trial ? formatParam(trial.trial[path]) : "—"}</td>
                  ))}
                  <td className="num">{formatObjective(metric, trial.objective)}</td>
                  <td>
                    <RungReached trial={trial} />
                  </td>
                  <td className="num">{formatDuration(seconds(trial))}</td>
                  <td className={styles.message}>{trial.status === "SUCCEEDED" ? "" : (trial.message ?? "")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
