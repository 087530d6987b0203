import { type PipelineName, pipelineNameSchema, pipelineNames, zodIssueLines } from "@hindcast/contracts";
import { loadAnyDataset } from "@hindcast/datasets";
import {
  type ClaimedRun,
  claimRun,
  latestCheckpointUri,
  pruneCheckpoints,
  recordCheckpoint,
  releaseRun,
  runStatus,
  trainTask,
} from "@hindcast/db";
import {
  CancellationSource,
  type Checkpoint,
  classifyError,
  createTrainingContext,
  decodeCheckpoint,
  errorMessage,
  type PipelineOutcome,
  type RecoveryDecision,
  type TrainingContext,
  type TrainingPipelineBuilder,
} from "@hindcast/engine";
import { probeForSpec, type TrainingSpec, trainingSpecSchema } from "@hindcast/models";
import type pg from "pg";
import { z } from "zod";
import type { WorkerContext } from "./context";
import { endHeldRun } from "./end-run";
import type { PipelineRunner } from "./pipelines";
import { FileArtifactStore } from "./ports/artifact-store";
import { DbMetricSink } from "./ports/metric-sink";
import { RunLogger } from "./ports/run-logger";
import { DbRunStore } from "./ports/run-store";
import { retryTransient } from "./ports/transient";

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

/** Trains a claimed run in this process, stage after stage, with the pipeline `build` makes. */
export async function trainInProcess(worker: WorkerContext, claimed: ClaimedRun, build: TrainingPipelineBuilder): Promise<void> {
  const { pool, workerId } = worker;
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
  worker.running.set(claimed.id, { source, task: trainTask(claimed.queue) });
  const metrics = new DbMetricSink(pool, claimed.id);
  const artifacts = new FileArtifactStore(pool, claimed.id, worker.config.artifactsDir);
  const store = new DbRunStore(pool, claimed.id);
  const decisions: RecoveryDecision[] = [];
  let abandoned = false;
  try {
    await cancelIfRequested(pool, claimed.id, source);
    const resumeFrom = await latestCheckpoint(pool, artifacts, claimed.id);
    runLog.info(
      resumeFrom
        ? `Attempt ${claimed.attempt} on ${worker.backend.backend}: resuming at step ${resumeFrom.step}`
        : `Attempt ${claimed.attempt} on ${worker.backend.backend}`,
      { workerId, backend: worker.backend.backend },
    );
    await runLog.flush();
    const ctx: TrainingContext = createTrainingContext(spec, {
      store: {
        recordStageEvent: (event) => {
          if (event.kind === "RECOVERY" && event.details) decisions.push(event.details as unknown as RecoveryDecision);
          return store.recordStageEvent(event);
        },
        updateProgress: (progress) => store.updateProgress(progress),
      },
      metrics,
      artifacts,
      datasets: { load: (name) => loadAnyDataset(pool, name) },
      pickBackend: async (s: TrainingSpec) => {
        await probeForSpec(s)?.();
        return worker.backend;
      },
      resumeFrom,
      checkpointIntervalMs: worker.config.checkpointIntervalMs,
      // A checkpoint counts only once every metric point up to its step is stored: resuming from it must leave no gap.
      onCheckpoint: async (checkpoint, uri) => {
        await metrics.flush();
        await keepCheckpoint(worker, artifacts, claimed.id, claimed.attempt, checkpoint, uri);
      },
    });
    const pipeline = build({
      store,
      onRecordError: (error) => runLog.warn(`stage event not recorded: ${errorMessage(error)}`),
    });
    const outcome = await pipeline.execute(ctx, { token: source.token, attempt: claimed.attempt });
    await metrics.close();
    abandoned = outcome.status === "cancelled" && worker.running.get(claimed.id)?.stopping === "abandon";
    if (abandoned) runLog.warn("Left to the worker that takes the run over: this worker was declared dead");
    else await endRun(worker, claimed, outcome, ctx, decisions, runLog);
  } catch (error) {
    await metrics.close().catch(() => {});
    await endHeldRun(worker, claimed.id, "FAILED", {
      message: errorMessage(error),
      error: { class: classifyError(error), message: errorMessage(error), stage: "worker" },
    });
    runLog.error(`Run failed outside its pipeline: ${errorMessage(error)}`);
  } finally {
    worker.running.delete(claimed.id);
    await runLog.close();
  }
  // Failed, not completed: graphile-worker deletes a completed job by its id, whoever holds it now,
  // while failing it changes nothing once the reaper has unlocked it for the worker taking over.
  if (abandoned) throw new Error(`run ${claimed.id} is left to the worker that takes it over: this worker was declared dead`);
}

async function endRun(
  worker: WorkerContext,
  claimed: ClaimedRun,
  outcome: PipelineOutcome,
  ctx: TrainingContext,
  decisions: RecoveryDecision[],
  runLog: RunLogger,
): Promise<void> {
  const { pool, workerId } = worker;
  const local = worker.running.get(claimed.id);
  if (outcome.status === "succeeded") {
    await endHeldRun(worker, claimed.id, "SUCCEEDED", {
      message: ctx.state.progress?.snapshot().message ?? "Succeeded",
      // Artifacts are rows of their own (runs.artifacts); their URIs are server paths, not for answers.
      resultSummary: { ...ctx.state.resultSummary, stopReason: ctx.state.stopReason ?? null },
    });
    runLog.info(`Succeeded in ${Math.round(outcome.durationMs)} ms`);
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
    const errorClass = classifyError(outcome.error);
    const message = errorMessage(outcome.error);
    await endHeldRun(worker, claimed.id, "FAILED", {
      message: `Failed in ${outcome.stage}: ${message}`,
      error: { class: errorClass, message, stage: outcome.stage, recovery: decisions },
    });
    runLog.error(`Failed in ${outcome.stage} (${errorClass}): ${message}`);
  }
}

/** A cancel requested while this attempt was being claimed: the NOTIFY may have gone to nobody. */
async function cancelIfRequested(pool: pg.Pool, runId: string, source: CancellationSource): Promise<void> {
  if ((await retryTransient(() => runStatus(pool, runId))) === "CANCELLING") source.cancel("cancelled by user");
}

async function latestCheckpoint(pool: pg.Pool, artifacts: FileArtifactStore, runId: string): Promise<Checkpoint | undefined> {
  const uri = await retryTransient(() => latestCheckpointUri(pool, runId));
  return uri ? decodeCheckpoint(await artifacts.get(uri)) : undefined;
}

/** Records a checkpoint and keeps the newest few plus the newest best one. */
async function keepCheckpoint(
  worker: WorkerContext,
  artifacts: FileArtifactStore,
  runId: string,
  attempt: number,
  checkpoint: Checkpoint,
  uri: string,
): Promise<void> {
  const { pool, config } = worker;
  await retryTransient(() =>
    recordCheckpoint(pool, {
      runId,
      attempt,
      step: checkpoint.step,
      epoch: checkpoint.epoch,
      uri,
      metrics: { tag: checkpoint.tag, valLoss: checkpoint.valLoss ?? null, learningRate: checkpoint.learningRate },
    }),
  );
  const pruned = await retryTransient(() => pruneCheckpoints(pool, runId, config.keepCheckpoints));
  for (const old of pruned) await artifacts.remove(old.uri).catch(() => {});
}
