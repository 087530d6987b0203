import { listWorkers, queueDepthByTask, recordHeartbeat, registerWorker, runsByStatus } from "@hindcast/db";
import { seedRuns } from "@hindcast/db/runs/seed";
import { dbTest } from "@hindcast/test-support";
import type pg from "pg";
import { describe, expect } from "vitest";
import { createServerMetrics, createWorkerMetrics, type MetricsServer, SystemSampler, serveMetrics, workerLoad } from "../src/index";
import { parseScrape, sampleValue } from "./scrape";

const seeded = { QUEUED: 2, RUNNING: 1, SUCCEEDED: 3, FAILED: 1 } as const;

/** Jobs as graphile-worker holds them: waiting ones per task, plus one locked by a worker and one out of attempts (neither counts). */
async function seedJobs(pool: pg.Pool): Promise<void> {
  await pool.query(
    `SELECT graphile_worker.add_job('train_any', '{}'), graphile_worker.add_job('train_any', '{}'), graphile_worker.add_job('train_gpu', '{}')`,
  );
  const locked = await pool.query<{ id: string }>(`SELECT (graphile_worker.add_job('train_any', '{}')).id`);
  const spent = await pool.query<{ id: string }>(`SELECT (graphile_worker.add_job('aggregate_run', '{}', max_attempts => 1)).id`);
  await pool.query(`UPDATE graphile_worker._private_jobs SET "locked_at" = now(), "locked_by" = 'a worker' WHERE "id" = $1`, [
    locked.rows[0]?.id,
  ]);
  await pool.query(`UPDATE graphile_worker._private_jobs SET "attempts" = "max_attempts" WHERE "id" = $1`, [spent.rows[0]?.id]);
}

async function scrape(server: MetricsServer) {
  const response = await fetch(server.url);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseScrape(await response.text());
}

const noCollectErrors = (error: unknown) => {
  throw error;
};

describe("Prometheus registries on a real database", () => {
  dbTest.beforeAll(async ({ pool }) => {
    await seedRuns(
      pool,
      Object.entries(seeded).flatMap(([status, count]) =>
        Array.from({ length: count }, () => ({ pipeline: "retrodiction", status: status as keyof typeof seeded })),
      ),
    );
    await seedJobs(pool);
  });

  dbTest(
    "the server registry serves runs by status, queue depth by task, SSE clients and API latency",
    async ({ pool, onTestFinished }) => {
      const metrics = createServerMetrics({
        readQueueDepth: () => queueDepthByTask(pool),
        readRunsByStatus: () => runsByStatus(pool),
        onCollectError: noCollectErrors,
      });
      metrics.observeRequest("workers.list", 200, 0.012);
      metrics.sseClientOpened();
      metrics.sseClientOpened();
      metrics.sseClientClosed();
      const server = await serveMetrics(metrics.registry);
      onTestFinished(() => server.close());

      const samples = await scrape(server);
      for (const status of ["QUEUED", "RUNNING", "CANCELLING", "CANCELLED", "SUCCEEDED", "FAILED"]) {
        expect(sampleValue(samples, "hindcast_runs", { status }), status).toBe(seeded[status as keyof typeof seeded] ?? 0);
      }
      expect(sampleValue(samples, "hindcast_queue_jobs", { task: "train_any" })).toBe(2);
      expect(sampleValue(samples, "hindcast_queue_jobs", { task: "train_gpu" })).toBe(1);
      expect(sampleValue(samples, "hindcast_queue_jobs", { task: "aggregate_run" })).toBe(0);
      expect(sampleValue(samples, "hindcast_sse_clients")).toBe(1);
      expect(sampleValue(samples, "hindcast_http_request_duration_seconds_count", { procedure: "workers.list", status: "200" })).toBe(1);
      expect(sampleValue(samples, "hindcast_http_request_duration_seconds_sum", { procedure: "workers.list", status: "200" })).toBeCloseTo(
        0.012,
      );
      expect(sampleValue(samples, "process_resident_memory_bytes")).toBeGreaterThan(0);

      // Counted at each scrape, not cached: a run that ends moves between statuses.
      await pool.query(`UPDATE "Run" SET "status" = 'CANCELLED' WHERE "id" = (SELECT "id" FROM "Run" WHERE "status" = 'QUEUED' LIMIT 1)`);
      const after = await scrape(server);
      expect(sampleValue(after, "hindcast_runs", { status: "QUEUED" })).toBe(1);
      expect(sampleValue(after, "hindcast_runs", { status: "CANCELLED" })).toBe(1);
      await pool.query(`UPDATE "Run" SET "status" = 'QUEUED' WHERE "status" = 'CANCELLED'`);
    },
  );

  dbTest("a failed read leaves its series out and still answers the rest", async ({ pool, onTestFinished }) => {
    const failures: string[] = [];
    const metrics = createServerMetrics({
      readQueueDepth: () => Promise.reject(new Error("database away")),
      readRunsByStatus: () => runsByStatus(pool),
      onCollectError: (_error, metric) => failures.push(metric),
    });
    const server = await serveMetrics(metrics.registry);
    onTestFinished(() => server.close());
    const samples = await scrape(server);
    expect(samples.filter((s) => s.name === "hindcast_queue_jobs")).toEqual([]);
    expect(sampleValue(samples, "hindcast_runs", { status: "RUNNING" })).toBe(1);
    expect(failures).toEqual(["hindcast_queue_jobs"]);
  });

  dbTest(
    "the worker registry serves trainings, samples, metric writes, flush latency, queue depth and process metrics",
    async ({ pool, onTestFinished }) => {
      const metrics = createWorkerMetrics({ readQueueDepth: () => queueDepthByTask(pool), onCollectError: noCollectErrors });
      metrics.trainingsRunning.inc();
      metrics.trainingsRunning.inc();
      metrics.trainingsRunning.dec();
      metrics.trainingSamples.inc(640);
      metrics.trainingSamplesPerSecond.set(1234.5);
      metrics.metricPointsWritten.inc(25);
      metrics.metricFlushDuration.observe(0.004);
      const server = await serveMetrics(metrics.registry);
      onTestFinished(() => server.close());

      const samples = await scrape(server);
      expect(sampleValue(samples, "hindcast_trainings_running")).toBe(1);
      expect(sampleValue(samples, "hindcast_training_samples_total")).toBe(640);
      expect(sampleValue(samples, "hindcast_training_samples_per_second")).toBe(1234.5);
      expect(sampleValue(samples, "hindcast_metric_points_written_total")).toBe(25);
      expect(sampleValue(samples, "hindcast_metric_flush_duration_seconds_count")).toBe(1);
      expect(sampleValue(samples, "hindcast_metric_flush_duration_seconds_bucket", { le: "0.005" })).toBe(1);
      expect(sampleValue(samples, "hindcast_queue_jobs", { task: "train_any" })).toBe(2);
      expect(sampleValue(samples, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);

      const notFound = await fetch(server.url.replace(/\/metrics$/, "/other"));
      expect(notFound.status).toBe(404);
    },
  );

  dbTest("a heartbeat stores the load of a sample, and the Workers read model returns it", async ({ pool }) => {
    const id = "5f0c3f0e-8a51-4c8e-9d63-0d1f3c9a7b11";
    await registerWorker(pool, { id, hostname: "box", pid: 4242, backend: "cpu", concurrency: 2, capabilities: {} });
    expect((await listWorkers(pool)).find((w) => w.id === id)?.load).toBeNull();

    const load = workerLoad(await new SystemSampler().sample(), 1);
    expect(await recordHeartbeat(pool, id, load)).toBe(true);
    const row = (await listWorkers(pool)).find((w) => w.id === id);
    expect(row?.load).toEqual(load);
    expect(row?.load?.gpus).toBeUndefined();
    expect(row?.load?.memoryTotalMb).toBeGreaterThan(0);

    // A heartbeat without a load keeps the last one; a load that does not fit the schema never fails the heartbeat.
    expect(await recordHeartbeat(pool, id)).toBe(true);
    expect(await recordHeartbeat(pool, id, { ...load, cpuPercent: Number.NaN })).toBe(true);
    expect((await listWorkers(pool)).find((w) => w.id === id)?.load).toEqual(load);
  });
});
