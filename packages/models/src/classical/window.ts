import { alignToWindow, conformalBands, type ForecastPlan } from "../forecast-plan";
import type { Bands } from "../intervals";
import { type BaselineName, baselineNames, baselineTitles, fitBaseline } from "./baselines";
import { BaselineUnavailable, type FittedForecaster, slice } from "./forecaster";

export type BaselineForecast =
  | {
      label: string;
      params: FittedForecaster["params"];
      /** Aligned with the window's predictions. */
      predicted: number[];
      bands: Bands | null;
      /** Time to fit and forecast, in milliseconds. */
      fitMs: number;
    }
  | { label: string; unavailable: string };

/**
 * Baselines are fitted on at most this many of the most recent rows before a
 * window: enough for every order they search, and it keeps their cost bounded
 * on very long series (bench/baselines.ts measures it).
 */
const maxBaselineFitRows = 5000;

/** Forecasts of a model fitted on the rows before a plan's window: at its origins and its calibration origins (origins x horizon each). */
export interface WindowForecasts {
  fitted: FittedForecaster;
  forecasts: Float64Array;
  calibrationForecasts: Float64Array;
  /** The calibration origins that had enough rows before them (the fit's first rows are not origins). */
  calibrationOrigins: number[];
}

/**
 * Fits `fit` on the rows before the window (at most maxBaselineFitRows of
 * them) and forecasts from the plan's origins with its parameters fixed:
 * every baseline, and a run whose model is a classical family, go through here.
 */
export function forecastWindow(
  fit: (history: Float64Array) => FittedForecaster,
  target: ArrayLike<number>,
  plan: ForecastPlan,
): WindowForecasts {
  const fitStart = Math.max(0, plan.startRow - maxBaselineFitRows);
  const y = slice(target, fitStart, plan.endRow);
  const fitted = fit(y.subarray(0, plan.startRow - fitStart));
  const shifted = (origins: number[]) => origins.map((t) => t - fitStart);
  const calibrationOrigins = plan.calibrationOrigins.filter((t) => t > fitStart);
  return {
    fitted,
    forecasts: fitted.forecast(y, shifted(plan.origins), plan.horizon),
    calibrationForecasts: fitted.forecast(y, shifted(calibrationOrigins), plan.horizon),
    calibrationOrigins,
  };
}

export type BaselineForecasts = Record<BaselineName, BaselineForecast>;

/**
 * Every baseline fitted on the rows before the window and forecast from the
 * plan's origins; `previous`, the baselines of the window before, start the
 * fits that are iterative.
 */
export function forecastBaselines(
  target: ArrayLike<number>,
  plan: ForecastPlan,
  period: number,
  previous?: BaselineForecasts,
): BaselineForecasts {
  const value = (row: number) => target[row] as number;
  const out = {} as BaselineForecasts;
  for (const name of baselineNames) {
    const before = previous?.[name];
    const started = performance.now();
    try {
      const { fitted, forecasts, calibrationForecasts, calibrationOrigins } = forecastWindow(
        (history) => fitBaseline(name, history, period, before && "params" in before ? before.params : undefined),
        target,
        plan,
      );
      const predicted = alignToWindow(plan, forecasts);
      if (predicted.some((v) => !Number.isFinite(v))) throw new BaselineUnavailable(`${fitted.label} gave forecasts that are not finite`);
      const bands = conformalBands({ ...plan, calibrationOrigins }, value, calibrationForecasts, predicted)?.bands ?? null;
      out[name] = { label: fitted.label, params: fitted.params, predicted, bands, fitMs: performance.now() - started };
    } catch (error) {
      // An optimizer or a solver that fails is the baseline's problem, never the run's.
      const reason = error instanceof BaselineUnavailable ? error.message : `fitting failed: ${(error as Error).message}`;
      out[name] = { label: baselineTitles[name], unavailable: reason };
    }
  }
  return out;
}
