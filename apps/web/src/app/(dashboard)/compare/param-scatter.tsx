"use client";
import { useId, useState } from "react";
import { ScatterPlot, type ScatterPoint } from "@/components/scatter-plot";
import { bestStat } from "@/lib/metric-direction";
import styles from "./compare.module.css";
import { type Comparison, type HeadlineKey, hasHeadline, headlineRows, headlineValue, paramOf, runLabel } from "./types";

/** A y axis: a tracked metric's last or best value, or a retrodiction headline value. */
type YChoice = { kind: "metric"; key: string; stat: "last" | "best" } | { kind: "headline"; key: HeadlineKey };

const yId = (y: YChoice) => (y.kind === "metric" ? `metric:${y.stat}:${y.key}` : `headline:${y.key}`);

function yChoices(comparison: Comparison): { choice: YChoice; label: string }[] {
  const headline = hasHeadline(comparison.runs)
    ? headlineRows.map((row) => ({ choice: { kind: "headline", key: row.key } as YChoice, label: `Retrodiction ${row.label}` }))
    : [];
  const metrics = Object.keys(comparison.metrics).flatMap((key) =>
    (["best", "last"] as const).map((stat) => ({ choice: { kind: "metric", key, stat } as YChoice, label: `${key} (${stat})` })),
  );
  return [...headline, ...metrics];
}

function yValue(comparison: Comparison, y: YChoice, index: number): number | null {
  const run = comparison.runs[index];
  if (!run) return null;
  if (y.kind === "headline") return headlineValue(run, y.key);
  const stats = comparison.metrics[y.key]?.[index];
  return (y.stat === "last" ? stats?.last : stats?.[bestStat(y.key)]) ?? null;
}

/** A param (x) against a metric or result (y) across the compared runs. */
export function ParamScatter({ comparison }: { comparison: Comparison }) {
  const id = useId();
  const paramKeys = [...Object.keys(comparison.differing), ...Object.keys(comparison.shared)];
  const ys = yChoices(comparison);
  const firstNumeric = Object.keys(comparison.differing).find((key) => comparison.differing[key]?.every((v) => typeof v === "number"));
  const [xKey, setXKey] = useState(firstNumeric ?? paramKeys[0] ?? "");
  const [yKey, setYKey] = useState(ys[0] ? yId(ys[0].choice) : "");
  const y = ys.find((choice) => yId(choice.choice) === yKey);
  if (!paramKeys.length || !y) return null;

  const points: ScatterPoint[] = comparison.runs.flatMap((run, i) => {
    const value = yValue(comparison, y.choice, i);
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
        <label>
          Result (y)
          <select value={yKey} onChange={(e) => setYKey(e.target.value)}>
            {ys.map((choice) => (
              <option key={yId(choice.choice)} value={yId(choice.choice)}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {points.length === 0 ? (
        <p className="muted">No run has both values yet.</p>
      ) : (
        <ScatterPlot points={points} xLabel={xKey} yLabel={y.label} testId="param-scatter" />
      )}
    </section>
  );
}
