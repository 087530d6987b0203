// Worker benchmark, one run on one database: enqueue -> RUNNING latency,
// cancel request -> CANCELLED latency (both as seen by a LISTENing client),
// training samples/s inside a real worker process against the bare engine
// loop in this process, same spec and backend (wasm); fleet throughput (N
// simultaneous runs in one worker of concurrency N against N times one run
// alone, N = 1..cores); and each artifact store's write/read MB/s.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadBuiltinDataset } from "@hindcast/datasets";
import { cancelRun, enqueueRun, NotificationHub, redact, runEventsChannel } from "@hindcast/db";
import { CancellationToken, MemoryMetricSink, NaNGuard, Tracker, TrainingLoop } from "@hindcast/engine";
import {
  buildModel,
  fitScaler,
  makeWindows,
  planRetrodiction,
  prepareSeries,
  splitByTime,
  TrainingSession,
  tf,
  trainingSpecSchema,
} from "@hindcast/models";
import { spawnWorker, stopWorker } from "@hindcast/test-support/worker-process";
import "@tensorflow/tfjs-backend-wasm";
import pg from "pg";
import { measureArtifactStores } from "./artifact-stores";
import { openBenchDatabase } from "./bench-database";
import { median, percentile } from "./stats";

const latencySamples = Number(process.env.BENCH_LATENCY_SAMPLES ?? 30);
const trainingRounds = Number(process.env.BENCH_TRAINING_ROUNDS ?? 5);
const fleetRounds = Number(process.env.BENCH_FLEET_ROUNDS ?? 3);
const tinySpec = {
  data: { dataset: "seattle_weather", target: "temp_max" },
  train: { epochs: 1, refitEpochs: 0 },
  retrodiction: { windows: 1, batchSizeDays: 30 },
};
const trainingSpec = {
  data: { dataset: "sp500", target: "spx_close", transform: "logReturn" },
  // SGD alone, as the bare loop trains: the default least-squares start is work the bare loop has no part of.
  model: { kind: "linear", fit: "sgd" },
  train: { epochs: 30, patience: 0 },
  retrodiction: { windows: 1, batchSizeDays: 30 },
};

/** Resolves when a run_events notification for `runId` reports `status`. */
function statusSeen(hub: NotificationHub, runId: string, status: string): { promise: Promise<number>; stop: () => Promise<void> } {
  let stop: () => Promise<void> = async () => {};
  const promise = new Promise<number>((resolve) => {
    void hub
      .listen(runEventsChannel, (event) => {
        if (event.runId === runId && event.status === status) resolve(performance.now());
      })
      .then((unsubscribe) => {
        stop = unsubscribe;
      });
  });
  return { promise, stop: () => stop() };
}

async function waitFor(pool: pg.Pool, runId: string, statuses: string[]): Promise<void> {
  for (;;) {
    const { rows } = await pool.query<{ status: string }>(`SELECT "status" FROM "Run" WHERE "id" = $1`, [runId]);
    if (statuses.includes(rows[0]?.status ?? "")) return;
    // Only when it ended matters (the timings come from stage events): polling often would take the CPU being measured.
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Long enough for a worker's spare trainers to load TF.js after the trainings before. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 3_000));

interface TrainSpan {
  startedAt: number;
  endedAt: number;
}

/** When each run's train stage started and ended, by the stage events its trainer recorded. */
async function trainSpans(pool: pg.Pool, runIds: string[]): Promise<TrainSpan[]> {
  const { rows } = await pool.query<{ runId: string; kind: string; at: Date }>(
    `SELECT "runId", "kind", "at" FROM "StageEvent" WHERE "runId" = ANY($1::uuid[]) AND "stage" = 'train' AND "kind" IN ('STARTED', 'SUCCEEDED')`,
    [runIds],
  );
  return runIds.map((id) => {
    const at = (kind: string) => rows.find((r) => r.runId === id && r.kind === kind)?.at.getTime() ?? Number.NaN;
    return { startedAt: at("STARTED"), endedAt: at("SUCCEEDED") };
  });
}

/**
 * Total training samples/s of N identical runs started together in one worker
 * of concurrency N, against N times the rate of one run alone in the same
 * worker; each training is a trainer process of its own, so N cores are N
 * times the work.
 */
async function fleetThroughput(url: string, pool: pg.Pool, samplesPerRun: number): Promise<void> {
  const cores = os.availableParallelism();
  for (let n = 1; n <= cores; n++) {
    const worker = await spawnWorker(url, await mkdtemp(path.join(os.tmpdir(), "hindcast-bench-artifacts-")), {
      env: { HINDCAST_BACKEND: "wasm", WORKER_CONCURRENCY: String(n) },
      quickTimeouts: false,
    });
    try {
      const ratios: number[] = [];
      const startSkews: number[] = [];
      for (let round = 0; round < fleetRounds; round++) {
        // A warm worker: its spare trainers loaded (they load when the previous trainings end).
        await settle();
        const alone = await enqueueRun(pool, { spec: trainingSpec, pipeline: "train-only" });
        await waitFor(pool, alone, ["SUCCEEDED", "FAILED"]);
        const [one] = await trainSpans(pool, [alone]);
        const aloneRate = samplesPerRun / (((one?.endedAt ?? Number.NaN) - (one?.startedAt ?? Number.NaN)) / 1000);
        await settle();
        const together = await Promise.all(
          Array.from({ length: n }, () => enqueueRun(pool, { spec: trainingSpec, pipeline: "train-only" })),
        );
        for (const id of together) await waitFor(pool, id, ["SUCCEEDED", "FAILED"]);
        const spans = await trainSpans(pool, together);
        const wallMs = Math.max(...spans.map((s) => s.endedAt)) - Math.min(...spans.map((s) => s.startedAt));
        startSkews.push(Math.max(...spans.map((s) => s.startedAt)) - Math.min(...spans.map((s) => s.startedAt)));
        ratios.push((n * samplesPerRun) / (wallMs / 1000) / (n * aloneRate));
      }
      console.log(
        `fleet, ${n} run(s) at once in one worker (concurrency ${n}): total samples/s against ${n} x one run alone: median ${median(ratios).toFixed(3)} ` +
          `(per round: ${ratios.map((r) => r.toFixed(3)).join(", ")}; train stages started within ${Math.round(Math.max(...startSkews))} ms)${n === cores ? ` [goal >= 0.85 at N = ${cores} cores]` : ""}`,
      );
    } finally {
      await stopWorker(worker);
    }
  }
}

async function main(): Promise<void> {
  const { server, url, drop } = await openBenchDatabase();
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const hub = new NotificationHub(url);
  await hub.start();
  const worker = await spawnWorker(url, await mkdtemp(path.join(os.tmpdir(), "hindcast-bench-artifacts-")), {
    env: { HINDCAST_BACKEND: "wasm", WORKER_CONCURRENCY: "1" },
    quickTimeouts: false,
  });
  try {
    console.log(`Worker bench on ${redact(url)} (${server.source}); one worker process, wasm backend\n`);

    const startLatency: number[] = [];
    // Every RUNNING heard, by run: the notification can come before enqueueRun has returned the run's id.
    const runningAt = new Map<string, number>();
    const stopListening = await hub.listen(runEventsChannel, (event) => {
      if (event.status === "RUNNING" && event.runId && !runningAt.has(event.runId)) runningAt.set(event.runId, performance.now());
    });
    for (let i = 0; i < latencySamples; i++) {
      const enqueueAt = performance.now();
      const runId = await enqueueRun(pool, { spec: tinySpec, pipeline: "train-only" });
      await waitFor(pool, runId, ["SUCCEEDED", "FAILED"]);
      while (!runningAt.has(runId)) await new Promise((r) => setTimeout(r, 5));
      startLatency.push((runningAt.get(runId) as number) - enqueueAt);
    }
    await stopListening();
    console.log(
      `enqueue -> RUNNING: p50 ${median(startLatency).toFixed(1)} ms, p95 ${percentile(startLatency, 95).toFixed(1)} ms (${latencySamples} runs) [goal p95 <= 50 ms]`,
    );

    const cancelLatency: number[] = [];
    for (let i = 0; i < Math.ceil(latencySamples / 2); i++) {
      const runId = await enqueueRun(pool, { spec: trainingSpec, pipeline: "train-only" });
      await waitFor(pool, runId, ["RUNNING"]);
      await new Promise((r) => setTimeout(r, 300 + ((i * 137) % 400)));
      const seen = statusSeen(hub, runId, "CANCELLED");
      const requestedAt = performance.now();
      await cancelRun(pool, runId);
      cancelLatency.push((await seen.promise) - requestedAt);
      await seen.stop();
    }
    console.log(
      `cancel -> CANCELLED: p50 ${median(cancelLatency).toFixed(1)} ms, p95 ${percentile(cancelLatency, 95).toFixed(1)} ms (${cancelLatency.length} runs) [goal p95 <= 250 ms]`,
    );

    const spec = trainingSpecSchema.parse(trainingSpec);
    const series = prepareSeries(await loadBuiltinDataset("sp500"), spec.data);
    const [first] = planRetrodiction(series, spec.retrodiction, spec.window, spec.train.batchSize);
    if (!first) throw new Error("no window");
    const { train, validation } = splitByTime(
      makeWindows(series, fitScaler(series, first.startRow), spec.window, 0, first.startRow, first.startRow),
      spec.train.validationFraction,
    );
    await tf.setBackend("wasm");
    const workerRates: number[] = [];
    const bareRates: number[] = [];
    for (let round = 0; round < trainingRounds; round++) {
      await settle();
      const runId = await enqueueRun(pool, { spec: trainingSpec, pipeline: "train-only" });
      await waitFor(pool, runId, ["SUCCEEDED", "FAILED"]);
      const { rows } = await pool.query<{ durationMs: number }>(
        `SELECT "durationMs" FROM "StageEvent" WHERE "runId" = $1 AND "stage" = 'train' AND "kind" = 'SUCCEEDED'`,
        [runId],
      );
      workerRates.push((spec.train.epochs * train.count) / ((rows[0]?.durationMs ?? Number.NaN) / 1000));

      // Timed from the model's construction, as the worker's train stage is: the same work without the ports.
      const start = performance.now();
      const session = new TrainingSession(buildModel(spec.model, { ...spec.window, features: 1 }, spec.train.seed), spec.train);
      session.setData(train, validation);
      const loop = new TrainingLoop({
        session,
        tracker: new Tracker(new MemoryMetricSink()),
        epochs: spec.train.epochs,
        token: CancellationToken.none,
        callbacks: [new NaNGuard()],
      });
      await loop.run();
      bareRates.push((spec.train.epochs * train.count) / ((performance.now() - start) / 1000));
      session.model.dispose();
      session.dispose();
    }
    console.log(
      `training in the worker: median ${Math.round(median(workerRates))} samples/s; bare engine loop here: median ${Math.round(median(bareRates))} samples/s; ` +
        `ratio ${(median(workerRates) / median(bareRates)).toFixed(3)} (per round: ${workerRates.map((w, i) => (w / (bareRates[i] as number)).toFixed(3)).join(", ")}) [goal >= 0.98]`,
    );
    await stopWorker(worker);

    await fleetThroughput(url, pool, spec.train.epochs * train.count);

    console.log("\nartifact stores (32 MB artifact, median of rounds): store, write MB/s, read MB/s");
    for (const { store, writeMBps, readMBps } of await measureArtifactStores(pool)) {
      console.log(`  ${store.padEnd(9)} ${writeMBps.toFixed(0).padStart(6)} ${readMBps.toFixed(0).padStart(6)}`);
    }
  } finally {
    if (worker.process.exitCode === null) await stopWorker(worker);
    await hub.close();
    await pool.end();
    await drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
