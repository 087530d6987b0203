import { type ArtifactStorage, artifactStoreConfig, openArtifactStore } from "@hindcast/artifact-store";
import { cancelRun, saveDataset } from "@hindcast/db";
import { longSpec, quickSpec, spawnWorker, stopWorker, type WorkerProcess } from "@hindcast/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { enqueue, lossSteps, runRow, type WorkerTestDatabase, waitForStatus, workerTest } from "./harness";

let db: WorkerTestDatabase;
let workers: WorkerProcess[] = [];
let artifacts: ArtifactStorage;

workerTest.beforeAll(async ({ workerDb }) => {
  db = workerDb;
  artifacts = openArtifactStore(db.pool, artifactStoreConfig({}));
  workers = await Promise.all([spawnWorker(db.url, db.artifactsDir), spawnWorker(db.url, db.artifactsDir)]);
});

afterAll(async () => {
  await Promise.all(workers.map((w) => stopWorker(w)));
});

describe("worker: run lifecycle", () => {
  it("trains a queued run to SUCCEEDED with metrics, stage events, checkpoints, logs and a results artifact", async () => {
    const id = await enqueue(db.pool, quickSpec);
    const run = await waitForStatus(db.pool, id);
    expect(run.status, run.message ?? "").toBe("SUCCEEDED");
    expect(run.attempt).toBe(1);
    expect(run.backend).toBe("wasm");
    expect(run.resultSummary).toMatchObject({ windows: 2, overall: { rmse: expect.any(Number), mase: expect.any(Number) } });

    const steps = await lossSteps(db.pool, id);
    expect(steps.min).toBe(1);
    expect(steps.count).toBe(steps.max);
    const stages = await db.pool.query(`SELECT "stage" FROM "StageEvent" WHERE "runId" = $1 AND "kind" = 'SUCCEEDED' ORDER BY "id"`, [id]);
    expect(stages.rows.map((r) => r.stage)).toEqual(["loadData", "prepare", "train", "retrodict", "persist", "finalize"]);
    const checkpoints = await db.pool.query(`SELECT "uri" FROM "Checkpoint" WHERE "runId" = $1`, [id]);
    expect(checkpoints.rowCount).toBeGreaterThan(0);
    // Every host reads them: the default store is the database every process shares.
    for (const c of checkpoints.rows) expect((await artifacts.stat(c.uri))?.sizeBytes).toBeGreaterThan(0);
    const results = await db.pool.query(`SELECT "uri", "sizeBytes" FROM "Artifact" WHERE "runId" = $1 AND "name" = 'results.json'`, [id]);
    expect(results.rows[0]?.uri).toMatch(/^pg-artifact:/);
    expect((await artifacts.stat(results.rows[0]?.uri))?.sizeBytes).toBe(Number(results.rows[0]?.sizeBytes));
    const logs = await db.pool.query(`SELECT "message" FROM "LogLine" WHERE "runId" = $1 ORDER BY "id"`, [id]);
    expect(logs.rows.map((r) => r.message).join("\n")).toMatch(/Attempt 1 on wasm[\s\S]*Succeeded/);
    const summary = await db.pool.query(`SELECT "count", "lastStep" FROM "MetricSummary" WHERE "runId" = $1 AND "key" = 'train_loss'`, [
      id,
    ]);
    expect(summary.rows[0]).toEqual({ count: steps.count, lastStep: steps.max });
  });

  it("runs a classical model (theta) through the same queue, stages and artifacts: its fitted parameters are its model", async () => {
    const id = await enqueue(db.pool, { ...quickSpec, model: { kind: "theta" } });
    const run = await waitForStatus(db.pool, id);
    expect(run.status, run.message ?? "").toBe("SUCCEEDED");
    expect(run.message).toMatch(/RMSE/);
    const summary = run.resultSummary as { model: string; backend: string; overall: { rmse: number }; baselines: { thetaRmse: number } };
    expect(summary).toMatchObject({ model: "theta", backend: "none", windows: 2, steps: 0 });
    // The run's model and its Theta baseline are the same fit on the same rows.
    expect(summary.overall.rmse).toBeCloseTo(summary.baselines.thetaRmse, 12);
    const stages = await db.pool.query(`SELECT "stage" FROM "StageEvent" WHERE "runId" = $1 AND "kind" = 'SUCCEEDED' ORDER BY "id"`, [id]);
    expect(stages.rows.map((r) => r.stage)).toEqual(["loadData", "prepare", "train", "retrodict", "persist", "finalize"]);
    const rows = await db.pool.query(`SELECT "name", "uri" FROM "Artifact" WHERE "runId" = $1 ORDER BY "name"`, [id]);
    expect(rows.rows.map((r) => r.name)).toEqual(["model/params.json", "results.json"]);
    const params = JSON.parse(new TextDecoder().decode(await artifacts.readAll(rows.rows[0]?.uri)));
    expect(params.kind).toBe("theta");
    expect(params.fits.map((f: { window: number; label: string }) => [f.window, f.label.slice(0, 6)])).toEqual([
      [0, "Theta("],
      [1, "Theta("],
    ]);
    expect(params.fits[0].params).toMatchObject({ alpha: expect.any(Number), b0: expect.any(Number) });
  });

  it("cancels a RUNNING run within a second, keeping its metrics", async () => {
    const id = await enqueue(db.pool, longSpec(500));
    await waitForStatus(db.pool, id, (s) => s === "RUNNING");
    await expect.poll(async () => (await lossSteps(db.pool, id)).count, { timeout: 60_000 }).toBeGreaterThan(20);
    const requested = Date.now();
    expect((await cancelRun(db.pool, id, "cancelled by ana@example.com")).status).toBe("CANCELLING");
    const run = await waitForStatus(db.pool, id);
    const latency = Date.now() - requested;
    expect(run.status).toBe("CANCELLED");
    expect(latency).toBeLessThan(1_000);
    const steps = await lossSteps(db.pool, id);
    expect(steps.count).toBeGreaterThan(20);
    expect(steps.count).toBe(steps.max);
    // The stage timeline's record: who cancelled the stage, and no recovery decision about it.
    const events = await db.pool.query<{ stage: string; kind: string; message: string | null }>(
      `SELECT "stage", "kind", "message" FROM "StageEvent" WHERE "runId" = $1 AND "kind" IN ('FAILED', 'RECOVERY') ORDER BY "id"`,
      [id],
    );
    expect(events.rows).toEqual([{ stage: "train", kind: "FAILED", message: "cancelled by ana@example.com" }]);
  });

  it("leaves a GPU run to GPU workers, and cancels a QUEUED run at once; it never starts", async () => {
    // Both workers picked wasm, so neither takes train_gpu jobs: the run waits in the queue.
    const id = await enqueue(db.pool, quickSpec, { queue: "gpu" });
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await runRow(db.pool, id)).status).toBe("QUEUED");
    const capabilities = await db.pool.query<{ capabilities: { gpu: boolean; tasks: string[] } }>(`SELECT "capabilities" FROM "Worker"`);
    for (const w of capabilities.rows)
      expect(w.capabilities).toMatchObject({ gpu: false, tasks: ["train_any", "aggregate_run", "purge_runs", "sweep_step"] });
    expect((await cancelRun(db.pool, id)).status).toBe("CANCELLED");
    const run = await runRow(db.pool, id);
    expect(run).toMatchObject({ status: "CANCELLED", startedAt: null, attempt: 0 });
    const jobs = await db.pool.query(`SELECT 1 FROM graphile_worker.jobs WHERE "key" = $1`, [id]);
    expect(jobs.rowCount).toBe(0);
    const events = await db.pool.query(`SELECT 1 FROM "StageEvent" WHERE "runId" = $1`, [id]);
    expect(events.rowCount).toBe(0);
    expect((await cancelRun(db.pool, id)).status).toBe("CANCELLED");
  });

  it("fails a run that keeps diverging as a divergence, after the capped rollbacks", async () => {
    const id = await enqueue(db.pool, { ...quickSpec, train: { epochs: 5, optimizer: "sgd", learningRate: 1e6 } });
    const run = await waitForStatus(db.pool, id);
    expect(run.status).toBe("FAILED");
    expect(run.error).toMatchObject({ class: "divergence", stage: "train" });
    const recoveries = await db.pool.query(
      `SELECT "details"->>'action' AS action FROM "StageEvent" WHERE "runId" = $1 AND "kind" = 'RECOVERY' ORDER BY "id"`,
      [id],
    );
    expect(recoveries.rows.map((r) => r.action)).toEqual(["rollback", "rollback", "fail"]);
  });

  it("trains on a dataset imported into PostgreSQL", async () => {
    const dates = Array.from({ length: 400 }, (_, i) => new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10));
    await saveDataset(db.pool, {
      name: "sine",
      source: "test",
      dates,
      columns: { y: dates.map((_, i) => Math.sin(i / 7) * 10 + (i % 3)) },
    });
    const id = await enqueue(db.pool, {
      data: { dataset: "sine", target: "y" },
      train: { epochs: 3, refitEpochs: 1 },
      retrodiction: { windows: 2, batchSizeDays: 30 },
    });
    const run = await waitForStatus(db.pool, id);
    expect(run.status, run.message ?? "").toBe("SUCCEEDED");
    const unknown = await waitForStatus(db.pool, await enqueue(db.pool, { data: { dataset: "nope", target: "y" } }));
    expect(unknown.status).toBe("FAILED");
    expect(unknown.message).toMatch(/data\.dataset: unknown dataset "nope".*Fix: use one of: .*sine/);
    expect(unknown.error).toMatchObject({ class: "invalid_input", stage: "loadData" });
  });

  it("reports an invalid spec as a failed run naming the field", async () => {
    const id = await enqueue(db.pool, { data: { dataset: "seattle_weather", target: "temp_max" }, train: { epochs: -1 } });
    const run = await waitForStatus(db.pool, id);
    expect(run.status).toBe("FAILED");
    expect(run.message).toMatch(/Invalid spec: train\.epochs/);
  });
});
