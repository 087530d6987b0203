import type { RunStatus } from "@hindcast/contracts";

export function StatusChip({ status }: { status: RunStatus }) {
  return (
    <span className={`chip chip-${status}`} data-testid="run-status">
      {status}
    </span>
  );
}

export function ProgressBar({ percent, big = false, label }: { percent: number; big?: boolean; label?: string }) {
  const value = Math.max(0, Math.min(100, percent));
  return (
    <div
      className={`progress${big ? " big" : ""}`}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(value)}
      aria-label={label ?? "progress"}
    >
      <div style={{ width: `${value}%` }} />
    </div>
  );
}
