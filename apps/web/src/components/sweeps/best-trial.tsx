import Link from "next/link";
import { formatParam } from "@/lib/format";
import styles from "./sweeps.module.css";
import { formatObjective, type SweepDetail, searchedPaths } from "./types";

/** The best trial so far: its objective and the config it searched (the values "train the best" starts from). */
export function BestTrial({ sweep }: { sweep: SweepDetail }) {
  const best = sweep.trials.find((trial) => trial.runId === sweep.bestRunId);
  const metric = sweep.spec?.metric ?? "objective";
  return (
    <section className="card" aria-labelledby="best-title" data-testid="best-trial">
      <h2 id="best-title">Best trial so far</h2>
      {best ? (
        <>
          <p>
            <Link href={`/runs/${best.runId}`}>{best.name ?? `#${best.number}`}</Link>: {metric}{" "}
            <strong data-testid="best-value">{formatObjective(metric, sweep.bestValue)}</strong>
          </p>
          <dl className={styles.config} aria-label="Its config">
            {searchedPaths(sweep).map((path) => (
              <div key={path}>
                <dt>{path}</dt>
                <dd>{best.trial && path in best.trial ? formatParam(best.trial[path]) : "— (not for its family)"}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : (
        <p className="muted">No trial has succeeded with a value of {metric} yet.</p>
      )}
    </section>
  );
}
