"use client";
import styles from "./chart-controls.module.css";
import type { XKind } from "./metric-chart";

/** The x axes metrics.series can give. */
export type SeriesX = Exclude<XKind, "date">;

const seriesXChoices: { value: SeriesX; label: string }[] = [
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

const defaultChartSettings: ChartSettings = { x: "step", logScale: false, smoothing: 0 };

/** Settings from a page's query (`x`, `log=1`, `smooth`), so a shared link shows the same charts; bad values fall back to defaults. */
export function chartSettingsFromSearch(search: URLSearchParams): ChartSettings {
  const x = seriesXChoices.find((c) => c.value === search.get("x"))?.value ?? defaultChartSettings.x;
  const smoothing = Number(search.get("smooth"));
  return {
    x,
    logScale: search.get("log") === "1",
    smoothing: Number.isFinite(smoothing) && smoothing >= 0 && smoothing < 1 ? smoothing : defaultChartSettings.smoothing,
  };
}

/** Writes `settings` into `search`, leaving defaults out. */
export function chartSettingsToSearch(settings: ChartSettings, search: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(search);
  const put = (name: string, value: string, isDefault: boolean) => (isDefault ? out.delete(name) : out.set(name, value));
  put("x", settings.x, settings.x === defaultChartSettings.x);
  put("log", "1", !settings.logScale);
  put("smooth", String(settings.smoothing), settings.smoothing === defaultChartSettings.smoothing);
  return out;
}

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
