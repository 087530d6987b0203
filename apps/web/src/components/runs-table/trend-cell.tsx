"use client";
import { createContext, useContext } from "react";
import { formatNumber } from "@/lib/format";
import type { RunRow } from "./columns";
import styles from "./runs-table.module.css";

export interface Sparkline {
  steps: number[];
  values: number[];
}

/** The trend metric's sparklines of the rows in view, by run id; a run missing from it is still loading. */
export const SparklinesContext = createContext<ReadonlyMap<string, Sparkline>>(new Map());

const box = { width: 112, height: 22, pad: 2 };

/**
 * The SVG path of a sparkline, steps on x and values on y, each scaled to
 * fill the box. A plain path rather than a chart library: a few dozen points
 * in a table cell want no axes, legend, cursor or canvas per row.
 */
export function sparklinePath({ steps, values }: Sparkline): string {
  const [x0, x1] = [steps[0] ?? 0, steps.at(-1) ?? 0];
  const [y0, y1] = [Math.min(...values), Math.max(...values)];
  const x = (step: number) => box.pad + (x1 > x0 ? ((step - x0) / (x1 - x0)) * (box.width - 2 * box.pad) : 0);
  // A flat line sits in the middle rather than on an edge.
  const y = (value: number) => (y1 > y0 ? box.pad + ((y1 - value) / (y1 - y0)) * (box.height - 2 * box.pad) : box.height / 2);
  return values.map((value, i) => `${i ? "L" : "M"}${x(steps[i] ?? 0).toFixed(1)},${y(value).toFixed(1)}`).join("");
}

export function TrendCell({ run, metric }: { run: RunRow; metric: string }) {
  const line = useContext(SparklinesContext).get(run.id);
  if (!line) return <span className={styles.sparklineLoading} title={`${metric}: loading`} />;
  if (line.values.length === 0) return <span className="muted">—</span>;
  const first = formatNumber(line.values[0]);
  const last = formatNumber(line.values.at(-1));
  const label = `${metric} from ${first} to ${last} over steps ${line.steps[0]}–${line.steps.at(-1)}`;
  return (
    <svg
      className={styles.sparkline}
      width={box.width}
      height={box.height}
      viewBox={`0 0 ${box.width} ${box.height}`}
      role="img"
      aria-label={label}
      data-testid="sparkline"
      data-points={line.values.length}
    >
      <title>{label}</title>
      <path d={sparklinePath(line)} />
    </svg>
  );
}
