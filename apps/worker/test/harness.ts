import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { enqueueRun, type NewRun, prepareDatabase, projectRoot } from "@hindcast/db";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.js";

const workerMain = path.join(projectRoot, "apps", "worker", "src", "main.ts");

export interface WorkerProcess {
  process: ChildProcess;
  pid: number;
  output: () => string;
  exited: Promise<number | null>;
}

/** A real worker process (tsx apps/worker/src/main.ts) with short heartbeat and dead timeouts. */
export async function startWorkerProcess(url: string, artifactsDir: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  // node --import tsx (not the tsx binary): one process, so its pid is the worker's and kill -9 hits it.
  const child = spawn(process.execPath, ["--import", "tsx", workerMain], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: url,
      HINDCAST_ARTIFACTS_DIR: artifactsDir,
      HINDCAST_BACKEND: "wasm,cpu",
      WORKER_CONCURRENCY: "2",
      WORKER_HEARTBEAT_MS: "200",
      WORKER_DEAD_AFTER_MS: "1500",
      WORKER_POLL_INTERVAL_MS: "250",
      WORKER_CHECKPOINT_INTERVAL_MS: "0",
      LOG_LEVEL: "warn",
      ...env,
    },
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const deadline = Date.now() + 60_000;
    while ((await pool.query(`SELECT 1 FROM "Worker" WHERE "pid" = $1 AND "status" = 'ONLINE'`, [child.pid])).rowCount === 0) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`worker did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await pool.end();
  }
  return { process: child, pid: child.pid as number, output: () => output, exited };
}

export async function stopWorker(worker: WorkerProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  if (worker.process.exitCode === null) worker.process.kill(signal);
  return worker.exited;
}

export interface WorkerTestDatabase extends TestDatabase {
  pool: pg.Pool;
  artifactsDir: string;
}

export async function workerDatabase(label: string): Promise<WorkerTestDatabase> {
  const db = await createTestDatabase(label);
  await prepareDatabase(db.url);
  const artifactsDir = await mkdtemp(path.join(os.tmpdir(), "hindcast-artifacts-"));
  return { ...db, pool: new pg.Pool({ connectionString: db.url, max: 4 }), artifactsDir };
}

export const quickSpec = {
  data: { dataset: "seattle_weather", target: "temp_max" },
  train: { epochs: 3, refitEpochs: 1 },
  retrodiction: { windows: 2, batchSizeDays: 30 },
};

/** Long enough to cancel or kill mid-epoch: S&P 500 log returns, many short epochs. */
export const longSpec = (epochs: number) => ({
  data: { dataset: "sp500", target: "spx_close", transform: "logReturn" },
  train: { epochs, patience: 0, refitEpochs: 1 },
  retrodiction: { windows: 1, batchSizeDays: 30 },
});

export function enqueue(pool: pg.Pool, spec: unknown, extra: Partial<NewRun> = {}): Promise<string> {
  return enqueueRun(pool, { spec, pipeline: "retrodiction", ...extra });
}

export interface RunRow {
  id: string;
  status: string;
  attempt: number;
  workerId: string | null;
  startedAt: Date | null;
  step: number;
  resultSummary: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  message: string | null;
  backend: string | null;
}

export async function runRow(pool: pg.Pool, id: string): Promise<RunRow> {
  const { rows } = await pool.query<RunRow>(`SELECT * FROM "Run" WHERE "id" = $1`, [id]);
  if (!rows[0]) throw new Error(`no run ${id}`);
  return rows[0];
}

const terminal = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

export async function waitForStatus(
  pool: pg.Pool,
  id: string,
  wanted: (status: string) => boolean = (s) => terminal.has(s),
  timeout = 120_000,
): Promise<RunRow> {
  const start = Date.now();
  for (;;) {
    const row = await runRow(pool, id);
    if (wanted(row.status)) return row;
    if (Date.now() - start > timeout) {
      const children = await pool.query(`SELECT "status", "message" FROM "Run" WHERE "parentId" = $1`, [id]);
      const jobs = await pool.query(`SELECT task_identifier, attempts, last_error, locked_by FROM graphile_worker.jobs WHERE key = $1`, [
        id,
      ]);
      throw new Error(
        `run ${id} still ${row.status} after ${timeout} ms (${row.message}); jobs: ${JSON.stringify(jobs.rows).slice(0, 800)}; children: ${JSON.stringify(children.rows).slice(0, 800)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** train_loss steps of a run: count, first and last; contiguous means count = last - first + 1. */
export async function lossSteps(pool: pg.Pool, runId: string): Promise<{ count: number; min: number; max: number }> {
  const { rows } = await pool.query<{ count: string; min: number; max: number }>(
    `SELECT count(*) AS count, min("step") AS min, max("step") AS max FROM "MetricPoint" WHERE "runId" = $1 AND "key" = 'train_loss'`,
    [runId],
  );
  const r = rows[0] as { count: string; min: number; max: number };
  return { count: Number(r.count), min: r.min, max: r.max };
}
