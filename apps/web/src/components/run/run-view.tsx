"use client";
import Link from "next/link";
import { errorMessage } from "@/lib/errors";
import { ArtifactsList } from "./artifacts-list";
import { ChildRuns } from "./child-runs";
import { LiveProgress } from "./live-progress";
import { LogsTail } from "./logs-tail";
import { MetricPanel } from "./metric-panel";
import { RetrodictionPanel } from "./retrodiction-panel";
import styles from "./run.module.css";
import { RunErrorPanel } from "./run-error";
import { RunHeader } from "./run-header";
import { StageTimeline } from "./stage-timeline";
import { isNotFound, useLiveRun } from "./use-live-run";

export function RunNotFound({ id }: { id: string }) {
  return (
    <section className="card" data-testid="run-not-found">
      <h1>Run not found</h1>
      <p>
        There is no run with the id <code>{id}</code>. It may have been deleted, or the link is wrong.
      </p>
      <Link href="/runs">Back to all runs</Link>
    </section>
  );
}

/** Everything about one run, kept live while it is active. */
export function RunView({ id }: { id: string }) {
  const { run, active } = useLiveRun(id);
  if (isNotFound(run.error)) return <RunNotFound id={id} />;
  if (run.error) return <p className="banner-error">Cannot load the run: {errorMessage(run.error)}</p>;
  if (!run.data) return <p className="muted">Loading run…</p>;
  const data = run.data;
  return (
    <div className={styles.page}>
      <RunHeader run={data} />
      <RunErrorPanel run={data} />
      <LiveProgress run={data} />
      <ChildRuns runId={id} active={active} />
      <MetricPanel runId={id} active={active} />
      <RetrodictionPanel runId={id} active={active} />
      <StageTimeline run={data} />
      <div className={styles.split}>
        <LogsTail runId={id} active={active} />
        <ArtifactsList runId={id} active={active} />
      </div>
      <details className="card">
        <summary>Spec</summary>
        <pre className={styles.spec}>{JSON.stringify(data.spec, null, 2)}</pre>
      </details>
    </div>
  );
}
