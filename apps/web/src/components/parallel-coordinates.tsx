"use client";
import { useRef } from "react";
import { formatNumber, formatParam } from "@/lib/format";
import { domain, niceTicks } from "@/lib/plot-scales";
import { fitText, layAxisTitles, useTextWidth } from "./axis-titles";
import styles from "./parallel-coordinates.module.css";
import plot from "./svg-plot.module.css";

const width = 760;
const height = 300;
const margin = { left: 64, right: 170, top: 44, bottom: 14 };
/** The baseline of axis titles on row 0 (nearest the plot) and how far up row 1 is. */
const titleBaseline = margin.top - 10;
const titleRowStep = 16;
/** Line labels at the result axis only while they fit. */
const maxLabels = 10;

/** One axis: its title and each line's value on it (undefined or null where a line has none). */
export interface ParallelAxis {
  key: string;
  label: string;
  values: unknown[];
}

/** One line through the axes: a run or a trial. */
export interface ParallelLine {
  id: string;
  label: string;
}

interface Scale {
  /** The y of a value on this axis, or undefined when the line has none. */
  y: (value: unknown) => number | undefined;
  ticks: { y: number; text: string }[];
}

const plotTop = margin.top;
const plotHeight = height - margin.top - margin.bottom;

/** A numeric axis when every value is a finite number, otherwise one of categories (model kinds, booleans, text). */
function scaleFor(values: unknown[]): Scale {
  const present = values.filter((v) => v !== undefined && v !== null);
  if (present.length && present.every((v) => typeof v === "number" && Number.isFinite(v))) {
    const [min, max] = domain(present as number[]);
    const y = (value: number) => plotTop + (1 - (value - min) / (max - min)) * plotHeight;
    return {
      y: (value) => (typeof value === "number" && Number.isFinite(value) ? y(value) : undefined),
      ticks: niceTicks(min, max, 4).map((tick) => ({ y: y(tick), text: formatNumber(tick) })),
    };
  }
  const categories = [...new Set(present.map(formatParam))].sort();
  const y = (text: string) => plotTop + ((categories.indexOf(text) + 0.5) / categories.length) * plotHeight;
  return {
    y: (value) => (value === undefined || value === null ? undefined : y(formatParam(value))),
    ticks: categories.map((text) => ({ y: y(text), text })),
  };
}

/** The labels at the result axis: lines that end at the same height share one ("#1, #3"), drawn by the first of them. */
function endLabels(ends: (number | undefined)[], lines: ParallelLine[]): Map<number, string> {
  const byEnd = new Map<string, number[]>();
  ends.forEach((end, i) => {
    if (end === undefined) return;
    const key = end.toFixed(1);
    byEnd.set(key, [...(byEnd.get(key) ?? []), i]);
  });
  return new Map([...byEnd.values()].map((indexes) => [indexes[0] as number, indexes.map((i) => lines[i]?.label).join(", ")]));
}

/** A path through the axes, lifted where the line has no value on an axis rather than bridging the gap. */
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
 * Parallel coordinates (SVG): one axis per param and, last, the result; one
 * line per run (or trial), the `best` ones picked out, each labelled at the
 * result axis while there are few. How params relate to an outcome, beyond
 * one param at a time. Compare and the sweep page draw theirs with it.
 */
export function ParallelCoordinates({
  axes,
  lines,
  best,
  testId,
  what,
}: {
  axes: ParallelAxis[];
  lines: ParallelLine[];
  best: ReadonlySet<number>;
  testId: string;
  /** What the lines are, for the chart's description ("runs", "trials"). */
  what: string;
}) {
  const titleProbe = useRef<SVGTextElement>(null);
  const titleWidth = useTextWidth(titleProbe);
  const labelProbe = useRef<SVGTextElement>(null);
  const labelWidth = useTextWidth(labelProbe);
  const scales = axes.map((axis) => scaleFor(axis.values));
  const xOf = (index: number) => margin.left + (index / Math.max(1, axes.length - 1)) * (width - margin.left - margin.right);
  const last = axes.length - 1;
  const resultScale = scales[last] as Scale;
  const ends = lines.map((_, i) => resultScale.y(axes[last]?.values[i]));
  const labels = lines.length <= maxLabels ? endLabels(ends, lines) : new Map<number, string>();
  const firstLabel = Math.min(...labels.keys());
  const titles = layAxisTitles(
    axes.map((axis) => axis.label),
    axes.map((_, index) => xOf(index)),
    width,
    titleWidth,
  );

  return (
    <figure className={`${plot.figure} ${styles.parallel}`} data-testid={testId} data-axes={axes.length} data-runs={lines.length}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`${axes
          .slice(0, -1)
          .map((axis) => axis.label)
          .join(", ")} and ${axes[last]?.label} of ${lines.length} ${what}`}
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
            {scales[index]?.ticks.map((tick) => (
              <text key={tick.text} className={plot.axisText} x={xOf(index) - 4} y={tick.y} textAnchor="end" dominantBaseline="middle">
                {tick.text}
              </text>
            ))}
          </g>
        ))}
        {lines.map((line, i) => {
          const points = axes.map((axis, a) => [xOf(a), scales[a]?.y(axis.values[i])] as const);
          const label = labels.get(i);
          const describe = axes.map((axis, a) => {
            const value = axis.values[i];
            return `${axis.label} ${a === last && typeof value === "number" ? formatNumber(value) : formatParam(value)}`;
          });
          return (
            <g key={line.id} data-run-id={line.id} data-best={best.has(i) || undefined}>
              <path className={best.has(i) ? styles.bestLine : styles.runLine} d={linePath(points)}>
                <title>{`${line.label}: ${describe.join(", ")}`}</title>
              </path>
              {label !== undefined && (
                <text
                  ref={i === firstLabel ? labelProbe : undefined}
                  className={plot.label}
                  x={xOf(last) + 8}
                  y={ends[i]}
                  dominantBaseline="middle"
                >
                  <title>{label}</title>
                  {fitText(label, margin.right - 12, labelWidth)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
