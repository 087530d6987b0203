import {
  buildModel,
  DataError,
  type Dataset,
  fitScaler,
  makeWindows,
  overallReport,
  type PreparedSeries,
  planRetrodiction,
  predictWindow,
  prepareSeries,
  type RetrodictionWindow,
  reportHeadline,
  saveModel,
  splitByTime,
  TrainingSession,
  type TrainingSpec,
} from "@hindcast/models";
import { Checkpointer, EarlyStopping, NaNGuard, ReduceLROnPlateau } from "./callbacks";
import { encodeCheckpoint } from "./checkpoint-codec";
import type { ResultSummary, TrainingContext } from "./context";
import type { Stage, StageContext } from "./pipeline";
import { systemClock } from "./ports";
import { ProgressBridge } from "./progress";
import { InvalidInputError, RecoveryController, recoveryPolicySchema, runWithRecovery } from "./recovery";
import { Tracker } from "./tracker";
import { type Checkpoint, TrainingLoop } from "./trainer";

type TrainingStage = Stage<TrainingContext>;

/** Rows every fit needs at least, before the first retrodiction window. */
const minTrainWindows = 32;

/** The retrodiction windows of a spec over its prepared series (one plan for in-process and fanned-out runs). */
export function planSpecWindows(series: PreparedSeries, spec: TrainingSpec): RetrodictionWindow[] {
  return planRetrodiction(series, spec.retrodiction, spec.window, Math.max(minTrainWindows, spec.train.batchSize));
}

/** Gap handling + transform, the retrodiction plan, and the scaler fitted on the rows before the first window. */
export function prepareRetrodictionData(dataset: Dataset, spec: TrainingSpec) {
  const series = prepareSeries(dataset, spec.data);
  const windows = planSpecWindows(series, spec);
  return { series, windows, scaler: fitScaler(series, (windows[0] as RetrodictionWindow).startRow) };
}

async function timed<T>(ctx: TrainingContext, name: string, fn: () => Promise<T> | T): Promise<T> {
  const clock = ctx.ports.clock ?? systemClock;
  const start = clock.now();
  try {
    return await fn();
  } finally {
    ctx.state.timings[name] = (ctx.state.timings[name] ?? 0) + (clock.now() - start);
  }
}

function progressOf(ctx: TrainingContext): ProgressBridge {
  ctx.state.progress ??= new ProgressBridge({
    emit: (snapshot) => {
      ctx.ports.store.updateProgress(snapshot).catch(() => {});
    },
    clock: ctx.ports.clock,
    minIntervalMs: ctx.ports.progressIntervalMs,
  });
  return ctx.state.progress;
}

/** Backend pick (with the reasons better ones were turned down) and run facts. */
export const prepareStage: TrainingStage = {
  name: "prepare",
  execute: async (ctx) => {
    progressOf(ctx).phase("prepare", "Picking a backend");
    ctx.state.backend = await timed(ctx, "prepare", () => ctx.ports.pickBackend(ctx.spec));
  },
};

/** Dataset -> gap handling + transform -> retrodiction plan -> scaler fitted before the first window. */
export const loadDataStage: TrainingStage = {
  name: "loadData",
  execute: async (ctx) => {
    progressOf(ctx).phase("loadData", `Loading ${ctx.spec.data.dataset}`);
    await timed(ctx, "loadData", async () => {
      try {
        const dataset = await ctx.ports.datasets.load(ctx.spec.data.dataset);
        const { series, windows, scaler } = prepareRetrodictionData(dataset, ctx.spec);
        ctx.state.series = series;
        ctx.state.windows = windows;
        ctx.state.scaler = scaler;
      } catch (error) {
        if (error instanceof DataError) {
          throw new InvalidInputError(`${error.path ?? "spec"}: ${error.message}. Fix: ${error.fix}`, [
            { path: error.path ?? "", message: error.message },
          ]);
        }
        throw error;
      }
    });
  },
  rollback: async (ctx) => {
    ctx.state.series = undefined;
    ctx.state.windows = undefined;
    ctx.state.scaler = undefined;
  },
};

function windowsBefore(ctx: TrainingContext, window: RetrodictionWindow) {
  const { series, scaler } = ctx.state;
  if (!series || !scaler) throw new Error("loadData must run before training");
  const all = makeWindows(series, scaler, ctx.spec.window, 0, window.startRow, window.startRow);
  return splitByTime(all, ctx.spec.train.validationFraction);
}

/** Runs `epochs` epochs, rolling back to the last checkpoint on divergence as the recovery policy says. */
async function trainWithRecovery(
  ctx: TrainingContext,
  run: StageContext,
  stage: string,
  loop: TrainingLoop,
  epochs: number,
  firstEpoch = 0,
  reportEpochs = true,
): Promise<void> {
  const session = ctx.state.session as TrainingSession;
  const baseLearningRate = session.learningRate;
  const controller = new RecoveryController(recoveryPolicySchema.parse(ctx.ports.recovery ?? {}));
  let startEpoch = firstEpoch;
  await runWithRecovery(
    async (attempt) => {
      // A retry before the loop ever ran has no checkpoint: it starts where it was going to.
      if (attempt.resume === "checkpoint" && loop.lastCheckpoint) {
        loop.restore(loop.lastCheckpoint);
        startEpoch = loop.lastCheckpoint.epoch + 1;
      }
      session.learningRate = baseLearningRate * attempt.lrScale;
      if (reportEpochs)
        progressOf(ctx).startTraining({
          totalEpochs: epochs,
          batchesPerEpoch: session.batchesPerEpoch,
          batchSize: session.batchSize,
          itemsPerEpoch: session.samples,
          startEpoch,
        });
      const result = await loop.run(startEpoch);
      if (result.stopReason) ctx.state.stopReason = result.stopReason;
    },
    controller,
    {
      clock: ctx.ports.clock,
      token: run.token,
      onDecision: (decision) =>
        ctx.ports.store.recordStageEvent({
          stage,
          kind: "RECOVERY",
          attempt: run.attempt,
          at: new Date(),
          message: decision.reason,
          details: { ...decision },
        }),
    },
  );
}

/** Fits the model on everything before the first retrodiction window. */
export const trainStage: TrainingStage = {
  name: "train",
  execute: async (ctx, run) => {
    const { spec } = ctx;
    const { series, windows } = ctx.state;
    if (!series || !windows) throw new Error("loadData must run before train");
    const first = windows[0] as RetrodictionWindow;
    const { train, validation } = windowsBefore(ctx, first);
    const model = buildModel(
      spec.model,
      { lookback: spec.window.lookback, features: series.columns.length, horizon: spec.window.horizon },
      spec.train.seed,
    );
    const session = new TrainingSession(model, spec.train);
    session.setData(train, validation);
    const tracker = new Tracker(ctx.ports.metrics);
    ctx.state.session = session;
    ctx.state.tracker = tracker;
    const callbacks = [
      new NaNGuard(),
      new Checkpointer({ every: spec.train.checkpointEvery }),
      new ReduceLROnPlateau({
        factor: 0.5,
        patience: Math.max(2, Math.ceil(spec.train.patience / 2)),
        minLearningRate: spec.train.learningRate / 100,
      }),
      ...(spec.train.patience > 0 ? [new EarlyStopping({ patience: spec.train.patience })] : []),
      ...(ctx.ports.callbacks ?? []),
    ];
    const loop = new TrainingLoop({
      session,
      tracker,
      epochs: spec.train.epochs,
      token: run.token,
      callbacks,
      progress: progressOf(ctx),
      clock: ctx.ports.clock,
      onCheckpoint: (checkpoint) => persistCheckpoint(ctx, checkpoint),
      persistEveryMs: ctx.ports.checkpointIntervalMs,
    });
    ctx.state.loop = loop;
    const resume = ctx.ports.resumeFrom;
    if (resume) {
      loop.restore(resume);
      loop.lastCheckpoint = resume;
      session.learningRate = resume.learningRate;
    }
    const firstEpoch = resume ? resume.epoch + 1 : 0;
    progressOf(ctx).phase(
      "train",
      resume
        ? `Resuming ${spec.model.kind} at epoch ${firstEpoch + 1} (step ${resume.step})`
        : `Training ${spec.model.kind} on ${train.count} windows`,
    );
    await timed(ctx, "train", () => trainWithRecovery(ctx, run, "train", loop, spec.train.epochs, firstEpoch));
    if (loop.bestCheckpoint) session.restore(loop.bestCheckpoint.weights);
  },
  rollback: async (ctx) => {
    ctx.state.loop = undefined;
  },
  cleanup: async (ctx) => {
    ctx.state.session?.model.dispose();
    ctx.state.session?.dispose();
    ctx.state.session = undefined;
  },
};

async function persistCheckpoint(ctx: TrainingContext, checkpoint: Checkpoint): Promise<void> {
  const { uri } = await ctx.ports.artifacts.put(`checkpoints/step-${checkpoint.step}.ckpt`, encodeCheckpoint(checkpoint), {
    kind: "checkpoint",
    contentType: "application/octet-stream",
  });
  await ctx.ports.onCheckpoint?.(checkpoint, uri);
}

/**
 * Walk-forward retrodiction: predicts each window with a model fitted only on
 * rows before it (warm-started refits of `refitEpochs` on the grown history).
 */
export const retrodictStage: TrainingStage = {
  name: "retrodict",
  execute: async (ctx, run) => {
    const { series, windows, scaler, session, tracker } = ctx.state;
    if (!series || !windows || !scaler || !session || !tracker) throw new Error("train must run before retrodict");
    await timed(ctx, "retrodict", async () => {
      for (const window of windows) {
        run.token.throwIfCancelled();
        progressOf(ctx).phase("retrodict", `Window ${window.index + 1}/${windows.length} (${window.startDate}..${window.endDate})`);
        if (window.index > 0 && ctx.spec.train.refitEpochs > 0) {
          const { train, validation } = windowsBefore(ctx, window);
          session.setData(train, validation);
          const loop = new TrainingLoop({
            session,
            tracker,
            epochs: ctx.spec.train.refitEpochs,
            token: run.token,
            callbacks: [new NaNGuard()],
            clock: ctx.ports.clock,
          });
          // Refits are short: progress keeps reporting windows rather than restarting at epoch 1.
          await trainWithRecovery(ctx, run, "retrodict", loop, ctx.spec.train.refitEpochs, 0, false);
        }
        const result = await predictWindow(session.model, series, scaler, ctx.spec.window, window);
        ctx.state.results.push(result);
        const step = window.index + 1;
        const wallTime = new Date();
        ctx.ports.metrics.write([
          { key: "window/rmse", step, value: result.report.rmse, wallTime },
          { key: "window/mae", step, value: result.report.mae, wallTime },
          { key: "window/mase", step, value: result.report.mase, wallTime },
          { key: "window/skill_vs_naive", step, value: result.report.skill.rmseVsNaive, wallTime },
        ]);
      }
      ctx.state.report = overallReport(ctx.state.results);
    });
  },
  rollback: async (ctx) => {
    ctx.state.results = [];
    ctx.state.report = undefined;
  },
};

/** Model, results JSON and summary. */
export const persistStage: TrainingStage = {
  name: "persist",
  execute: async (ctx) => {
    const { session, report, backend, tracker, loop } = ctx.state;
    if (!session || !backend || !tracker) throw new Error("train must run before persist");
    progressOf(ctx).phase("persist", "Saving model and results");
    await timed(ctx, "persist", async () => {
      const saved = await saveModel(session.model);
      const put = async (name: string, kind: string, data: Uint8Array | string, contentType: string) => {
        const stored = await ctx.ports.artifacts.put(name, data, { kind, contentType });
        ctx.state.artifacts.push({ name, kind, ...stored });
      };
      await put("model/model.json", "model", saved.topology, "application/json");
      await put("model/weights.bin", "model", saved.weights, "application/octet-stream");
      const summary: ResultSummary | undefined = report && {
        model: ctx.spec.model.kind,
        backend: backend.backend,
        windows: ctx.state.results.length,
        ...reportHeadline(report),
        bestValLoss: loop?.bestCheckpoint?.valLoss ?? null,
        steps: tracker.step,
      };
      ctx.state.resultSummary = summary;
      const results = {
        spec: ctx.spec,
        data: {
          dataset: ctx.spec.data.dataset,
          from: ctx.state.series?.dates[0],
          to: ctx.state.series?.dates.at(-1),
          gaps: ctx.state.series?.gaps,
        },
        backend,
        windows: ctx.state.results.map((r) => ({
          window: r.window,
          report: r.report,
          dates: r.dates,
          predictions: r.predictions,
          maseScale: r.maseScale,
        })),
        overall: report,
        summary,
        stopReason: ctx.state.stopReason,
        timingsMs: ctx.state.timings,
      };
      await put("results.json", "results", JSON.stringify(results), "application/json");
    });
  },
  rollback: async (ctx) => {
    ctx.state.resultSummary = undefined;
  },
};

/** Flushes metrics and reports 100 %. */
export const finalizeStage: TrainingStage = {
  name: "finalize",
  execute: async (ctx) => {
    ctx.state.tracker?.handOver();
    await ctx.ports.metrics.flush();
    progressOf(ctx).finish(
      ctx.state.report
        ? `Done: RMSE ${ctx.state.report.rmse.toPrecision(4)} (naive ${ctx.state.report.baselines.naive.rmse.toPrecision(4)})`
        : "Done",
    );
  },
};

export const trainingStages: readonly TrainingStage[] = [
  prepareStage,
  loadDataStage,
  trainStage,
  retrodictStage,
  persistStage,
  finalizeStage,
];
