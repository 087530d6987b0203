import { describe, expect, it } from "vitest";
import { ManualClock } from "../src/memory-ports.js";
import type { ProgressSnapshot } from "../src/ports.js";
import { ProgressBridge } from "../src/progress.js";

function bridge(minIntervalMs?: number) {
  const clock = new ManualClock();
  const emitted: ProgressSnapshot[] = [];
  const progress = new ProgressBridge({ emit: (snapshot) => emitted.push(snapshot), clock, minIntervalMs });
  return { clock, emitted, progress };
}

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
    progress.startTraining({ totalEpochs: 50, batchesPerEpoch: 640, batchSize: 32, itemsPerEpoch: 20_480 });
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
    expect(progress.snapshot().percent).toBeCloseTo(((2 + 120 / 640) / 50) * 100, 10);
  });

  it("never lets percent decrease or pass 100", () => {
    const { clock, emitted, progress } = bridge(0);
    progress.startTraining({ totalEpochs: 2, batchesPerEpoch: 4, batchSize: 1, itemsPerEpoch: 4 });
    const calls: [number, number][] = [
      [0, 0],
      [0, 1],
      [0, 3],
      [0, 2], // out of order: must not go back
      [1, 0],
      [1, 3],
      [1, 9], // beyond the plan: must stop at 100
    ];
    for (const [epoch, batch] of calls) {
      clock.advance(1);
      progress.batchEnd(epoch, batch, 1);
    }
    const percents = emitted.map((snapshot) => snapshot.percent);
    expect(percents).toEqual([0, 12.5, 25, 50, 50, 62.5, 100, 100]);
    progress.finish();
    expect(progress.snapshot()).toMatchObject({ percent: 100, etaSeconds: 0, phase: "finished", message: "Finished" });
  });

  it("emits at most 4 batch updates per second however many batches end", () => {
    const { clock, emitted, progress } = bridge();
    progress.startTraining({ totalEpochs: 1, batchesPerEpoch: 100_000, batchSize: 1, itemsPerEpoch: 100_000 });
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
    progress.startTraining({ totalEpochs: 10, batchesPerEpoch: 100, batchSize: 50, itemsPerEpoch: 5_000 });
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
    progress.startTraining({ totalEpochs: 1, batchesPerEpoch: 10, batchSize: 10, itemsPerEpoch: 100 });
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
    progress.startTraining({ totalEpochs: 50, batchesPerEpoch: 10, batchSize: 4, itemsPerEpoch: 40, startEpoch: 10 });
    expect(emitted.at(-1)).toMatchObject({
      epoch: 11,
      batch: 0,
      step: 100,
      itemsDone: 400,
      itemsTotal: 2_000,
      percent: 20,
      samplesPerSecond: null,
      etaSeconds: null,
      message: "Epoch 11/50 · Batch 0/10",
    });
    progress.batchEnd(10, 0, 4);
    expect(progress.snapshot()).toMatchObject({ step: 101, itemsDone: 404 });
    expect(progress.snapshot().percent).toBeCloseTo(20.2, 10);
  });

  it("epochEnd emits immediately with the epoch complete", () => {
    const { clock, emitted, progress } = bridge();
    progress.startTraining({ totalEpochs: 4, batchesPerEpoch: 3, batchSize: 2, itemsPerEpoch: 5 });
    clock.advance(1);
    progress.batchEnd(0, 0, 2);
    const before = emitted.length;
    progress.batchEnd(0, 1, 2);
    progress.batchEnd(0, 2, 1);
    progress.epochEnd(0);
    expect(emitted.length).toBe(before + 1);
    expect(emitted.at(-1)).toMatchObject({ percent: 25, itemsDone: 5, step: 3, message: "Epoch 1/4 · Batch 3/3" });
  });

  it("refuses batchEnd before startTraining and an empty plan", () => {
    const { progress } = bridge();
    expect(() => progress.batchEnd(0, 0, 1)).toThrow(/before startTraining/);
    expect(() => progress.startTraining({ totalEpochs: 0, batchesPerEpoch: 1, batchSize: 1, itemsPerEpoch: 1 })).toThrow(RangeError);
  });
});
