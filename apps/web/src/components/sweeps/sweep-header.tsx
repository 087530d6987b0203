import { csvExportPaths } from "@hindcast/api/schemas";
import { metricEntry } from "@hindcast/contracts";
import Link from "next/link";
import type { ReactNode } from "react";
import { FactList } from "@/components/run/fact-list";
import styles from "@/components/run/run.module.css";
import { formatDate, formatDuration } from "@/lib/format";
import { SweepActions } from "./sweep-actions";
import { SweepStatusChip, TrialCounts } from "./sweep-status";
import sweepStyles from "./sweeps.module.css";
import { metricText, type SweepDetail, searchedPaths, sweepLabel } from "./types";

/** How the sweep searches: method, early stopping and budget, in a few words. */
function searchFacts(sweep: SweepDetail): [string, ReactNode][] {
  const spec = sweep.spec;
  if (!spec) return [];
  const stopping = spec.earlyStopping;
  const budget = [
    `${sweep.trialsPlanned ?? spec.budget.trials ?? "?"} trials`,
    spec.budget.minutes !== undefined ? `${spec.budget.minutes} min` : null,
  ].filter(Boolean);
  return [
    ["Method", spec.method],
    [
      "Metric",
      <span key="metric" title={metricEntry(spec.metric)?.label}>
        {metricText(spec.metric)}
      </span>,
    ],
    ["Early stopping", stopping.rule === "asha" ? `ASHA from epoch ${stopping.minEpochs}, factor ${stopping.reductionFactor}` : "none"],
    ["Budget", budget.join(", ")],
    ["Parallel", String(spec.parallel)],
    ["Searched", `${searchedPaths(sweep).length} field${searchedPaths(sweep).length === 1 ? "" : "s"}`],
  ];
}

/** Name, status, trials by status, how the sweep searches, and its actions. */
export function SweepHeader({ sweep }: { sweep: SweepDetail }) {
  const ended = sweep.finishedAt ?? new Date();
  const facts: [string, ReactNode][] = [
    ...searchFacts(sweep),
    ["Trials see data to", sweep.trialDataTo ?? "all data"],
    ["Created", formatDate(sweep.createdAt)],
    ["Finished", formatDate(sweep.finishedAt)],
    ["Duration", formatDuration((ended.getTime() - sweep.createdAt.getTime()) / 1000)],
  ];
  if (sweep.experiment) facts.push(["Experiment", sweep.experiment]);
  return (
    <header className={`card ${styles.header}`}>
      <div className={styles.titleRow}>
        <h1 className={styles.title}>
          {sweepLabel(sweep)} <SweepStatusChip status={sweep.status} />
        </h1>
        <SweepActions sweep={sweep} />
      </div>
      <p className={`muted ${styles.runId}`}>
        <code>{sweep.id}</code> · <Link href="/sweeps">All sweeps</Link> ·{" "}
        <a href={csvExportPaths.sweep(sweep.id)} download>
          Download trials CSV
        </a>
      </p>
      <div className={sweepStyles.trialLine} data-testid="sweep-counts">
        <span>
          {sweep.trialsStarted} of {sweep.trialsPlanned ?? "?"} trials started:
        </span>
        <TrialCounts counts={sweep.counts} />
      </div>
      {sweep.message && (
        <p className={sweepStyles.message} data-testid="sweep-message">
          {sweep.message}
        </p>
      )}
      <FactList facts={facts} />
      {sweep.tags.length > 0 && (
        <ul className={styles.tags} aria-label="Tags">
          {sweep.tags.map((tag) => (
            <li key={tag} className="chip">
              {tag}
            </li>
          ))}
        </ul>
      )}
    </header>
  );
}
