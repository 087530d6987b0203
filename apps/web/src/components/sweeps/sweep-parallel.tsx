"use client";
import { isTerminalStatus } from "@hindcast/contracts";
import { ParallelCoordinates } from "@/components/parallel-coordinates";
import { type SweepDetail, searchedPaths } from "./types";

/** The searched fields and the objective of every ended trial; the best trial picked out. */
export function SweepParallel({ sweep }: { sweep: SweepDetail }) {
  const trials = sweep.trials.filter((trial) => trial.trial && isTerminalStatus(trial.status));
  const paths = searchedPaths(sweep);
  const metric = sweep.spec?.metric ?? "objective";
  const best = new Set(trials.flatMap((trial, i) => (trial.runId === sweep.bestRunId ? [i] : [])));
  return (
    <section className="card" aria-labelledby="parallel-title">
      <h2 id="parallel-title">Searched fields and {metric}</h2>
      {trials.length === 0 || paths.length === 0 ? (
        <p className="muted">Each trial that ends draws a line here.</p>
      ) : (
        <>
          <p className="muted">
            One line per ended trial; a trial stopped early or failed has no {metric}, so its line ends before the last axis.
          </p>
          <ParallelCoordinates
            axes={[
              ...paths.map((path) => ({ key: path, label: path, values: trials.map((trial) => trial.trial?.[path]) })),
              { key: "objective", label: metric, values: trials.map((trial) => trial.objective) },
            ]}
            lines={trials.map((trial) => ({ id: trial.runId, label: `#${trial.number}` }))}
            best={best}
            testId="sweep-parallel"
            what="trials"
          />
        </>
      )}
    </section>
  );
}
