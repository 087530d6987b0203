/** A model fitted on the rows before a window, its parameters then fixed. */
export interface FittedForecaster {
  /** Short description of what was fitted, e.g. "AR(14)", "ARIMA(2,1,1)". */
  label: string;
  /** Fitted parameters, as results.json records them (and bench/reference/classical.py reads them). */
  params: Record<string, number | number[] | string | boolean>;
  /**
   * Forecasts for steps 1..horizon from each origin t, each made from y[0..t)
   * only (the state is updated on the actual values up to t). Origins ascend.
   * Result: origins.length x horizon, row-major.
   */
  forecast(y: ArrayLike<number>, origins: readonly number[], horizon: number): Float64Array;
}

/** A baseline that cannot be fitted on the rows it was given; the reason is reported, the run goes on. */
export class BaselineUnavailable extends Error {
  override name = "BaselineUnavailable";
}

/** Values y[from..to) as a new array. */
export function slice(y: ArrayLike<number>, from: number, to: number): Float64Array {
  const out = new Float64Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = y[i] as number;
  return out;
}

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return sum / values.length;
}

export function variance(values: ArrayLike<number>): number {
  const m = mean(values);
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += ((values[i] as number) - m) ** 2;
  return sq / values.length;
}

/** Throws BaselineUnavailable unless the fit rows vary and are at least `needed` long. */
export function requireRows(y: ArrayLike<number>, needed: number, what: string): void {
  if (y.length < needed) throw new BaselineUnavailable(`${what} needs at least ${needed} rows before the window; it has ${y.length}`);
  if (variance(y) === 0) throw new BaselineUnavailable(`the series is constant before the window; ${what} has nothing to fit`);
}
