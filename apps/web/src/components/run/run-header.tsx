import { retrodictionPipelines } from "@hindcast/contracts";
import Link from "next/link";
import type { ReactNode } from "react";
import { StatusChip } from "@/components/run-status";
import { formatDate, formatDuration, formatParam } from "@/lib/format";
import { FactList } from "./fact-list";
import styles from "./run.module.css";
import { RunActions } from "./run-actions";
import { RunNote } from "./run-note";
import type { RunDetail } from "./types";

function elapsedSeconds(run: RunDetail): number | null {
  if (!run.startedAt) return null;
  return ((run.finishedAt ?? new Date()).getTime() - run.startedAt.getTime()) / 1000;
}

/** Name, status, what was trained on what, where and when; the operator's actions. */
export function RunHeader({ run }: { run: RunDetail }) {
  const param = (key: string) => formatParam(run.params[key]);
  const facts: [string, ReactNode][] = [
    ["Pipeline", run.pipeline],
    ["Model", param("model.kind")],
    ["Dataset", `${param("data.dataset")} / ${param("data.target")}`],
    ["Backend", run.backend ?? "—"],
    [
      "Worker",
      run.workerId ? (
        <code key="worker" title={run.workerId}>
          {run.workerId.slice(0, 8)}
        </code>
      ) : (
        "—"
      ),
    ],
    ["Attempt", String(run.attempt)],
    ["Created", formatDate(run.createdAt)],
    ["Started", formatDate(run.startedAt)],
    ["Finished", formatDate(run.finishedAt)],
    ["Duration", formatDuration(elapsedSeconds(run))],
  ];
  if (run.parentId)
    facts.push([
      "Parent",
      <Link key="parent" href={`/runs/${run.parentId}`}>
        {run.parentId.slice(0, 8)}
      </Link>,
    ]);
  return (
    <header className={`card ${styles.header}`}>
      <div className={styles.titleRow}>
        <h1 className={styles.title}>
          {run.name ?? `Run ${run.id.slice(0, 8)}`} <StatusChip status={run.status} />
          {run.archivedAt && (
            <span className="chip" data-testid="run-archived" title={`Archived ${formatDate(run.archivedAt)}; hidden from the runs list`}>
              Archived
            </span>
          )}
        </h1>
        <RunActions run={run} />
      </div>
      <p className={`muted ${styles.runId}`}>
        <code>{run.id}</code>
        {run.status === "SUCCEEDED" && (retrodictionPipelines as readonly string[]).includes(run.pipeline) && (
          <>
            {" · "}
            <Link href={`/preview?run=${run.id}`}>Predict again in this browser</Link>
          </>
        )}
      </p>
      <FactList facts={facts} />
      {run.tags.length > 0 && (
        <ul className={styles.tags} aria-label="Tags">
          {run.tags.map((tag) => (
            <li key={tag} className="chip">
              {tag}
            </li>
          ))}
        </ul>
      )}
      <RunNote run={run} />
    </header>
  );
}
