import {
  CancellationSource,
  createTrainingContext,
  decodeCheckpoint,
  errorMessage,
  type MetricPointRecord,
  type MetricSink,
  type ProgressSnapshot,
  RungReporter,
  type RunStore,
  type StageEventRecord,
  trainingPipelines,
} from "@hindcast/engine";
import { pickBackend, preferBackends, probeForSpec, type TrainingSpec, tf } from "@hindcast/models";
import { nodeBackends } from "@hindcast/models/node";
import { SystemSampler, systemMetricPoints } from "@hindcast/observability";
import { BatchBuffer } from "../ports/batch-buffer";
import { exitCodes } from "./exit";
import type { CallMethod, StartMessage, TrainerCalls, TrainerMessage, TrainerOutcome, WorkerMessage } from "./protocol";
import { rebuildError, transferError } from "./transfer";

/*
 * A trainer process: one training attempt of one run, started by its worker
 * (host.ts) with an IPC channel. It has no database connection: every port of
 * the engine is a message to the worker, which owns the run's rows. So the
 * training has a core of its own, and a crash or a kill -9 here costs this
 * attempt only.
 */

// The worker gone (killed, crashed) means nobody would record anything: stop at once.
process.on("disconnect", () => process.exit(exitCodes.workerGone));

const source = new CancellationSource();
const pendingCalls = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let nextCallId = 1;

function send(message: TrainerMessage): void {
  process.send?.(message);
}

function call<M extends CallMethod>(method: M, args: TrainerCalls[M]["args"]): Promise<TrainerCalls[M]["result"]> {
  const id = nextCallId++;
  return new Promise((resolve, reject) => {
    pendingCalls.set(id, { resolve: resolve as (value: unknown) => void, reject });
    send({ kind: "call", id, method, args } as TrainerMessage);
  });
}

/** Metric points go to the worker in batches, a tenth of a second apart at most (the worker's own sink batches them again for COPY). */
class ForwardingMetricSink implements MetricSink {
  readonly #buffer = new BatchBuffer<MetricPointRecord>({
    writeBatch: async (points) => send({ kind: "metrics", points }),
    flushIntervalMs: 100,
    maxBuffered: 2_000,
  });

  write(points: readonly MetricPointRecord[]): void {
    this.#buffer.add(points);
  }

  /** IPC keeps order: the worker has every point sent before this call when it flushes. */
  async flush(): Promise<void> {
    await this.#buffer.flush();
    await call("flushMetrics", undefined);
  }
}

/**
 * This process's CPU, memory, tensor memory and GPUs as system/* metrics of the run, at the step it has reached:
 * sampled at the start, every `intervalMs`, and once more when stopped (so a short training has its figures too).
 */
function sampleSystemMetrics(metrics: MetricSink, intervalMs: number, step: () => number): () => Promise<void> {
  const sampler = new SystemSampler();
  const sample = () =>
    sampler
      .sample()
      .then((sample) => metrics.write(systemMetricPoints(sample, { step: step(), tensorBytes: tf.memory().numBytes })))
      .catch((error: unknown) => send({ kind: "log", level: "warn", message: `system metrics not sampled: ${errorMessage(error)}` }));
  void sample();
  const timer = setInterval(() => void sample(), intervalMs);
  return () => {
    clearInterval(timer);
    return sample();
  };
}

async function train(start: StartMessage): Promise<TrainerOutcome> {
  const metrics = new ForwardingMetricSink();
  let step = 0;
  const store: RunStore = {
    recordStageEvent: (event: StageEventRecord) => call("recordStageEvent", event),
    // Progress is a snapshot the worker coalesces: nothing to wait for.
    updateProgress: async (snapshot: ProgressSnapshot) => {
      step = snapshot.step;
      send({ kind: "progress", snapshot });
    },
  };
  const stopSampling = sampleSystemMetrics(metrics, start.systemMetricsIntervalMs, () => step);
  const backendOrder = preferBackends(nodeBackends(), [start.backend]);
  const ctx = createTrainingContext(start.spec, {
    store,
    metrics,
    artifacts: {
      put: (name, data, meta) => call("putArtifact", { name, data, meta }),
      get: (uri) => call("getArtifact", uri),
    },
    datasets: { load: (name) => call("loadDataset", name) },
    pickBackend: (spec: TrainingSpec) => pickBackend(backendOrder, probeForSpec(spec)),
    resumeFrom: start.resumeFrom ? decodeCheckpoint(start.resumeFrom) : undefined,
    checkpointIntervalMs: start.checkpointIntervalMs,
    callbacks: start.rungs.length ? [new RungReporter(start.rungs, (value) => call("reachRung", value))] : [],
    onCheckpoint: async (checkpoint, uri) => {
      await metrics.flush();
      const { epoch, step, tag, valLoss, learningRate } = checkpoint;
      await call("checkpoint", { uri, epoch, step, tag, valLoss: valLoss ?? null, learningRate });
    },
  });
  const pipeline = trainingPipelines()[start.pipeline]({
    store,
    onRecordError: (error) => send({ kind: "log", level: "warn", message: `stage event not recorded: ${errorMessage(error)}` }),
  });
  const outcome = await pipeline.execute(ctx, { token: source.token, attempt: start.attempt }).finally(stopSampling);
  await metrics.flush();
  if (outcome.status === "succeeded") {
    return {
      ...outcome,
      message: ctx.state.progress?.snapshot().message ?? null,
      resultSummary: ctx.state.resultSummary,
      stopReason: ctx.state.stopReason ?? null,
    };
  }
  if (outcome.status === "cancelled") return outcome;
  return { ...outcome, error: transferError(outcome.error) };
}

process.on("message", (message: WorkerMessage) => {
  if (message.kind === "cancel") source.cancel(message.reason);
  else if (message.kind === "reply") {
    const pending = pendingCalls.get(message.id);
    pendingCalls.delete(message.id);
    if (message.ok) pending?.resolve(message.value);
    else pending?.reject(rebuildError(message.error));
  } else {
    void train(message)
      .catch((error: unknown): TrainerOutcome => ({ status: "failed", stage: "trainer", error: transferError(error), durationMs: 0 }))
      .then((outcome) => process.send?.({ kind: "outcome", outcome } satisfies TrainerMessage, () => process.exit(exitCodes.done)));
  }
});

send({ kind: "ready" });
