import type { PreparedSeries } from "./prepare";
import type { WindowSpec } from "./specs";

/** Per-column standardisation, fitted on the training slice only. */
export interface Scaler {
  mean: number[];
  std: number[];
}

/** Fits on rows [0, endRow): nothing at or after endRow may leak into training. */
export function fitScaler(series: PreparedSeries, endRow: number): Scaler {
  const width = series.columns.length;
  const mean = new Array<number>(width).fill(0);
  const std = new Array<number>(width).fill(0);
  for (let c = 0; c < width; c++) {
    let sum = 0;
    for (let r = 0; r < endRow; r++) sum += series.values[r * width + c] as number;
    const m = sum / endRow;
    let sq = 0;
    for (let r = 0; r < endRow; r++) sq += ((series.values[r * width + c] as number) - m) ** 2;
    mean[c] = m;
    std[c] = Math.sqrt(sq / endRow) || 1;
  }
  return { mean, std };
}

/** Sliding windows as flat arrays: x is count x lookback x features, y is count x horizon (scaled target). */
export interface WindowSet {
  x: Float32Array;
  y: Float32Array;
  count: number;
  lookback: number;
  features: number;
  horizon: number;
  /** Row of each window's first target. */
  targetRows: Int32Array;
}

/**
 * Windows whose first target row t lies in [fromRow, toRow) and whose whole
 * horizon ends before `limitRow` (default toRow + horizon - 1): inputs are rows
 * t-lookback .. t-1, targets rows t .. t+horizon-1.
 */
export function makeWindows(
  series: PreparedSeries,
  scaler: Scaler,
  window: WindowSpec,
  fromRow: number,
  toRow: number,
  limitRow?: number,
): WindowSet {
  const { lookback, horizon } = window;
  const width = series.columns.length;
  const first = Math.max(fromRow, lookback);
  const count = windowCount(window, fromRow, toRow, limitRow ?? series.dates.length);
  const x = new Float32Array(count * lookback * width);
  const y = new Float32Array(count * horizon);
  const targetRows = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const t = first + i;
    targetRows[i] = t;
    writeInputs(series, scaler, lookback, t, x, i * lookback * width);
    for (let h = 0; h < horizon; h++) y[i * horizon + h] = scaleTarget(scaler, series.values[(t + h) * width] as number);
  }
  return { x, y, count, lookback, features: width, horizon, targetRows };
}

/** How many windows makeWindows makes (first targets max(fromRow, lookback) .. min(toRow - 1, limitRow - horizon)), without making them. */
export function windowCount(window: WindowSpec, fromRow: number, toRow: number, limitRow: number): number {
  return Math.max(0, Math.min(toRow - 1, limitRow - window.horizon) - Math.max(fromRow, window.lookback) + 1);
}

/** Inputs for a forecast made at origin row t (rows t-lookback .. t-1, scaled). */
export function writeInputs(series: PreparedSeries, scaler: Scaler, lookback: number, t: number, out: Float32Array, offset: number): void {
  const width = series.columns.length;
  for (let l = 0; l < lookback; l++) {
    const row = t - lookback + l;
    for (let c = 0; c < width; c++) {
      out[offset + l * width + c] = ((series.values[row * width + c] as number) - (scaler.mean[c] as number)) / (scaler.std[c] as number);
    }
  }
}

const scaleTarget = (scaler: Scaler, value: number) => (value - (scaler.mean[0] as number)) / (scaler.std[0] as number);
export const unscaleTarget = (scaler: Scaler, value: number) => value * (scaler.std[0] as number) + (scaler.mean[0] as number);

/** Splits windows by time: the last `fraction` (by target date) become validation. */
export function splitByTime(set: WindowSet, fraction: number): { train: WindowSet; validation: WindowSet } {
  const cut = set.count - validationCount(set.count, fraction);
  return { train: sliceWindows(set, 0, cut), validation: sliceWindows(set, cut, set.count) };
}

/** Windows of `count` that splitByTime gives to validation. */
export const validationCount = (count: number, fraction: number) => Math.floor(count * fraction);

function sliceWindows(set: WindowSet, from: number, to: number): WindowSet {
  const xStride = set.lookback * set.features;
  return {
    ...set,
    x: set.x.subarray(from * xStride, to * xStride),
    y: set.y.subarray(from * set.horizon, to * set.horizon),
    count: to - from,
    targetRows: set.targetRows.subarray(from, to),
  };
}
