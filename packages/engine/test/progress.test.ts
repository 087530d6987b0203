import type { TrainingSpecInput } from "@hindcast/models";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../src/memory-ports";
import type { ProgressSnapshot } from "../src/ports";
import { ProgressBridge, type RunPlan, savePercent, setupPercent, type TrainingPart } from "../src/progress";
import { MetricKey } from "../src/tracker";
import { runTraining, stepsOf } from "./helpers";

function bridge(minIntervalMs?: number) {
  const clock = new ManualClock();
  const emitted: ProgressSnapshot[] = [];
  const progress = new ProgressBridge({ emit: (snapshot) => emitted.push(snapshot), clock, minIntervalMs });
  return { clock, emitted, progress };
}

const part = (epochs: number, batchesPerEpoch: number, batchSize: number, itemsPerEpoch: number): TrainingPart => ({
  epochs,
  batchesPerEpoch,
  batchSize,
  itemsPerEpoch,
});
type ModelSpecInput = NonNullable<TrainingSpecInput["model"]>;
const trainingOnly = (training: TrainingPart): RunPlan => ({ training, windows: [] });
/** Percent of a run at `fraction` of its work: setup and saving take their fixed shares. */
const percentAt = (fraction: number) => setupPercent + (100 - setupPercent - savePercent) * fraction;

describe("ProgressBridge", () => {
  it("emits phase changes immediately, before training starts", () => {
    const { emitted, progress } = bridge();
    progress.phase("loading data", "Reading sp500.csv");
    progress.phase("preparing");
    expect(emitted.map((snapshot) => [snapshot.phase, snapshot.message, snapshot.percent, snapshot.epoch])).toEqual([
      ["loading data", "Reading sp500.csv", 0, 0],
      ["preparing", "preparing", 0, 0],
    ]);
    expect(emitted[0]?.etaSeconds).toBeNull();
  });

  it("reports epoch, batch, step and a 1-based human message", () => {
    const { clock, progress } = bridge();
    progress.plan(trainingOnly(part(50, 640, 32, 20_480)));
    progress.startTraining();
    clock.advance(10);
    progress.batchEnd(2, 119, 32);
    expect(progress.snapshot()).toMatchObject({
      phase: "training",
      epoch: 3,
      totalEpochs: 50,
      batch: 120,
      totalBatches: 640,
      step: 2 * 640 + 120,
      totalSteps: 50 * 640,
      itemsTotal: 50 * 20_480,
      message: "Epoch 3/50 · Batch 120/640",
    });
    expect(progress.snapshot().percent).toBeCloseTo(percentAt((2 + 120 / 640) / 50), 10);
  });

  it("never lets percent decrease, and reaches 100 only at finish()", () => {
    const { clock, emitted, progress } = bridge(0);
    progress.plan(trainingOnly(part(2, 4, 1, 4)));
    progress.startTraining();
    const calls: [number, number][] = [
      [0, 0],
      [0, 1],
      [0, 3],
      [0, 2], // out of order: must not go back
      [1, 0],
      [1, 3],
      [1, 9], // beyond the plan: must stop at the end of the work
    ];
    for (const [epoch, batch] of calls) {
      clock.advance(1);
      progress.batchEnd(epoch, batch, 1);
    }
    const percents = emitted.slice(2).map((snapshot) => snapshot.percent);
    expect(percents).toEqual([1, 2, 4, 4, 5, 8, 8].map((batches) => percentAt(batches / 8)));
    progress.saving("Saving");
    expect(progress.snapshot().percent).toBe(100 - savePercent);
    progress.finish();
    expect(progress.snapshot()).toMatchObject({ percent: 100, etaSeconds: 0, phase: "finished", message: "Finished" });
  });

  it("emits at most 4 batch updates per second however many batches end", () => {
    const { clock, emitted, progress } = bridge();
    progress.plan(trainingOnly(part(1, 100_000, 1, 100_000)));
    progress.startTraining();
    const afterStart = emitted.length;
    for (let batch = 0; batch < 100_000; batch++) {
      clock.advance(0.01);
      progress.batchEnd(0, batch, 1);
    }
    expect(clock.now()).toBeCloseTo(1_000, 6);
    const batchEmits = emitted.length - afterStart;
    expect(batchEmits).toBeGreaterThanOrEqual(3);
    expect(batchEmits).toBeLessThanOrEqual(4);
    progress.epochEnd(0);
    expect(emitted.length).toBe(afterStart + batchEmits + 1);
  });

  it("measures samples/s over recent time, not since the start, and derives the ETA from it", () => {
    const { clock, progress } = bridge();
    progress.plan(trainingOnly(part(10, 100, 50, 5_000)));
    progress.startTraining();
    // 100 batches of 50 samples, one every 100 ms: 500 samples/s.
    for (let batch = 0; batch < 100; batch++) {
      clock.advance(100);
      progress.batchEnd(0, batch, 50);
    }
    expect(progress.snapshot().samplesPerSecond).toBeCloseTo(500, 6);
    expect(progress.snapshot().etaSeconds).toBeCloseTo(45_000 / 500, 6);

    // The trainer slows to 250 samples/s; after a minute the figure has followed, whatever the average since start.
    progress.epochEnd(0);
    for (let batch = 0; batch < 300; batch++) {
      clock.advance(200);
      progress.batchEnd(1, batch % 100, 50);
    }
    const rate = progress.snapshot().samplesPerSecond as number;
    expect(rate).toBeGreaterThan(250);
    expect(rate).toBeLessThan(252);
    const sinceStart = (5_000 + 300 * 50) / (clock.now() / 1000);
    expect(sinceStart).toBeGreaterThan(285);
  });

  it("counts batches ending within the same clock tick together", () => {
    const { clock, progress } = bridge();
    progress.plan(trainingOnly(part(1, 10, 10, 100)));
    progress.startTraining();
    clock.advance(1_000);
    for (let batch = 0; batch < 5; batch++) progress.batchEnd(0, batch, 10);
    const { samplesPerSecond } = progress.snapshot();
    expect(samplesPerSecond).toBeCloseTo(10, 6);
    clock.advance(1_000);
    progress.batchEnd(0, 5, 10);
    progress.batchEnd(0, 6, 10);
    // 50 samples over the last 1 s (the two batches plus the 3 held over), weighted 1 - e^(-1 s / 10 s).
    expect(progress.snapshot().samplesPerSecond).toBeCloseTo(10 + (1 - Math.exp(-0.1)) * (50 - 10), 6);
  });

  it("resumes at startEpoch with the earlier epochs counted as done", () => {
    const { emitted, progress } = bridge();
    progress.plan(trainingOnly(part(50, 10, 4, 40)));
    progress.startTraining({ startEpoch: 10 });
    expect(emitted.at(-1)).toMatchObject({
      epoch: 11,
      batch: 0,
      step: 100,
      itemsDone: 400,
      itemsTotal: 2_000,
      samplesPerSecond: null,
      etaSeconds: null,
      message: "Epoch 11/50 · Batch 0/10",
    });
    expect(emitted.at(-1)?.percent).toBeCloseTo(percentAt(0.2), 10);
    progress.batchEnd(10, 0, 4);
    expect(progress.snapshot()).toMatchObject({ step: 101, itemsDone: 404 });
    expect(progress.snapshot().percent).toBeCloseTo(percentAt(0.202), 10);
  });

  it("epochEnd emits immediately with the epoch complete", () => {
    const { clock, emitted, progress } = bridge();
    progress.plan(trainingOnly(part(4, 3, 2, 5)));
    progress.startTraining();
    clock.advance(1);
    progress.batchEnd(0, 0, 2);
    const before = emitted.length;
    progress.batchEnd(0, 1, 2);
    progress.batchEnd(0, 2, 1);
    progress.epochEnd(0);
    expect(emitted.length).toBe(before + 1);
    expect(emitted.at(-1)).toMatchObject({ itemsDone: 5, step: 3, message: "Epoch 1/4 · Batch 3/3" });
    expect(emitted.at(-1)?.percent).toBeCloseTo(percentAt(0.25), 10);
  });

  it("refuses batchEnd before startTraining, a training before its plan, and an empty plan", () => {
    const { progress } = bridge();
    expect(() => progress.batchEnd(0, 0, 1)).toThrow(/before startTraining/);
    expect(() => progress.startTraining()).toThrow(/before plan/);
    progress.plan({ training: part(0, 1, 1, 1), windows: [null] });
    expect(() => progress.startTraining()).toThrow(RangeError);
    expect(() => progress.startTraining({ window: 0 })).toThrow(/no refit for window 1/);
  });
});

describe("ProgressBridge over a whole run", () => {
  /** 2 epochs x 10 batches of main training, then 3 windows; windows 2 and 3 refit for 1 epoch of 12 and 14 batches. */
  const plan: RunPlan = { training: part(2, 10, 10, 100), windows: [null, part(1, 12, 10, 120), part(1, 14, 10, 140)] };

  /** Every batch of a training, 1 ms and 10 samples each. */
  function train(clock: ManualClock, progress: ProgressBridge, training: TrainingPart, window?: number) {
    progress.startTraining({ window });
    for (let epoch = 0; epoch < training.epochs; epoch++) {
      for (let batch = 0; batch < training.batchesPerEpoch; batch++) {
        clock.advance(1);
        progress.batchEnd(epoch, batch, 10);
      }
      progress.epochEnd(epoch);
    }
    progress.endTraining();
  }

  it("counts refit steps in the steps and labels them by window, so the last step is the total", () => {
    const { clock, emitted, progress } = bridge(0);
    progress.plan(plan);
    expect(progress.snapshot()).toMatchObject({ totalSteps: 20 + 12 + 14, itemsTotal: 200 + 120 + 140 });
    train(clock, progress, plan.training as TrainingPart);
    expect(progress.snapshot()).toMatchObject({ step: 20, totalSteps: 46 });
    for (const [index, refit] of plan.windows.entries()) {
      progress.startWindow(`Window ${index + 1}/3`);
      if (refit) train(clock, progress, refit, index);
      clock.advance(50);
      progress.windowDone(index);
    }
    const refitting = emitted.filter((s) => s.message.startsWith("Window 2/3 · Refit"));
    expect(refitting.at(-1)).toMatchObject({ message: "Window 2/3 · Refit epoch 1/1 · Batch 12/12", step: 32, totalSteps: 46 });
    expect(emitted.filter((s) => s.message.startsWith("Window 3/3 · Refit")).at(-1)).toMatchObject({ step: 46, totalSteps: 46 });
    progress.saving("Saving");
    expect(progress.snapshot()).toMatchObject({ step: 46, totalSteps: 46, itemsDone: 460, itemsTotal: 460 });
  });

  it("weighs windows by their measured time: percent rises through the retrodiction and reaches 100 only at finish()", () => {
    const { clock, emitted, progress } = bridge(0);
    progress.phase("loadData", "Loading");
    progress.plan(plan);
    expect(progress.snapshot().percent).toBe(setupPercent);
    train(clock, progress, plan.training as TrainingPart);
    // 20 batches of 1 ms; the 3 windows at the 1 s prior, their refits at the training's rate.
    const mainShare = 20 / (20 + 26 + 3 * 1_000);
    expect(progress.snapshot().percent).toBeCloseTo(percentAt(mainShare), 6);
    expect(progress.snapshot().etaSeconds).toBeCloseTo((26 + 3 * 1_000) / 1000, 6);

    const afterWindows: number[] = [];
    for (const [index, refit] of plan.windows.entries()) {
      progress.startWindow(`Window ${index + 1}/3`);
      if (refit) train(clock, progress, refit, index);
      clock.advance(100);
      progress.windowDone(index);
      afterWindows.push(progress.snapshot().percent);
    }
    // Timed at 100 ms, the first window makes the rest weigh less: 20 + 100 ms done of 20 + 26 + 300.
    expect(afterWindows[0]).toBeCloseTo(percentAt(120 / 346), 6);
    expect(afterWindows[2]).toBeCloseTo(100 - savePercent, 6);
    progress.saving("Saving");
    progress.finish("Done");
    const percents = emitted.map((s) => s.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(percents.filter((p) => p === 100)).toHaveLength(1);
    expect(emitted.at(-1)).toMatchObject({ phase: "finished", percent: 100, message: "Done" });
  });

  it("a main training stopped early leaves the total with the steps it took", () => {
    const { clock, progress } = bridge(0);
    progress.plan(plan);
    progress.startTraining();
    for (let batch = 0; batch < 10; batch++) {
      clock.advance(1);
      progress.batchEnd(0, batch, 10);
    }
    progress.epochEnd(0);
    progress.endTraining();
    expect(progress.snapshot()).toMatchObject({ step: 10, totalSteps: 10 + 12 + 14, itemsTotal: 100 + 120 + 140 });
    progress.startWindow("Window 2/3");
    progress.startTraining({ window: 1 });
    clock.advance(1);
    progress.batchEnd(0, 0, 10);
    expect(progress.snapshot()).toMatchObject({ step: 11, itemsDone: 110 });
  });

  it("counts a classical model's windows alone", () => {
    const { clock, progress } = bridge(0);
    progress.plan({ training: null, windows: [null, null, null, null] });
    progress.startWindow("Window 1/4");
    clock.advance(300);
    progress.windowDone(0);
    expect(progress.snapshot()).toMatchObject({ step: 0, totalSteps: 0 });
    expect(progress.snapshot().percent).toBeCloseTo(percentAt(0.25), 10);
    expect(progress.snapshot().etaSeconds).toBeCloseTo(0.9, 10);
  });
});

describe("a run's progress (real training)", () => {
  const spec = (model: ModelSpecInput) => ({
    data: { dataset: "seattle_weather", target: "temp_max" },
    model,
    train: { epochs: 2, minSteps: 0, patience: 0, refitEpochs: 1 },
    retrodiction: { windows: 3, batchSizeDays: 30 },
  });

  for (const model of [{ kind: "mlp", hidden: [8] }, { kind: "linear" }] satisfies ModelSpecInput[]) {
    it(`${model.kind}: steps and percent cover training, every refit and every window; 100% only when done`, async () => {
      const { outcome, ctx, store, metrics } = await runTraining(spec(model));
      expect(outcome.status).toBe("succeeded");
      const snapshots = store.progress;
      const percents = snapshots.map((s) => s.percent);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
      expect(percents.filter((p) => p === 100)).toHaveLength(1);
      expect(snapshots.at(-1)?.phase).toBe("finished");
      for (const s of snapshots.filter((snapshot) => snapshot.phase === "retrodict"))
        expect(s.percent).toBeLessThan(100 - savePercent + 1e-9);

      // One count of steps everywhere: progress, the loss metric's steps and the summary.
      const lossSteps = stepsOf(metrics, MetricKey.trainLoss);
      const last = snapshots.at(-1) as ProgressSnapshot;
      expect(last.step).toBe(lossSteps.length);
      expect(last.totalSteps).toBe(lossSteps.length);
      expect(ctx.state.resultSummary?.steps).toBe(lossSteps.length);
      for (const s of snapshots) expect(s.totalSteps).toBeGreaterThanOrEqual(s.step);
      if (model.kind === "mlp") {
        expect(snapshots.some((s) => /^Window 3\/3 · Refit epoch 1\/1 · Batch \d+\/\d+$/.test(s.message))).toBe(true);
        expect(snapshots.find((s) => s.phase === "training")?.totalSteps).toBe(lossSteps.length);
      }
    });
  }
});
