import { formatShare } from "@/lib/format";
import styles from "./sweeps.module.css";
import type { SweepDetail } from "./types";

/** How much each searched field explains the objective (its share of the variance over the succeeded trials, η²), as bars. */
export function ImportanceList({ sweep }: { sweep: SweepDetail }) {
  const scored = sweep.trials.filter((trial) => trial.status === "SUCCEEDED" && trial.objective !== null).length;
  return (
    <section className="card" aria-labelledby="importance-title">
      <h2 id="importance-title">Parameter importance</h2>
      {sweep.importance ? (
        <>
          <p className="muted">
            Each searched field's share of the objective's variance explained by its values (η², shared out to 100%), over the {scored}{" "}
            trials that succeeded.
          </p>
          <ol className={styles.importance} data-testid="importance">
            {sweep.importance.map(({ path, importance }) => (
              <li key={path}>
                <span className={styles.importancePath}>{path}</span>
                <span className={styles.importanceBar} aria-hidden="true">
                  <span style={{ width: `${Math.max(0, Math.min(1, importance)) * 100}%` }} />
                </span>
                <span className={styles.importanceValue}>{formatShare(importance)}</span>
              </li>
            ))}
          </ol>
        </>
      ) : (
        <p className="muted" data-testid="importance-pending">
          {scored < sweep.importanceMinTrials
            ? `Importance shows once ${sweep.importanceMinTrials} trials have succeeded (${scored} so far).`
            : `No importance yet: the objective is the same for every trial that succeeded.`}
        </p>
      )}
    </section>
  );
}
