import { beforeAll, describe, expect, it } from "vitest";
import { nodeBackends } from "../src/backends/node";
import {
  baselineNames,
  buildModel,
  CausalShift1D,
  type Dataset,
  dataSpecSchema,
  errorMetrics,
  fitScaler,
  forecastReport,
  loadModel,
  type ModelSpec,
  modelSpecSchema,
  movingAverageMatrix,
  naiveScale,
  neuralKinds,
  pickBackend,
  planRetrodiction,
  predictWindow,
  preferBackends,
  prepareSeries,
  retrodictionSpecSchema,
  saveModel,
  tf,
  trainingStepProbe,
} from "../src/index";

const shape = { lookback: 16, features: 2, horizon: 3 };

beforeAll(async () => {
  await tf.setBackend("cpu");
});

function randomInput(n: number) {
  return tf.randomNormal([n, shape.lookback, shape.features], 0, 1, "float32", 7);
}

describe("model families", () => {
  it.each(neuralKinds)("%s builds, predicts [n, horizon] and trains a step", async (kind) => {
    const spec = modelSpecSchema.parse({ kind });
    const model = buildModel(spec, shape, 1);
    const out = model.predict(randomInput(5)) as tf.Tensor;
    expect(out.shape).toEqual([5, shape.horizon]);
    await expect(trainingStepProbe(spec, shape)()).resolves.toBeUndefined();
    model.dispose();
  });

  it("is deterministic for a seed", () => {
    const spec: ModelSpec = modelSpecSchema.parse({ kind: "mlp" });
    const a = (buildModel(spec, shape, 5).predict(randomInput(3)) as tf.Tensor).dataSync();
    const b = (buildModel(spec, shape, 5).predict(randomInput(3)) as tf.Tensor).dataSync();
    const c = (buildModel(spec, shape, 6).predict(randomInput(3)) as tf.Tensor).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it("DLinear's moving average keeps level and replicates the ends", () => {
    const m = movingAverageMatrix(5, 3);
    for (let i = 0; i < 5; i++) {
      let column = 0;
      for (let j = 0; j < 5; j++) column += m[j * 5 + i] as number;
      expect(column).toBeCloseTo(1);
    }
    expect(m[0]).toBeCloseTo(2 / 3); // first output: x0 twice (replicated) and x1
    const x = tf.tensor2d([[1, 2, 3, 4, 5]]);
    expect(Array.from(tf.matMul(x, tf.tensor2d(m, [5, 5])).dataSync()).map((v) => Number(v.toFixed(4)))).toEqual([1.3333, 2, 3, 4, 4.6667]);
  });

  it("TCN is causal: shifts bring zeros in at the start, and no output looks ahead", () => {
    const shifted = new CausalShift1D({ shift: 2 }).apply(tf.tensor3d([[[1], [2], [3], [4]]])) as tf.Tensor;
    expect(Array.from(shifted.dataSync())).toEqual([0, 0, 1, 2]);
    // A change to the last time step leaves the first conv outputs unchanged (last-value normalisation off: it reads the last step by design).
    const model = buildModel(modelSpecSchema.parse({ kind: "tcn", dilations: [1, 2], normalize: "none" }), shape, 3);
    const lastResidual = model.layers.filter((l) => l.name.startsWith("add")).at(-1);
    const convOut = tf.model({ inputs: model.inputs, outputs: lastResidual?.output as tf.SymbolicTensor });
    const base = randomInput(1);
    const changed = tf.concat([base.slice([0, 0, 0], [1, shape.lookback - 1, shape.features]), tf.fill([1, 1, shape.features], 9)], 1);
    const before = (convOut.predict(base) as tf.Tensor).slice([0, 0, 0], [1, shape.lookback - 1, -1]).dataSync();
    const after = (convOut.predict(changed) as tf.Tensor).slice([0, 0, 0], [1, shape.lookback - 1, -1]).dataSync();
    expect(Array.from(after)).toEqual(Array.from(before));
  });

  it.each(["linear", "tcn", "gru"] as const)("%s survives save and load with identical predictions", async (kind) => {
    const model = buildModel(modelSpecSchema.parse({ kind }), shape, 9);
    const input = randomInput(4);
    const expected = Array.from((model.predict(input) as tf.Tensor).dataSync());
    const loaded = await loadModel(await saveModel(model));
    expect(Array.from((loaded.predict(input) as tf.Tensor).dataSync())).toEqual(expected);
  });
});

describe("metrics", () => {
  it("computes MAE, RMSE, MAPE, sMAPE, MASE and direction by hand-checked values", () => {
    const m = errorMetrics([2, 4, 6], [1, 5, 6], [3, 3, 5], 2);
    expect(m.mae).toBeCloseTo(2 / 3);
    expect(m.rmse).toBeCloseTo(Math.sqrt(2 / 3));
    expect(m.mape).toBeCloseTo((100 * (0.5 + 0.25 + 0)) / 3);
    expect(m.smape).toBeCloseTo((100 * (2 / 3 + 2 / 9 + 0)) / 3);
    expect(m.mase).toBeCloseTo(1 / 3);
    expect(m.directionalAccuracy).toBeCloseTo(1);
    expect(errorMetrics([0, 0], [1, 1], [0, 0], 1).mape).toBeNull();
    expect(naiveScale([1, 3, 2, 6])).toBeCloseTo((2 + 1 + 4) / 3);
  });

  it("reports skill against both baselines: positive when the model beats them", () => {
    const forecast = (label: string, predicted: number[]) => ({ label, params: {}, predicted, bands: null, fitMs: 0 });
    const unavailable = { label: "AR", unavailable: "too few rows" };
    const report = forecastReport(
      {
        actual: [1, 2, 3],
        predicted: [1, 2, 3.5],
        step: [1, 1, 1],
        bands: null,
        baselines: {
          naive: forecast("naive", [0, 1, 2]),
          seasonalNaive: forecast("seasonal naive", [3, 3, 3]),
          ar: unavailable,
          arima: unavailable,
          ets: forecast("ETS", [1, 2, 3.1]),
          theta: unavailable,
        },
        reference: [0, 1, 2],
      },
      1,
    );
    expect(report.skill.rmseVsNaive).toBeGreaterThan(0);
    expect(report.skill.rmseVsSeasonalNaive).toBeGreaterThan(0);
    expect(report.baselines.naive?.rmse).toBeCloseTo(1);
    expect(report.unavailable.ar).toBe("too few rows");
    // ETS is closer than the model: it is the best baseline, and the verdict says the model loses to it.
    expect(report.verdict).toMatchObject({ best: "ets", beatsAll: false, beatenBy: ["ets"] });
    expect(report.skill.rmseVsBest).toBeLessThan(0);
  });
});

describe("retrodiction uses no future data", () => {
  it("predictions of a window do not change when data after their origins changes", async () => {
    const n = 200;
    const dates = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10));
    const values = Array.from({ length: n }, (_, i) => Math.sin(i / 5) * 10 + i / 10);
    const dataset = (v: number[]): Dataset => ({ name: "s", source: "test", dates, columns: { y: v } });
    const spec = dataSpecSchema.parse({ dataset: "s", target: "y" });
    const window = { lookback: 14, horizon: 7 };
    const series = prepareSeries(dataset(values), spec);
    const [first] = planRetrodiction(series, retrodictionSpecSchema.parse({ windows: 1, batchSizeDays: 21 }), window, 10);
    if (!first) throw new Error("no window");
    const scaler = fitScaler(series, first.startRow);
    const model = buildModel(modelSpecSchema.parse({ kind: "mlp" }), { ...window, features: 1, horizon: 7 }, 1);
    const original = await predictWindow(model, series, scaler, window, first, 0.15);

    // Change every value after the first origin's horizon: the first 7 predictions (origin = window start) must not move.
    const altered = values.map((v, i) => (i >= first.startRow ? v + 100 : v));
    const again = await predictWindow(model, prepareSeries(dataset(altered), spec), scaler, window, first, 0.15);
    expect(again.predictions.predicted.slice(0, 7)).toEqual(original.predictions.predicted.slice(0, 7));
    expect(again.predictions.bands).toEqual(original.predictions.bands && { ...again.predictions.bands });
    for (const name of baselineNames) {
      const before = original.predictions.baselines[name];
      const after = again.predictions.baselines[name];
      if (!("predicted" in before) || !("predicted" in after)) throw new Error(`${name} unavailable: ${JSON.stringify(before)}`);
      expect(after.predicted.slice(0, 7), name).toEqual(before.predicted.slice(0, 7));
    }
    expect(original.predictions.actual).toHaveLength(21);
  });
});

describe("backend pick (Node)", () => {
  it("takes the first backend that passes every check and says why better ones were turned down", async () => {
    const choice = await pickBackend(nodeBackends(), trainingStepProbe(modelSpecSchema.parse({ kind: "mlp" }), shape));
    expect(["tensorflow", "webgpu", "wasm"]).toContain(choice.backend);
    expect(tf.getBackend()).toBe(choice.backend);
    const order = ["tensorflow", "webgpu", "wasm", "cpu"];
    expect(choice.rejected.map((r) => r.backend)).toEqual(order.slice(0, order.indexOf(choice.backend)));
    for (const r of choice.rejected) expect(r.reason).toMatch(/\w/);
  });

  it("turns down a backend whose training step fails (a plain Conv1D has no gradient kernel on wasm)", async () => {
    const conv1dStep = () => {
      const model = tf.sequential({
        layers: [tf.layers.conv1d({ inputShape: [8, 1], filters: 2, kernelSize: 3 }), tf.layers.flatten(), tf.layers.dense({ units: 1 })],
      });
      const optimizer = tf.train.sgd(0.1);
      tf.tidy(() => {
        optimizer.minimize(() => tf.losses.meanSquaredError(tf.ones([2, 1]), model.apply(tf.ones([2, 8, 1])) as tf.Tensor) as tf.Scalar);
      });
    };
    const choice = await pickBackend(preferBackends(nodeBackends(), ["wasm", "cpu"]), conv1dStep);
    expect(choice.backend).toBe("cpu");
    expect(choice.rejected).toEqual([
      { backend: "wasm", reason: expect.stringMatching(/failed its check: .*(kernel|Conv2DBackprop|not registered|gradient)/i) },
    ]);
    await tf.setBackend("cpu");
  });

  it("trains our TCN on wasm: its dilated convolutions need no conv gradient", async () => {
    const choice = await pickBackend(
      preferBackends(nodeBackends(), ["wasm", "cpu"]),
      trainingStepProbe(modelSpecSchema.parse({ kind: "tcn" }), shape),
    );
    expect(choice.backend).toBe("wasm");
    await tf.setBackend("cpu");
  });

  it("refuses an unknown backend name in the preferred order", () => {
    expect(() => preferBackends(nodeBackends(), ["cuda"])).toThrow(/Unknown backend cuda: choose from tensorflow, webgpu, wasm, cpu/);
  });
});
