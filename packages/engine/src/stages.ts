import {
  type BackendChoice,
  BaselineUnavailable,
  buildModel,
  DataError,
  type Dataset,
  fitLinearMap,
  fitScaler,
  isStatistical,
  makeWindows,
  overallReport,
  type PreparedSeries,
  planSpecWindows,
  predictStatisticalWindow,
  predictWindow,
  prepareSeries,
  type RetrodictionWindow,
  reportHeadline,
  type StatisticalModelSpec,
  saveModel,
  splitByTime,
  TrainingSession,
  type TrainingSpec,
  validationCount,
  verdictText,
  type WindowResult,
  type WindowSet,
  windowCount,
} from "@hindcast/models";
import { Checkpointer, EarlyStopping, NaNGuard, ReduceLROnPlateau } from "./callbacks";
import { encodeCheckpoint } from "./checkpoint-codec";
import type { ResultSummary, TrainingContext } from "./context";
import type { Stage, StageContext } from "./pipeline";
import { systemClock } from "./ports";
import { ProgressBridge, type TrainingPart } from "./progress";
import { InvalidInputError, RecoveryController, recoveryPolicySchema, runWithRecovery } from "./recovery";
import { Tracker } from "./tracker";
import { type Checkpoint, TrainingLoop } from "./trainer";
import { yieldToEventLoop } from "./yield";

type TrainingStage = Stage<TrainingContext>;

const retrodictStageName = "retrodict";

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

/** A classical model runs in plain JavaScript (packages/models/src/classical). */
const statisticalBackend: BackendChoice = {
  backend: "none",
  gpu: false,
  notes: ["a classical model is fitted in plain JavaScript: no TF.js backend"],
  rejected: [],
};

/**
 * Backend pick (with the reasons better ones were turned down) and run facts. It runs after
 * loadData: picking probes the spec's model, which takes seconds for a long lookback, so a spec
 * the dataset cannot hold fails there first.
 */
const prepareStage: TrainingStage = {
  name: "prepare",
  execute: async (ctx) => {
    if (isStatistical(ctx.spec.model)) {
      ctx.state.backend = statisticalBackend;
      return;
    }
    progressOf(ctx).phase("prepare", "Picking a backend");
    ctx.state.backend = await timed(ctx, "prepare", () => ctx.ports.pickBackend(ctx.spec));
  },
};

/** Dataset -> gap handling + transform -> retrodiction plan -> scaler fitted before the first window. */
const loadDataStage: TrainingStage = {
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
          throw new InvalidInputError(error.message, error.fix, { path: error.path, cause: error });
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
  return splitByTime(makeWindows(series, scaler, ctx.spec.window, 0, window.startRow, window.startRow), ctx.spec.train.validationFraction);
}

/**
 * How a window's model is refitted before its prediction: the least-squares map on every row
 * before it, `refitEpochs` of SGD on those rows, or not at all (the first window: training fitted it).
 */
function refitOf(ctx: TrainingContext, window: RetrodictionWindow): "leastSquares" | "sgd" | "none" {
  const refit = window.index > 0 && ctx.spec.train.refitEpochs > 0;
  const leastSquares = ctx.spec.model.kind === "linear" && ctx.state.linearFit && !ctx.state.linearFit.refinedBySgd;
  if (leastSquares && (window.index === 0 || refit)) return "leastSquares";
  return refit ? "sgd" : "none";
}

/** The SGD refit of each window the pipeline retrodicts (null: none), sized as windowsBefore() will size it. */
function refitPlan(ctx: TrainingContext, run: StageContext): (TrainingPart | null)[] {
  const { windows } = ctx.state;
  if (!windows) throw new Error("loadData must run before train");
  if (!run.stages.includes(retrodictStageName)) return [];
  const { batchSize, refitEpochs, validationFraction } = ctx.spec.train;
  return windows.map((window) => {
    if (isStatistical(ctx.spec.model) || refitOf(ctx, window) !== "sgd") return null;
    const count = windowCount(ctx.spec.window, 0, window.startRow, window.startRow);
    const samples = count - validationCount(count, validationFraction);
    return { epochs: refitEpochs, batchesPerEpoch: Math.ceil(samples / batchSize), batchSize, itemsPerEpoch: samples };
  });
}

/**
 * Runs a training loop (the main one, or window `window`'s refit) to its end, rolling back to
 * the last checkpoint on divergence as the recovery policy says.
 */
async function trainWithRecovery(
  ctx: TrainingContext,
  run: StageContext,
  stage: string,
  loop: TrainingLoop,
  options: { firstEpoch?: number; window?: number } = {},
): Promise<void> {
  const session = ctx.state.session as TrainingSession;
  const baseLearningRate = session.learningRate;
  const controller = new RecoveryController(recoveryPolicySchema.parse(ctx.ports.recovery ?? {}));
  let startEpoch = options.firstEpoch ?? 0;
  await runWithRecovery(
    async (attempt) => {
      // A retry before the loop ever ran has no checkpoint: it starts where it was going to.
      if (attempt.resume === "checkpoint" && loop.lastCheckpoint) {
        loop.restore(loop.lastCheckpoint);
        startEpoch = loop.lastCheckpoint.epoch + 1;
      }
      session.learningRate = baseLearningRate * attempt.lrScale;
      progressOf(ctx).startTraining({ window: options.window, startEpoch });
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
  progressOf(ctx).endTraining();
}

/** Fits the model on everything before the first retrodiction window. */
const trainStage: TrainingStage = {
  name: "train",
  execute: async (ctx, run) => {
    const { spec } = ctx;
    const { series, windows } = ctx.state;
    if (!series || !windows) throw new Error("loadData must run before train");
    const first = windows[0] as RetrodictionWindow;
    if (isStatistical(spec.model)) {
      const model = spec.model;
      progressOf(ctx).plan({ training: null, windows: refitPlan(ctx, run) });
      progressOf(ctx).phase("train", `Fitting ${model.kind} on the ${first.startRow} rows before the first window`);
      ctx.state.tracker = new Tracker(ctx.ports.metrics);
      // Fitted here for the train-only pipeline and to fail before any window when the model cannot be fitted.
      const { fitted } = await timed(ctx, "train", () => statisticalWindow(ctx, model, first));
      ctx.state.statisticalFits = [{ window: first.index, label: fitted.label, params: fitted.params }];
      return;
    }
    const { train, validation } = windowsBefore(ctx, first);
    const model = buildModel(
      spec.model,
      { lookback: spec.window.lookback, features: series.columns.length, horizon: spec.window.horizon },
      spec.train.seed,
    );
    const session = new TrainingSession(model, spec.train);
    session.setData(train, validation);
    const closedForm = await closedFormStart(ctx, session, train);
    // A small dataset gets enough optimizer steps: more epochs, and early stopping waits for them.
    const minEpochs = Math.ceil(spec.train.minSteps / Math.max(1, session.batchesPerEpoch));
    const epochs = Math.max(spec.train.epochs, minEpochs);
    const mainTraining: TrainingPart = {
      epochs,
      batchesPerEpoch: session.batchesPerEpoch,
      batchSize: session.batchSize,
      itemsPerEpoch: session.samples,
    };
    progressOf(ctx).plan({ training: mainTraining, windows: refitPlan(ctx, run) });
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
      ...(spec.train.patience > 0 ? [new EarlyStopping({ patience: spec.train.patience, minEpochs })] : []),
      ...(ctx.ports.callbacks ?? []),
    ];
    const loop = new TrainingLoop({
      session,
      tracker,
      epochs,
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
    await timed(ctx, "train", () => trainWithRecovery(ctx, run, "train", loop, { firstEpoch }));
    if (loop.bestCheckpoint) session.restore(loop.bestCheckpoint.weights);
    // SGD refines the least-squares map only where validation says it helped.
    if (closedForm && !resume && (loop.bestCheckpoint?.valLoss ?? Number.POSITIVE_INFINITY) >= closedForm.valLoss) {
      session.restore(closedForm.weights);
      ctx.state.stopReason = `kept the least-squares fit: SGD did not improve its validation loss (${closedForm.valLoss.toPrecision(4)})`;
    } else if (ctx.state.linearFit) {
      ctx.state.linearFit = { ...ctx.state.linearFit, refinedBySgd: true };
      // Refined by SGD, a linear model's windows are refitted by SGD too.
      progressOf(ctx).plan({ training: mainTraining, windows: refitPlan(ctx, run) });
    }
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

/**
 * The least-squares start of a linear model (fitLinearMap), with its
 * validation loss and weights so training can fall back to it. Null for other
 * families, `fit: sgd`, inputs too wide for the closed form, or no validation part.
 */
async function closedFormStart(ctx: TrainingContext, session: TrainingSession, train: WindowSet) {
  const model = ctx.spec.model;
  if (model.kind !== "linear" || model.fit !== "leastSquares") return null;
  const fit = fitLinearMap(session.model, train, model.normalize === "lastValue");
  if (!fit) return null;
  ctx.state.linearFit = fit;
  const valLoss = await session.validationLoss();
  return valLoss === null ? null : { valLoss, weights: await session.snapshot() };
}

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
const retrodictStage: TrainingStage = {
  name: retrodictStageName,
  execute: async (ctx, run) => {
    const { series, windows, scaler, session, tracker } = ctx.state;
    if (!series || !windows || !scaler || !tracker || (!session && !isStatistical(ctx.spec.model))) {
      throw new Error("train must run before retrodict");
    }
    await timed(ctx, "retrodict", async () => {
      const progress = progressOf(ctx);
      for (const window of windows) {
        run.token.throwIfCancelled();
        progress.startWindow(`Window ${window.index + 1}/${windows.length} (${window.startDate}..${window.endDate})`);
        const model = ctx.spec.model;
        if (isStatistical(model)) {
          const { result, fitted } = statisticalWindow(ctx, model, window, ctx.state.results.at(-1));
          if (window.index > 0) ctx.state.statisticalFits?.push({ window: window.index, label: fitted.label, params: fitted.params });
          recordWindow(ctx, result);
          progress.windowDone(window.index);
          await yieldToEventLoop();
          continue;
        }
        if (!session) throw new Error("train must run before retrodict");
        const refit = refitOf(ctx, window);
        if (refit === "leastSquares") {
          // The least-squares map needs no held-out rows (leave-one-out chose it), so it is fitted
          // on every row before the window, as the classical baselines are; refits are exact too.
          const before = makeWindows(series, scaler, ctx.spec.window, 0, window.startRow, window.startRow);
          ctx.state.linearFit = fitLinearMap(session.model, before, model.normalize === "lastValue") ?? ctx.state.linearFit;
        } else if (refit === "sgd") {
          const { train, validation } = windowsBefore(ctx, window);
          session.setData(train, validation);
          const loop = new TrainingLoop({
            session,
            tracker,
            epochs: ctx.spec.train.refitEpochs,
            token: run.token,
            callbacks: [new NaNGuard()],
            progress,
            clock: ctx.ports.clock,
          });
          await trainWithRecovery(ctx, run, "retrodict", loop, { window: window.index });
        }
        const previous = ctx.state.results.at(-1);
        recordWindow(
          ctx,
          await predictWindow(session.model, series, scaler, ctx.spec.window, window, ctx.spec.train.validationFraction, previous),
        );
        progress.windowDone(window.index);
      }
      ctx.state.report = overallReport(ctx.state.results);
    });
  },
  rollback: async (ctx) => {
    ctx.state.results = [];
    ctx.state.report = undefined;
  },
};

/** A window's result: kept for the report, and its headline numbers as metrics (step = window number). */
function recordWindow(ctx: TrainingContext, result: WindowResult): void {
  ctx.state.results.push(result);
  const step = result.window.index + 1;
  const wallTime = new Date();
  ctx.ports.metrics.write([
    { key: "window/rmse", step, value: result.report.rmse, wallTime },
    { key: "window/mae", step, value: result.report.mae, wallTime },
    { key: "window/mase", step, value: result.report.mase, wallTime },
    { key: "window/skill_vs_naive", step, value: result.report.skill.rmseVsNaive, wallTime },
    { key: "window/skill_vs_best", step, value: result.report.skill.rmseVsBest, wallTime },
  ]);
}

/** A classical model fitted on the rows before `window`; one that cannot be fitted there is the spec's problem (4xx). */
function statisticalWindow(ctx: TrainingContext, model: StatisticalModelSpec, window: RetrodictionWindow, previous?: WindowResult) {
  const series = ctx.state.series as PreparedSeries;
  try {
    return predictStatisticalWindow(model, series, ctx.spec.window, window, ctx.spec.train.validationFraction, previous);
  } catch (error) {
    if (!(error instanceof BaselineUnavailable)) throw error;
    throw new InvalidInputError(
      `${error.message} (window ${window.index + 1}, ${window.startDate})`,
      "start the retrodiction later or pick another model.kind",
      { path: "model.kind", cause: error },
    );
  }
}

/** Model, results JSON and summary. */
export const persistStage: TrainingStage = {
  name: "persist",
  execute: async (ctx) => {
    const { session, report, backend, tracker, loop, statisticalFits } = ctx.state;
    if ((!session && !statisticalFits) || !backend || !tracker) throw new Error("train must run before persist");
    progressOf(ctx).saving("Saving model and results");
    await timed(ctx, "persist", async () => {
      const put = async (name: string, kind: string, data: Uint8Array | string, contentType: string) => {
        const stored = await ctx.ports.artifacts.put(name, data, { kind, contentType });
        ctx.state.artifacts.push({ name, kind, ...stored });
      };
      if (session) {
        const saved = await saveModel(session.model);
        await put("model/model.json", "model", saved.topology, "application/json");
        await put("model/weights.bin", "model", saved.weights, "application/octet-stream");
      } else {
        // A classical model's "weights": the parameters fitted before each window.
        await put("model/params.json", "model", JSON.stringify({ kind: ctx.spec.model.kind, fits: statisticalFits }), "application/json");
      }
      const summary: ResultSummary | undefined = report && {
        model: ctx.spec.model.kind,
        backend: backend.backend,
        windows: ctx.state.results.length,
        ...reportHeadline(report),
        bestValLoss: loop?.bestCheckpoint?.valLoss ?? null,
        linearFit: ctx.state.linearFit ?? null,
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
const finalizeStage: TrainingStage = {
  name: "finalize",
  execute: async (ctx) => {
    ctx.state.tracker?.handOver();
    await ctx.ports.metrics.flush();
    progressOf(ctx).finish(
      ctx.state.report ? `Done: RMSE ${ctx.state.report.rmse.toPrecision(4)}; ${verdictText(ctx.state.report.verdict)}` : "Done",
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
