import { type FittedForecaster, requireRows, slice } from "./forecaster";
import { logistic, logit, minimize } from "./optimize";
import { centredMovingAverage, hasSeason } from "./seasonality";

export interface EtsOptions {
  /** Additive seasonality of this period when the data show it ("auto"), always, or never. */
  seasonal: "auto" | "additive" | "none";
  period: number;
  damped: boolean;
}

interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  level: number;
  trend: number;
  season: number[];
}

const smallest = 1e-4;
const phiBounds = [0.8, 0.98] as const;

/**
 * ETS with additive errors, an additive (damped) trend and, when the season
 * fits the data, additive seasonality: ETS(A,Ad,A) / ETS(A,Ad,N). Initial
 * states by the heuristic of Hyndman et al. (2008, section 2.6) as statsmodels'
 * ETSModel(initialization_method="heuristic") computes them; smoothing
 * parameters by least squares (the Gaussian likelihood of additive errors)
 * within statsmodels' bounds: beta <= alpha, gamma <= 1 - alpha, phi in [0.8, 0.98].
 */
export function fitEts(y: Float64Array, options: EtsOptions): FittedForecaster {
  requireRows(y, 10, "ETS");
  const seasonal = options.seasonal === "additive" || (options.seasonal === "auto" && hasSeason(y, options.period));
  const period = seasonal ? options.period : 0;
  if (seasonal) requireRows(y, Math.max(2 * period, 10 + 2 * Math.floor(period / 2)), `ETS with a season of ${period}`);
  const initial = heuristicStates(y, period);
  const unpack = (x: number[]): EtsParams => {
    const alpha = smallest + (1 - 2 * smallest) * logistic(x[0] as number);
    return {
      alpha,
      beta: alpha * logistic(x[1] as number),
      gamma: period ? (1 - alpha) * logistic(x[2] as number) : 0,
      phi: options.damped ? phiBounds[0] + (phiBounds[1] - phiBounds[0]) * logistic(x[3] as number) : 1,
      ...initial,
    };
  };
  const start = [logit(0.1), logit(0.1), logit(0.01), logit((0.97 - phiBounds[0]) / (phiBounds[1] - phiBounds[0]))];
  const scale = meanSquare(y);
  const { x } = minimize((v) => sumOfSquares(y, unpack(v)) / scale, start);
  const params = unpack(x);
  return etsForecaster(params, period, options.damped);
}

function etsForecaster(params: EtsParams, period: number, damped: boolean): FittedForecaster {
  const { alpha, beta, gamma, phi } = params;
  return {
    label: `ETS(A,${damped ? "Ad" : "A"},${period ? "A" : "N"})`,
    params: { ...params, period, damped },
    forecast(y, origins, horizon) {
      const out = new Float64Array(origins.length * horizon);
      let level = params.level;
      let trend = params.trend;
      // season[t % period] holds s_{t-m} for the row t about to be seen.
      const season = period ? params.season.slice() : [0];
      let t = 0;
      for (const [i, origin] of origins.entries()) {
        for (; t < origin; t++) {
          const s = period ? (season[t % period] as number) : 0;
          const error = (y[t] as number) - (level + phi * trend + s);
          const nextLevel = level + phi * trend + alpha * error;
          trend = phi * trend + beta * error;
          level = nextLevel;
          if (period) season[t % period] = s + gamma * error;
        }
        let damping = 0;
        for (let h = 0; h < horizon; h++) {
          damping += phi ** (h + 1);
          out[i * horizon + h] = level + damping * trend + (period ? (season[(origin + h) % period] as number) : 0);
        }
      }
      return out;
    },
  };
}

function sumOfSquares(y: Float64Array, p: EtsParams): number {
  let { level, trend } = p;
  const period = p.season.length;
  const season = p.season.slice();
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const s = period ? (season[t % period] as number) : 0;
    const error = (y[t] as number) - (level + p.phi * trend + s);
    sse += error * error;
    const nextLevel = level + p.phi * trend + p.alpha * error;
    trend = p.phi * trend + p.beta * error;
    level = nextLevel;
    if (period) season[t % period] = s + p.gamma * error;
  }
  return sse;
}

function meanSquare(y: Float64Array): number {
  let sum = 0;
  for (const v of y) sum += v * v;
  return sum / y.length || 1;
}

/** statsmodels' _initialization_heuristic for additive trend and seasonality. */
function heuristicStates(y: Float64Array, period: number): { level: number; trend: number; season: number[] } {
  let base: Float64Array = y;
  let season: number[] = [];
  if (period) {
    const minObs = 10 + 2 * Math.floor(period / 2);
    const cycles = Math.max(Math.min(5, Math.floor(y.length / period)), Math.ceil(minObs / period));
    const head = slice(y, 0, Math.min(y.length, period * cycles));
    const trend = centredMovingAverage(head, period);
    const sums = new Array<number>(period).fill(0);
    const counts = new Array<number>(period).fill(0);
    trend.forEach((level, t) => {
      if (Number.isNaN(level)) return;
      sums[t % period] = (sums[t % period] as number) + (head[t] as number) - level;
      counts[t % period] = (counts[t % period] as number) + 1;
    });
    season = sums.map((s, i) => s / (counts[i] as number));
    const centre = season.reduce((s, v) => s + v, 0) / period;
    season = season.map((v) => v - centre);
    base = trend.filter((v) => !Number.isNaN(v));
  }
  // Level and trend: a line through the first ten values (of the trend, with a season), at t = 1..10.
  const n = Math.min(10, base.length);
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const x = i + 1;
    const v = base[i] as number;
    sx += x;
    sy += v;
    sxx += x * x;
    sxy += x * v;
  }
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return { level: (sy - slope * sx) / n, trend: slope, season };
}
