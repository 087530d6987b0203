import type { BaselineName } from "@hindcast/models";
import { baselineNames } from "@hindcast/models/baseline-names";
import type { ChartBand, ChartSeries } from "@/components/metric-chart";
import type { RetrodictionWindowResult } from "./types";

/** Theme colours (globals.css) and dashes that tell the forecasters apart in both themes. */
const baselineLines: Record<BaselineName, { color: string; dash: number[] }> = {
  naive: { color: "var(--chart-naive)", dash: [6, 4] },
  seasonalNaive: { color: "var(--chart-seasonal-naive)", dash: [2, 3] },
  ar: { color: "var(--chart-ar)", dash: [8, 3, 2, 3] },
  arima: { color: "var(--chart-arima)", dash: [4, 2] },
  ets: { color: "var(--chart-ets)", dash: [10, 4] },
  theta: { color: "var(--chart-theta)", dash: [1, 3] },
};

const intervalLevels = [95, 80] as const;

const epochSeconds = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;

/** The label of one edge of the model's interval, as the chart's legend shows it. */
export const intervalEdge = (level: (typeof intervalLevels)[number], edge: "low" | "high") => `model ${level}% ${edge}`;

/**
 * A window's forecast chart: actual, model, the model's 95% and 80% intervals
 * as shaded bands (the wider one first, so the narrower one is drawn on top),
 * and the chosen baselines that were fitted there.
 */
export function forecastSeries(
  window: RetrodictionWindowResult,
  shown: ReadonlySet<BaselineName>,
): { series: ChartSeries[]; bands: ChartBand[] } {
  const x = window.dates.map(epochSeconds);
  const p = window.predictions;
  const series: ChartSeries[] = [
    { label: "actual", x, y: p.actual, color: "var(--chart-actual)", width: 2 },
    { label: "model", x, y: p.predicted, color: "var(--chart-model)", width: 2 },
  ];
  const bands: ChartBand[] = [];
  for (const level of p.bands ? intervalLevels : []) {
    const bandsOf = p.bands as NonNullable<typeof p.bands>;
    const fill = `var(--chart-band${level})`;
    const [upper, lower] = [intervalEdge(level, "high"), intervalEdge(level, "low")];
    series.push({ label: upper, x, y: bandsOf[`upper${level}`], color: fill, width: 1 });
    series.push({ label: lower, x, y: bandsOf[`lower${level}`], color: fill, width: 1 });
    bands.push({ upper, lower, fill });
  }
  for (const name of baselineNames) {
    const forecast = p.baselines[name];
    if (shown.has(name) && forecast && "predicted" in forecast)
      series.push({ label: forecast.label, x, y: forecast.predicted, ...baselineLines[name] });
  }
  return { series, bands };
}
