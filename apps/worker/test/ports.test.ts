import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep, setImmediate as yieldToEventLoop } from "node:timers/promises";
import { artifactStoreConfig, openArtifactStore } from "@hindcast/artifact-store";
import { migrate, NotificationHub, type RunEvent, runEventsChannel, startEmbeddedPostgres } from "@hindcast/db";
import { forceRunState, seedRuns } from "@hindcast/db/runs/seed";
import type { MetricPointRecord, ProgressSnapshot } from "@hindcast/engine";
import { dbTest, type ScratchDatabase } from "@hindcast/test-support";
import pg from "pg";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { DbMetricSink } from "../src/ports/metric-sink";
import { RunArtifacts } from "../src/ports/run-artifacts";
import { RunLogger } from "../src/ports/run-logger";
import { DbRunStore } from "../src/ports/run-store";
import { isTransientDbError, retryTransient } from "../src/ports/transient";

let db: ScratchDatabase;
let pool: pg.Pool;

dbTest.beforeAll(({ db: migrated, pool: migratedPool }) => {
  db = migrated;
  pool = migratedPool;
});

async function createRun(on: pg.Pool = pool, runId = randomUUID()): Promise<string> {
  await seedRuns(on, [{ id: runId, pipeline: "test" }]);
  return runId;
}

function lossPoints(fromStep: number, toStep: number): MetricPointRecord[] {
  const points: MetricPointRecord[] = [];
  for (let step = fromStep; step < toStep; step++) points.push({ key: "loss", step, value: 1 / (step + 1), wallTime: new Date() });
  return points;
}

async function storedPoints(on: pg.Pool, runId: string): Promise<{ count: number; distinctSteps: number; summaryCount: number | null }> {
  const { rows } = await on.query(
    `SELECT count(*)::int AS count, count(DISTINCT "step")::int AS "distinctSteps",
            (SELECT "count" FROM "MetricSummary" WHERE "runId" = $1 AND "key" = 'loss') AS "summaryCount"
       FROM "MetricPoint" WHERE "runId" = $1`,
    [runId],
  );
  return rows[0];
}

function snapshot(overrides: Partial<ProgressSnapshot>): ProgressSnapshot {
  return {
    phase: "train",
    epoch: 1,
    totalEpochs: 10,
    batch: 1,
    totalBatches: 100,
    step: 1,
    totalSteps: 1000,
    itemsDone: 32,
    itemsTotal: 32_000,
    percent: 0.1,
    etaSeconds: 120,
    samplesPerSecond: 250.5,
    message: "Epoch 1/10 · Batch 1/100",
    ...overrides,
  };
}

describe("retryTransient", () => {
  function failing(errors: unknown[]): { fn: () => Promise<string>; calls: () => number } {
    let calls = 0;
    return {
      fn: async () => {
        const error = errors[calls++];
        if (error) throw error;
        return "done";
      },
      calls: () => calls,
    };
  }

  it("tells lost connections and a full or restarting server from other errors", () => {
    const transient = [
      Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
      Object.assign(new Error("terminating connection due to crash of another server process"), { code: "57P02" }),
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
      Object.assign(new Error("sorry, too many clients already"), { code: "53300" }),
      new Error("Connection terminated unexpectedly"),
      new Error("Client has encountered a connection error and is not queryable"),
    ];
    const permanent = [
      Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" }),
      Object.assign(new Error('relation "Nope" does not exist'), { code: "42P01" }),
      new Error("boom"),
      undefined,
    ];
    expect(transient.map(isTransientDbError)).toEqual(transient.map(() => true));
    expect(permanent.map(isTransientDbError)).toEqual(permanent.map(() => false));
  });

  it("retries transient errors with growing delays, rethrows others at once, and gives up after maxWaitMs", async () => {
    const lost = Object.assign(new Error("Connection terminated unexpectedly"), { code: "08006" });
    const delays: number[] = [];
    const flaky = failing([lost, lost, lost]);
    await expect(retryTransient(flaky.fn, { baseMs: 1, onRetry: (_error, _retry, delayMs) => delays.push(delayMs) })).resolves.toBe("done");
    expect(delays).toEqual([1, 2, 4]);

    const broken = failing([new Error("syntax error"), lost]);
    await expect(retryTransient(broken.fn, { baseMs: 1 })).rejects.toThrow("syntax error");
    expect(broken.calls()).toBe(1);

    const down = failing(Array.from({ length: 1_000 }, () => lost));
    const started = performance.now();
    await expect(retryTransient(down.fn, { baseMs: 5, maxDelayMs: 20, maxWaitMs: 150 })).rejects.toBe(lost);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(down.calls()).toBeLessThan(20);
  });
});

describe("DbMetricSink", () => {
  it("stores 12,000 points written 3 at a time exactly once, in few batches, and flush() waits for all of them", async () => {
    const runId = await createRun();
    const sink = new DbMetricSink(pool, runId);
    const points = lossPoints(0, 12_000);
    for (let i = 0; i < points.length; i += 3) {
      sink.write(points.slice(i, i + 3));
      // A training loop yields between batches; background flushes run meanwhile.
      if (i % 150 === 0) await yieldToEventLoop();
    }
    await sink.flush();

    expect(await storedPoints(pool, runId)).toEqual({ count: 12_000, distinctSteps: 12_000, summaryCount: 12_000 });
    expect(sink.stats.pointsWritten).toBe(12_000);
    expect(sink.stats.flushes).toBeGreaterThan(0);
    expect(sink.stats.flushes).toBeLessThan(40);

    for (let i = 0; i < points.length; i += 3) sink.write(points.slice(i, i + 3));
    await sink.close();
    expect(await storedPoints(pool, runId)).toEqual({ count: 12_000, distinctSteps: 12_000, summaryCount: 12_000 });
  });

  it("does no I/O until maxBuffered points are pending or flushIntervalMs has passed; flush() waits for a batch in flight", async () => {
    const runId = await createRun();
    const sink = new DbMetricSink(pool, runId, { flushIntervalMs: 60_000, maxBuffered: 900 });
    for (let step = 0; step < 897; step += 3) {
      sink.write(lossPoints(step, step + 3));
      await yieldToEventLoop();
    }
    await sleep(50);
    expect(sink.stats.flushes).toBe(0);
    expect((await storedPoints(pool, runId)).count).toBe(0);

    // The 900th point starts a write at once, taking every buffered point: flush() finds nothing buffered, only that write.
    sink.write(lossPoints(897, 900));
    await sink.flush();
    expect((await storedPoints(pool, runId)).count).toBe(900);
    expect(sink.stats.flushes).toBe(1);
    await sink.close();

    const timedRunId = await createRun();
    const timed = new DbMetricSink(pool, timedRunId, { flushIntervalMs: 50 });
    timed.write(lossPoints(0, 3));
    await expect.poll(async () => (await storedPoints(pool, timedRunId)).count, { timeout: 2_000 }).toBe(3);
    // The points are visible as soon as their COPY commits, a moment before the sink counts the flush.
    await expect.poll(() => timed.stats.flushes, { timeout: 2_000 }).toBe(1);
  });

  it("keeps the points of a batch the database refuses, rethrows the error on flush(), and stores them once the cause is fixed", async () => {
    const runId = randomUUID();
    const sink = new DbMetricSink(pool, runId);
    sink.write(lossPoints(0, 10));
    await expect(sink.flush()).rejects.toThrow(/does not exist/);
    await createRun(pool, runId);
    await sink.flush();
    expect(await storedPoints(pool, runId)).toEqual({ count: 10, distinctSteps: 10, summaryCount: 10 });
  });

  it("keeps points while PostgreSQL is down and stores them, once each, when it is back", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "hindcast-sink-restart-"));
    const dataDir = path.join(dir, "data");
    let server = await startEmbeddedPostgres({ dataDir, unsafeFast: true });
    const { port } = server;
    const serverPool = new pg.Pool({ connectionString: server.url });
    // Idle connections die with the server; the pool's owner must listen or Node exits on the 'error' event.
    serverPool.on("error", () => {});
    try {
      await migrate(server.url);
      const runId = await createRun(serverPool);
      const sink = new DbMetricSink(serverPool, runId, { flushIntervalMs: 20 });
      sink.write(lossPoints(0, 1_000));
      await sink.flush();

      await server.stop();
      sink.write(lossPoints(1_000, 2_000));
      await expect.poll(() => sink.stats.retries, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);

      server = await startEmbeddedPostgres({ dataDir, port, unsafeFast: true });
      await sink.close();
      expect(await storedPoints(serverPool, runId)).toEqual({ count: 2_000, distinctSteps: 2_000, summaryCount: 2_000 });
    } finally {
      await serverPool.end();
      await server.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("DbRunStore", () => {
  it("records stage events in order and updates progress, each with a run_events notification", async () => {
    const runId = await createRun();
    await forceRunState(pool, runId, { updatedAt: new Date("2000-01-01") });
    const hub = new NotificationHub(db.url);
    await hub.start();
    try {
      const events: RunEvent[] = [];
      await hub.listen(runEventsChannel, (event) => {
        if (event.runId === runId) events.push(event);
      });
      const store = new DbRunStore(pool, runId);
      const at = new Date("2026-01-02T03:04:05.678Z");
      await store.recordStageEvent({ stage: "prepare", kind: "STARTED", attempt: 1, at });
      await store.recordStageEvent({ stage: "prepare", kind: "SUCCEEDED", attempt: 1, at, durationMs: 12.6, details: { backend: "cpu" } });
      await store.recordStageEvent({ stage: "train", kind: "FAILED", attempt: 1, at, message: "loss is NaN" });

      const { rows: stages } = await pool.query(
        `SELECT "stage", "kind", "attempt", "durationMs", "message", "details", "at" FROM "StageEvent" WHERE "runId" = $1 ORDER BY "id"`,
        [runId],
      );
      expect(stages).toEqual([
        { stage: "prepare", kind: "STARTED", attempt: 1, durationMs: null, message: null, details: null, at },
        { stage: "prepare", kind: "SUCCEEDED", attempt: 1, durationMs: 13, message: null, details: { backend: "cpu" }, at },
        { stage: "train", kind: "FAILED", attempt: 1, durationMs: null, message: "loss is NaN", details: null, at },
      ]);
      await expect.poll(() => events).toEqual([0, 1, 2].map(() => ({ runId, kind: "stage" })));

      await store.updateProgress(
        snapshot({ phase: "train", step: 40, itemsDone: 1_280, percent: 4, message: "Epoch 1/10 · Batch 40/100" }),
      );
      const { rows } = await pool.query(
        `SELECT "phase", "step", "totalSteps", "itemsDone", "itemsTotal", "percent", "etaSeconds", "samplesPerSecond", "message",
                "updatedAt" > now() - interval '1 minute' AS "updatedNow"
           FROM "Run" WHERE "id" = $1`,
        [runId],
      );
      expect(rows[0]).toEqual({
        phase: "train",
        step: 40,
        totalSteps: 1_000,
        itemsDone: 1_280,
        itemsTotal: 32_000,
        percent: 4,
        etaSeconds: 120,
        samplesPerSecond: 250.5,
        message: "Epoch 1/10 · Batch 40/100",
        updatedNow: true,
      });
      await expect.poll(() => events.at(-1)).toEqual({ runId, kind: "progress", percent: 4, message: "Epoch 1/10 · Batch 40/100" });
      expect(store.stats).toEqual({ stageEvents: 3, progressStatements: 1, progressFailures: 0 });
    } finally {
      await hub.close();
    }
  });

  it("coalesces progress updates fired without waiting: few statements, the last snapshot wins", async () => {
    const runId = await createRun();
    const store = new DbRunStore(pool, runId);
    const updates: Promise<void>[] = [];
    for (let step = 1; step <= 1_000; step++) {
      updates.push(store.updateProgress(snapshot({ step, percent: step / 10, message: `step ${step}` })));
    }
    await Promise.all(updates);

    expect(store.stats.progressStatements).toBeLessThanOrEqual(3);
    expect(store.stats.progressFailures).toBe(0);
    const { rows } = await pool.query(`SELECT "step", "percent", "message" FROM "Run" WHERE "id" = $1`, [runId]);
    expect(rows[0]).toEqual({ step: 1_000, percent: 100, message: "step 1000" });
  });

  it("never rejects a progress update: a failure is counted and the next update goes out", async () => {
    const unreachable = new pg.Pool({ connectionString: "postgresql://nobody:secret@127.0.0.1:9/none" });
    try {
      const store = new DbRunStore(unreachable, randomUUID());
      await expect(store.updateProgress(snapshot({}))).resolves.toBeUndefined();
      await expect(store.updateProgress(snapshot({ step: 2 }))).resolves.toBeUndefined();
      expect(store.stats).toEqual({ stageEvents: 0, progressStatements: 2, progressFailures: 2 });
    } finally {
      await unreachable.end();
    }
  });
});

describe("RunArtifacts", () => {
  it("writes, reads, replaces and removes a run's artifacts in the PostgreSQL store, recording each in Artifact", async () => {
    const runId = await createRun();
    const artifactRows = async () =>
      (await pool.query(`SELECT "name", "kind", "uri", "contentType", "sizeBytes", "sha256" FROM "Artifact" WHERE "runId" = $1`, [runId]))
        .rows;
    const blobs = async () => Number((await pool.query(`SELECT count(*) AS n FROM "ArtifactBlob"`)).rows[0].n);
    const blobsBefore = await blobs();
    const store = new RunArtifacts(pool, runId, openArtifactStore(pool, artifactStoreConfig({})));
    const data = randomBytes(3_000_000);
    const { uri, sizeBytes } = await store.put("models/model.bin", data, { kind: "model", contentType: "application/octet-stream" });
    expect(uri).toMatch(/^pg-artifact:/);
    expect(sizeBytes).toBe(3_000_000);
    expect(await store.get(uri)).toEqual(new Uint8Array(data));
    const sha256 = createHash("sha256").update(data).digest("hex");
    expect(await artifactRows()).toEqual([
      { name: "models/model.bin", kind: "model", uri, contentType: "application/octet-stream", sizeBytes: "3000000", sha256 },
    ]);

    const replaced = await store.put("models/model.bin", "second version", { kind: "report", contentType: "text/plain" });
    expect(replaced.sizeBytes).toBe(14);
    expect(Buffer.from(await store.get(replaced.uri)).toString()).toBe("second version");
    expect(await artifactRows()).toEqual([
      {
        name: "models/model.bin",
        kind: "report",
        uri: replaced.uri,
        contentType: "text/plain",
        sizeBytes: "14",
        sha256: createHash("sha256").update("second version").digest("hex"),
      },
    ]);
    // The first version's bytes went with the row that named them.
    expect(await blobs()).toBe(blobsBefore + 1);
    await expect(store.get(uri)).rejects.toThrow(`artifact ${uri} does not exist`);

    for (const name of ["../escape.bin", "models/../../escape.bin", "/tmp/escape.bin", "./model.bin", "models//model.bin", ""]) {
      await expect(store.put(name, "x", { kind: "model", contentType: "text/plain" })).rejects.toThrow(
        /without "\.\.", "\." or empty segments/,
      );
    }
    expect(await artifactRows()).toHaveLength(1);

    await store.remove(replaced.uri);
    expect(await artifactRows()).toEqual([]);
    expect(await blobs()).toBe(blobsBefore);
    await expect(store.get(replaced.uri)).rejects.toThrow(`artifact ${replaced.uri} does not exist`);
  });
});

describe("RunLogger", () => {
  it("logs through pino with the run id and stores every line in LogLine, in order", async () => {
    const runId = await createRun();
    const logged: { runId?: string; msg?: string }[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => logged.push(JSON.parse(line)) });
    const log = new RunLogger(pool, runId, 2, logger);
    const storedLines = async () =>
      (await pool.query(`SELECT "attempt", "level", "message", "fields" FROM "LogLine" WHERE "runId" = $1 ORDER BY "id"`, [runId])).rows;

    log.info("starting", { backend: "cpu" });
    await expect
      .poll(storedLines, { timeout: 5_000 })
      .toEqual([{ attempt: 2, level: "INFO", message: "starting", fields: { backend: "cpu" } }]);

    for (let i = 0; i < 450; i++) log.info(`line ${i}`);
    log.warn("slow epoch");
    log.error("diverged", { loss: "NaN" });
    await log.close();

    const lines = await storedLines();
    expect(lines.map((line) => line.message)).toEqual([
      "starting",
      ...Array.from({ length: 450 }, (_, i) => `line ${i}`),
      "slow epoch",
      "diverged",
    ]);
    expect(lines.at(-2)).toEqual({ attempt: 2, level: "WARN", message: "slow epoch", fields: null });
    expect(lines.at(-1)).toEqual({ attempt: 2, level: "ERROR", message: "diverged", fields: { loss: "NaN" } });
    expect(logged).toHaveLength(453);
    expect(logged.every((entry) => entry.runId === runId)).toBe(true);
  });
});
