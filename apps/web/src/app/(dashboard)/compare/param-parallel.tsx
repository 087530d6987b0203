"use client";
import { bestIndexes, metricDirection } from "@hindcast/contracts";
import { useId, useState } from "react";
import { ParallelCoordinates } from "@/components/parallel-coordinates";
import styles from "./compare.module.css";
import { ResultSelect, resultChoices, resultId, resultValue } from "./result-choice";
import { type Comparison, paramOf, runLabel } from "./types";

/** More axes than this crowd the plot; the params that differ first are kept. */
const maxParamAxes = 8;

/**
 * Parallel coordinates of the compared runs: one axis per param that
 * differs and one for the chosen result, the best runs by that result picked out.
 */
export function ParamParallel({ comparison }: { comparison: Comparison }) {
  const id = useId();
  const results = resultChoices(comparison);
  const [resultKey, setResultKey] = useState(results[0] ? resultId(results[0].choice) : "");
  const result = results.find((choice) => resultId(choice.choice) === resultKey);
  const paramKeys = Object.keys(comparison.differing).slice(0, maxParamAxes);
  if (!paramKeys.length || !result) return null;

  const outcomes = comparison.runs.map((_, i) => resultValue(comparison, result.choice, i));
  const axes = [
    ...paramKeys.map((key) => ({ key, label: key, values: comparison.runs.map((_, i) => paramOf(comparison, key, i)) })),
    { key: "result", label: result.label, values: outcomes },
  ];

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Params and result, all at once</h2>
      <div className={styles.scatterControls}>
        <ResultSelect label="Result (last axis)" choices={results} value={resultKey} onChange={setResultKey} />
        {Object.keys(comparison.differing).length > maxParamAxes && (
          <span className="muted">The first {maxParamAxes} params that differ are shown.</span>
        )}
      </div>
      <ParallelCoordinates
        axes={axes}
        lines={comparison.runs.map((run) => ({ id: run.id, label: runLabel(run) }))}
        best={bestIndexes(metricDirection(result.choice.key), outcomes)}
        testId="param-parallel"
        what="runs"
      />
    </section>
  );
}
