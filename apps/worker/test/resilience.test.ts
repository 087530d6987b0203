import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { cancelRun, prepareDatabase, startEmbeddedPostgres } from "@hindcast/db";
import { longSpec, quickSpec, spawnWorker, stopWorker, type WorkerProcess } from "@hindcast/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueue, lossSteps, runRow, type WorkerTestDatabase, waitForStatus, workerTest } from "./harness";

let db: WorkerTestDatabase;
const workers: WorkerProcess[] = [];

workerTest.beforeAll(async ({ workerDb }) => {
  db = workerDb;
  workers.push(...(await Promise.all([spawnWorker(db.url, db.artifactsDir), spawnWorker(db.url, db.artifactsDir)])));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => stopWorker(w, "SIGKILL")));
});

async function workerOf(runId: string): Promise<WorkerProcess> {
  const { rows } = await db.pool.query<{ pid: number }>(
    `SELECT w."pid" FROM "Run" r JOIN "Worker" w ON w."id" = r."workerId" WHERE r."id" = $1`,
    [runId],
  );
  const worker = workers.find((w) => w.pid === rows[0]?.pid && w.process.exitCode === null);
  if (!worker) throw new Error(`no live worker process holds run ${runId}`);
  return worker;
}

async function newestCheckpointStep(runId: string): Promise<number> {
  const { rows } = await db.pool.query<{ step: number | null }>(`SELECT max("step") AS step FROM "Checkpoint" WHERE "runId" = $1`, [runId]);
  return rows[0]?.step ?? 0;
}

describe("worker: crashes, shutdowns and fan-out", () => {
  it("resumes a run from its last checkpoint after kill -9 of its worker, three times; metric steps stay contiguous", async () => {
    const id = await enqueue(db.pool, longSpec(150));
    let lastCheckpoint = 0;
    for (let kill = 1; kill <= 3; kill++) {
      await waitForStatus(db.pool, id, (s) => s === "RUNNING");
      await expect.poll(() => newestCheckpointStep(id), { timeout: 60_000, interval: 50 }).toBeGreaterThan(lastCheckpoint);
      lastCheckpoint = await newestCheckpointStep(id);
      const victim = await workerOf(id);
      await stopWorker(victim, "SIGKILL");
      workers.push(await spawnWorker(db.url, db.artifactsDir));
      // The reaper of a surviving worker declares the dead one and a worker takes the run over.
      await expect.poll(async () => (await runRow(db.pool, id)).attempt, { timeout: 60_000, interval: 100 }).toBeGreaterThan(kill);
    }
    const run = await waitForStatus(db.pool, id);
    expect(run.status, run.message ?? "").toBe("SUCCEEDED");
    expect(run.attempt).toBeGreaterThanOrEqual(4);
    const steps = await lossSteps(db.pool, id);
    expect(steps.min).toBe(1);
    expect(steps.count).toBe(steps.max);
    const resumed = await db.pool.query(`SELECT "message" FROM "LogLine" WHERE "runId" = $1 AND "message" LIKE '%resuming at step%'`, [id]);
    expect(resumed.rowCount).toBeGreaterThanOrEqual(3);
    const dead = await db.pool.query(`SELECT 1 FROM "Worker" WHERE "status" = 'DEAD'`);
    expect(dead.rowCount).toBeGreaterThanOrEqual(3);
  });

  it("SIGTERM hands running trainings back to the queue; another worker resumes them", async () => {
    const id = await enqueue(db.pool, longSpec(80));
    await waitForStatus(db.pool, id, (s) => s === "RUNNING");
    await expect.poll(() => newestCheckpointStep(id), { timeout: 60_000, interval: 50 }).toBeGreaterThan(0);
    const holder = await workerOf(id);
    expect(await stopWorker(holder, "SIGTERM")).toBe(0);
    const released = await db.pool.query(`SELECT 1 FROM "LogLine" WHERE "runId" = $1 AND "message" LIKE 'Released to the queue%'`, [id]);
    expect(released.rowCount).toBe(1);
    workers.push(await spawnWorker(db.url, db.artifactsDir));
    const run = await waitForStatus(db.pool, id);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.attempt).toBe(2);
    const steps = await lossSteps(db.pool, id);
    expect(steps.count).toBe(steps.max);
    // The stage timeline's record: attempt 1 was handed back, not failed, and no recovery decision was made about it.
    const events = await db.pool.query<{ attempt: number; stage: string; kind: string; message: string | null }>(
      `SELECT "attempt", "stage", "kind", "message" FROM "StageEvent" WHERE "runId" = $1 AND "kind" IN ('FAILED', 'RECOVERY') ORDER BY "id"`,
      [id],
    );
    expect(events.rows).toEqual([{ attempt: 1, stage: "train", kind: "FAILED", message: "handed back at shutdown" }]);
  });

  it("a worker declared dead while it still runs (SIGSTOP) leaves its run and queue job to the worker that takes over", async () => {
    const id = await enqueue(db.pool, longSpec(40));
    await waitForStatus(db.pool, id, (s) => s === "RUNNING");
    await expect.poll(() => newestCheckpointStep(id), { timeout: 60_000, interval: 50 }).toBeGreaterThan(0);
    const frozen = await workerOf(id);
    process.kill(frozen.pid, "SIGSTOP");
    try {
      await expect.poll(async () => (await runRow(db.pool, id)).attempt, { timeout: 60_000, interval: 100 }).toBe(2);
    } finally {
      process.kill(frozen.pid, "SIGCONT");
    }
    // Woken, the frozen worker learns it was declared dead and stops, touching neither the run nor its job.
    expect(await frozen.exited).toBe(0);
    const run = await waitForStatus(db.pool, id);
    expect(run.status, run.message ?? "").toBe("SUCCEEDED");
    expect(run.attempt).toBe(2);
    const released = await db.pool.query(`SELECT 1 FROM "LogLine" WHERE "runId" = $1 AND "message" LIKE 'Released to the queue%'`, [id]);
    expect(released.rowCount).toBe(0);
    const first = await db.pool.query<{ stage: string; message: string }>(
      `SELECT "stage", "message" FROM "StageEvent" WHERE "runId" = $1 AND "attempt" = 1 AND "kind" = 'FAILED'`,
      [id],
    );
    expect(first.rows).toEqual([{ stage: "train", message: "its worker was declared dead" }]);
    const worker = await db.pool.query<{ status: string }>(`SELECT "status" FROM "Worker" WHERE "pid" = $1`, [frozen.pid]);
    expect(worker.rows[0]?.status).toBe("DEAD");
    workers.push(await spawnWorker(db.url, db.artifactsDir));
  });

  it("runs a retrodiction's 8 windows as child runs on both workers and aggregates them once", async () => {
    const id = await enqueue(
      db.pool,
      { ...quickSpec, retrodiction: { windows: 8, batchSizeDays: 30 } },
      { pipeline: "parallel-retrodiction" },
    );
    const run = await waitForStatus(db.pool, id, undefined, 60_000);
    expect(run.status, run.message ?? "").toBe("SUCCEEDED");
    const children = await db.pool.query<{ status: string; workerId: string }>(
      `SELECT "status", "workerId" FROM "Run" WHERE "parentId" = $1`,
      [id],
    );
    expect(children.rowCount).toBe(8);
    expect(children.rows.every((c) => c.status === "SUCCEEDED")).toBe(true);
    expect(new Set(children.rows.map((c) => c.workerId)).size).toBeGreaterThanOrEqual(2);
    expect(run.resultSummary).toMatchObject({
      windows: 8,
      overall: { rmse: expect.any(Number) },
      baselines: { naiveRmse: expect.any(Number) },
    });
    const aggregates = await db.pool.query(`SELECT 1 FROM "Artifact" WHERE "runId" = $1 AND "name" = 'results.json'`, [id]);
    expect(aggregates.rowCount).toBe(1);
  });

  it("cancels a parallel retrodiction with its children", async () => {
    const id = await enqueue(
      db.pool,
      { ...longSpec(200), retrodiction: { windows: 4, batchSizeDays: 30 } },
      { pipeline: "parallel-retrodiction" },
    );
    await expect
      .poll(async () => (await db.pool.query(`SELECT 1 FROM "Run" WHERE "parentId" = $1 AND "status" = 'RUNNING'`, [id])).rowCount, {
        timeout: 60_000,
      })
      .toBeGreaterThan(0);
    await cancelRun(db.pool, id);
    const run = await waitForStatus(db.pool, id, undefined, 60_000);
    expect(run.status).toBe("CANCELLED");
    const children = await db.pool.query<{ status: string }>(`SELECT "status" FROM "Run" WHERE "parentId" = $1`, [id]);
    expect(children.rows.every((c) => c.status === "CANCELLED")).toBe(true);
  });

  it("50 runs across 2 workers with random cancels: each ends in exactly one terminal state, none runs twice at once", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 50; i++)
      ids.push(await enqueue(db.pool, { ...quickSpec, train: { epochs: 1, refitEpochs: 0 } }, { pipeline: "train-only" }));
    const toCancel = ids.filter((_, i) => i % 3 === 1);
    await Promise.all(
      toCancel.map(async (id, i) => {
        await new Promise((r) => setTimeout(r, (i * 97) % 1500));
        await cancelRun(db.pool, id);
      }),
    );
    const finals = await Promise.all(ids.map((id) => waitForStatus(db.pool, id, undefined, 180_000)));
    for (const run of finals) expect(["SUCCEEDED", "CANCELLED"]).toContain(run.status);
    for (const run of finals.filter((r) => !toCancel.includes(r.id))) expect(run.status).toBe("SUCCEEDED");
    expect(finals.filter((r) => r.status === "CANCELLED").length).toBeGreaterThan(0);
    // One attempt each, and every stage started at most once per run: nobody ran a run twice.
    const starts = await db.pool.query<{ runId: string; n: string }>(
      `SELECT "runId", count(*) AS n FROM "StageEvent" WHERE "runId" = ANY($1::uuid[]) AND "kind" = 'STARTED' AND "stage" = 'prepare' GROUP BY "runId"`,
      [ids],
    );
    for (const row of starts.rows) expect(Number(row.n)).toBe(1);
    expect(finals.every((r) => r.attempt <= 1)).toBe(true);
  });
});

describe("worker: PostgreSQL restart", () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "hindcast-restart-pg-"));
    server = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), unsafeFast: true });
    await prepareDatabase(server.url);
  });

  afterAll(async () => {
    if (worker) await stopWorker(worker, "SIGKILL");
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("finishes a run that was training while the server stopped and started again; no metric point is lost", async () => {
    worker = await spawnWorker(server.url, path.join(dir, "artifacts"));
    let pool = new pg.Pool({ connectionString: server.url, max: 2 });
    pool.on("error", () => {});
    const id = await enqueue(pool, longSpec(60));
    await waitForStatus(pool, id, (s) => s === "RUNNING");
    await expect.poll(async () => (await lossSteps(pool, id)).count, { timeout: 60_000 }).toBeGreaterThan(50);
    await pool.end();
    const { port } = server;
    await server.stop();
    await new Promise((r) => setTimeout(r, 2_000));
    server = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), port, unsafeFast: true });
    pool = new pg.Pool({ connectionString: server.url, max: 2 });
    try {
      const run = await waitForStatus(pool, id, undefined, 90_000);
      expect(run.status, run.message ?? "").toBe("SUCCEEDED");
      const steps = await lossSteps(pool, id);
      expect(steps.min).toBe(1);
      expect(steps.count).toBe(steps.max);
      const summary = await pool.query(`SELECT "count" FROM "MetricSummary" WHERE "runId" = $1 AND "key" = 'train_loss'`, [id]);
      expect(summary.rows[0]?.count).toBe(steps.count);
    } finally {
      await pool.end();
    }
  });
});
