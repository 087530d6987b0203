import { mean } from "./forecaster";

/** Autocorrelations at lags 0..maxLag. */
function autocorrelations(y: ArrayLike<number>, maxLag: number): number[] {
  const n = y.length;
  const m = mean(y);
  let c0 = 0;
  for (let i = 0; i < n; i++) c0 += ((y[i] as number) - m) ** 2;
  const out = [1];
  for (let lag = 1; lag <= maxLag; lag++) {
    let c = 0;
    for (let i = lag; i < n; i++) c += ((y[i] as number) - m) * ((y[i - lag] as number) - m);
    out.push(c0 > 0 ? c / c0 : 0);
  }
  return out;
}

/**
 * Whether a series has a season of `period`: at least two full seasons of data
 * and the autocorrelation at lag `period` significant at 10%, the test of
 * statsmodels' ThetaModel (n r_m^2 / sum_{k<m} r_k^2 against chi2(1)).
 */
export function hasSeason(y: ArrayLike<number>, period: number): boolean {
  if (period < 2 || y.length < 2 * period + 10) return false;
  const rho = autocorrelations(y, period);
  const denominator = rho.slice(0, period).reduce((s, r) => s + r * r, 0);
  return (y.length * (rho[period] as number) ** 2) / denominator > 2.705543454095404;
}

/** Centred moving average of one period (a 2 x m average for even m), NaN where it does not reach. */
export function centredMovingAverage(y: ArrayLike<number>, period: number): Float64Array {
  const n = y.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const half = Math.floor(period / 2);
  for (let t = half; t < n - half; t++) {
    let sum = 0;
    if (period % 2 === 1) {
      for (let k = -half; k <= half; k++) sum += y[t + k] as number;
      out[t] = sum / period;
    } else {
      for (let k = -half + 1; k < half; k++) sum += y[t + k] as number;
      sum += 0.5 * ((y[t - half] as number) + (y[t + half] as number));
      out[t] = sum / period;
    }
  }
  return out;
}

/**
 * Seasonal indices by phase (index i for rows i, i + m, ...), as statsmodels'
 * seasonal_decompose: the mean detrended value of each phase, centred (additive,
 * mean 0) or normalised (multiplicative, mean 1).
 */
export function seasonalIndices(y: ArrayLike<number>, period: number, kind: "additive" | "multiplicative"): number[] {
  const trend = centredMovingAverage(y, period);
  const sums = new Array<number>(period).fill(0);
  const counts = new Array<number>(period).fill(0);
  for (let t = 0; t < y.length; t++) {
    const level = trend[t] as number;
    if (Number.isNaN(level)) continue;
    const detrended = kind === "additive" ? (y[t] as number) - level : (y[t] as number) / level;
    sums[t % period] = (sums[t % period] as number) + detrended;
    counts[t % period] = (counts[t % period] as number) + 1;
  }
  const raw = sums.map((s, i) => s / (counts[i] as number));
  const centre = mean(raw);
  return raw.map((v) => (kind === "additive" ? v - centre : v / centre));
}
