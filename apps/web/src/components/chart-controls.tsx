"use client";
import styles from "./chart-controls.module.css";
import type { XKind } from "./metric-chart";

/** The x axes metrics.series can give. */
export type SeriesX = Exclude<XKind, "date">;

export const seriesXChoices: { value: SeriesX; label: string }[] = [
  { value: "step", label: "Step" },
  { value: "wall", label: "Wall time" },
  { value: "relative", label: "Relative time" },
];

/** metrics.series gives wall time in epoch ms; uPlot's time axis reads seconds. */
export const chartX = (x: number[], kind: SeriesX) => (kind === "wall" ? x.map((ms) => ms / 1000) : x);

export interface ChartSettings {
  x: SeriesX;
  logScale: boolean;
  /** EMA weight in [0, 1). */
  smoothing: number;
}

export const defaultChartSettings: ChartSettings = { x: "step", logScale: false, smoothing: 0 };

/** X axis, log scale and smoothing for MetricCharts. */
export function ChartControls({ value, onChange }: { value: ChartSettings; onChange: (value: ChartSettings) => void }) {
  return (
    <div className={styles.controls}>
      <label className={styles.inline}>
        X axis
        <select value={value.x} onChange={(e) => onChange({ ...value, x: e.target.value as SeriesX })}>
          {seriesXChoices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.inline}>
        <input type="checkbox" checked={value.logScale} onChange={(e) => onChange({ ...value, logScale: e.target.checked })} />
        Log scale
      </label>
      <label className={styles.inline}>
        Smoothing
        <input
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={value.smoothing}
          onChange={(e) => onChange({ ...value, smoothing: Number(e.target.value) })}
          aria-valuetext={value.smoothing.toFixed(2)}
        />
        <output>{value.smoothing.toFixed(2)}</output>
      </label>
      <span className="muted">Drag to zoom, double-click to reset.</span>
    </div>
  );
}
