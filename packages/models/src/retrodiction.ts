import * as tf from "@tensorflow/tfjs";
import { addDays } from "./dates";
import { DataError } from "./errors";
import { type ForecastReport, forecastReport, naiveScale, type Predictions } from "./metrics";
import type { PreparedSeries } from "./prepare";
import type { RetrodictionSpec, WindowSpec } from "./specs";
import { type Scaler, unscaleTarget, writeInputs } from "./windows";

/** One walk-forward window: fit on rows [0, startRow), predict rows [startRow, endRow). */
export interface RetrodictionWindow {
  index: number;
  startRow: number;
  endRow: number;
  startDate: string;
  endDate: string;
}

/**
 * Splits the retrodiction range into windows of `batchSizeDays` calendar days
 * that start every `batchSizeDays - overlapDays` days. Without `from`, the
 * last `windows` windows of the data.
 */
export function planRetrodiction(
  series: PreparedSeries,
  spec: RetrodictionSpec,
  window: WindowSpec,
  minTrainRows: number,
): RetrodictionWindow[] {
  const dates = series.dates;
  const lastDate = dates[dates.length - 1] as string;
  const stride = spec.batchSizeDays - spec.overlapDays;
  const to = spec.to ?? lastDate;
  const from = spec.from ?? addDays(to, -((spec.windows - 1) * stride + spec.batchSizeDays - 1));
  const windows: RetrodictionWindow[] = [];
  for (let start = from; start <= to; start = addDays(start, stride)) {
    const end = addDays(start, spec.batchSizeDays - 1) < to ? addDays(start, spec.batchSizeDays - 1) : to;
    const startRow = dates.findIndex((d) => d >= start);
    let endRow = dates.findIndex((d) => d > end);
    if (endRow < 0) endRow = dates.length;
    if (startRow >= 0 && endRow > startRow) {
      windows.push({ index: windows.length, startRow, endRow, startDate: dates[startRow] as string, endDate: dates[endRow - 1] as string });
    }
    if (spec.from === undefined && windows.length === spec.windows) break;
  }
  if (windows.length === 0) {
    throw new DataError(
      `retrodiction range ${from}..${to} holds no data`,
      `choose dates within ${dates[0]}..${lastDate}`,
      "retrodiction.from",
    );
  }
  const first = windows[0] as RetrodictionWindow;
  const needed = minTrainRows + window.lookback + window.horizon;
  if (first.startRow < needed) {
    throw new DataError(
      `only ${first.startRow} rows precede the first retrodiction window (${first.startDate}); lookback ${window.lookback} + horizon ${window.horizon} + ${minTrainRows} training windows need ${needed}`,
      "start the retrodiction later, use fewer or shorter windows, or a shorter lookback",
      spec.from ? "retrodiction.from" : "retrodiction.windows",
    );
  }
  return windows;
}

export interface WindowResult {
  window: RetrodictionWindow;
  /** Dates and values of every prediction, in original units (after the spec's transform). */
  dates: string[];
  predictions: Predictions;
  /** MASE denominator: in-sample naive MAE of the rows before the window. */
  maseScale: number;
  report: ForecastReport;
}

/**
 * Predicts a window from rolling origins t = start, start + horizon, ...: each
 * forecast sees only rows before its origin, which were known at that time.
 * Baselines: naive repeats the value before the origin; seasonal naive repeats
 * the value one season earlier that was known at the origin.
 */
export async function predictWindow(
  model: tf.LayersModel,
  series: PreparedSeries,
  scaler: Scaler,
  windowSpec: WindowSpec,
  window: RetrodictionWindow,
): Promise<WindowResult> {
  const { lookback, horizon } = windowSpec;
  const width = series.columns.length;
  const target = (row: number) => series.values[row * width] as number;
  const origins: number[] = [];
  for (let t = window.startRow; t < window.endRow; t += horizon) origins.push(t);
  const x = new Float32Array(origins.length * lookback * width);
  origins.forEach((t, i) => {
    writeInputs(series, scaler, lookback, t, x, i * lookback * width);
  });
  const prediction = tf.tidy(() => model.predict(tf.tensor3d(x, [origins.length, lookback, width])) as tf.Tensor);
  const output = await prediction.data();
  prediction.dispose();

  const m = series.seasonPeriod;
  const returnsLike = series.transform === "diff" || series.transform === "logReturn";
  const p: Predictions = { actual: [], predicted: [], naive: [], seasonalNaive: [], reference: [] };
  const dates: string[] = [];
  origins.forEach((t, i) => {
    for (let h = 0; h < horizon && t + h < window.endRow; h++) {
      const row = t + h;
      dates.push(series.dates[row] as string);
      p.actual.push(target(row));
      p.predicted.push(unscaleTarget(scaler, output[i * horizon + h] as number));
      p.naive.push(target(t - 1));
      p.seasonalNaive.push(target(row - m * Math.ceil((h + 1) / m)));
      p.reference.push(returnsLike ? 0 : target(t - 1));
    }
  });
  const history: number[] = [];
  for (let r = 0; r < window.startRow; r++) history.push(target(r));
  const maseScale = naiveScale(history);
  return { window, dates, predictions: p, maseScale, report: forecastReport(p, maseScale) };
}

/** Metrics over the predictions of all windows together; MASE scaled as for the earliest window. */
export function overallReport(results: readonly Pick<WindowResult, "predictions" | "maseScale" | "window">[]): ForecastReport {
  const all: Predictions = { actual: [], predicted: [], naive: [], seasonalNaive: [], reference: [] };
  for (const r of results) {
    for (const key of Object.keys(all) as (keyof Predictions)[]) all[key].push(...r.predictions[key]);
  }
  const earliest = [...results].sort((a, b) => a.window.startRow - b.window.startRow)[0];
  return forecastReport(all, earliest?.maseScale ?? 0);
}
