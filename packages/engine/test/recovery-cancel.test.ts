import { describe, expect, it } from "vitest";
import { type Callback, classifyError, errorMessage, InvalidInputError, MetricKey, type TrainingContext } from "../src/index";
import { prepareTraining, runTraining, stepsOf } from "./helpers";

const quickSeattle = {
  data: { dataset: "seattle_weather", target: "temp_max" },
  train: { epochs: 6, patience: 0, refitEpochs: 1 },
  retrodiction: { windows: 2 },
} as const;

/** Sets every weight to NaN at the given epoch and batch, `times` times: a divergence on demand. */
function injectNaN(
  ctx: () => TrainingContext,
  at: { epoch: number; batch: number },
  times: number,
): Callback & { injected: number; batchesPerEpoch: number } {
  return {
    name: "InjectNaN",
    injected: 0,
    batchesPerEpoch: 0,
    onBatchEnd(control, _loss, batch) {
      if (this.injected >= times || control.tracker.epoch !== at.epoch || batch !== at.batch) return;
      this.injected++;
      const session = ctx().state.session;
      if (!session) throw new Error("no session");
      this.batchesPerEpoch = session.batchesPerEpoch;
      const weights = session.model.getWeights();
      session.restore({ values: weights.map((w) => new Float32Array(w.size).fill(Number.NaN)), shapes: weights.map((w) => w.shape) });
    },
  };
}

describe("recovery", () => {
  it("rolls back to the last checkpoint with half the learning rate when the loss turns NaN, then finishes", async () => {
    let ctxRef: TrainingContext | undefined;
    const nan = injectNaN(() => ctxRef as TrainingContext, { epoch: 3, batch: 4 }, 1);
    const training = prepareTraining(quickSeattle, { callbacks: [nan] });
    ctxRef = training.ctx;
    const outcome = await training.run();

    expect(outcome.status).toBe("succeeded");
    expect(nan.injected).toBe(1);
    const recoveries = training.store.events.filter((e) => e.kind === "RECOVERY");
    expect(recoveries).toHaveLength(1);
    expect(recoveries[0]?.details).toMatchObject({ errorClass: "divergence", action: "rollback", lrScale: 0.5 });
    expect(recoveries[0]?.message).toMatch(/loss is NaN at epoch 4 batch 6/);

    // Epochs 1-3 checkpointed; training resumed at epoch 4 from the epoch-3 checkpoint's step.
    const batchesPerEpoch = nan.batchesPerEpoch;
    const losses = training.metrics.points.filter((p) => p.key === MetricKey.trainLoss);
    const nanAt = losses.findIndex((p) => !Number.isFinite(p.value));
    expect(nanAt).toBeGreaterThan(0);
    expect(losses[nanAt + 1]?.step).toBe(3 * batchesPerEpoch + 1);
    expect(losses.slice(nanAt + 1).every((p) => Number.isFinite(p.value))).toBe(true);
    const learningRates = training.metrics.points.filter((p) => p.key === MetricKey.learningRate).map((p) => p.value);
    expect(learningRates.at(-1)).toBeLessThanOrEqual((learningRates[0] as number) / 2);
    expect(training.ctx.state.report?.rmse).toEqual(expect.any(Number));
  });

  it("fails as a divergence after the capped attempts when the loss keeps turning NaN", async () => {
    let ctxRef: TrainingContext | undefined;
    const nan = injectNaN(() => ctxRef as TrainingContext, { epoch: 2, batch: 1 }, 99);
    const training = prepareTraining(quickSeattle, { callbacks: [nan] });
    ctxRef = training.ctx;
    const outcome = await training.run();

    expect(outcome.status).toBe("failed");
    if (outcome.status !== "failed") return;
    expect(outcome.stage).toBe("train");
    expect(classifyError(outcome.error)).toBe("divergence");
    const actions = training.store.events.filter((e) => e.kind === "RECOVERY").map((e) => e.details?.action);
    expect(actions).toEqual(["rollback", "rollback", "fail"]);
    expect(nan.injected).toBe(3);
    // Everything that ran was rolled back, newest first, and cleaned up.
    expect(training.store.events.filter((e) => e.kind === "ROLLED_BACK").map((e) => e.stage)).toEqual(["train", "loadData"]);
    expect(training.store.events.filter((e) => e.kind === "CLEANED_UP").map((e) => e.stage)).toEqual(["train"]);
  });
});

describe("cancellation", () => {
  it("stops within one batch when cancelled mid-epoch, as a cancellation rather than a failure", async () => {
    let cancelledAtStep = -1;
    const training = prepareTraining(quickSeattle, {
      callbacks: [
        {
          name: "CancelMidEpoch",
          onBatchEnd(control, _loss, batch) {
            if (control.tracker.epoch === 1 && batch === 2 && cancelledAtStep < 0) {
              cancelledAtStep = control.tracker.step;
              training.source.cancel("user asked");
            }
          },
        },
      ],
    });
    const outcome = await training.run();
    expect(outcome).toMatchObject({ status: "cancelled", stage: "train", reason: "user asked" });
    expect(Math.max(...stepsOf(training.metrics, MetricKey.trainLoss))).toBe(cancelledAtStep);
    // The stage says who cancelled it; a cancellation is no failure for recovery to decide about.
    expect(training.store.events.find((e) => e.kind === "FAILED" && e.stage === "train")).toMatchObject({
      message: "user asked",
      details: { errorName: "CancelledError" },
    });
    expect(training.store.events.filter((e) => e.kind === "RECOVERY")).toEqual([]);
    expect(training.store.events.filter((e) => e.kind === "CLEANED_UP").map((e) => e.stage)).toEqual(["train"]);
  });

  it("sees a cancel request from outside the loop (a timer, like a NOTIFY) within one batch", async () => {
    const training = prepareTraining({ ...quickSeattle, train: { ...quickSeattle.train, epochs: 500 } });
    let stepAtCancel = -1;
    const timer = setInterval(() => {
      const step = training.ctx.state.tracker?.step ?? 0;
      if (step > 20) {
        stepAtCancel = step;
        training.source.cancel("stop button");
        clearInterval(timer);
      }
    }, 5);
    const outcome = await training.run();
    clearInterval(timer);
    expect(outcome).toMatchObject({ status: "cancelled", reason: "stop button" });
    expect(stepAtCancel).toBeGreaterThan(20);
    expect(Math.max(...stepsOf(training.metrics, MetricKey.trainLoss))).toBeLessThanOrEqual(stepAtCancel + 1);
  });
});

describe("bad input is refused before a backend is picked or a model built", () => {
  it.each([
    [
      { data: { dataset: "seattle_weather", target: "temp_maximum" } },
      /data\.target: target "temp_maximum" is not a column of dataset seattle_weather.*Fix: use one of: .*temp_max/,
    ],
    [
      { data: { dataset: "seattle_weather", target: "temp_max", from: "2030-01-01" } },
      /date range 2030-01-01\.\.2015-12-31 is outside dataset seattle_weather \(2012-01-01\.\.2015-12-31\)/,
    ],
    [
      { data: { dataset: "co2", target: "co2" }, window: { lookback: 700 } },
      /only \d+ rows precede the first retrodiction window.*lookback 700/,
    ],
    [
      // Probing an LSTM over 5000 steps to pick a backend would take seconds before this was found.
      { data: { dataset: "seattle_weather", target: "temp_max" }, model: { kind: "lstm" as const }, window: { lookback: 5000 } },
      /retrodiction\.windows: only \d+ rows precede the first retrodiction window.*lookback 5000 \+ horizon 1 \+ 64 training windows need 5065/,
    ],
  ])("%j", async (spec, message) => {
    let picks = 0;
    const { outcome, store } = await runTraining(spec, {
      pickBackend: async () => {
        picks++;
        throw new Error("no backend may be picked for a spec the data cannot hold");
      },
    });
    expect(outcome.status).toBe("failed");
    if (outcome.status !== "failed") return;
    expect(outcome.stage).toBe("loadData");
    expect(outcome.error).toBeInstanceOf(InvalidInputError);
    expect(errorMessage(outcome.error)).toMatch(message);
    expect(picks).toBe(0);
    expect(store.events.map((e) => `${e.stage} ${e.kind}`)).toEqual(["loadData STARTED", "loadData FAILED", "loadData ROLLED_BACK"]);
  });
});
