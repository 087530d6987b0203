import { formatShare, formatTenths } from "@/lib/format";
import type { Worker } from "./worker-table";
import styles from "./workers.module.css";

type Load = NonNullable<Worker["load"]>;

const gigabytes = (mb: number) => `${formatTenths(mb / 1024)} GB`;

/** A 0..100 bar in the page's progress style, busy past 90 %; the text beside it carries the number. */
function UsageBar({ percent }: { percent: number }) {
  const clamped = Math.min(100, Math.max(0, percent));
  return (
    <div className={`progress ${styles.usage}`} aria-hidden>
      <div className={clamped > 90 ? styles.busy : undefined} style={{ width: `${clamped}%` }} />
    </div>
  );
}

const noReport = <span className="muted">—</span>;

/** CPU use of the worker's machine over all cores, and its load averages. */
export function LoadCell({ load }: { load: Load | null }) {
  if (!load) return noReport;
  const [one, five, fifteen] = load.loadAverage;
  return (
    <div className={styles.load} data-testid="worker-cpu">
      <span>CPU {formatShare(load.cpuPercent / 100)}</span>
      <UsageBar percent={load.cpuPercent} />
      <span className="muted" title="load average over 1, 5 and 15 minutes">
        load {formatTenths(one)} · {formatTenths(five)} · {formatTenths(fifteen)}
      </span>
    </div>
  );
}

export function MemoryCell({ load }: { load: Load | null }) {
  if (!load) return noReport;
  const percent = load.memoryTotalMb > 0 ? (load.memoryUsedMb / load.memoryTotalMb) * 100 : 0;
  return (
    <div className={styles.load} data-testid="worker-memory">
      <span>
        {gigabytes(load.memoryUsedMb)} of {gigabytes(load.memoryTotalMb)}
      </span>
      <UsageBar percent={percent} />
    </div>
  );
}

/** Each GPU's utilisation and memory; "no GPU" when the machine reports none. */
export function GpuCell({ worker }: { worker: Worker }) {
  const gpus = worker.load?.gpus ?? [];
  if (gpus.length === 0) return <span className="muted">{worker.capabilities.gpu ? "GPU (no figures)" : "no GPU"}</span>;
  return (
    <div className={styles.load} data-testid="worker-gpu">
      {gpus.map((gpu) => (
        <div key={gpu.index}>
          <span>
            GPU {gpu.index}: {formatShare(gpu.utilizationPercent / 100)} · {gigabytes(gpu.memoryUsedMb)} of {gigabytes(gpu.memoryTotalMb)}
          </span>
          <UsageBar percent={gpu.utilizationPercent} />
        </div>
      ))}
    </div>
  );
}
