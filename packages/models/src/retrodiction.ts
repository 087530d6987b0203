import * as tf from "@tensorflow/tfjs";
import { type BaselineName, baselineNames } from "./classical/baselines";
import type { FittedForecaster } from "./classical/forecaster";
import { fitStatistical } from "./classical/statistical";
import { forecastBaselines, forecastWindow } from "./classical/window";
import { addDays } from "./dates";
import { DataError } from "./errors";
import { alignToWindow, conformalBands, type ForecastPlan, forecastPlan, windowSteps } from "./forecast-plan";
import type { Bands } from "./intervals";
import { type ForecastReport, forecastReport, naiveScale, type Predictions } from "./metrics";
import type { PreparedSeries } from "./prepare";
import type { RetrodictionSpec, StatisticalModelSpec, TrainingSpec, WindowSpec } from "./specs";
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

/** Rows every fit needs at least, before the first retrodiction window. */
const minTrainWindows = 32;

/** The retrodiction windows of a spec over its prepared series (one plan for in-process and fanned-out runs, and for a sweep's trials). */
export function planSpecWindows(series: PreparedSeries, spec: TrainingSpec): RetrodictionWindow[] {
  return planRetrodiction(series, spec.retrodiction, spec.window, Math.max(minTrainWindows, spec.train.batchSize));
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

/** The target column (after the transform) as one array. */
export function targetColumn(series: PreparedSeries): Float64Array {
  const width = series.columns.length;
  const out = new Float64Array(series.dates.length);
  for (let r = 0; r < out.length; r++) out[r] = series.values[r * width] as number;
  return out;
}

/**
 * Predicts a window from rolling origins t = start, start + horizon, ...: each
 * forecast sees only rows before its origin, which were known at that time.
 * The model's intervals are split-conformal, from its errors at the
 * calibration origins before the window (see forecastPlan); every classical
 * baseline is fitted on the rows before the window and forecast from the same
 * origins (forecastBaselines).
 */
export async function predictWindow(
  model: tf.LayersModel,
  series: PreparedSeries,
  scaler: Scaler,
  windowSpec: WindowSpec,
  window: RetrodictionWindow,
  validationFraction: number,
  /** The window before's result, whose baselines start this window's iterative fits. */
  previous?: WindowResult,
): Promise<WindowResult> {
  const { lookback, horizon } = windowSpec;
  const width = series.columns.length;
  const plan = forecastPlan(window, horizon, lookback, validationFraction);
  const origins = [...plan.origins, ...plan.calibrationOrigins];
  const x = new Float32Array(origins.length * lookback * width);
  origins.forEach((t, i) => {
    writeInputs(series, scaler, lookback, t, x, i * lookback * width);
  });
  const prediction = tf.tidy(() => model.predict(tf.tensor3d(x, [origins.length, lookback, width])) as tf.Tensor);
  const scaled = await prediction.data();
  prediction.dispose();
  const output = Float64Array.from(scaled, (v) => unscaleTarget(scaler, v));
  const split = plan.origins.length * horizon;
  return windowResult(series, window, plan, output.subarray(0, split), output.subarray(split), previous);
}

/**
 * A window's predictions and report from the model's forecasts at the plan's
 * origins and calibration origins (origins x horizon each, original units).
 */
export function windowResult(
  series: PreparedSeries,
  window: RetrodictionWindow,
  plan: ForecastPlan,
  forecasts: ArrayLike<number>,
  calibrationForecasts: ArrayLike<number>,
  previous?: WindowResult,
): WindowResult {
  const target = targetColumn(series);
  const value = (row: number) => target[row] as number;
  const returnsLike = series.transform === "diff" || series.transform === "logReturn";
  const predicted = alignToWindow(plan, forecasts);
  const p: Predictions = {
    actual: [],
    predicted,
    step: windowSteps(plan),
    bands: conformalBands(plan, value, calibrationForecasts, predicted)?.bands ?? null,
    baselines: forecastBaselines(target, plan, series.seasonPeriod, previous?.predictions.baselines),
    reference: [],
  };
  const dates: string[] = [];
  for (const t of plan.origins) {
    for (let h = 0; h < plan.horizon && t + h < plan.endRow; h++) {
      dates.push(series.dates[t + h] as string);
      p.actual.push(value(t + h));
      p.reference.push(returnsLike ? 0 : value(t - 1));
    }
  }
  const maseScale = naiveScale(target.subarray(0, window.startRow));
  return { window, dates, predictions: p, maseScale, report: forecastReport(p, maseScale) };
}

/**
 * Metrics over the predictions of all windows together; MASE scaled as for the
 * earliest window. A baseline unavailable in a window is left out there (NaN),
 * so it is compared with the model on the windows where it was fitted.
 */
export function overallReport(results: readonly Pick<WindowResult, "predictions" | "maseScale" | "window">[]): ForecastReport {
  const all: Predictions = {
    actual: [],
    predicted: [],
    step: [],
    bands: { lower80: [], upper80: [], lower95: [], upper95: [] },
    baselines: {} as Predictions["baselines"],
    reference: [],
  };
  const reasons: Partial<Record<BaselineName, string>> = {};
  for (const r of results) {
    const p = r.predictions;
    const n = p.actual.length;
    all.actual.push(...p.actual);
    all.predicted.push(...p.predicted);
    all.step.push(...p.step);
    all.reference.push(...p.reference);
    appendBands(all.bands as Bands, p.bands, n);
    for (const name of baselineNames) {
      const forecast = p.baselines[name];
      all.baselines[name] ??= { label: forecast?.label ?? name, params: {}, predicted: [], bands: emptyBands(), fitMs: 0 };
      const target = all.baselines[name];
      if (!("predicted" in target)) continue;
      if (forecast && "predicted" in forecast) {
        target.predicted.push(...forecast.predicted);
        target.label = forecast.label;
        appendBands(target.bands as Bands, forecast.bands, n);
      } else {
        reasons[name] ??= `window ${r.window.index + 1}: ${forecast?.unavailable ?? "not computed"}`;
        target.predicted.push(...new Array<number>(n).fill(Number.NaN));
        appendBands(target.bands as Bands, null, n);
      }
    }
  }
  const earliest = [...results].sort((a, b) => a.window.startRow - b.window.startRow)[0];
  return forecastReport(all, earliest?.maseScale ?? 0, reasons);
}

const emptyBands = (): Bands => ({ lower80: [], upper80: [], lower95: [], upper95: [] });

function appendBands(to: Bands, from: Bands | null, n: number): void {
  for (const key of Object.keys(to) as (keyof Bands)[]) to[key].push(...(from ? from[key] : new Array<number>(n).fill(Number.NaN)));
}

/**
 * A window predicted by a classical model (a run of kind ar, arima, ets or
 * theta): fitted on the rows before the window like the baselines, with its
 * spec's options. Throws BaselineUnavailable when it cannot be fitted there.
 */
export function predictStatisticalWindow(
  model: StatisticalModelSpec,
  series: PreparedSeries,
  windowSpec: WindowSpec,
  window: RetrodictionWindow,
  validationFraction: number,
  previous?: WindowResult,
): { result: WindowResult; fitted: FittedForecaster } {
  const plan = forecastPlan(window, windowSpec.horizon, windowSpec.lookback, validationFraction);
  const fit = forecastWindow((history) => fitStatistical(model, history, series.seasonPeriod), targetColumn(series), plan);
  const result = windowResult(
    series,
    window,
    { ...plan, calibrationOrigins: fit.calibrationOrigins },
    fit.forecasts,
    fit.calibrationForecasts,
    previous,
  );
  return { result, fitted: fit.fitted };
}
