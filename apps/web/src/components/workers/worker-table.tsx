import type { RouterOutputs } from "@hindcast/api";
import Link from "next/link";
import { ScrollRegion } from "@/components/scroll-region";
import { formatDate, formatDuration } from "@/lib/format";
import { GpuCell, LoadCell, MemoryCell } from "./worker-load";
import styles from "./workers.module.css";

export type Worker = RouterOutputs["workers"]["list"][number];

/**
 * Heartbeats come every 2 s by default and a worker silent for 10 s is
 * reaped as dead (apps/worker config): past this age a live one is worth a look.
 */
const staleAfterSeconds = 6;

export const isStale = (w: Worker) => (w.status === "ONLINE" || w.status === "DRAINING") && w.heartbeatAgeSeconds > staleAfterSeconds;

function Capabilities({ worker }: { worker: Worker }) {
  const { notes = [], rejected = [], tasks = [] } = worker.capabilities;
  return (
    <div className={styles.capabilities}>
      {notes.length > 0 && (
        <ul aria-label="backend notes">
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {rejected.length > 0 && (
        <details>
          <summary>
            {rejected.length} better backend{rejected.length === 1 ? "" : "s"} rejected: {rejected.map((r) => r.backend).join(", ")}
          </summary>
          <ul>
            {rejected.map((r) => (
              <li key={r.backend}>
                <strong>{r.backend}</strong>: {r.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {tasks.length > 0 && <div className="muted">takes {tasks.join(", ")}</div>}
    </div>
  );
}

export function WorkerTable({ workers }: { workers: Worker[] }) {
  return (
    <ScrollRegion label="Workers">
      <table className={styles.table} data-testid="worker-table">
        <thead>
          <tr>
            <th>Worker</th>
            <th>Status</th>
            <th>Backend</th>
            <th>CPU / load</th>
            <th>Memory</th>
            <th>GPU</th>
            <th>Capabilities</th>
            <th className="num">Runs / slots</th>
            <th className="num">Heartbeat</th>
          </tr>
        </thead>
        <tbody>
          {workers.map((w) => (
            <tr key={w.id} data-worker={w.id}>
              <td>
                <div>
                  {w.hostname}:{w.pid}
                </div>
                <div className="muted" title={`worker ${w.id}, started ${formatDate(w.startedAt)}`}>
                  {w.id.slice(0, 8)} · up {formatDuration((Date.now() - w.startedAt.getTime()) / 1000)}
                </div>
              </td>
              <td>
                <span className={`chip ${styles.status} ${styles[w.status] ?? ""}`}>{w.status}</span>
                {w.exitReason && (
                  <div className="muted" data-testid="worker-exit-reason">
                    {w.exitReason}
                  </div>
                )}
              </td>
              <td data-testid="worker-backend">{w.backend}</td>
              <td>
                <LoadCell load={w.load} />
              </td>
              <td>
                <MemoryCell load={w.load} />
              </td>
              <td>
                <GpuCell worker={w} />
              </td>
              <td>
                <Capabilities worker={w} />
              </td>
              <td className="num">
                <div>
                  {w.runIds.length} / {w.concurrency}
                </div>
                <div className={styles.runs}>
                  {w.runIds.length === 0 ? (
                    <span className="muted">idle</span>
                  ) : (
                    w.runIds.map((id) => (
                      <Link key={id} href={`/runs/${id}`}>
                        {id.slice(0, 8)}
                      </Link>
                    ))
                  )}
                </div>
              </td>
              <td className="num">
                {isStale(w) ? (
                  <span className={styles.stale} title={`no heartbeat for ${formatDuration(w.heartbeatAgeSeconds)}`}>
                    ⚠ {formatDuration(w.heartbeatAgeSeconds)} ago
                  </span>
                ) : (
                  `${formatDuration(w.heartbeatAgeSeconds)} ago`
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
