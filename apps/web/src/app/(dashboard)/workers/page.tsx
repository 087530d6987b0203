"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorBanner } from "@/components/error-banner";
import { isStale, WorkerTable } from "@/components/workers/worker-table";
import styles from "@/components/workers/workers.module.css";
import { formatDuration } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";

const refreshMs = 3_000;
/** A worker that died within this long is named above the table, though the table hides dead workers. */
const recentDeathSeconds = 3_600;

export default function WorkersPage() {
  const trpc = useTRPC();
  const [showGone, setShowGone] = useState(false);
  const workers = useQuery(trpc.workers.list.queryOptions(undefined, { refetchInterval: refreshMs, staleTime: 0 }));
  const all = workers.data ?? [];
  const live = all.filter((w) => w.status === "ONLINE" || w.status === "DRAINING");
  const shown = showGone ? all : live;
  const stale = live.filter(isStale);
  const busy = live.reduce((sum, w) => sum + w.runIds.length, 0);
  const slots = live.reduce((sum, w) => sum + w.concurrency, 0);
  const lastDeath = all
    .filter((w) => w.status === "DEAD" && w.heartbeatAgeSeconds < recentDeathSeconds)
    .sort((a, b) => a.heartbeatAgeSeconds - b.heartbeatAgeSeconds)[0];

  return (
    <>
      <h1>Workers</h1>
      <ErrorBanner error={workers.error} />
      <section className={`card ${styles.panel}`} aria-label="Worker fleet">
        <div className={`row ${styles.summary}`}>
          <span data-testid="worker-summary">
            {live.length} live worker{live.length === 1 ? "" : "s"}, {busy} of {slots} slots busy
          </span>
          {stale.length > 0 && (
            <span className={styles.stale} role="status">
              ⚠ {stale.length} without a recent heartbeat
            </span>
          )}
          {lastDeath && (
            <span className={styles.stale} role="status" data-testid="worker-last-death">
              Worker {lastDeath.hostname}:{lastDeath.pid} died {formatDuration(lastDeath.heartbeatAgeSeconds)} ago
              {lastDeath.exitReason ? `: ${lastDeath.exitReason}` : ""}
            </span>
          )}
          <label className={styles.toggle}>
            <input type="checkbox" checked={showGone} onChange={(event) => setShowGone(event.target.checked)} />
            Show stopped and dead workers ({all.length - live.length})
          </label>
          <span className="muted">refreshes every {refreshMs / 1000} s</span>
        </div>
        {workers.isPending ? (
          <p className="muted">Loading…</p>
        ) : shown.length === 0 ? (
          <p className="muted">No live workers: `npm start` runs HINDCAST_WORKERS of them (default 1); `npm run worker` adds one.</p>
        ) : (
          <WorkerTable workers={shown} />
        )}
      </section>
    </>
  );
}
