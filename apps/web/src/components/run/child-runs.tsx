"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { ProgressBar, StatusChip } from "@/components/run-status";
import { formatDuration } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import styles from "./run.module.css";
import { isActive } from "./types";

const byName = new Intl.Collator("en", { numeric: true });

/** The windows of a parallel retrodiction, each a child run on any worker. */
export function ChildRuns({ runId, active }: { runId: string; active: boolean }) {
  const trpc = useTRPC();
  const children = useQuery(
    trpc.training.list.queryOptions(
      { parentId: runId, limit: 500 },
      // Children may end after the parent's last event (the final fan-in) or keep going while a cancel reaches them.
      { refetchInterval: (query) => (active || query.state.data?.runs.some((r) => isActive(r.status)) ? 2_000 : false) },
    ),
  );
  const runs = [...(children.data?.runs ?? [])].sort((a, b) => byName.compare(a.name ?? a.id, b.name ?? b.id));
  if (runs.length === 0) return null;
  const done = runs.filter((r) => r.status === "SUCCEEDED").length;
  return (
    <section className="card" aria-labelledby="children-title">
      <h2 id="children-title">
        Child runs{" "}
        <span className="muted">
          ({done}/{runs.length} succeeded)
        </span>
      </h2>
      <div className={styles.scroll}>
        <table data-testid="child-runs">
          <thead>
            <tr>
              <th>Run</th>
              <th>Status</th>
              <th>Progress</th>
              <th>Message</th>
              <th className="num">ETA</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((child) => (
              <tr key={child.id}>
                <td>
                  <Link href={`/runs/${child.id}`}>{child.name ?? child.id.slice(0, 8)}</Link>
                </td>
                <td>
                  <StatusChip status={child.status} />
                </td>
                <td className={styles.childProgress}>
                  <ProgressBar percent={child.percent} label={`Progress of ${child.name ?? child.id}`} />
                </td>
                <td className={styles.wrap}>{child.message ?? "—"}</td>
                <td className="num">{child.status === "RUNNING" ? formatDuration(child.etaSeconds) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
