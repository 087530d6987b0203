"use client";
import { useId, useState } from "react";
import { ScatterPlot, type ScatterPoint } from "@/components/scatter-plot";
import styles from "./compare.module.css";
import { ResultSelect, resultChoices, resultId, resultValue } from "./result-choice";
import { type Comparison, paramOf, runLabel } from "./types";

/** A param (x) against a metric or result (y) across the compared runs. */
export function ParamScatter({ comparison }: { comparison: Comparison }) {
  const id = useId();
  const paramKeys = [...Object.keys(comparison.differing), ...Object.keys(comparison.shared)];
  const ys = resultChoices(comparison);
  const firstNumeric = Object.keys(comparison.differing).find((key) => comparison.differing[key]?.every((v) => typeof v === "number"));
  const [xKey, setXKey] = useState(firstNumeric ?? paramKeys[0] ?? "");
  const [yKey, setYKey] = useState(ys[0] ? resultId(ys[0].choice) : "");
  const y = ys.find((choice) => resultId(choice.choice) === yKey);
  if (!paramKeys.length || !y) return null;

  const points: ScatterPoint[] = comparison.runs.flatMap((run, i) => {
    const value = resultValue(comparison, y.choice, i);
    const x = paramOf(comparison, xKey, i);
    return value === null || !Number.isFinite(value) || x === undefined || x === null ? [] : [{ label: runLabel(run), x, y: value }];
  });

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Param against result</h2>
      <div className={styles.scatterControls}>
        <label>
          Param (x)
          <select value={xKey} onChange={(e) => setXKey(e.target.value)}>
            {paramKeys.map((key) => (
              <option key={key} value={key}>
                {key}
                {key in comparison.differing ? "" : " (same in all)"}
              </option>
            ))}
          </select>
        </label>
        <ResultSelect label="Result (y)" choices={ys} value={yKey} onChange={setYKey} />
      </div>
      {points.length === 0 ? (
        <p className="muted">No run has both values yet.</p>
      ) : (
        <ScatterPlot points={points} xLabel={xKey} yLabel={y.label} testId="param-scatter" />
      )}
    </section>
  );
}
