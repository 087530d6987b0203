import { armaDeviance, armaSigma2 } from "./arma-likelihood";
import { BaselineUnavailable, type FittedForecaster, mean, requireRows, slice } from "./forecaster";
import { lagColumns, NormalEquations } from "./least-squares";
import { minimize } from "./optimize";

export interface ArimaOrder {
  p: number;
  d: number;
  q: number;
}

export interface ArimaOptions {
  /** Fixed order; by default d by the KPSS test and (p, q) by AIC. */
  order?: ArimaOrder;
  maxP: number;
  maxQ: number;
}

/** 5% critical value of the KPSS level-stationarity test (Kwiatkowski et al. 1992, table 1). */
const kpssCritical = 0.463;

/**
 * ARIMA(p,d,q) with a constant (a drift when d = 1), estimated by conditional
 * sum of squares. Written here because the npm `arima` package (a WebAssembly
 * build of ctsa) forecasts only from the end of the series it was trained on:
 * it cannot filter later observations with its parameters fixed, which every
 * rolling origin of a window needs. The order follows Hyndman-Khandakar: d by
 * repeated KPSS tests, then (p, q) by AIC on the differenced series.
 * `previous`, the params of the fit before the previous window, starts the
 * estimate when its order is chosen again.
 */
export function fitArima(y: Float64Array, options: ArimaOptions, previous?: FittedForecaster["params"]): FittedForecaster {
  requireRows(y, 20, "ARIMA");
  const d = options.order?.d ?? differencesNeeded(y);
  const w = difference(y, d);
  // Hannan-Rissanen's regressions are singular on a series a long AR explains exactly: start from AR(1) then.
  const chosen = options.order
    ? { p: options.order.p, q: options.order.q, start: undefined }
    : (hannanRissanenOrder(w, options.maxP, options.maxQ) ?? { p: Math.min(1, options.maxP), q: 0, start: undefined });
  if (w.length < 3 * (chosen.p + chosen.q) + 10) {
    throw new BaselineUnavailable(`ARIMA needs more rows before the window than the ${y.length} it has`);
  }
  const warm = sameOrderFit(previous, { p: chosen.p, d, q: chosen.q });
  const fit = warm ? refitArma(w, chosen.p, chosen.q, warm) : fitArma(w, chosen.p, chosen.q, chosen.start);
  return arimaForecaster({ p: chosen.p, d, q: chosen.q }, fit.constant, fit.phi, fit.theta, fit.sigma2);
}

/**
 * (p, q) by AIC over Hannan-Rissanen regressions (the first step of
 * Hyndman-Khandakar's and statsmodels' ARMA estimators): a long AR gives
 * residuals, then every candidate is a least-squares fit on lags of the series
 * and of those residuals, all on one common sample. Only the chosen order is
 * then estimated by conditional sum of squares, starting from its
 * regression coefficients.
 */
function hannanRissanenOrder(w: Float64Array, maxP: number, maxQ: number): { p: number; q: number; start: number[] } | null {
  const n = w.length;
  const longOrder = Math.min(Math.max(Math.floor(Math.log(n) ** 2), 2 * Math.max(maxP, maxQ)), Math.floor((n - 2) / 4));
  if (longOrder < 1) return null;
  const m = mean(w);
  const centred = w.map((v) => v - m);
  const long = lagColumns(centred, longOrder, longOrder);
  const longFit = new NormalEquations(long.columns, long.target).solve(long.columns.map((_, i) => i));
  if (!longFit) return null;
  const residual = new Float64Array(n);
  for (let t = longOrder; t < n; t++) {
    let value = (centred[t] as number) - (longFit.beta[0] as number);
    for (let k = 1; k <= longOrder; k++) value -= (longFit.beta[k] as number) * (centred[t - k] as number);
    residual[t] = value;
  }
  const start = longOrder + Math.max(maxP, maxQ);
  if (n - start < 10) return null;
  const rows = n - start;
  const column = (source: Float64Array, lag: number) => Float64Array.from({ length: rows }, (_, r) => source[start + r - lag] as number);
  const columns = [new Float64Array(rows).fill(1)];
  for (let k = 1; k <= maxP; k++) columns.push(column(centred, k));
  for (let k = 1; k <= maxQ; k++) columns.push(column(residual, k));
  const equations = new NormalEquations(columns, column(centred, 0));
  let best: { p: number; q: number; start: number[]; aic: number } | null = null;
  for (let p = 0; p <= maxP; p++) {
    for (let q = 0; q <= maxQ; q++) {
      const indices = [0, ...Array.from({ length: p }, (_, k) => 1 + k), ...Array.from({ length: q }, (_, k) => 1 + maxP + k)];
      const fit = equations.solve(indices);
      if (!fit) continue;
      const aic = rows * Math.log(Math.max(fit.sse, 1e-300) / rows) + 2 * (p + q + 1);
      if (best && aic >= best.aic) continue;
      const phi = fit.beta.slice(1, 1 + p);
      // The regression's constant is for the centred series; the model's is for w itself.
      const constant = (fit.beta[0] as number) + m * (1 - phi.reduce((s, v) => s + v, 0));
      best = { p, q, start: [constant, ...phi, ...fit.beta.slice(1 + p)], aic };
    }
  }
  return best;
}

function arimaForecaster(order: ArimaOrder, constant: number, phi: number[], theta: number[], sigma2: number): FittedForecaster {
  const { p, d, q } = order;
  return {
    label: `ARIMA(${p},${d},${q})`,
    params: { p, d, q, constant, phi, theta, sigma2 },
    forecast(y, origins, horizon) {
      const out = new Float64Array(origins.length * horizon);
      const last = origins[origins.length - 1] ?? 0;
      // Residuals of the differenced series up to the last origin, with fixed parameters.
      const w = difference(slice(y, 0, last), d);
      const e = armaResiduals(w, constant, phi, theta);
      const path = new Float64Array(p + horizon);
      const shocks = new Float64Array(q + horizon);
      origins.forEach((t, i) => {
        const end = t - d; // w[0..end) is known at origin t
        for (let k = 0; k < p; k++) path[k] = end - p + k >= 0 ? (w[end - p + k] as number) : 0;
        for (let k = 0; k < q; k++) shocks[k] = end - q + k >= 0 ? (e[end - q + k] as number) : 0;
        for (let h = 0; h < horizon; h++) {
          let value = constant;
          for (let k = 0; k < p; k++) value += (phi[k] as number) * (path[p + h - 1 - k] as number);
          for (let k = 0; k < q; k++) value += (theta[k] as number) * (shocks[q + h - 1 - k] as number);
          path[p + h] = value;
          shocks[q + h] = 0;
        }
        // Integrate the differenced path back to levels.
        let level = y[t - 1] as number;
        let slope = d === 2 ? (y[t - 1] as number) - (y[t - 2] as number) : 0;
        for (let h = 0; h < horizon; h++) {
          const step = path[p + h] as number;
          if (d === 0) level = step;
          else if (d === 1) level += step;
          else {
            slope += step;
            level += slope;
          }
          out[i * horizon + h] = level;
        }
      });
      return out;
    },
  };
}

interface ArmaFit {
  constant: number;
  phi: number[];
  theta: number[];
  sigma2: number;
}

/** The estimate of `previous` (the fit before the last window) when it has this order, to start this one from. */
function sameOrderFit(previous: FittedForecaster["params"] | undefined, order: ArimaOrder): ArmaFit | undefined {
  if (!previous || previous.p !== order.p || previous.d !== order.d || previous.q !== order.q) return undefined;
  const { constant, phi, theta, sigma2 } = previous;
  if (typeof constant !== "number" || !Array.isArray(phi) || !Array.isArray(theta) || typeof sigma2 !== "number") return undefined;
  return { constant, phi, theta, sigma2 };
}

/**
 * The exact maximum-likelihood estimate on a series that grew by one window
 * since `previous` was estimated: the optimum barely moves, so it starts from
 * there with a small simplex and no CSS step (bench/baselines.ts measures what
 * this saves; the statsmodels agreement test checks the estimates).
 */
function refitArma(w: Float64Array, p: number, q: number, previous: ArmaFit): ArmaFit {
  const sumPhi = previous.phi.reduce((s, v) => s + v, 0);
  const mu = Math.abs(1 - sumPhi) > 1e-6 ? previous.constant / (1 - sumPhi) : mean(w);
  return maximumLikelihood(w, p, q, [mu, ...previous.phi, ...previous.theta], 0.05) ?? fitArma(w, p, q);
}

/** Minimises the exact deviance from `start`; null when the start is not a stationary, invertible model. */
function maximumLikelihood(w: Float64Array, p: number, q: number, start: number[], scale = 1): ArmaFit | null {
  const exact = (x: number[]) => {
    const theta = x.slice(1 + p);
    return q > 0 && !invertible(theta) ? Number.POSITIVE_INFINITY : armaDeviance(w, x[0] as number, x.slice(1, 1 + p), theta);
  };
  if (!Number.isFinite(exact(start))) return null;
  const { x } = minimize(exact, start, 300 * start.length, scale);
  const mu = x[0] as number;
  const phi = x.slice(1, 1 + p);
  const theta = x.slice(1 + p);
  return { constant: mu * (1 - phi.reduce((s, v) => s + v, 0)), phi, theta, sigma2: armaSigma2(w, mu, phi, theta) };
}

/**
 * CSS then exact maximum likelihood, as R's arima does by default ("CSS-ML")
 * and as statsmodels' estimates are: the conditional sum of squares gives the
 * start, the Kalman-filter likelihood (arma-likelihood.ts) the estimate, with
 * the MA part kept invertible.
 */
function fitArma(w: Float64Array, p: number, q: number, initial?: number[]): ArmaFit {
  const css = conditionalSumOfSquares(w, p, q, initial);
  const sumPhi = css.phi.reduce((s, v) => s + v, 0);
  const start = [Math.abs(1 - sumPhi) > 1e-6 ? css.constant / (1 - sumPhi) : mean(w), ...css.phi, ...css.theta];
  return maximumLikelihood(w, p, q, start) ?? css;
}

function conditionalSumOfSquares(w: Float64Array, p: number, q: number, initial?: number[]): ArmaFit {
  const start = initial && (q === 0 || invertible(initial.slice(1 + p))) ? initial : [mean(w), ...new Array<number>(p + q).fill(0)];
  const scale = variancePositive(w);
  const objective = (x: number[]) => {
    const e = armaResiduals(w, x[0] as number, x.slice(1, 1 + p), x.slice(1 + p));
    let sse = 0;
    for (let t = p; t < e.length; t++) sse += (e[t] as number) ** 2;
    // MA roots outside the unit circle make the residuals grow without bound: refuse them.
    return sse / (scale * (e.length - p)) + (q > 0 && !invertible(x.slice(1 + p)) ? 1e6 : 0);
  };
  const { x } = minimize(objective, start, 300 * start.length);
  const constant = x[0] as number;
  const phi = x.slice(1, 1 + p);
  const theta = x.slice(1 + p);
  const e = armaResiduals(w, constant, phi, theta);
  const n = e.length - p;
  let sse = 0;
  for (let t = p; t < e.length; t++) sse += (e[t] as number) ** 2;
  const sigma2 = sse / n;
  return { constant, phi, theta, sigma2 };
}

/** e[t] = w[t] - c - sum phi_k w[t-k] - sum theta_k e[t-k], conditioned on the first p values (e = 0 there). */
function armaResiduals(w: Float64Array, constant: number, phi: readonly number[], theta: readonly number[]): Float64Array {
  const p = phi.length;
  const q = theta.length;
  const e = new Float64Array(w.length);
  for (let t = p; t < w.length; t++) {
    let value = (w[t] as number) - constant;
    for (let k = 1; k <= p; k++) value -= (phi[k - 1] as number) * (w[t - k] as number);
    for (let k = 1; k <= q && t - k >= 0; k++) value -= (theta[k - 1] as number) * (e[t - k] as number);
    e[t] = value;
  }
  return e;
}

/** An MA polynomial is invertible when the residual recursion's impulse response dies out. */
function invertible(theta: readonly number[]): boolean {
  const q = theta.length;
  const impulse = new Float64Array(q + 200);
  impulse[q] = 1;
  for (let t = q + 1; t < impulse.length; t++) {
    let value = 0;
    for (let k = 1; k <= q; k++) value -= (theta[k - 1] as number) * (impulse[t - k] as number);
    impulse[t] = value;
  }
  return Math.abs(impulse[impulse.length - 1] as number) < 1;
}

function variancePositive(w: Float64Array): number {
  const m = mean(w);
  let sq = 0;
  for (const v of w) sq += (v - m) ** 2;
  return sq / w.length || 1;
}

export function difference(y: ArrayLike<number>, d: number): Float64Array {
  let out = Float64Array.from(y as ArrayLike<number>);
  for (let k = 0; k < d; k++) out = out.subarray(1).map((v, i) => v - (out[i] as number));
  return out;
}

/** Differences (0, 1 or 2) until the KPSS test no longer rejects level stationarity at 5%. */
function differencesNeeded(y: Float64Array): number {
  let d = 0;
  let series = y;
  while (d < 2 && kpssStatistic(series) > kpssCritical) {
    series = difference(series, 1);
    d++;
  }
  return d;
}

/**
 * KPSS statistic for level stationarity with the Newey-West long-run variance
 * and statsmodels' "legacy" lag count, int(12 (n/100)^(1/4)).
 */
function kpssStatistic(y: ArrayLike<number>): number {
  const n = y.length;
  const m = mean(y);
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) e[i] = (y[i] as number) - m;
  let partial = 0;
  let eta = 0;
  for (let i = 0; i < n; i++) {
    partial += e[i] as number;
    eta += partial * partial;
  }
  const lags = Math.min(n - 1, Math.floor(12 * (n / 100) ** 0.25));
  let s2 = 0;
  for (let i = 0; i < n; i++) s2 += (e[i] as number) ** 2;
  for (let l = 1; l <= lags; l++) {
    let cov = 0;
    for (let i = l; i < n; i++) cov += (e[i] as number) * (e[i - l] as number);
    s2 += 2 * (1 - l / (lags + 1)) * cov;
  }
  s2 /= n;
  return s2 > 0 ? eta / (n * n * s2) : 0;
}
