import type { ModelShape } from "./build";
import type { ModelSpec, TrainingSpec, TrainSpec } from "./specs";

const bytesPerFloat = 4;

export interface ParameterCount {
  /** Weights the optimizer updates. */
  trainable: number;
  /** Weights that stay as built (DLinear's moving-average maps). */
  fixed: number;
}

/** The weights `buildModel` creates for a spec, exactly: trainable + fixed equals TF.js' `model.countParams()`. */
export function countParameters(spec: ModelSpec, shape: ModelShape): ParameterCount {
  const { lookback, features, horizon } = shape;
  const dense = (inputs: number, units: number, bias = true) => inputs * units + (bias ? units : 0);
  switch (spec.kind) {
    case "linear":
      return { trainable: 2 * dense(lookback * features, horizon), fixed: 2 * lookback * lookback };
    case "mlp": {
      const widths = [lookback * features, ...spec.hidden, horizon];
      return { trainable: sum(widths.slice(1).map((units, i) => dense(widths[i] as number, units))), fixed: 0 };
    }
    case "nbeats": {
      const width = lookback * features;
      const hidden = dense(width, spec.units) + (spec.layersPerBlock - 1) * dense(spec.units, spec.units);
      const backcast = dense(spec.units, width);
      // The last block's backcast feeds nothing, so the built model leaves it out.
      return { trainable: spec.blocks * (hidden + dense(spec.units, horizon)) + (spec.blocks - 1) * backcast, fixed: 0 };
    }
    case "tcn": {
      let channels = features;
      let trainable = 0;
      for (const _ of spec.dilations) {
        // kernelSize time-shifted maps, only the first with a bias; a projection on the skip path when widths differ.
        trainable += spec.kernelSize * dense(channels, spec.filters, false) + spec.filters;
        if (channels !== spec.filters) trainable += dense(channels, spec.filters);
        channels = spec.filters;
      }
      return { trainable: trainable + dense(lookback * spec.filters, horizon), fixed: 0 };
    }
    case "ar":
    case "arima":
    case "ets":
    case "theta":
      // A handful of coefficients; their fits hold the series as doubles (activationFloatsPerWindow).
      return { trainable: 0, fixed: 0 };
    case "lstm":
    case "gru": {
      const gates = spec.kind === "lstm" ? 4 : 3;
      let inputs = features;
      let trainable = 0;
      for (let l = 0; l < spec.layers; l++) {
        trainable += gates * (dense(inputs, spec.units) + spec.units * spec.units);
        inputs = spec.units;
      }
      return { trainable: trainable + dense(spec.units, horizon), fixed: 0 };
    }
  }
}

export interface MemoryEstimate {
  /** The sum of the parts below. */
  bytes: number;
  parameters: ParameterCount;
  /** Held for the whole run: the weights, the optimizer's state and the best checkpoint's copy. */
  parameterBytes: number;
  /**
   * The peak of one training step on top of that: backpropagation (the
   * batch's activations and the gradients), or else the optimizer's update,
   * whichever is larger. Approximate: see activationFloatsPerWindow.
   */
  stepBytes: number;
  /** The training windows and their two tensor copies; 0 when the dataset's length is unknown. */
  windowBytes: number;
}

/**
 * About how much memory training a spec takes, before it starts. `rows` is
 * the dataset's length when known (an upper bound where data.from/to narrow
 * it); the training windows cannot be sized without it. Pure and isomorphic:
 * the server checks it against its per-run budget, and a browser may show it.
 */
export function estimateSpecMemory(spec: TrainingSpec, rows?: number): MemoryEstimate {
  const shape = { lookback: spec.window.lookback, features: 1 + spec.data.features.length, horizon: spec.window.horizon };
  const parameters = countParameters(spec.model, shape);
  const { trainable, fixed } = parameters;
  const optimizer = optimizerFloats[spec.train.optimizer];
  // A fixed map ends up held about four times over once it has trained (measured), plus the checkpoint's copy.
  const parameterBytes = (trainable * (2 + optimizer.state) + fixed * 5) * bytesPerFloat;
  const backward = spec.train.batchSize * activationFloatsPerWindow(spec.model, shape) + gradientFloats(spec.model, shape, parameters);
  const stepBytes = Math.max(backward, trainable * optimizer.update) * bytesPerFloat;
  const windows = rows === undefined ? 0 : Math.max(0, rows - shape.lookback - shape.horizon + 1);
  // The flat arrays of makeWindows, their tensors, and each epoch's shuffled copy.
  const windowBytes = 3 * windows * (shape.lookback * shape.features + shape.horizon) * bytesPerFloat;
  return { bytes: parameterBytes + stepBytes + windowBytes, parameters, parameterBytes, stepBytes, windowBytes };
}

/**
 * Floats per trainable weight that TF.js' optimizers keep between steps
 * (Adam's two moments; RMSProp's mean square and momentum), and that their
 * update holds at its peak: the gradient and every temporary, which TF.js
 * keeps for all weights until the update ends (measured on the cpu backend).
 */
const optimizerFloats: Record<TrainSpec["optimizer"], { state: number; update: number }> = {
  adam: { state: 2, update: 15 },
  rmsprop: { state: 2, update: 16 },
  sgd: { state: 0, update: 3 },
};

/**
 * Floats one window holds while a batch backpropagates: the layer outputs of
 * the forward pass times what backpropagation adds to them, a factor per
 * family measured on TF.js' cpu backend (test/memory.test.ts checks the whole
 * estimate against TF.js). LSTM and GRU are unrolled: they hold every time step.
 */
function activationFloatsPerWindow(spec: ModelSpec, shape: ModelShape): number {
  const { lookback, features, horizon } = shape;
  const input = lookback * features;
  switch (spec.kind) {
    case "linear":
      // Permuted input, trend and remainder, their flattened copies and the gradients of each.
      return 28 * input + 3 * horizon;
    case "mlp":
      // Each dense layer keeps its pre-activation and its output (and a dropout mask).
      return 3.5 * (input + sum(spec.hidden) * (spec.dropout > 0 ? 3 : 2) + horizon);
    case "nbeats": {
      const block = spec.layersPerBlock * 2 * spec.units + 2 * input + horizon;
      return 4 * (input + spec.blocks * block + horizon);
    }
    case "tcn": {
      // Per layer: the shifted inputs, one map per tap, their sum, the activation, the skip path and the residual sum.
      let channels = features;
      let outputs = input;
      for (const _ of spec.dilations) {
        outputs += lookback * (spec.kernelSize * (channels + spec.filters) + 4 * spec.filters);
        channels = spec.filters;
      }
      return 5 * (outputs + lookback * spec.filters + horizon);
    }
    case "ar":
    case "arima":
    case "ets":
    case "theta":
      return 0;
    case "lstm":
    case "gru":
      return input + spec.layers * lookback * spec.units * (spec.kind === "lstm" ? 90 : 80) + horizon;
  }
}

/**
 * Floats of the weight gradients while a batch backpropagates, whatever its
 * size: one per trainable weight, seven per weight of a fixed map (TF.js
 * differentiates through it all the same), and for LSTM and GRU about four
 * per weight at every time step before they are summed (measured).
 */
function gradientFloats(spec: ModelSpec, shape: ModelShape, { trainable, fixed }: ParameterCount): number {
  const unrolled = spec.kind === "lstm" || spec.kind === "gru" ? 4 * shape.lookback * trainable : 0;
  return trainable + 7 * fixed + unrolled;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** "38.2 GiB": binary units (1 KiB = 1024 B), three significant digits. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toPrecision(3))} ${units[unit]}`;
}
