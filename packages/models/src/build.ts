import * as tf from "@tensorflow/tfjs";
import { AddLastValue, CausalShift1D, SubtractLastValue } from "./layers";
import { isStatistical, type ModelSpec } from "./specs";

export interface ModelShape {
  lookback: number;
  features: number;
  horizon: number;
}

type Sym = tf.SymbolicTensor;

/** Builds the network a spec describes: input [lookback, features], output [horizon] (scaled target). */
export function buildModel(spec: ModelSpec, shape: ModelShape, seed: number): tf.LayersModel {
  if (isStatistical(spec)) throw new Error(`${spec.kind} is a classical model: it is fitted (fitStatistical), not built as a network`);
  let nextSeed = seed;
  const init = () => tf.initializers.glorotUniform({ seed: nextSeed++ });
  const dense = (units: number, activation?: "relu" | "elu" | "tanh" | "gelu" | "linear", name?: string) =>
    tf.layers.dense({ units, activation, kernelInitializer: init(), name });
  const history = tf.input({ shape: [shape.lookback, shape.features], name: "history" });
  const apply = (layer: tf.layers.Layer, x: Sym | Sym[]) => layer.apply(x) as Sym;
  const normalized = spec.normalize === "lastValue";
  const input = normalized ? apply(new SubtractLastValue({ name: "subtract_last_value" }), history) : history;
  let output: Sym;

  switch (spec.kind) {
    case "mlp": {
      let x = apply(tf.layers.flatten(), input);
      for (const units of spec.hidden) {
        x = apply(dense(units, spec.activation), x);
        if (spec.dropout > 0) x = apply(tf.layers.dropout({ rate: spec.dropout, seed: nextSeed++ }), x);
      }
      output = apply(dense(shape.horizon, "linear", "forecast"), x);
      break;
    }
    case "linear": {
      // DLinear: split each channel into a moving-average trend and the remainder, one linear head each.
      const timeMajor = apply(tf.layers.permute({ dims: [2, 1] }), input);
      // TF.js has no Subtract layer: the remainder is a second fixed linear map, x(I - A).
      const average = movingAverageMatrix(shape.lookback, spec.movingAverage);
      const trend = apply(fixedLinear(average, shape.lookback, "trend"), timeMajor);
      const remainder = apply(fixedLinear(identityMinus(average, shape.lookback), shape.lookback, "remainder"), timeMajor);
      const trendHead = apply(dense(shape.horizon, "linear", "trend_head"), apply(tf.layers.flatten(), trend));
      const remainderHead = apply(dense(shape.horizon, "linear", "remainder_head"), apply(tf.layers.flatten(), remainder));
      output = apply(tf.layers.add({ name: "forecast" }), [trendHead, remainderHead]);
      break;
    }
    case "nbeats": {
      // N-BEATS, generic variant: each block explains part of the input (backcast) and adds to the forecast.
      const width = shape.lookback * shape.features;
      let residual = apply(tf.layers.flatten(), input);
      const forecasts: Sym[] = [];
      for (let b = 0; b < spec.blocks; b++) {
        let h = residual;
        for (let l = 0; l < spec.layersPerBlock; l++) h = apply(dense(spec.units, "relu"), h);
        // residual - backcast, written as residual + (a linear layer that learns -backcast): TF.js has no Subtract layer.
        const negativeBackcast = apply(dense(width, "linear"), h);
        forecasts.push(apply(dense(shape.horizon, "linear"), h));
        residual = apply(tf.layers.add(), [residual, negativeBackcast]);
      }
      output = forecasts.length === 1 ? (forecasts[0] as Sym) : apply(tf.layers.add({ name: "forecast" }), forecasts);
      break;
    }
    case "tcn": {
      // Dilated causal convolution: y[t] = sum_i W_i x[t - i*d], a per-step linear map of each
      // time-shifted copy (CausalShift1D), summed; a residual connection around every layer.
      let x: Sym = input;
      let channels = shape.features;
      for (const dilation of spec.dilations) {
        const taps = Array.from({ length: spec.kernelSize }, (_, i) =>
          apply(
            tf.layers.dense({ units: spec.filters, useBias: i === 0, kernelInitializer: init() }),
            apply(new CausalShift1D({ shift: i * dilation }), x),
          ),
        );
        const conv = apply(tf.layers.activation({ activation: "relu" }), apply(tf.layers.add(), taps));
        const skip = channels === spec.filters ? x : apply(tf.layers.dense({ units: spec.filters, kernelInitializer: init() }), x);
        x = apply(tf.layers.add(), [conv, skip]);
        channels = spec.filters;
      }
      output = apply(dense(shape.horizon, "linear", "forecast"), apply(tf.layers.flatten(), x));
      break;
    }
    case "lstm":
    case "gru": {
      let x: Sym = input;
      for (let l = 0; l < spec.layers; l++) {
        const options = {
          units: spec.units,
          returnSequences: l < spec.layers - 1,
          kernelInitializer: init(),
          recurrentInitializer: orthogonal(nextSeed++, spec.units * (spec.kind === "lstm" ? 4 : 3) * spec.units),
        };
        x = apply(spec.kind === "lstm" ? tf.layers.lstm(options) : tf.layers.gru(options), x);
      }
      output = apply(dense(shape.horizon, "linear", "forecast"), x);
      break;
    }
  }
  if (normalized) output = apply(new AddLastValue({ name: "add_last_value" }), [output, history]);
  return tf.model({ inputs: history, outputs: output, name: spec.kind });
}

/** TF.js's Orthogonal.ELEMENTS_WARN_SLOW: past it, every orthogonal initialisation warns "Slowness may result". */
const orthogonalWarnElements = 2000;
let warnedSlowOrthogonal = false;

/**
 * TF.js's orthogonal initializer (same values), warning once per process instead of at every
 * recurrent layer of 23+ units of every model built (the backend probe and the training each
 * build one per run). The warning is true on the cpu backend, where that QR takes seconds, so
 * the first one stays.
 */
function orthogonal(seed: number, elements: number) {
  const initializer = tf.initializers.orthogonal({ seed });
  if (elements > orthogonalWarnElements) {
    // A readonly field only to TypeScript: apply() reads it from the instance.
    if (warnedSlowOrthogonal) Object.defineProperty(initializer, "ELEMENTS_WARN_SLOW", { value: Number.POSITIVE_INFINITY });
    warnedSlowOrthogonal = true;
  }
  return initializer;
}

/** A Dense layer with a fixed kernel and no bias. */
function fixedLinear(kernel: Float32Array, size: number, name: string): tf.layers.Layer {
  return tf.layers.dense({ units: size, useBias: false, trainable: false, name, weights: [tf.tensor2d(kernel, [size, size])] });
}

function identityMinus(matrix: Float32Array, size: number): Float32Array {
  const out = new Float32Array(size * size);
  for (let i = 0; i < size * size; i++) out[i] = (i % (size + 1) === 0 ? 1 : 0) - (matrix[i] as number);
  return out;
}

/**
 * Kernel of the moving average over time with the ends replicated (as DLinear
 * pads): column i averages inputs i-k/2 .. i+k/2, clamped to the window.
 */
export function movingAverageMatrix(length: number, kernel: number): Float32Array {
  const k = Math.min(kernel, length);
  const matrix = new Float32Array(length * length);
  const before = Math.floor((k - 1) / 2);
  for (let i = 0; i < length; i++) {
    for (let o = -before; o < k - before; o++) {
      const j = Math.min(length - 1, Math.max(0, i + o));
      matrix[j * length + i] = (matrix[j * length + i] as number) + 1 / k;
    }
  }
  return matrix;
}
