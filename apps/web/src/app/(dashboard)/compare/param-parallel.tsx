"use client";
import { bestIndexes, metricDirection } from "@hindcast/contracts";
import { useId, useRef, useState } from "react";
import plot from "@/components/svg-plot.module.css";
import { formatNumber, formatParam } from "@/lib/format";
import { domain, niceTicks } from "@/lib/plot-scales";
import { fitText, layAxisTitles, useTextWidth } from "./axis-titles";
import styles from "./compare.module.css";
import { ResultSelect, resultChoices, resultId, resultValue } from "./result-choice";
import { type Comparison, paramOf, runLabel } from "./types";

const width = 760;
const height = 300;
const margin = { left: 64, right: 170, top: 44, bottom: 14 };
/** The baseline of axis titles on row 0 (nearest the plot) and how far up row 1 is. */
const titleBaseline = margin.top - 10;
const titleRowStep = 16;
/** More axes than this crowd the plot; the params that differ first are kept. */
const maxParamAxes = 8;
/** Run labels at the result axis only while they fit. */
const maxLabels = 10;

interface Axis {
  key: string;
  label: string;
  /** The y of a value on this axis, or undefined when the run has none. */
  y: (value: unknown) => number | undefined;
  ticks: { y: number; text: string }[];
}

const plotTop = margin.top;
const plotHeight = height - margin.top - margin.bottom;

/** A numeric axis when every value is a finite number, otherwise one of categories (model kinds, booleans, text). */
function axisFor(key: string, label: string, values: unknown[]): Axis {
  const present = values.filter((v) => v !== undefined && v !== null);
  if (present.length && present.every((v) => typeof v === "number" && Number.isFinite(v))) {
    const [min, max] = domain(present as number[]);
    const y = (value: number) => plotTop + (1 - (value - min) / (max - min)) * plotHeight;
    return {
      key,
      label,
      y: (value) => (typeof value === "number" && Number.isFinite(value) ? y(value) : undefined),
      ticks: niceTicks(min, max, 4).map((tick) => ({ y: y(tick), text: formatNumber(tick) })),
    };
  }
  const categories = [...new Set(present.map(formatParam))].sort();
  const y = (text: string) => plotTop + ((categories.indexOf(text) + 0.5) / categories.length) * plotHeight;
  return {
    key,
    label,
    y: (value) => (value === undefined || value === null ? undefined : y(formatParam(value))),
    ticks: categories.map((text) => ({ y: y(text), text })),
  };
}

/** A path through the axes, lifted where the run has no value on an axis rather than bridging the gap. */
function linePath(points: (readonly [number, number | undefined])[]): string {
  let path = "";
  let drawing = false;
  for (const [x, y] of points) {
    if (y === undefined) {
      drawing = false;
      continue;
    }
    path += `${drawing ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
    drawing = true;
  }
  return path;
}

/**
 * Parallel coordinates: one axis per param that differs and one for the
 * chosen result, one line per run, the best runs by that result picked out.
 * How a sweep's params relate to its outcome, beyond one param at a time.
 */
export function ParamParallel({ comparison }: { comparison: Comparison }) {
  const id = useId();
  const results = resultChoices(comparison);
  const [resultKey, setResultKey] = useState(results[0] ? resultId(results[0].choice) : "");
  const titleProbe = useRef<SVGTextElement>(null);
  const titleWidth = useTextWidth(titleProbe);
  const labelProbe = useRef<SVGTextElement>(null);
  const labelWidth = useTextWidth(labelProbe);
  const result = results.find((choice) => resultId(choice.choice) === resultKey);
  const paramKeys = Object.keys(comparison.differing).slice(0, maxParamAxes);
  if (!paramKeys.length || !result) return null;

  const outcomes = comparison.runs.map((_, i) => resultValue(comparison, result.choice, i));
  const axes = [
    ...paramKeys.map((key) =>
      axisFor(
        key,
        key,
        comparison.runs.map((_, i) => paramOf(comparison, key, i)),
      ),
    ),
    axisFor("result", result.label, outcomes),
  ];
  const xOf = (index: number) => margin.left + (index / (axes.length - 1)) * (width - margin.left - margin.right);
  const best = bestIndexes(metricDirection(result.choice.key), outcomes);
  const resultAxis = axes[axes.length - 1] as Axis;
  const titles = layAxisTitles(
    axes.map((axis) => axis.label),
    axes.map((_, index) => xOf(index)),
    width,
    titleWidth,
  );

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Params and result, all at once</h2>
      <div className={styles.scatterControls}>
        <ResultSelect label="Result (last axis)" choices={results} value={resultKey} onChange={setResultKey} />
        {Object.keys(comparison.differing).length > maxParamAxes && (
          <span className="muted">The first {maxParamAxes} params that differ are shown.</span>
        )}
      </div>
      <figure
        className={`${plot.figure} ${styles.parallel}`}
        data-testid="param-parallel"
        data-axes={axes.length}
        data-runs={comparison.runs.length}
      >
        <svg
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={`${paramKeys.join(", ")} and ${result.label} of ${comparison.runs.length} runs`}
        >
          {axes.map((axis, index) => (
            <g key={axis.key}>
              <line className={styles.axisLine} x1={xOf(index)} x2={xOf(index)} y1={plotTop} y2={plotTop + plotHeight} />
              <text
                ref={index === 0 ? titleProbe : undefined}
                className={plot.axisLabel}
                x={xOf(index)}
                y={titleBaseline - (titles[index]?.row ?? 0) * titleRowStep}
                textAnchor="middle"
                data-axis-title
              >
                <title>{axis.label}</title>
                {titles[index]?.text}
              </text>
              {axis.ticks.map((tick) => (
                <text key={tick.text} className={plot.axisText} x={xOf(index) - 4} y={tick.y} textAnchor="end" dominantBaseline="middle">
                  {tick.text}
                </text>
              ))}
            </g>
          ))}
          {comparison.runs.map((run, i) => {
            const values = [...paramKeys.map((key) => paramOf(comparison, key, i)), outcomes[i]];
            const points = axes.map((axis, a) => [xOf(a), axis.y(values[a])] as const);
            const end = resultAxis.y(outcomes[i]);
            const describe = axes.map(
              (axis, a) => `${axis.label} ${a === axes.length - 1 ? formatNumber(outcomes[i]) : formatParam(values[a])}`,
            );
            return (
              <g key={run.id} data-run-id={run.id} data-best={best.has(i) || undefined}>
                <path className={best.has(i) ? styles.bestLine : styles.runLine} d={linePath(points)}>
                  <title>{`${runLabel(run)}: ${describe.join(", ")}`}</title>
                </path>
                {end !== undefined && comparison.runs.length <= maxLabels && (
                  <text
                    ref={i === 0 ? labelProbe : undefined}
                    className={plot.label}
                    x={xOf(axes.length - 1) + 8}
                    y={end}
                    dominantBaseline="middle"
                  >
                    <title>{runLabel(run)}</title>
                    {fitText(runLabel(run), margin.right - 12, labelWidth)}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      </figure>
    </section>
  );
}
