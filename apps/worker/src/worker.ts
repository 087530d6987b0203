import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import os from "node:os";
import { artifactStoreConfig, openArtifactStore, postgresScheme } from "@hindcast/artifact-store";
import {
  createPool,
  markWorkerDraining,
  markWorkerOffline,
  NotificationHub,
  QueueTask,
  queueDepthByTask,
  queueLogger,
  reapWorkers,
  recordHeartbeat,
  recordQueueWorker,
  registerWorker,
  runCancelChannel,
  runsInStatus,
  sweepAbandonedArtifactBlobs,
} from "@hindcast/db";
import { type BackendChoice, pickBackend, preferBackends, probeForSpec, trainingSpecSchema } from "@hindcast/models";
import { nodeBackends } from "@hindcast/models/node";
import {
  createWorkerMetrics,
  type MetricsServer,
  SystemSampler,
  serveMetrics,
  type WorkerLoadReport,
  workerLoad,
} from "@hindcast/observability";
import { type Runner, run, type TaskList, type WorkerEvents } from "graphile-worker";
import type pg from "pg";
import type { Logger } from "pino";
import type { WorkerConfig } from "./config";
import { declaredDeadReason, type LocalRun, shutdownReason, type WorkerContext } from "./context";
import { aggregateTaskHandler } from "./fan-out";
import { pipelineRunners } from "./pipelines";
import { retryTransient } from "./ports/transient";
import { purgeTaskHandler } from "./purge";
import { trainTaskHandler } from "./run-job";
import { sweepStepTaskHandler } from "./sweep-step";
import { TrainerProcesses } from "./trainer/host";

/** An artifact write unfinished this long was abandoned; sweeps run this often. */
const abandonedWriteMinutes = 60;
/** Spare trainers by default: one per concurrent training, up to this many (each holds ~200 MB idle). */
const defaultSpareTrainersCap = 4;
const sweepIntervalMs = 10 * 60_000;

export interface WorkerHandle {
  id: string;
  backend: BackendChoice;
  /** Stops taking jobs; running trainings go back to the queue from their last checkpoint. */
  stop(): Promise<void>;
  /** Settles when the worker has stopped (or rejects if it failed). */
  done: Promise<void>;
  /** Runs handed back to the queue by stop(). */
  readonly handedBack: number;
}

/** The backend every run of this worker uses, checked with a training step of the default model. */
async function chooseBackend(config: WorkerConfig): Promise<BackendChoice> {
  const defaultSpec = trainingSpecSchema.parse({ data: { dataset: "probe", target: "probe" } });
  return pickBackend(preferBackends(nodeBackends(), config.backends), probeForSpec(defaultSpec));
}

export async function startWorker(url: string, config: WorkerConfig, log: Logger): Promise<WorkerHandle> {
  const backend = await chooseBackend(config);
  log.info({ backend: backend.backend, gpu: backend.gpu, notes: backend.notes, rejected: backend.rejected }, `backend ${backend.backend}`);
  for (const r of backend.rejected) log.info(`backend ${r.backend} rejected: ${r.reason}`);

  const pool = createPool({ connectionString: url, max: config.concurrency * 3 + 4 });
  const workerId = randomUUID();
  const capabilities = {
    gpu: backend.gpu,
    backend: backend.backend,
    notes: backend.notes,
    rejected: backend.rejected,
    tasks: [] as string[],
    metricsUrl: undefined as string | undefined,
  };
  const running = new Map<string, LocalRun>();
  const metrics = createWorkerMetrics({
    readQueueDepth: () => queueDepthByTask(pool),
    onCollectError: (error, metric) => log.warn({ err: error, metric }, "metric not collected"),
  });
  const artifacts = openArtifactStore(pool, artifactStoreConfig(process.env));
  const trainers = new TrainerProcesses({
    memoryMb: config.trainingMemoryMb,
    spares: config.spareTrainers ?? Math.min(config.concurrency, defaultSpareTrainersCap),
  });
  const worker: WorkerContext = {
    pool,
    workerId,
    backend,
    config,
    artifacts,
    trainers,
    log: log.child({ workerId }),
    running,
    handedBack: 0,
    metrics,
  };

  const pipelines = pipelineRunners();
  const taskList: TaskList = {
    [QueueTask.trainAny]: trainTaskHandler(worker, pipelines),
    [QueueTask.aggregate]: aggregateTaskHandler(worker),
    [QueueTask.purge]: purgeTaskHandler(worker),
    [QueueTask.sweepStep]: sweepStepTaskHandler(worker),
  };
  if (backend.gpu) taskList[QueueTask.trainGpu] = trainTaskHandler(worker, pipelines);
  capabilities.tasks = Object.keys(taskList);
  const metricsServer: MetricsServer | undefined =
    config.metricsPort === undefined
      ? undefined
      : await serveMetrics(metrics.registry, { port: config.metricsPort, host: config.metricsHost });
  if (metricsServer) log.info({ url: metricsServer.url }, `Prometheus metrics at ${metricsServer.url}`);
  capabilities.metricsUrl = metricsServer?.url;
  await retryTransient(() =>
    registerWorker(pool, {
      id: workerId,
      hostname: os.hostname(),
      pid: process.pid,
      backend: backend.backend,
      capabilities,
      concurrency: config.concurrency,
    }),
  );

  const hub = new NotificationHub(url);
  await hub.start();
  await hub.listen(runCancelChannel, ({ runId, reason }) => running.get(runId)?.source.cancel(reason ?? "cancelled by user"));
  // Cancel requests sent while the listening connection was down were lost: ask again.
  hub.on("reconnected", () => {
    void cancelRequested(pool, running).catch((error) => log.warn({ err: error }, "cancel re-check failed"));
  });

  // Each queue worker's id is recorded as it starts, so the reaper can unlock whatever it holds if this process dies.
  const queueEvents: WorkerEvents = new EventEmitter();
  queueEvents.on("worker:create", ({ worker: queueWorker }) => {
    void retryTransient(() => recordQueueWorker(pool, workerId, queueWorker.workerId)).catch((error: unknown) =>
      log.warn({ err: error }, "queue worker id not recorded"),
    );
  });
  const runner: Runner = await run({
    connectionString: url,
    concurrency: config.concurrency,
    noHandleSignals: true,
    pollInterval: config.pollIntervalMs,
    taskList,
    logger: queueLogger,
    events: queueEvents,
  });

  // Sampled apart from the heartbeat, which must never wait on nvidia-smi.
  const sampler = new SystemSampler();
  let load: WorkerLoadReport | undefined;
  const sampleLoad = () =>
    void sampler.sample().then(
      (sample) => {
        load = workerLoad(sample, running.size);
      },
      (error) => log.warn({ err: error }, "system sample failed"),
    );
  sampleLoad();
  const loadSampling = setInterval(sampleLoad, config.systemMetricsIntervalMs);
  // Bytes no row names (a writer that died mid-write, a row replaced while its bytes stayed) are no artifact's: every worker sweeps now and then.
  const sweeping = setInterval(() => {
    void sweepAbandonedArtifactBlobs(pool, abandonedWriteMinutes, postgresScheme).catch((error) =>
      log.warn({ err: error }, "artifact sweep failed"),
    );
  }, sweepIntervalMs);

  let stopping: Promise<void> | undefined;
  const heartbeat = setInterval(() => {
    void beat(worker, load).then(
      (alive) => {
        if (!alive) {
          log.error("this worker was declared dead by another; leaving its runs to the worker that takes them over");
          void stop("abandon");
        }
      },
      (error) => log.warn({ err: error }, "heartbeat failed"),
    );
  }, config.heartbeatMs);

  const stop = (how: NonNullable<LocalRun["stopping"]> = "release"): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(heartbeat);
      clearInterval(loadSampling);
      clearInterval(sweeping);
      await markWorkerDraining(pool, workerId).catch(() => {});
      for (const local of running.values()) {
        local.stopping = how;
        local.source.cancel(how === "release" ? shutdownReason : declaredDeadReason);
      }
      await runner.stop();
      trainers.close();
      await markWorkerOffline(pool, workerId).catch(() => {});
      await hub.close();
      await metricsServer?.close();
      await pool.end();
    })();
    return stopping;
  };

  log.info({ workerId, concurrency: config.concurrency, tasks: capabilities.tasks }, "worker ready");
  return {
    id: workerId,
    backend,
    stop: () => stop(),
    done: runner.promise.then(() => stopping),
    get handedBack() {
      return worker.handedBack;
    },
  };
}

async function cancelRequested(pool: pg.Pool, running: Map<string, LocalRun>): Promise<void> {
  if (running.size === 0) return;
  for (const runId of await runsInStatus(pool, [...running.keys()], "CANCELLING")) running.get(runId)?.source.cancel("cancelled by user");
}

/**
 * Heartbeat (with the machine's latest load), then reap workers silent for longer than deadAfterMs (every
 * worker does it; reapWorkers hands each dead one to a single reaper).
 * Returns false when this worker itself was declared dead.
 */
async function beat(worker: WorkerContext, load: WorkerLoadReport | undefined): Promise<boolean> {
  const { pool, workerId, config } = worker;
  if (!(await recordHeartbeat(pool, workerId, load))) return false;
  const reaped = await reapWorkers(pool, { silentForMs: config.deadAfterMs }, `no heartbeat for ${config.deadAfterMs / 1000} s`);
  if (reaped.dead.length) worker.log.warn(reaped, "reaped dead workers");
  return true;
}
