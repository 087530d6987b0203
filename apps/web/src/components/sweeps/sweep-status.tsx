import type { RunStatus } from "@hindcast/contracts";
import styles from "./sweeps.module.css";
import type { SweepStatus } from "./types";

/** A sweep's status, in the colours of the run statuses it shares names with. */
export function SweepStatusChip({ status }: { status: SweepStatus }) {
  return (
    <span className={`chip chip-${status}`} data-testid="sweep-status">
      {status}
    </span>
  );
}

/** The order trial counts are read in: what is still to come first, then how trials ended. */
const countOrder: RunStatus[] = ["QUEUED", "RUNNING", "CANCELLING", "SUCCEEDED", "STOPPED", "FAILED", "CANCELLED"];

/** Trials by status, e.g. "2 running · 3 succeeded · 1 stopped"; each count in its status' colour. */
export function TrialCounts({ counts }: { counts: Partial<Record<RunStatus, number>> }) {
  const shown = countOrder.filter((status) => (counts[status] ?? 0) > 0);
  if (shown.length === 0) return <span className="muted">no trials yet</span>;
  return (
    <ul className={styles.counts} aria-label="Trials by status">
      {shown.map((status) => (
        <li key={status} className={`chip-${status}`} data-status={status}>
          {counts[status]} {status.toLowerCase()}
        </li>
      ))}
    </ul>
  );
}
