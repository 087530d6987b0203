import { type PipelineName, pipelineNameSchema, pipelineNames, zodIssueLines } from "@hindcast/contracts";
import { loadAnyDataset } from "@hindcast/datasets";
import {
  type ClaimedRun,
  claimRun,
  latestCheckpoint,
  pruneCheckpoints,
  readSweepConfig,
  recordCheckpoint,
  releaseRun,
  reportRung,
  runStatus,
  trainTask,
} from "@hindcast/db";
import {
  CancellationSource,
  classifyError,
  errorMessage,
  type ProgressSnapshot,
  RecoveryController,
  type RecoveryDecision,
  type RungValue,
  systemClock,
} from "@hindcast/engine";
import { type TrainingSpec, trainingSpecSchema } from "@hindcast/models";
import { promotable, rungEpochs, storedSweepSchema } from "@hindcast/sweeps";
import type pg from "pg";
import { z } from "zod";
import type { LocalRun, WorkerContext } from "./context";
import { endHeldRun } from "./end-run";
import type { PipelineRunner } from "./pipelines";
import { DbMetricSink } from "./ports/metric-sink";
import { RunArtifacts } from "./ports/run-artifacts";
import { RunLogger } from "./ports/run-logger";
import { DbRunStore } from "./ports/run-store";
import { retryTransient } from "./ports/transient";
import type { TrainerHandlers } from "./trainer/host";
import type { StartMessage, TrainerCalls, TrainerOutcome } from "./trainer/protocol";

const jobPayloadSchema = z.object({ runId: z.string().uuid() });

/** The graphile-worker task that claims a run and runs it by its pipeline's entry in `pipelines`. */
export function trainTaskHandler(worker: WorkerContext, pipelines: Record<PipelineName, PipelineRunner>) {
  return async (payload: unknown): Promise<void> => {
    const { runId } = jobPayloadSchema.parse(payload);
    const claimed = await retryTransient(() => claimRun(worker.pool, runId, worker.workerId, worker.backend.backend));
    if (!claimed.ok) return;
    const run = claimed.row;
    const pipeline = pipelineNameSchema.safeParse(run.pipeline);
    if (!pipeline.success) {
      const message = `Unknown pipeline "${run.pipeline}": choose from ${pipelineNames.join(", ")}`;
      await endHeldRun(worker, run.id, "FAILED", { message, error: { class: "invalid_input", message, stage: "claim" } });
      return;
    }
    await pipelines[pipeline.data](worker, run);
  };
}

/** The pipelines a trainer process runs; a parallel retrodiction fans out instead. */
export type TrainerPipeline = StartMessage["pipeline"];

/**
 * Trains a claimed run in a trainer process of its own, stage after stage.
 * When that process dies before the pipeline ends (a crash, kill -9, memory),
 * the recovery policy decides: a new trainer resumes from the last checkpoint,
 * or the run fails with the reason. The worker itself goes on either way.
 */
export async function trainInTrainer(worker: WorkerContext, claimed: ClaimedRun, pipeline: TrainerPipeline): Promise<void> {
  const { pool } = worker;
  const runLog = new RunLogger(pool, claimed.id, claimed.attempt, worker.log);
  const parsed = trainingSpecSchema.safeParse(claimed.spec);
  if (!parsed.success) {
    const problems = zodIssueLines(parsed.error).join("; ");
    await endHeldRun(worker, claimed.id, "FAILED", {
      message: `Invalid spec: ${problems}`,
      error: { class: "invalid_input", message: problems, stage: "claim" },
    });
    return runLog.close();
  }
  const spec = parsed.data;
  const source = new CancellationSource();
  const local: LocalRun = { source, task: trainTask(claimed.queue) };
  worker.running.set(claimed.id, local);
  worker.metrics.trainingsRunning.inc();
  const metrics = new DbMetricSink(pool, claimed.id, {
    onStored: (points, seconds) => {
      worker.metrics.metricPointsWritten.inc(points);
      worker.metrics.metricFlushDuration.observe(seconds);
    },
  });
  const artifacts = new RunArtifacts(pool, claimed.id, worker.artifacts);
  const store = new DbRunStore(pool, claimed.id);
  const decisions: RecoveryDecision[] = [];
  const trial = claimed.sweepId ? await sweepTrialRules(worker, claimed.sweepId, spec) : null;
  let currentStage = "trainer";
  const handlers: TrainerHandlers = {
    recordStageEvent: async (event) => {
      if (event.kind === "STARTED") currentStage = event.stage;
      if (event.kind === "RECOVERY" && event.details) decisions.push(event.details as unknown as RecoveryDecision);
      await store.recordStageEvent(event);
      return undefined;
    },
    flushMetrics: async () => {
      await metrics.flush();
      return undefined;
    },
    loadDataset: (name) => retryTransient(() => loadAnyDataset(pool, name)),
    putArtifact: ({ name, data, meta }) => artifacts.put(name, data, meta),
    getArtifact: (uri) => artifacts.get(uri),
    checkpoint: async (checkpoint) => {
      await metrics.flush();
      await keepCheckpoint(worker, artifacts, claimed, checkpoint);
      return undefined;
    },
    progress: (snapshot) => {
      countSamples(worker, local, snapshot);
      void store.updateProgress(snapshot);
    },
    metrics: (points) => metrics.write(points),
    log: (level, message) => runLog[level](message),
    reachRung: async (rung) => {
      if (!trial || !claimed.sweepId) return undefined;
      const stopped = await judgeRung(
        worker,
        { sweepId: claimed.sweepId, runId: claimed.id, reductionFactor: trial.reductionFactor },
        rung,
      );
      if (stopped) {
        local.stoppedBySweep = stopped;
        runLog.info(stopped);
        source.cancel(stopped);
      }
      return undefined;
    },
  };
  let abandoned = false;
  try {
    await cancelIfRequested(pool, claimed.id, source);
    const outcome = await trainWithRestarts(worker, claimed, {
      pipeline,
      rungs: trial?.rungs ?? [],
      spec,
      handlers,
      artifacts,
      runLog,
      source,
      stage: () => currentStage,
    });
    await metrics.close();
    abandoned = outcome.status === "cancelled" && worker.running.get(claimed.id)?.stopping === "abandon";
    if (abandoned) runLog.warn("Left to the worker that takes the run over: this worker was declared dead");
    else await endRun(worker, claimed, outcome, decisions, runLog);
  } catch (error) {
    await metrics.close().catch(() => {});
    await endHeldRun(worker, claimed.id, "FAILED", {
      message: errorMessage(error),
      error: { class: classifyError(error), message: errorMessage(error), stage: "worker" },
    });
    runLog.error(`Run failed outside its pipeline: ${errorMessage(error)}`);
  } finally {
    worker.running.delete(claimed.id);
    worker.metrics.trainingsRunning.dec();
    setSamplesPerSecond(worker);
    await runLog.close();
  }
  // Failed, not completed: graphile-worker deletes a completed job by its id, whoever holds it now,
  // while failing it changes nothing once the reaper has unlocked it for the worker taking over.
  if (abandoned) throw new Error(`run ${claimed.id} is left to the worker that takes it over: this worker was declared dead`);
}

/** The worker's samples counter and samples/s gauge, from a training's progress (a resumed trainer counts again from its checkpoint: no negative steps). */
function countSamples(worker: WorkerContext, local: LocalRun, snapshot: ProgressSnapshot): void {
  const before = local.samples?.done ?? 0;
  if (snapshot.itemsDone > before) worker.metrics.trainingSamples.inc(snapshot.itemsDone - before);
  local.samples = { done: Math.max(before, snapshot.itemsDone), perSecond: snapshot.samplesPerSecond ?? 0 };
  setSamplesPerSecond(worker);
}

function setSamplesPerSecond(worker: WorkerContext): void {
  let sum = 0;
  for (const run of worker.running.values()) sum += run.samples?.perSecond ?? 0;
  worker.metrics.trainingSamplesPerSecond.set(sum);
}

interface TrainerRun {
  pipeline: TrainerPipeline;
  /** A sweep trial's rungs (epochs done), else empty. */
  rungs: number[];
  spec: TrainingSpec;
  handlers: TrainerHandlers;
  artifacts: RunArtifacts;
  runLog: RunLogger;
  source: CancellationSource;
  /** The stage the trainer last started: where a crash happened. */
  stage(): string;
}

/** Trainer processes, one after another, until one reports how the pipeline ended or the recovery policy gives up on their crashes. */
async function trainWithRestarts(worker: WorkerContext, claimed: ClaimedRun, run: TrainerRun): Promise<TrainerOutcome> {
  const crashes = new RecoveryController();
  const startedAt = performance.now();
  for (;;) {
    const checkpoint = await retryTransient(() => latestCheckpoint(worker.pool, claimed.id));
    const attempt = `Attempt ${claimed.attempt} on ${worker.backend.backend}`;
    const started = (pid: number) => {
      run.runLog.info(`${attempt} in trainer process ${pid}${checkpoint ? `: resuming at step ${checkpoint.step}` : ""}`, {
        workerId: worker.workerId,
        backend: worker.backend.backend,
        pid,
      });
      void run.runLog.flush();
    };
    const result = await worker.trainers.run(
      {
        kind: "start",
        runId: claimed.id,
        attempt: claimed.attempt,
        pipeline: run.pipeline,
        spec: run.spec,
        backend: worker.backend.backend,
        resumeFrom: checkpoint ? await run.artifacts.get(checkpoint.uri) : null,
        checkpointIntervalMs: worker.config.checkpointIntervalMs,
        systemMetricsIntervalMs: worker.config.systemMetricsIntervalMs,
        rungs: run.rungs,
      },
      run.handlers,
      run.source.token,
      started,
    );
    if (result.kind === "outcome") return result.outcome;

    const stage = run.stage();
    const durationMs = performance.now() - startedAt;
    const decision = crashes.decide(result.error);
    // Recorded through the trainer's own handler, which also keeps it among the run's decisions.
    await run.handlers
      .recordStageEvent({
        stage,
        kind: "RECOVERY",
        attempt: claimed.attempt,
        at: new Date(),
        message: decision.reason,
        details: { ...decision },
      })
      .catch((error: unknown) => run.runLog.warn(`recovery not recorded: ${errorMessage(error)}`));
    run.runLog.warn(`Trainer process lost in ${stage}: ${decision.reason}`);
    if (decision.action === "fail") {
      return {
        status: "failed",
        stage,
        durationMs,
        error: { name: result.error.name, message: errorMessage(result.error), errorClass: decision.errorClass },
      };
    }
    try {
      await systemClock.sleep(decision.delayMs, run.source.token);
      run.source.token.throwIfCancelled();
    } catch {
      return { status: "cancelled", stage, reason: run.source.token.reason ?? "cancelled", durationMs };
    }
  }
}

async function endRun(
  worker: WorkerContext,
  claimed: ClaimedRun,
  outcome: TrainerOutcome,
  decisions: RecoveryDecision[],
  runLog: RunLogger,
): Promise<void> {
  const { pool, workerId } = worker;
  const local = worker.running.get(claimed.id);
  if (outcome.status === "succeeded") {
    await endHeldRun(worker, claimed.id, "SUCCEEDED", {
      message: outcome.message ?? "Succeeded",
      // Artifacts are rows of their own (runs.artifacts); their URIs are server paths, not for answers.
      resultSummary: { ...outcome.resultSummary, stopReason: outcome.stopReason },
    });
    runLog.info(`Succeeded in ${Math.round(outcome.durationMs)} ms`);
  } else if (outcome.status === "cancelled" && local?.stoppedBySweep) {
    await endHeldRun(worker, claimed.id, "STOPPED", { message: local.stoppedBySweep });
  } else if (outcome.status === "cancelled") {
    let reason = outcome.reason;
    if (local?.stopping === "release") {
      const released = await retryTransient(() => releaseRun(pool, claimed.id, workerId, local.task));
      if (released.ok) {
        worker.handedBack++;
        runLog.info("Released to the queue by a stopping worker");
        return;
      }
      if (released.from !== "CANCELLING") {
        runLog.warn(`Not handed back: ${released.reason}`);
        return;
      }
      // Its cancel was asked as the worker stopped: it ends CANCELLED instead of going back to the queue.
      reason = "cancel requested as its worker stopped";
    }
    await endHeldRun(worker, claimed.id, "CANCELLED", { message: `Cancelled during ${outcome.stage}: ${reason}` });
    runLog.info(`Cancelled during ${outcome.stage}`);
  } else {
    const { errorClass, message } = outcome.error;
    await endHeldRun(worker, claimed.id, "FAILED", {
      message: `Failed in ${outcome.stage}: ${message}`,
      error: { class: errorClass, message, stage: outcome.stage, recovery: decisions },
    });
    runLog.error(`Failed in ${outcome.stage} (${errorClass}): ${message}`);
  }
}

/** A sweep trial's ASHA rungs and reduction factor, from its sweep's stored config (none when the sweep has no such rule). */
async function sweepTrialRules(
  worker: WorkerContext,
  sweepId: string,
  spec: TrainingSpec,
): Promise<{ rungs: number[]; reductionFactor: number } | null> {
  const stored = storedSweepSchema.safeParse(await retryTransient(() => readSweepConfig(worker.pool, sweepId)));
  if (!stored.success) return null;
  const rule = stored.data.spec.earlyStopping;
  return rule.rule === "asha" ? { rungs: rungEpochs(rule, spec.train.epochs), reductionFactor: rule.reductionFactor } : null;
}

/** Records a trial's loss at a rung; the reason it stops there, or null when it goes on. */
async function judgeRung(
  worker: WorkerContext,
  trial: { sweepId: string; runId: string; reductionFactor: number },
  { rung, epoch, value }: RungValue,
): Promise<string | null> {
  const decided = await retryTransient(() =>
    reportRung(worker.pool, {
      ...trial,
      rung,
      epoch,
      value,
      decide: (own, competing) => promotable(own, competing, trial.reductionFactor),
    }),
  );
  if (decided.promoted) return null;
  return `Stopped by ASHA at rung ${rung + 1} (epoch ${epoch}): validation loss ${value.toPrecision(4)} is not in the best 1/${trial.reductionFactor} of the ${decided.competing} trials that reached it`;
}

/** A cancel requested while this attempt was being claimed: the NOTIFY may have gone to nobody. */
async function cancelIfRequested(pool: pg.Pool, runId: string, source: CancellationSource): Promise<void> {
  if ((await retryTransient(() => runStatus(pool, runId))) === "CANCELLING") source.cancel("cancelled by user");
}

/** Records a checkpoint and keeps the newest few plus the newest best one. */
async function keepCheckpoint(
  worker: WorkerContext,
  artifacts: RunArtifacts,
  claimed: ClaimedRun,
  checkpoint: TrainerCalls["checkpoint"]["args"],
): Promise<void> {
  const { pool, config } = worker;
  const { uri, step, epoch, tag, valLoss, learningRate } = checkpoint;
  await retryTransient(() =>
    recordCheckpoint(pool, { runId: claimed.id, attempt: claimed.attempt, step, epoch, uri, metrics: { tag, valLoss, learningRate } }),
  );
  const pruned = await retryTransient(() => pruneCheckpoints(pool, claimed.id, config.keepCheckpoints));
  for (const old of pruned) await artifacts.remove(old.uri).catch(() => {});
}
