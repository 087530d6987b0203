import type * as tf from "@tensorflow/tfjs";
import { inverse, Matrix } from "ml-matrix";
import { tf as tfjs } from "./tf";
import type { WindowSet } from "./windows";

/** Shrinkage grid of the closed-form fit, relative to the mean diagonal of X'X. */
const ridgeGrid = [0, 1e-4, 1e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3, 10];

/** Past this many inputs (lookback x features) the closed form costs more than SGD: the model trains by SGD alone. */
const maxClosedFormInputs = 512;

export interface LinearFit {
  /** Most recent time steps the map uses (older ones get zero weights): AIC's choice within the lookback. */
  steps: number;
  lambda: number;
  /** Leave-one-out mean squared error of the chosen fit (scaled units). */
  looMse: number;
}

/**
 * The least-squares fit of DLinear's map. DLinear's two heads are linear in
 * the input (trend = A x, remainder = (I - A) x), so setting both kernels to
 * one matrix W gives W x: any linear map of the (last-value normalised) inputs
 * is reachable, and its best one has a closed form. Candidates: the map over
 * the last p steps of every channel (p by AIC, as an AR order) and over the
 * whole lookback, each with ridge shrinkage from a grid; the one with the
 * lowest leave-one-out error (PRESS, exact for linear smoothers) wins. SGD
 * may refine it afterwards. Returns null when the inputs are too wide.
 */
export function fitLinearMap(model: tf.LayersModel, windows: WindowSet, lastValueNormalized: boolean): LinearFit | null {
  const { count, lookback, features, horizon } = windows;
  const inputs = lookback * features;
  if (inputs > maxClosedFormInputs || count < 2 * inputs) return null;
  // Design rows: [1, x'(t, f) for t, f] with x' last-value normalised, time-major like the model's input.
  const design = new Matrix(count, inputs + 1);
  const target = new Matrix(count, horizon);
  for (let i = 0; i < count; i++) {
    const base = i * inputs;
    const last = (f: number) => (lastValueNormalized ? (windows.x[base + (lookback - 1) * features + f] as number) : 0);
    design.set(i, 0, 1);
    for (let l = 0; l < lookback; l++) {
      for (let f = 0; f < features; f++) design.set(i, 1 + l * features + f, (windows.x[base + l * features + f] as number) - last(f));
    }
    for (let h = 0; h < horizon; h++) target.set(i, h, (windows.y[i * horizon + h] as number) - last(0));
  }
  const xtx = design.transpose().mmul(design);
  const xty = design.transpose().mmul(target);
  let yty = 0;
  for (let i = 0; i < count; i++) for (let h = 0; h < horizon; h++) yty += target.get(i, h) ** 2;
  // Columns of the last `steps` time steps (the intercept always); with last-value normalisation the last step is all zeros.
  const columnsFor = (steps: number) => [
    0,
    ...Array.from({ length: steps * features }, (_, k) => 1 + (lookback - steps) * features + k).filter(
      (c) => !lastValueNormalized || c <= (lookback - 1) * features,
    ),
  ];
  const candidates = [...new Set([aicSteps(xtx, xty, yty, count, lookback, columnsFor), lookback])];
  let best: (LinearFit & { weights: Matrix; columns: number[] }) | null = null;
  for (const steps of candidates) {
    const columns = columnsFor(steps);
    const x = design.subMatrixColumn(columns);
    const a0 = xtx.selection(columns, columns);
    const b = xty.selection(
      columns,
      Array.from({ length: horizon }, (_, h) => h),
    );
    let scale = 0;
    for (let k = 1; k < columns.length; k++) scale += a0.get(k, k) / Math.max(1, columns.length - 1);
    for (const lambda of ridgeGrid) {
      const a = a0.clone();
      // A little shrinkage always: it keeps A invertible when two inputs are collinear.
      for (let k = 1; k < columns.length; k++) a.set(k, k, a.get(k, k) + (lambda + 1e-9) * scale);
      let inverseA: Matrix;
      try {
        inverseA = inverse(a);
      } catch {
        continue;
      }
      const weights = inverseA.mmul(b);
      const looMse = leaveOneOutMse(x, target, weights, inverseA);
      if (Number.isFinite(looMse) && (!best || looMse < best.looMse)) best = { steps, lambda, looMse, weights, columns };
    }
  }
  if (!best) return null;
  setLinearWeights(model, best.weights, best.columns, inputs, horizon, lookback, features);
  return { steps: best.steps, lambda: best.lambda, looMse: best.looMse };
}

function leaveOneOutMse(x: Matrix, y: Matrix, weights: Matrix, inverseA: Matrix): number {
  const fitted = x.mmul(weights);
  const xa = x.mmul(inverseA);
  let sum = 0;
  for (let i = 0; i < x.rows; i++) {
    let leverage = 0;
    for (let k = 0; k < x.columns; k++) leverage += xa.get(i, k) * x.get(i, k);
    for (let h = 0; h < y.columns; h++) sum += ((y.get(i, h) - fitted.get(i, h)) / (1 - leverage)) ** 2;
  }
  return sum / (x.rows * y.columns);
}

/** Steps of the map by AIC (least squares, every output), as an AR order is chosen. */
function aicSteps(xtx: Matrix, xty: Matrix, yty: number, n: number, lookback: number, columnsFor: (steps: number) => number[]): number {
  let best = { steps: lookback, aic: Number.POSITIVE_INFINITY };
  for (let steps = 1; steps <= lookback; steps++) {
    const columns = columnsFor(steps);
    const a = xtx.selection(columns, columns);
    for (let k = 1; k < columns.length; k++) a.set(k, k, a.get(k, k) * (1 + 1e-10));
    let sse = yty;
    try {
      const b = xty.selection(
        columns,
        Array.from({ length: xty.columns }, (_, h) => h),
      );
      const beta = inverse(a).mmul(b);
      // SSE = y'y - beta'X'y at the least-squares solution, summed over the outputs.
      for (let h = 0; h < b.columns; h++) for (let k = 0; k < columns.length; k++) sse -= beta.get(k, h) * b.get(k, h);
    } catch {
      continue;
    }
    const aic = n * Math.log(Math.max(1e-300, sse) / n) + 2 * columns.length;
    if (aic < best.aic) best = { steps, aic };
  }
  return best.steps;
}

/** Both heads get W (see fitLinearMap); the bias goes to one of them. The heads read channel-major inputs (f * lookback + l). */
function setLinearWeights(
  model: tf.LayersModel,
  weights: Matrix,
  columns: number[],
  inputs: number,
  horizon: number,
  lookback: number,
  features: number,
): void {
  const kernel = new Float32Array(inputs * horizon);
  const bias = new Float32Array(horizon);
  columns.forEach((column, k) => {
    for (let h = 0; h < horizon; h++) {
      const w = weights.get(k, h);
      if (column === 0) {
        bias[h] = w;
        continue;
      }
      const l = Math.floor((column - 1) / features);
      const f = (column - 1) % features;
      kernel[(f * lookback + l) * horizon + h] = w;
    }
  });
  for (const [name, withBias] of [
    ["trend_head", true],
    ["remainder_head", false],
  ] as const) {
    const layer = model.getLayer(name);
    const tensors = [tfjs.tensor2d(kernel, [inputs, horizon]), tfjs.tensor1d(withBias ? bias : new Float32Array(horizon))];
    layer.setWeights(tensors);
    tfjs.dispose(tensors);
  }
}
