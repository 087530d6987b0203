import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { longSpec, quickSpec, spawnWorker, stopWorker, type WorkerProcess } from "@hindcast/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { enqueue, lossSteps, runRow, type WorkerTestDatabase, waitForStatus, workerTest } from "./harness";

let db: WorkerTestDatabase;
let worker: WorkerProcess;

workerTest.beforeAll(async ({ workerDb }) => {
  db = workerDb;
  worker = await spawnWorker(db.url, db.artifactsDir);
});

afterAll(async () => {
  await stopWorker(worker, "SIGKILL");
});

/** The trainer processes a worker process runs now, spares included: its children running trainer/child.ts, as `ps` sees them. */
async function trainerPids(workerPid: number): Promise<number[]> {
  const { stdout } = await promisify(execFile)("ps", ["-o", "pid=,args=", "--ppid", String(workerPid)]).catch(() => ({ stdout: "" }));
  return stdout.split("\n").flatMap((line) => (line.includes("trainer/child.ts") ? [Number.parseInt(line.trim(), 10)] : []));
}

/** The trainer process a run's attempt trains in now, as its log names it (the worker's other trainers are spares or other runs'). */
async function trainerOf(runId: string): Promise<number | undefined> {
  const { rows } = await db.pool.query<{ pid: number }>(
    `SELECT ("fields"->>'pid')::int AS pid FROM "LogLine" WHERE "runId" = $1 AND "message" LIKE '%in trainer process%' ORDER BY "id" DESC LIMIT 1`,
    [runId],
  );
  const pid = rows[0]?.pid;
  return pid !== undefined && (await trainerPids(worker.pid)).includes(pid) ? pid : undefined;
}

async function newestCheckpointStep(runId: string): Promise<number> {
  const { rows } = await db.pool.query<{ step: number | null }>(`SELECT max("step") AS step FROM "Checkpoint" WHERE "runId" = $1`, [runId]);
  return rows[0]?.step ?? 0;
}

async function recoveries(runId: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ message: string }>(
    `SELECT "message" FROM "StageEvent" WHERE "runId" = $1 AND "kind" = 'RECOVERY' ORDER BY "id"`,
    [runId],
  );
  return rows.map((r) => r.message);
}

async function workerStatus(pid: number): Promise<string | undefined> {
  const { rows } = await db.pool.query<{ status: string }>(`SELECT "status" FROM "Worker" WHERE "pid" = $1`, [pid]);
  return rows[0]?.status;
}

describe("worker: each training in a trainer process of its own", () => {
  it("kill -9 of a trainer costs its run a restart from the last checkpoint, in the same attempt; the worker goes on", async () => {
    const id = await enqueue(db.pool, longSpec(120));
    await waitForStatus(db.pool, id, (s) => s === "RUNNING");
    await expect.poll(() => newestCheckpointStep(id), { timeout: 60_000, interval: 50 }).toBeGreaterThan(0);
    const trainer = await trainerOf(id);
    expect(trainer).toBeDefined();
    process.kill(trainer as number, "SIGKILL");
    await expect.poll(() => recoveries(id), { timeout: 10_000 }).toHaveLength(1);

    const run = await waitForStatus(db.pool, id);
    expect(run.status, run.message ?? "").toBe("SUCCEEDED");
    expect(run.attempt).toBe(1);
    expect(await recoveries(id)).toEqual([expect.stringMatching(/killed by SIGKILL.*retrying from the last checkpoint/)]);
    const resumed = await db.pool.query(`SELECT 1 FROM "LogLine" WHERE "runId" = $1 AND "message" LIKE '%resuming at step%'`, [id]);
    expect(resumed.rowCount).toBe(1);
    const steps = await lossSteps(db.pool, id);
    expect(steps.min).toBe(1);
    expect(steps.count).toBe(steps.max);
    expect(worker.process.exitCode).toBeNull();
    expect(await workerStatus(worker.pid)).toBe("ONLINE");
  });

  it("a trainer killed more often than the recovery policy allows fails its run with the reason; the worker takes the next job", async () => {
    const id = await enqueue(db.pool, longSpec(400));
    const killed = new Set<number>();
    // The default policy retries a lost trainer 4 times: the 5th loss fails the run.
    while (killed.size < 5) {
      const row = await runRow(db.pool, id);
      if (row.status === "FAILED") break;
      const pid = await trainerOf(id);
      if (pid !== undefined && !killed.has(pid)) {
        killed.add(pid);
        process.kill(pid, "SIGKILL");
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const run = await waitForStatus(db.pool, id);
    expect(run.status).toBe("FAILED");
    expect(run.message).toMatch(/trainer process was killed by SIGKILL/);
    expect(run.error).toMatchObject({ class: "transient" });
    expect((run.error as { recovery: unknown[] }).recovery).toHaveLength(5);
    expect(await recoveries(id)).toHaveLength(5);
    expect((await recoveries(id)).at(-1)).toMatch(/giving up after 5 attempts/);

    const next = await waitForStatus(db.pool, await enqueue(db.pool, quickSpec));
    expect(next.status, next.message ?? "").toBe("SUCCEEDED");
    expect(await workerStatus(worker.pid)).toBe("ONLINE");
  });

  it("a trainer that runs out of heap fails its run as out of memory, not retried; its worker stays up", async () => {
    // The last test: the only worker left is one whose trainers get too small a heap to load TF.js.
    await stopWorker(worker, "SIGTERM");
    worker = await spawnWorker(db.url, db.artifactsDir, { env: { WORKER_TRAINING_MEMORY_MB: "48" } });
    const run = await waitForStatus(db.pool, await enqueue(db.pool, quickSpec));
    expect(run.status).toBe("FAILED");
    expect(run.error).toMatchObject({ class: "out_of_memory" });
    expect(run.message).toMatch(/ran out of memory \(JavaScript heap exhausted\).*WORKER_TRAINING_MEMORY_MB/);
    expect(await recoveries(run.id)).toEqual([expect.stringMatching(/^out of memory .*not retried/)]);
    expect(worker.process.exitCode).toBeNull();
    expect(await workerStatus(worker.pid)).toBe("ONLINE");
  });
});
