import { loadAnyDataset } from "@hindcast/datasets";
import { trainTask } from "@hindcast/db";
import {
  buildTrainingPipeline,
  CancellationSource,
  type Checkpoint,
  classifyError,
  createTrainingContext,
  decodeCheckpoint,
  errorMessage,
  type PipelineOutcome,
  type RecoveryDecision,
  type TrainingContext,
} from "@hindcast/engine";
import { probeForSpec, type TrainingSpec, trainingSpecSchema } from "@hindcast/models";
import type pg from "pg";
import { z } from "zod";
import type { WorkerContext } from "./context.js";
import { fanOutWindows, parallelPipeline } from "./fan-out.js";
import { FileArtifactStore } from "./ports/artifact-store.js";
import { DbMetricSink } from "./ports/metric-sink.js";
import { RunLogger } from "./ports/run-logger.js";
import { DbRunStore } from "./ports/run-store.js";
import { retryTransient } from "./ports/transient.js";
import { type ClaimedRun, claimRun, finishRun, releaseRun } from "./run-state.js";

export const jobPayloadSchema = z.object({ runId: z.string().uuid() });

/** The graphile-worker task that trains one run. */
export function trainTaskHandler(worker: WorkerContext) {
  return async (payload: unknown): Promise<void> => {
    const { runId } = jobPayloadSchema.parse(payload);
    const claimed = await claimRun(worker.pool, runId, worker.workerId, worker.backend.backend);
    if (!claimed) return;
    if (claimed.pipeline === parallelPipeline) return fanOutWindows(worker, claimed);
    await trainClaimedRun(worker, claimed);
  };
}

async function trainClaimedRun(worker: WorkerContext, claimed: ClaimedRun): Promise<void> {
  const { pool, workerId } = worker;
  const runLog = new RunLogger(pool, claimed.id, claimed.attempt, worker.log);
  const parsed = trainingSpecSchema.safeParse(claimed.spec);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    await finishRun(pool, claimed.id, workerId, "FAILED", {
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
        await recordCheckpoint(worker, artifacts, claimed.id, claimed.attempt, checkpoint, uri);
      },
    });
    const pipeline = buildTrainingPipeline(claimed.pipeline, {
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
    await finishRun(pool, claimed.id, workerId, "FAILED", {
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
    await finishRun(pool, claimed.id, workerId, "SUCCEEDED", {
      message: ctx.state.progress?.snapshot().message ?? "Succeeded",
      // Artifacts are rows of their own (runs.artifacts); their URIs are server paths, not for answers.
      resultSummary: { ...ctx.state.resultSummary, stopReason: ctx.state.stopReason ?? null },
    });
    runLog.info(`Succeeded in ${Math.round(outcome.durationMs)} ms`);
  } else if (outcome.status === "cancelled") {
    if (local?.stopping === "release") {
      if (await releaseRun(pool, claimed.id, workerId, local.task)) worker.handedBack++;
      runLog.info("Released to the queue by a stopping worker");
    } else {
      await finishRun(pool, claimed.id, workerId, "CANCELLED", { message: `Cancelled during ${outcome.stage}: ${outcome.reason}` });
      runLog.info(`Cancelled during ${outcome.stage}`);
    }
  } else {
    const errorClass = classifyError(outcome.error);
    const message = errorMessage(outcome.error);
    await finishRun(pool, claimed.id, workerId, "FAILED", {
      message: `Failed in ${outcome.stage}: ${message}`,
      error: { class: errorClass, message, stage: outcome.stage, recovery: decisions },
    });
    runLog.error(`Failed in ${outcome.stage} (${errorClass}): ${message}`);
  }
}

/** A cancel requested while this attempt was being claimed: the NOTIFY may have gone to nobody. */
async function cancelIfRequested(pool: pg.Pool, runId: string, source: CancellationSource): Promise<void> {
  const { rows } = await retryTransient(() => pool.query<{ status: string }>(`SELECT "status" FROM "Run" WHERE "id" = $1`, [runId]));
  if (rows[0]?.status === "CANCELLING") source.cancel("cancelled by user");
}

async function latestCheckpoint(pool: pg.Pool, artifacts: FileArtifactStore, runId: string): Promise<Checkpoint | undefined> {
  const { rows } = await retryTransient(() =>
    pool.query<{ uri: string }>(`SELECT "uri" FROM "Checkpoint" WHERE "runId" = $1 ORDER BY "step" DESC LIMIT 1`, [runId]),
  );
  const uri = rows[0]?.uri;
  return uri ? decodeCheckpoint(await artifacts.get(uri)) : undefined;
}

/** Records a checkpoint and keeps the newest few plus the newest best one. */
async function recordCheckpoint(
  worker: WorkerContext,
  artifacts: FileArtifactStore,
  runId: string,
  attempt: number,
  checkpoint: Checkpoint,
  uri: string,
): Promise<void> {
  const { pool, config } = worker;
  await retryTransient(() =>
    pool.query(
      `INSERT INTO "Checkpoint" ("id", "runId", "attempt", "step", "epoch", "uri", "metrics")
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)
       ON CONFLICT ("runId", "step") DO UPDATE SET "uri" = excluded."uri", "attempt" = excluded."attempt", "metrics" = excluded."metrics"`,
      [
        runId,
        attempt,
        checkpoint.step,
        checkpoint.epoch,
        uri,
        JSON.stringify({ tag: checkpoint.tag, valLoss: checkpoint.valLoss ?? null, learningRate: checkpoint.learningRate }),
      ],
    ),
  );
  const { rows } = await retryTransient(() =>
    pool.query<{ id: string; uri: string }>(
      `DELETE FROM "Checkpoint" WHERE "id" IN (
         SELECT "id" FROM (
           SELECT "id", "metrics"->>'tag' = 'best' AS best,
                  row_number() OVER (PARTITION BY "metrics"->>'tag' = 'best' ORDER BY "step" DESC) AS newest
             FROM "Checkpoint" WHERE "runId" = $1) ranked
          WHERE (best AND newest > 1) OR (NOT best AND newest > $2))
       RETURNING "id", "uri"`,
      [runId, config.keepCheckpoints],
    ),
  );
  for (const old of rows) await artifacts.remove(old.uri).catch(() => {});
}
