import { enqueueRun, type NewRun } from "@hindcast/db";
import { dbTest } from "@hindcast/test-support";
import type pg from "pg";

export interface WorkerTestDatabase {
  url: string;
  pool: pg.Pool;
  artifactsDir: string;
}

/** `dbTest` plus `workerDb`: the file's database, its pool and a directory for the workers' artifacts, as one value. */
export const workerTest = dbTest.extend(
  "workerDb",
  { scope: "file" },
  ({ db, pool, tempDir }): WorkerTestDatabase => ({ url: db.url, pool, artifactsDir: tempDir }),
);

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
