import { ProgressBar } from "@/components/run-status";
import { formatDuration, formatNumber } from "@/lib/format";
import { FactList } from "./fact-list";
import styles from "./run.module.css";
import { isActive, type RunDetail } from "./types";

/** The run's progress as the worker reports it: phase, "Epoch a/b · Batch c/d", ETA and throughput. */
export function LiveProgress({ run }: { run: RunDetail }) {
  const active = isActive(run.status);
  const stats: [string, string][] = [
    ["ETA", active ? formatDuration(run.etaSeconds) : "—"],
    ["Samples/s", formatNumber(run.samplesPerSecond)],
    ["Step", run.totalSteps ? `${run.step} / ${run.totalSteps}` : String(run.step)],
    ["Items", run.itemsTotal ? `${run.itemsDone} / ${run.itemsTotal}` : String(run.itemsDone)],
  ];
  return (
    <section className="card" aria-labelledby="progress-title">
      <div className={styles.progressHead}>
        <h2 id="progress-title">Progress{run.phase && <span className={styles.phase}>{run.phase}</span>}</h2>
        <strong className={styles.percent}>{Math.round(run.percent)}%</strong>
      </div>
      <ProgressBar percent={run.percent} big label="Run progress" />
      <p className={styles.progressMessage} data-testid="progress-message">
        {run.message ?? (run.status === "QUEUED" ? "Waiting for a worker" : "—")}
      </p>
      <FactList facts={stats} />
    </section>
  );
}
