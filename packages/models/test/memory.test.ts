import { beforeAll, describe, expect, it } from "vitest";
import {
  buildModel,
  countParameters,
  estimateSpecMemory,
  formatBytes,
  type ModelShape,
  modelSpecSchema,
  type TrainingSpecInput,
  tf,
  trainingSpecSchema,
} from "../src/index";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const weightCount = (weights: tf.LayerVariable[]) => weights.reduce((total, w) => total + w.read().size, 0);

const shapes: ModelShape[] = [
  { lookback: 8, features: 1, horizon: 1 },
  { lookback: 12, features: 3, horizon: 4 },
];
const configurations: Record<string, object[]> = {
  linear: [{}, { movingAverage: 3 }, { movingAverage: 40 }],
  mlp: [{}, { hidden: [7] }, { hidden: [16, 8, 4], dropout: 0.1 }],
  nbeats: [{}, { blocks: 1, layersPerBlock: 1, units: 5 }, { blocks: 4, layersPerBlock: 3, units: 9 }],
  tcn: [{}, { filters: 1, kernelSize: 2, dilations: [1] }, { filters: 3, kernelSize: 4, dilations: [1, 3, 5] }],
  lstm: [{}, { units: 5, layers: 3 }],
  gru: [{}, { units: 5, layers: 3 }],
};

describe("countParameters", () => {
  it.each(Object.entries(configurations))("is exact for %s", (kind, configs) => {
    for (const config of configs) {
      for (const shape of shapes) {
        const spec = modelSpecSchema.parse({ kind, ...config });
        const model = buildModel(spec, shape, 1);
        const { trainable, fixed } = countParameters(spec, shape);
        const where = JSON.stringify({ config, shape });
        expect(trainable + fixed, where).toBe(model.countParams());
        expect(trainable, where).toBe(weightCount(model.trainableWeights));
        model.dispose();
      }
    }
  });
});

/** Bytes TF.js holds at the peak of a training step, counted from before the model was built (the inputs excluded). */
async function measuredPeak(input: TrainingSpecInput): Promise<number> {
  const spec = trainingSpecSchema.parse(input);
  const shape = { lookback: spec.window.lookback, features: 1 + spec.data.features.length, horizon: spec.window.horizon };
  const x = tf.randomNormal([spec.train.batchSize, shape.lookback, shape.features]);
  const y = tf.randomNormal([spec.train.batchSize, shape.horizon]);
  const before = tf.memory().numBytes;
  const model = buildModel(spec.model, shape, 1);
  const optimizer = tf.train.adam(1e-3);
  const step = () =>
    tf.tidy(() => {
      optimizer.minimize(() => tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar);
    });
  step(); // creates the optimizer's state
  const { peakBytes } = await tf.profile(step);
  model.dispose();
  optimizer.dispose();
  tf.dispose([x, y]);
  return peakBytes - before;
}

describe("estimateSpecMemory", () => {
  const data = (channels: number) => ({
    dataset: "d",
    target: "t",
    features: Array.from({ length: channels - 1 }, (_, i) => `f${i}`),
  });
  it.each<[string, TrainingSpecInput]>([
    ["linear", { data: data(3), window: { lookback: 96, horizon: 7 }, model: { kind: "linear" } }],
    ["mlp", { data: data(4), window: { lookback: 64, horizon: 5 }, model: { kind: "mlp", hidden: [256, 128, 64], dropout: 0.2 } }],
    [
      "nbeats",
      { data: data(2), window: { lookback: 48, horizon: 6 }, model: { kind: "nbeats", blocks: 4, layersPerBlock: 3, units: 128 } },
    ],
    [
      "tcn",
      { data: data(3), window: { lookback: 32, horizon: 4 }, model: { kind: "tcn", filters: 16, kernelSize: 2, dilations: [1, 2, 4] } },
    ],
    // Small: TF.js trains unrolled recurrences slowly on the cpu backend.
    [
      "lstm",
      { data: data(2), window: { lookback: 16, horizon: 2 }, model: { kind: "lstm", units: 16, layers: 2 }, train: { batchSize: 16 } },
    ],
    ["gru", { data: data(2), window: { lookback: 12, horizon: 3 }, model: { kind: "gru", units: 24, layers: 3 }, train: { batchSize: 8 } }],
  ])("%s: is within 30 percent of the peak TF.js reaches in a training step", async (_, input) => {
    const estimate = estimateSpecMemory(trainingSpecSchema.parse(input));
    const ratio = estimate.bytes / (await measuredPeak(input));
    expect(ratio).toBeGreaterThan(0.7);
    expect(ratio).toBeLessThan(1.3);
  });

  it("sizes the training windows from the dataset's rows, and adds them", () => {
    const spec = trainingSpecSchema.parse({ data: data(2), window: { lookback: 10, horizon: 2 } });
    const withoutRows = estimateSpecMemory(spec);
    const withRows = estimateSpecMemory(spec, 1011);
    expect(withoutRows.windowBytes).toBe(0);
    // 1000 windows of 10 x 2 inputs and 2 targets, held three times, as float32.
    expect(withRows.windowBytes).toBe(3 * 1000 * 22 * 4);
    expect(withRows.bytes - withoutRows.bytes).toBe(withRows.windowBytes);
    expect(estimateSpecMemory(spec, 5).windowBytes).toBe(0);
  });

  it("formats bytes in binary units", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(4 * 1024 ** 3)).toBe("4 GiB");
    expect(formatBytes(38.2 * 1024 ** 3)).toBe("38.2 GiB");
  });
});
