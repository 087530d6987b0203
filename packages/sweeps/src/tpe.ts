import type { Dimension } from "./space";
import type { TrialValues } from "./sweep-spec";

/*
 * Tree-structured Parzen Estimator (Bergstra et al. 2011), independent per
 * dimension as Optuna's TPESampler is by default: the ended trials are split
 * into the best few ("good") and the rest; each dimension draws candidates
 * from a Parzen estimator of the good values and keeps the one with the
 * highest ratio l(x) / g(x). Written here because no kept npm package offers
 * TPE (hyperopt and Optuna are Python); the constants are Optuna's defaults.
 */

/** An ended trial: its values and its objective, oriented so that lower is better (+Infinity: stopped early). */
export interface ObservedTrial {
  values: TrialValues;
  loss: number;
}

/** Random draws before TPE models anything (Optuna: n_startup_trials). */
export const tpeStartupTrials = 10;
const candidates = 24;

/** Optuna's default gamma: the best 10% of the trials, at most 25, are the good ones. */
const goodCount = (n: number) => Math.max(1, Math.min(Math.ceil(0.1 * n), 25));

/** TPE's values for the next trial; null until `tpeStartupTrials` trials have ended. */
export function tpeSuggest(dims: readonly Dimension[], history: readonly ObservedTrial[], random: () => number): TrialValues | null {
  if (history.length < tpeStartupTrials) return null;
  const sorted = [...history].sort((a, b) => a.loss - b.loss);
  const split = goodCount(sorted.length);
  const good = sorted.slice(0, split);
  const bad = sorted.slice(split);
  const values: TrialValues = {};
  for (const dim of dims) {
    const observed = (trials: readonly ObservedTrial[]) =>
      trials.filter((t) => Object.hasOwn(t.values, dim.path)).map((t) => t.values[dim.path]);
    values[dim.path] =
      dim.kind === "choice"
        ? pickChoice(dim, observed(good), observed(bad), random)
        : pickNumber(dim, observed(good), observed(bad), random);
  }
  return values;
}

function bestCandidate<T>(draw: () => T, score: (value: T) => number): T {
  let best = draw();
  let bestScore = score(best);
  for (let i = 1; i < candidates; i++) {
    const value = draw();
    const s = score(value);
    if (s > bestScore) [best, bestScore] = [value, s];
  }
  return best;
}

function pickChoice(dim: Extract<Dimension, { kind: "choice" }>, good: unknown[], bad: unknown[], random: () => number): unknown {
  const keys = dim.values.map((v) => JSON.stringify(v));
  // One prior observation of each choice keeps every choice possible.
  const weights = (observed: unknown[]) => {
    const counts = keys.map(() => 1);
    for (const value of observed) {
      const index = keys.indexOf(JSON.stringify(value));
      if (index >= 0) counts[index] = (counts[index] as number) + 1;
    }
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((c) => c / total);
  };
  const l = weights(good);
  const g = weights(bad);
  const draw = () => {
    let u = random();
    for (let i = 0; i < l.length; i++) {
      u -= l[i] as number;
      if (u <= 0) return i;
    }
    return l.length - 1;
  };
  const index = bestCandidate(draw, (i) => Math.log(l[i] as number) - Math.log(g[i] as number));
  return dim.values[index];
}

interface Parzen {
  mus: number[];
  sigmas: number[];
  low: number;
  high: number;
}

/** Values on the scale TPE models them: the logarithm for loguniform, and ints widened by half a step each side. */
function scale(dim: Exclude<Dimension, { kind: "choice" }>) {
  const log = dim.kind === "loguniform";
  const widen = dim.kind === "int" ? 0.5 : 0;
  return {
    to: (x: number) => (log ? Math.log(x) : x),
    from: (t: number) => (log ? Math.exp(t) : t),
    low: (log ? Math.log(dim.min) : dim.min) - widen,
    high: (log ? Math.log(dim.max) : dim.max) + widen,
  };
}

/** Optuna's Parzen estimator: a prior component at the middle, one per observation with its neighbours' distance as width. */
function parzen(observed: number[], low: number, high: number): Parzen {
  const span = high - low;
  const mus = [...observed, (low + high) / 2].sort((a, b) => a - b);
  const minSigma = span / Math.min(100, 1 + mus.length);
  const sigmas = mus.map((mu, i) => {
    const left = i > 0 ? mu - (mus[i - 1] as number) : 0;
    const right = i < mus.length - 1 ? (mus[i + 1] as number) - mu : 0;
    return Math.min(span, Math.max(minSigma, left, right));
  });
  const prior = mus.indexOf((low + high) / 2);
  sigmas[prior] = span;
  return { mus, sigmas, low, high };
}

const standardNormalCdf = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));

/** Abramowitz and Stegun 7.1.26 (error below 1.5e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

function logDensity(p: Parzen, x: number): number {
  let sum = 0;
  for (let i = 0; i < p.mus.length; i++) {
    const mu = p.mus[i] as number;
    const sigma = p.sigmas[i] as number;
    const mass = standardNormalCdf((p.high - mu) / sigma) - standardNormalCdf((p.low - mu) / sigma);
    const z = (x - mu) / sigma;
    sum += Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI) * Math.max(mass, 1e-12));
  }
  return Math.log(sum / p.mus.length + 1e-300);
}

function sampleParzen(p: Parzen, random: () => number): number {
  const i = Math.min(p.mus.length - 1, Math.floor(random() * p.mus.length));
  const mu = p.mus[i] as number;
  const sigma = p.sigmas[i] as number;
  for (let tries = 0; tries < 100; tries++) {
    // Box-Muller; 1 - u keeps the logarithm finite.
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const x = mu + sigma * z;
    if (x >= p.low && x <= p.high) return x;
  }
  return Math.min(p.high, Math.max(p.low, mu));
}

function pickNumber(dim: Exclude<Dimension, { kind: "choice" }>, good: unknown[], bad: unknown[], random: () => number): number {
  const s = scale(dim);
  const numbers = (observed: unknown[]) => observed.filter((v): v is number => typeof v === "number" && Number.isFinite(v)).map(s.to);
  const l = parzen(numbers(good), s.low, s.high);
  const g = parzen(numbers(bad), s.low, s.high);
  const t = bestCandidate(
    () => sampleParzen(l, random),
    (x) => logDensity(l, x) - logDensity(g, x),
  );
  const value = s.from(t);
  if (dim.kind === "int") return Math.min(dim.max, Math.max(dim.min, Math.round(value)));
  return Math.min(dim.max, Math.max(dim.min, value));
}
