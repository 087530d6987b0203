import { type Bands, bandsAround, type ConformalWidths, conformalWidths } from "./intervals";

/**
 * Where a window is forecast from: origins startRow, startRow + horizon, ...
 * (each forecast sees only the rows before it), and the calibration origins
 * before the window whose errors size the prediction intervals.
 */
export interface ForecastPlan {
  startRow: number;
  endRow: number;
  horizon: number;
  origins: number[];
  calibrationOrigins: number[];
}

/** Calibration residuals come from at least this many origins before the window. */
const minCalibrationOrigins = 50;

/**
 * The plan of one window. Calibration origins are the rows of the last
 * `validationFraction` of the forecastable history (the model's validation
 * part, which it was not fitted on), at least 50 of them.
 */
export function forecastPlan(
  window: { startRow: number; endRow: number },
  horizon: number,
  firstOrigin: number,
  validationFraction: number,
): ForecastPlan {
  const { startRow, endRow } = window;
  const origins: number[] = [];
  for (let t = startRow; t < endRow; t += horizon) origins.push(t);
  const available = Math.max(0, startRow - firstOrigin);
  const count = Math.min(available, Math.max(minCalibrationOrigins, Math.floor(available * validationFraction)));
  const calibrationOrigins = Array.from({ length: count }, (_, i) => startRow - count + i);
  return { startRow, endRow, horizon, origins, calibrationOrigins };
}

/** Forecasts at the window origins (origins x horizon) laid out as the window's predictions, cut at endRow. */
export function alignToWindow(plan: ForecastPlan, forecasts: ArrayLike<number>): number[] {
  const out: number[] = [];
  plan.origins.forEach((t, i) => {
    for (let h = 0; h < plan.horizon && t + h < plan.endRow; h++) out.push(forecasts[i * plan.horizon + h] as number);
  });
  return out;
}

/** Horizon step (1-based) of each prediction of the window. */
export function windowSteps(plan: ForecastPlan): number[] {
  return alignToWindow(
    plan,
    Array.from({ length: plan.origins.length * plan.horizon }, (_, i) => (i % plan.horizon) + 1),
  );
}

/** Prediction bands for the window from forecasts at the calibration origins; null when too few residuals. */
export function conformalBands(
  plan: ForecastPlan,
  target: (row: number) => number,
  calibrationForecasts: ArrayLike<number>,
  windowPoint: readonly number[],
): { bands: Bands; widths: ConformalWidths } | null {
  const residuals: number[][] = Array.from({ length: plan.horizon }, () => []);
  plan.calibrationOrigins.forEach((t, i) => {
    for (let h = 0; h < plan.horizon && t + h < plan.startRow; h++) {
      const r = target(t + h) - (calibrationForecasts[i * plan.horizon + h] as number);
      if (Number.isFinite(r)) residuals[h]?.push(r);
    }
  });
  const widths = conformalWidths(residuals);
  return widths && { bands: bandsAround(windowPoint, windowSteps(plan), widths), widths };
}
