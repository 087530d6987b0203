import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { enqueueRun, type NewRun, prepareDatabase } from "@hindcast/db";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.js";

export { startWorkerProcess, stopWorker, type WorkerProcess } from "../../../test-support/worker-process.js";

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
