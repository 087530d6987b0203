import { type FittedForecaster, requireRows } from "./forecaster";
import { logistic, logit, minimize } from "./optimize";
import { hasSeason, seasonalIndices } from "./seasonality";

export interface ThetaOptions {
  /** Weight of the trend line: 2 is the classic method (Assimakopoulos & Nikolopoulos 2000). */
  theta: number;
  period: number;
  /** Remove a classical-decomposition season first when the data show one ("auto"), or never. */
  deseasonalize: "auto" | "none";
}

/**
 * The Theta method as Hyndman & Billah (2003) showed it to be, simple
 * exponential smoothing plus half the slope of a linear trend, in the form of
 * statsmodels' ThetaModel: b0 from least squares on t = 0..n-1, alpha by
 * fitting SES with the first value as its initial level, and the forecast
 * SES + (1 - 1/theta) b0 (h - 1 + 1/alpha - (1 - alpha)^n / alpha), on the
 * deseasonalised series (multiplicative when every value is positive, as
 * statsmodels' method="auto") when a season is found by its test.
 */
export function fitTheta(y: Float64Array, options: ThetaOptions): FittedForecaster {
  requireRows(y, 10, "Theta");
  const seasonal = options.deseasonalize === "auto" && hasSeason(y, options.period);
  const method: "additive" | "multiplicative" = seasonal && y.every((v) => v > 0) ? "multiplicative" : "additive";
  let season = seasonal ? seasonalIndices(y, options.period, method) : [];
  // As statsmodels: a multiplicative season with a non-positive index falls back to additive.
  let kind = method;
  if (seasonal && method === "multiplicative" && season.some((s) => s <= 0)) {
    kind = "additive";
    season = seasonalIndices(y, options.period, "additive");
  }
  const adjust = seasonAdjuster(season, kind);
  const x = y.map((v, t) => adjust.remove(v, t));
  const n = x.length;
  // Slope of the least-squares line through (t, x_t), t = 0..n-1.
  const tMean = (n - 1) / 2;
  let xMean = 0;
  for (const v of x) xMean += v / n;
  let sxy = 0;
  let sxx = 0;
  x.forEach((v, t) => {
    sxy += (t - tMean) * (v - xMean);
    sxx += (t - tMean) ** 2;
  });
  const b0 = sxy / sxx;
  const { x: best } = minimize((v) => sesSquares(x, logistic(v[0] as number)), [logit(0.5)]);
  const alpha = Math.min(1 - 1e-9, Math.max(1e-9, logistic(best[0] as number)));
  const trendWeight = 1 - 1 / options.theta;
  return {
    label: `Theta(${options.theta}${season.length ? `, ${kind} season ${options.period}` : ""})`,
    params: { theta: options.theta, alpha, b0, period: season.length, seasonal: season.length ? kind : "none", season },
    forecast(y, origins, horizon) {
      const out = new Float64Array(origins.length * horizon);
      let level = adjust.remove(y[0] as number, 0);
      let t = 1;
      for (const [i, origin] of origins.entries()) {
        // After this, level is SES's forecast from rows 0..origin-1 (origin rows seen).
        for (; t < origin; t++) level = alpha * adjust.remove(y[t] as number, t) + (1 - alpha) * level;
        const drift = 1 / alpha - (1 - alpha) ** origin / alpha;
        for (let h = 0; h < horizon; h++) {
          out[i * horizon + h] = adjust.restore(level + trendWeight * b0 * (h + drift), origin + h);
        }
      }
      return out;
    },
  };
}

/** Sum of squared one-step errors of SES started at the first value. */
function sesSquares(x: Float64Array, alpha: number): number {
  let level = x[0] as number;
  let sse = 0;
  for (let t = 1; t < x.length; t++) {
    const error = (x[t] as number) - level;
    sse += error * error;
    level += alpha * error;
  }
  return sse;
}

function seasonAdjuster(season: number[], kind: "additive" | "multiplicative") {
  const period = season.length;
  const at = (t: number) => season[t % period] as number;
  if (!period) return { remove: (v: number) => v, restore: (v: number) => v };
  return kind === "additive"
    ? { remove: (v: number, t: number) => v - at(t), restore: (v: number, t: number) => v + at(t) }
    : { remove: (v: number, t: number) => v / at(t), restore: (v: number, t: number) => v * at(t) };
}
