"use client";
import { bestStat, metricCatalog, metricDirection } from "@hindcast/contracts";
import { type Comparison, hasHeadline, headlineValue } from "./types";

/** A result to plot: a tracked metric's last or best value, or a retrodiction headline value. */
export type ResultChoice = { kind: "metric"; key: string; stat: "last" | "best" } | { kind: "headline"; key: string };

export const resultId = (result: ResultChoice) =>
  result.kind === "metric" ? `metric:${result.stat}:${result.key}` : `headline:${result.key}`;

/** Every result the compared runs have: retrodiction headlines first, then each metric's best (when it has a better direction) and last. */
export function resultChoices(comparison: Comparison): { choice: ResultChoice; label: string }[] {
  const headline = hasHeadline(comparison.runs)
    ? metricCatalog.headline.map((metric) => ({
        choice: { kind: "headline", key: metric.key } as ResultChoice,
        label: `Retrodiction ${metric.label}`,
      }))
    : [];
  const metrics = Object.keys(comparison.metrics).flatMap((key) =>
    (bestStat(metricDirection(key)) ? (["best", "last"] as const) : (["last"] as const)).map((stat) => ({
      choice: { kind: "metric", key, stat } as ResultChoice,
      label: `${key} (${stat})`,
    })),
  );
  return [...headline, ...metrics];
}

/** The result of the i-th compared run, or null when it has none (yet). */
export function resultValue(comparison: Comparison, result: ResultChoice, index: number): number | null {
  const run = comparison.runs[index];
  if (!run) return null;
  if (result.kind === "headline") {
    const metric = metricCatalog.headline.find((m) => m.key === result.key);
    return metric ? headlineValue(run, metric) : null;
  }
  const stats = comparison.metrics[result.key]?.[index];
  const best = bestStat(metricDirection(result.key));
  return (result.stat === "last" ? stats?.last : best && stats?.[best]) ?? null;
}

export function ResultSelect({
  label,
  choices,
  value,
  onChange,
}: {
  label: string;
  choices: { choice: ResultChoice; label: string }[];
  value: string;
  onChange: (id: string) => void;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {choices.map((choice) => (
          <option key={resultId(choice.choice)} value={resultId(choice.choice)}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  );
}
