import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createPool, prepareDatabase, startEmbeddedPostgres } from "@hindcast/db";
import type { SearchSpace } from "@hindcast/sweeps";
import { dbTest, spawnWorker, stopWorker, type WorkerProcess } from "@hindcast/test-support";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapAdmin, createCaller } from "../src/index";
import { rejection } from "./rejection";

/**
 * A worker as the harness starts it, but declared dead only after 5 s without a heartbeat: under a full CI
 * machine a live worker can miss 1.5 s, and the trials it then gives up would go through the queue's retry backoff.
 */
const spawnFleetWorker = (url: string, dir: string) => spawnWorker(url, dir, { env: { WORKER_DEAD_AFTER_MS: "5000" } });

let pool: pg.Pool;
let url: string;
let artifactsDir: string;
let admin: { id: string; email: string; role: "ADMIN" };
const workers: WorkerProcess[] = [];
const api = () => createCaller({ pool, user: admin });

dbTest.beforeAll(async ({ pool: migrated, db, tempDir }) => {
  pool = migrated;
  url = db.url;
  artifactsDir = tempDir;
  await bootstrapAdmin(pool);
  admin = (await pool.query(`SELECT "id", "email", "role" FROM "User"`)).rows[0];
});

afterAll(async () => {
  await Promise.all(workers.map((w) => stopWorker(w, "SIGKILL")));
});

/**
 * An MLP on S&P 500 log returns that trains every one of its 27 epochs (no
 * early stopping of its own, no minimum of steps): the epochs are most of a
 * trial's time, as in a real search.
 */
const base = {
  data: { dataset: "sp500", target: "spx_close", transform: "logReturn" },
  window: { lookback: 20, horizon: 1 },
  model: { kind: "mlp", hidden: [32] },
  train: { epochs: 27, patience: 0, minSteps: 0, refitEpochs: 1, batchSize: 64 },
  retrodiction: { windows: 1, batchSizeDays: 30 },
};
const space: SearchSpace = {
  "train.learningRate": { loguniform: [1e-5, 3e-2] },
  "model.hidden": { choice: [[8], [32], [64]] },
  "model.dropout": { uniform: [0, 0.5] },
};

const counts = async () => {
  const { rows } = await pool.query<{ sweeps: number; runs: number }>(
    `SELECT (SELECT count(*)::int FROM "Sweep") AS sweeps, (SELECT count(*)::int FROM "Run") AS runs`,
  );
  return rows[0];
};

describe("sweeps: bad input is refused with its path before anything is queued", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["a path the spec does not have", { space: { "train.epocs": { int: [1, 5] } } }, "space.train.epocs"],
    ["a family option no searched family has", { space: { "model.filters": { int: [4, 8] } } }, "space.model.filters"],
    ["an inverted range", { space: { "train.learningRate": { loguniform: [1e-2, 1e-4] } } }, "space.train.learningRate.loguniform"],
    ["an empty range", { space: { "model.dropout": { uniform: [0.2, 0.2] } } }, "space.model.dropout.uniform"],
    [
      "a loguniform range reaching 0",
      { space: { "train.learningRate": { loguniform: [0, 1e-2] } } },
      "space.train.learningRate.loguniform",
    ],
    ["values the spec refuses", { space: { "model.dropout": { uniform: [0, 2] } } }, "space.model.dropout.uniform"],
    [
      "a grid larger than the budget",
      { method: "grid", budget: { trials: 2 }, space: { "model.hidden": { choice: [[8], [16], [32]] } } },
      "budget.trials",
    ],
    [
      "a grid over a continuous range",
      { method: "grid", space: { "model.dropout": { uniform: [0, 0.5] } } },
      "space.model.dropout.uniform",
    ],
    ["a metric no trial reports", { metric: "accuracy" }, "metric"],
    [
      "a range whose end needs more memory than a run may use",
      { space: { "model.hidden": { choice: [[32], Array(16).fill(4096)] } } },
      "space.model.hidden",
    ],
    ["an unknown dataset", { base: { ...base, data: { dataset: "nope", target: "x" } } }, "base.data.dataset"],
    ["an invalid base spec", { base: { ...base, train: { epochs: -1 } } }, "base.train.epochs"],
  ];
  for (const [what, change, path] of cases) {
    it(what, async () => {
      const before = await counts();
      const error = await rejection(api().sweeps.start({ base, space, method: "random", budget: { trials: 4 }, ...change } as never));
      expect(error.code, error.message).toBe("BAD_REQUEST");
      expect(error.cause?.path ?? "").toBe(path);
      expect(error.message).not.toMatch(/at .*\.ts|postgres(ql)?:\/\//);
      expect(await counts()).toEqual(before);
    });
  }
});

interface TrialRow {
  status: string;
  trialNumber: number;
  startedAt: Date;
  finishedAt: Date;
  message: string | null;
}

/** Waits for a sweep to end; on timeout the error says where its trials and queue jobs stand. */
async function waitForSweep(id: string, timeoutMs: number, on: pg.Pool = pool): Promise<{ status: string; message: string | null }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await on.query<{ status: string; message: string | null }>(`SELECT "status", "message" FROM "Sweep" WHERE "id" = $1`, [
      id,
    ]);
    const sweep = rows[0] as { status: string; message: string | null };
    if (!["RUNNING", "PAUSED"].includes(sweep.status)) return sweep;
    if (Date.now() > deadline) {
      const trials = await on.query(
        `SELECT "trialNumber", "status", "attempt", "message" FROM "Run" WHERE "sweepId" = $1 ORDER BY "trialNumber"`,
        [id],
      );
      const jobs = await on.query(`SELECT task_identifier, key, locked_by, locked_at, attempts, last_error FROM graphile_worker.jobs`);
      const workers = await on.query(`SELECT "id", "status", "queueWorkerIds", "exitReason" FROM "Worker"`);
      throw new Error(
        `sweep ${id} still ${sweep.status} after ${timeoutMs} ms\ntrials: ${JSON.stringify(trials.rows)}\njobs: ${JSON.stringify(jobs.rows)}\nworkers: ${JSON.stringify(workers.rows)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

const trialsOf = async (id: string) =>
  (
    await pool.query<TrialRow>(
      `SELECT "status", "trialNumber", "startedAt", "finishedAt", "message" FROM "Run" WHERE "sweepId" = $1 ORDER BY "trialNumber"`,
      [id],
    )
  ).rows;

/** Seconds from the sweep's first trial start to its last trial end. */
const wallSeconds = (trials: TrialRow[]) =>
  (Math.max(...trials.map((t) => t.finishedAt.getTime())) - Math.min(...trials.map((t) => t.startedAt.getTime()))) / 1000;

describe("sweeps: 24 trials over 2 worker processes", () => {
  it("ASHA stops at least half the trials early and reports the best with its config; wall time printed beside the same trials run to the end", async () => {
    workers.push(...(await Promise.all([spawnFleetWorker(url, artifactsDir), spawnFleetWorker(url, artifactsDir)])));
    const sweep = { base, space, method: "random" as const, budget: { trials: 24 }, parallel: 4, seed: 7 };
    const asha = await api().sweeps.start({ ...sweep, name: "asha", earlyStopping: { rule: "asha", minEpochs: 1, reductionFactor: 3 } });
    expect(asha.trials).toBe(24);
    const ended = await waitForSweep(asha.id, 400_000);
    expect(ended.status, ended.message ?? "").toBe("SUCCEEDED");
    const trials = await trialsOf(asha.id);
    expect(trials.map((t) => t.trialNumber)).toEqual([...Array(24).keys()]);
    const stopped = trials.filter((t) => t.status === "STOPPED");
    expect(stopped.length, trials.map((t) => `${t.trialNumber} ${t.status} ${t.message}`).join("\n")).toBeGreaterThanOrEqual(12);
    expect(stopped[0]?.message).toMatch(/^Stopped by ASHA at rung \d \(epoch \d+\)/);
    const details = await api().sweeps.get({ id: asha.id });
    const best = details.trials.find((t) => t.runId === details.bestRunId);
    expect(best?.status).toBe("SUCCEEDED");
    expect(Object.keys(best?.trial ?? {}).sort()).toEqual(Object.keys(space).sort());
    expect(details.bestValue).toBe(
      Math.max(...details.trials.flatMap((t) => (t.status === "SUCCEEDED" && t.objective !== null ? [t.objective] : []))),
    );
    const rungs = await pool.query(
      `SELECT "runId", "rung", count(*)::int AS n FROM "SweepRung" WHERE "sweepId" = $1 GROUP BY 1, 2 HAVING count(*) > 1`,
      [asha.id],
    );
    expect(rungs.rowCount).toBe(0);

    const full = await api().sweeps.start({ ...sweep, name: "to the end", earlyStopping: { rule: "none" } });
    expect((await waitForSweep(full.id, 600_000)).status).toBe("SUCCEEDED");
    const fullTrials = await trialsOf(full.id);
    expect(fullTrials.every((t) => t.status === "SUCCEEDED")).toBe(true);
    const importance = (await api().sweeps.get({ id: full.id })).importance ?? [];
    expect(importance.map((i) => i.path).sort()).toEqual(Object.keys(space).sort());
    expect(importance.reduce((sum, i) => sum + i.importance, 0)).toBeCloseTo(1, 6);
    const [withAsha, toTheEnd] = [wallSeconds(trials), wallSeconds(fullTrials)];
    console.log(
      `sweep of 24 trials on 2 workers: ASHA ${withAsha.toFixed(1)} s (${stopped.length} stopped early), to the end ${toTheEnd.toFixed(1)} s, ratio ${(withAsha / toTheEnd).toFixed(2)} (goal <= 0.5)`,
    );
  }, 900_000);
});

describe("sweeps: trials that cannot train, pause, resume and cancel", () => {
  /** A least-squares linear model on Seattle: a trial takes a second or two. */
  const quick = {
    data: { dataset: "seattle_weather", target: "temp_max" },
    model: { kind: "linear" },
    train: { epochs: 3 },
    retrodiction: { windows: 2, batchSizeDays: 60 },
  };

  it("records a trial whose spec fails validation as FAILED and goes on with the others", async () => {
    if (workers.length === 0)
      workers.push(...(await Promise.all([spawnFleetWorker(url, artifactsDir), spawnFleetWorker(url, artifactsDir)])));
    // Each value is valid with the base spec, but an overlap of 45 days in 40-day windows is not.
    const { id } = await api().sweeps.start({
      base: quick,
      space: { "retrodiction.overlapDays": { choice: [0, 45] }, "retrodiction.batchSizeDays": { choice: [40, 60] } },
      method: "grid",
      earlyStopping: { rule: "none" },
      metric: "rmse",
    });
    expect((await waitForSweep(id, 180_000)).status).toBe("SUCCEEDED");
    const trials = await trialsOf(id);
    expect(trials.map((t) => t.status).sort()).toEqual(["FAILED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    expect(trials.find((t) => t.status === "FAILED")?.message).toMatch(
      /Invalid spec: retrodiction.overlapDays: must be smaller than batchSizeDays/,
    );
    // Trials never see the final comparison's windows; the best config trained again does, on all the data.
    const details = await api().sweeps.get({ id });
    expect(details.trialDataTo).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const best = details.trials.find((t) => t.runId === details.bestRunId);
    const { id: runId } = await api().sweeps.trainBest({ id });
    const run = await api().training.get({ id: runId });
    expect(run.spec).toMatchObject({ retrodiction: { batchSizeDays: best?.trial?.["retrodiction.batchSizeDays"] } });
    expect((run.spec as { data: { to?: string } }).data.to).toBeUndefined();
    expect(run.name).toMatch(/best \(#\d\) on all windows$/);
  }, 240_000);

  it("a paused sweep starts no trials until resumed; a cancelled one cancels its running trials", async () => {
    if (workers.length === 0)
      workers.push(...(await Promise.all([spawnFleetWorker(url, artifactsDir), spawnFleetWorker(url, artifactsDir)])));
    const { id } = await api().sweeps.start({
      base: quick,
      space: { "window.lookback": { int: [7, 60] } },
      method: "random",
      budget: { trials: 6 },
      parallel: 1,
      earlyStopping: { rule: "none" },
    });
    const startedWhilePaused = async () =>
      (await pool.query(`SELECT "trialsStarted" FROM "Sweep" WHERE "id" = $1`, [id])).rows[0]?.trialsStarted;
    await expect.poll(startedWhilePaused, { timeout: 30_000, interval: 50 }).toBe(1);
    await api().sweeps.pause({ id });
    expect((await rejection(api().sweeps.pause({ id }))).code).toBe("CONFLICT");
    // The trial started before the pause ends; no second one starts.
    await expect.poll(async () => (await trialsOf(id)).filter((t) => t.finishedAt).length, { timeout: 60_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await startedWhilePaused()).toBe(1);
    await api().sweeps.resume({ id });
    await expect
      .poll(async () => (await trialsOf(id)).some((t) => t.trialNumber === 1 && t.status === "RUNNING"), { timeout: 60_000, interval: 50 })
      .toBe(true);
    const cancelled = await api().sweeps.cancel({ id });
    expect(cancelled.status).toBe("CANCELLED");
    await expect.poll(async () => (await trialsOf(id)).find((t) => t.trialNumber === 1)?.status, { timeout: 60_000 }).toBe("CANCELLED");
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await startedWhilePaused()).toBe(2);
    expect((await rejection(api().sweeps.resume({ id }))).code).toBe("CONFLICT");
  }, 240_000);
});

describe("sweeps: kill -9 of a worker and a restart of the whole stack mid-sweep", () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  const stack: WorkerProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "hindcast-sweep-restart-"));
    server = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), unsafeFast: true });
    await prepareDatabase(server.url);
  });

  afterAll(async () => {
    await Promise.all(stack.map((w) => stopWorker(w, "SIGKILL")));
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("ends each trial exactly once and the sweep once its budget is spent", async () => {
    const artifacts = path.join(dir, "artifacts");
    let own = createPool({ connectionString: server.url, max: 4 });
    await bootstrapAdmin(own);
    const user = (await own.query(`SELECT "id", "email", "role" FROM "User"`)).rows[0];
    const started = await createCaller({ pool: own, user }).sweeps.start({
      base: { ...base, train: { ...base.train, epochs: 9 } },
      space,
      method: "tpe",
      budget: { trials: 10 },
      parallel: 3,
      earlyStopping: { rule: "asha", minEpochs: 1, reductionFactor: 3 },
    });
    const ended = async (pool: pg.Pool) =>
      (
        await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Run" WHERE "sweepId" = $1 AND "finishedAt" IS NOT NULL`, [
          started.id,
        ])
      ).rows[0]?.n ?? 0;
    stack.push(...(await Promise.all([spawnFleetWorker(server.url, artifacts), spawnFleetWorker(server.url, artifacts)])));
    await expect.poll(() => ended(own), { timeout: 120_000, interval: 200 }).toBeGreaterThanOrEqual(2);
    await stopWorker(stack[0] as WorkerProcess, "SIGKILL");
    stack.push(await spawnFleetWorker(server.url, artifacts));
    await expect.poll(() => ended(own), { timeout: 120_000, interval: 200 }).toBeGreaterThanOrEqual(4);

    // The whole stack goes down at once: every worker killed, the database stopped; then all of it starts again.
    await Promise.all(stack.map((w) => stopWorker(w, "SIGKILL")));
    await own.end();
    const { port } = server;
    await server.stop();
    server = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), port, unsafeFast: true });
    own = createPool({ connectionString: server.url, max: 4 });
    try {
      stack.push(...(await Promise.all([spawnFleetWorker(server.url, artifacts), spawnFleetWorker(server.url, artifacts)])));
      expect((await waitForSweep(started.id, 240_000, own)).status).toBe("SUCCEEDED");
      const { rows } = await own.query<{ trialNumber: number; status: string }>(
        `SELECT "trialNumber", "status" FROM "Run" WHERE "sweepId" = $1 ORDER BY "trialNumber"`,
        [started.id],
      );
      expect(rows.map((r) => r.trialNumber)).toEqual([...Array(10).keys()]);
      expect(
        rows.every((r) => ["SUCCEEDED", "STOPPED"].includes(r.status)),
        JSON.stringify(rows),
      ).toBe(true);
      const sweep = (await own.query(`SELECT "trialsStarted", "bestRunId" FROM "Sweep" WHERE "id" = $1`, [started.id])).rows[0];
      expect(sweep).toMatchObject({ trialsStarted: 10 });
      expect(sweep.bestRunId).not.toBeNull();
      // Each trial decided once per rung, however often its trainer was restarted.
      const twice = await own.query(`SELECT 1 FROM "SweepRung" WHERE "sweepId" = $1 GROUP BY "runId", "rung" HAVING count(*) > 1`, [
        started.id,
      ]);
      expect(twice.rowCount).toBe(0);
      // Steps queued by the last trials' ends may still be waiting; each finds the sweep ended and leaves, and no job stays locked.
      const jobs = async () =>
        (await own.query(`SELECT 1 FROM graphile_worker.jobs WHERE task_identifier IN ('train_any', 'sweep_step')`)).rowCount;
      await expect.poll(jobs, { timeout: 30_000, interval: 200 }).toBe(0);
      expect((await own.query(`SELECT "status", "trialsStarted" FROM "Sweep" WHERE "id" = $1`, [started.id])).rows[0]).toEqual({
        status: "SUCCEEDED",
        trialsStarted: 10,
      });
    } finally {
      await own.end();
    }
  }, 600_000);
});
