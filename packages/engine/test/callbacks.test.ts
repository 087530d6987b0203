import { loadBuiltinDataset } from "@hindcast/datasets";
import {
  buildModel,
  dataSpecSchema,
  fitScaler,
  makeWindows,
  modelSpecSchema,
  prepareSeries,
  splitByTime,
  TrainingSession,
  tf,
  trainSpecSchema,
} from "@hindcast/models";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Callback,
  CancellationToken,
  type Checkpoint,
  Checkpointer,
  decodeCheckpoint,
  EarlyStopping,
  encodeCheckpoint,
  MemoryMetricSink,
  MetricKey,
  ReduceLROnPlateau,
  Tracker,
  TrainingLoop,
} from "../src/index";

let session: TrainingSession;

beforeAll(async () => {
  await tf.setBackend("cpu");
  const dataset = await loadBuiltinDataset("seattle_weather");
  const series = prepareSeries(dataset, dataSpecSchema.parse({ dataset: "seattle_weather", target: "temp_max" }));
  const scaler = fitScaler(series, 1000);
  const { train, validation } = splitByTime(makeWindows(series, scaler, { lookback: 14, horizon: 1 }, 0, 1000, 1000), 0.2);
  session = new TrainingSession(
    buildModel(modelSpecSchema.parse({ kind: "linear" }), { lookback: 14, features: 1, horizon: 1 }, 3),
    trainSpecSchema.parse({ learningRate: 0.01 }),
  );
  session.setData(train, validation);
});

function loop(callbacks: Callback[], epochs: number, sink = new MemoryMetricSink(), onCheckpoint?: (c: Checkpoint) => void) {
  const tracker = new Tracker(sink);
  return { sink, tracker, loop: new TrainingLoop({ session, tracker, epochs, token: CancellationToken.none, callbacks, onCheckpoint }) };
}

describe("callbacks on a real training", () => {
  it("EarlyStopping stops when validation loss stalls and puts the best weights back", async () => {
    const { loop: training, sink } = loop([new Checkpointer({ every: 1 }), new EarlyStopping({ patience: 2 })], 200);
    const result = await training.run();
    expect(result.epochsRun).toBeLessThan(200);
    expect(result.stopReason).toMatch(/no improvement in val_loss for 2 epochs/);
    const best = training.bestCheckpoint;
    if (!best) throw new Error("no best checkpoint");
    expect((await session.snapshot()).values).toEqual(best.weights.values);
    const valLosses = sink.points.filter((p) => p.key === MetricKey.valLoss).map((p) => p.value);
    expect(best.valLoss).toBe(Math.min(...valLosses));
  });

  it("ReduceLROnPlateau lowers the learning rate after epochs without improvement", async () => {
    session.learningRate = 0.05;
    const { loop: training, sink } = loop([new ReduceLROnPlateau({ factor: 0.5, patience: 1, minLearningRate: 0.001 })], 15);
    await training.run();
    const rates = sink.points.filter((p) => p.key === MetricKey.learningRate).map((p) => p.value);
    expect(rates).toHaveLength(15);
    for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeLessThanOrEqual(rates[i - 1] as number);
    expect(rates.at(-1)).toBeLessThan(0.05);
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(0.001);
  });

  it("Checkpointer saves the best and every Nth epoch; a checkpoint survives encoding", async () => {
    const taken: Checkpoint[] = [];
    const { loop: training } = loop([new Checkpointer({ every: 3 })], 9, new MemoryMetricSink(), (c) => {
      taken.push(c);
    });
    await training.run();
    expect(taken.length).toBeGreaterThanOrEqual(3);
    for (const c of taken) {
      if (c.tag === "periodic") expect((c.epoch + 1) % 3).toBe(0);
    }
    expect(taken.some((c) => c.tag === "best")).toBe(true);
    const last = taken.at(-1) as Checkpoint;
    const decoded = decodeCheckpoint(encodeCheckpoint(last));
    expect(decoded).toEqual(last);
  });

  it("tracks custom metrics, keeps untracked ones from the sink, and clears epoch metrics every epoch", async () => {
    const seen: (number | undefined)[] = [];
    const reporter: Callback = {
      name: "Reporter",
      onBatchEnd(control, _loss, batch) {
        if (batch === 0) seen.push(control.tracker.get("secret"));
      },
      onEpochEnd(control, epoch) {
        control.tracker.log("custom/epoch_squared", epoch * epoch);
        control.tracker.log("secret", 42, { tracked: false });
        expect(control.tracker.get("secret")).toBe(42);
      },
    };
    const { loop: training, sink } = loop([reporter], 3);
    await training.run();
    expect(seen).toEqual([undefined, undefined, undefined]);
    expect(sink.points.filter((p) => p.key === "custom/epoch_squared").map((p) => p.value)).toEqual([0, 1, 4]);
    expect(sink.points.some((p) => p.key === "secret")).toBe(false);
    const steps = sink.points.filter((p) => p.key === MetricKey.trainLoss).map((p) => p.step);
    expect(steps).toEqual(steps.map((_, i) => i + 1));
  });
});
