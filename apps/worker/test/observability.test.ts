import { quickSpec, spawnWorker, stopWorker, type WorkerProcess } from "@hindcast/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { enqueue, type WorkerTestDatabase, waitForStatus, workerTest } from "./harness";

let db: WorkerTestDatabase;
let worker: WorkerProcess;

workerTest.beforeAll(async ({ workerDb }) => {
  db = workerDb;
  worker = await spawnWorker(db.url, db.artifactsDir, { env: { WORKER_METRICS_PORT: "0", WORKER_SYSTEM_METRICS_MS: "250" } });
});

afterAll(async () => {
  await stopWorker(worker, "SIGKILL");
});

/** Prometheus text: `name{labels} value` lines, as name+labels -> value. */
async function scrape(url: string): Promise<Map<string, number>> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const series = new Map<string, number>();
  for (const line of (await response.text()).split("\n")) {
    const match = line.match(/^([a-zA-Z_:][\w:]*(?:\{.*\})?) (\S+)$/);
    if (match) series.set(match[1] as string, Number(match[2]));
  }
  return series;
}

describe("worker: machines you can watch", () => {
  it("serves Prometheus metrics of its trainings, metric writes and the queue; each training records system/* metrics", async () => {
    const { rows } = await db.pool.query<{ url: string }>(`SELECT "capabilities"->>'metricsUrl' AS url FROM "Worker" WHERE "pid" = $1`, [
      worker.pid,
    ]);
    const url = rows[0]?.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    const before = await scrape(url as string);
    expect(before.get("hindcast_trainings_running")).toBe(0);
    expect(before.get("hindcast_training_samples_total")).toBe(0);
    expect(before.get('hindcast_queue_jobs{task="train_any"}')).toBe(0);
    expect(before.has("process_resident_memory_bytes")).toBe(true);

    const id = await enqueue(db.pool, quickSpec);
    const run = await waitForStatus(db.pool, id);
    expect(run.status, run.message ?? "").toBe("SUCCEEDED");
    const after = await scrape(url as string);
    expect(after.get("hindcast_trainings_running")).toBe(0);
    expect(after.get("hindcast_training_samples_total")).toBeGreaterThan(0);
    expect(after.get("hindcast_metric_points_written_total")).toBeGreaterThan(0);
    expect(after.get("hindcast_metric_flush_duration_seconds_count")).toBeGreaterThan(0);
    expect(after.has("hindcast_training_samples_per_second")).toBe(true);

    const system = await db.pool.query<{ key: string; n: string; max: number }>(
      `SELECT "key", count(*) AS n, max("value") AS max FROM "MetricPoint" WHERE "runId" = $1 AND "key" LIKE 'system/%' GROUP BY "key"`,
      [id],
    );
    const byKey = Object.fromEntries(system.rows.map((r) => [r.key, r.max]));
    expect(Object.keys(byKey).sort()).toEqual(["system/cpu_percent", "system/rss_mb", "system/tensor_mb"]);
    expect(byKey["system/rss_mb"]).toBeGreaterThan(50);
    expect(byKey["system/cpu_percent"]).toBeGreaterThan(0);

    // The heartbeat carries the machine's load for the Workers page.
    const load = await db.pool.query<{ load: { cpuPercent: number; memoryTotalMb: number; trainingsRunning: number } }>(
      `SELECT "load" FROM "Worker" WHERE "pid" = $1`,
      [worker.pid],
    );
    expect(load.rows[0]?.load.memoryTotalMb).toBeGreaterThan(0);
  });
});
