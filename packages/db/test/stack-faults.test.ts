import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  alive,
  killAll,
  longSpec,
  migrateBin,
  processTree,
  runEntryPoint,
  type StackProcess,
  scratchDatabase,
  startStack,
  stopStack,
  tempHome,
} from "@hindcast/test-support";
import pg from "pg";
import { describe, expect, it, onTestFinished } from "vitest";
import { enqueueRun, startEmbeddedPostgres } from "../src/index";

const longRun = { pipeline: "retrodiction" as const, spec: longSpec(500) };
const workerEnv = { HINDCAST_BACKEND: "wasm,cpu", WORKER_CONCURRENCY: "1", WORKER_CHECKPOINT_INTERVAL_MS: "0" };

async function openPool(url: string): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on("error", () => {});
  onTestFinished(() => (pool.ended ? undefined : pool.end()));
  return pool;
}

const onlineWorkers = async (pool: pg.Pool) =>
  (await pool.query<{ pid: number }>(`SELECT "pid" FROM "Worker" WHERE "status" = 'ONLINE'`)).rows.map((r) => r.pid);

async function runningRun(pool: pg.Pool, runId: string): Promise<{ workerId: string; attempt: number } | undefined> {
  const { rows } = await pool.query(`SELECT "workerId", "attempt" FROM "Run" WHERE "id" = $1 AND "status" = 'RUNNING'`, [runId]);
  return rows[0];
}

const postmasterPid = (home: string) => Number(readFileSync(path.join(home, "pg", "postmaster.pid"), "utf8").split("\n")[0]);

/** Stops the stack like Ctrl-C or SIGTERM would, within 10 s, and checks that none of its processes is left. */
async function expectCleanStop(stack: StackProcess, signal: NodeJS.Signals, target: "group" | "process"): Promise<void> {
  const tree = processTree(stack.pid);
  const { code, ms } = await stopStack(stack, signal, target);
  expect(code, stack.output()).toBe(0);
  expect(ms).toBeLessThan(10_000);
  // PostgreSQL backends may take a moment to notice that their postmaster is gone.
  await expect.poll(() => alive(tree), { timeout: 3_000 }).toEqual([]);
}

describe("npm start under faults", () => {
  it("replaces a worker killed by SIGKILL, releases its run at once, says why, and still stops on Ctrl-C", async () => {
    const db = await scratchDatabase("stack_worker_kill");
    onTestFinished(() => db.drop());
    // The default heartbeat timeout (10 s) stays: the run must come back because the supervisor saw the exit.
    const stack = await startStack({ DATABASE_URL: db.url, HINDCAST_HOME: await tempHome(), HINDCAST_WORKERS: "2", ...workerEnv });
    const pool = await openPool(db.url);
    await expect.poll(async () => (await onlineWorkers(pool)).length, { timeout: 60_000 }).toBe(2);

    const runId = await enqueueRun(pool, longRun);
    await expect.poll(() => runningRun(pool, runId), { timeout: 60_000 }).toBeDefined();
    const first = (await runningRun(pool, runId)) as { workerId: string; attempt: number };
    const { rows } = await pool.query<{ pid: number }>(`SELECT "pid" FROM "Worker" WHERE "id" = $1`, [first.workerId]);
    const killedPid = rows[0]?.pid as number;
    process.kill(killedPid, "SIGKILL");

    // The other worker takes the run over well before a heartbeat timeout could have declared the killed one dead.
    await expect.poll(async () => (await runningRun(pool, runId))?.attempt, { timeout: 5_000, interval: 100 }).toBe(first.attempt + 1);
    const dead = await pool.query(`SELECT "status", "exitReason" FROM "Worker" WHERE "id" = $1`, [first.workerId]);
    expect(dead.rows[0]).toEqual({ status: "DEAD", exitReason: "killed by SIGKILL; restarted by the supervisor" });
    expect(stack.output()).toMatch(
      new RegExp(`worker ${killedPid} exited unexpectedly \\(killed by SIGKILL\\); starting a new one in \\d+ ms`),
    );

    // A new worker process takes the dead one's place.
    await expect.poll(async () => (await onlineWorkers(pool)).length, { timeout: 30_000 }).toBe(2);
    expect(await onlineWorkers(pool)).not.toContain(killedPid);

    await expectCleanStop(stack, "SIGINT", "group");
  });

  it("stops within seconds on SIGTERM while its database is down, leaving no process behind", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "hindcast-down-pg-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "data"), unsafeFast: true });
    onTestFinished(() => server.stop());
    const url = server.url.replace(/\/postgres$/, "/hindcast");
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query("CREATE DATABASE hindcast");
    await admin.end();

    const stack = await startStack({ DATABASE_URL: url, HINDCAST_HOME: await tempHome(), HINDCAST_WORKERS: "1", ...workerEnv });
    const pool = await openPool(url);
    const runId = await enqueueRun(pool, longRun);
    await expect.poll(() => runningRun(pool, runId), { timeout: 60_000 }).toBeDefined();
    await pool.end();

    await server.stop();
    await expectCleanStop(stack, "SIGTERM", "process");
  });

  it("restarts its embedded database when it dies, on the same port, and stops while it is down", async () => {
    const home = await tempHome();
    const stack = await startStack({ HINDCAST_HOME: home, HINDCAST_WORKERS: "0" });
    const { url } = JSON.parse(readFileSync(path.join(home, "embedded.json"), "utf8")) as { url: string };
    const pool = await openPool(url);

    const killed = postmasterPid(home);
    process.kill(killed, "SIGKILL");
    await expect
      .poll(() => stack.output(), { timeout: 5_000 })
      .toMatch(/embedded PostgreSQL exited \(killed by SIGKILL\); restarting it in \d+ ms/);
    await expect.poll(async () => (await pool.query("SELECT 1 AS up").catch(() => undefined))?.rows[0]?.up, { timeout: 20_000 }).toBe(1);
    expect(postmasterPid(home)).not.toBe(killed);

    // Ctrl-C right after the database died again: nothing waits for a server that is gone.
    await pool.end();
    process.kill(postmasterPid(home), "SIGKILL");
    await expectCleanStop(stack, "SIGINT", "group");
  });

  it("stops within seconds when its embedded database hangs, and kills the hung server", async () => {
    const home = await tempHome();
    const stack = await startStack({ HINDCAST_HOME: home, HINDCAST_WORKERS: "0" });
    const server = processTree(postmasterPid(home));
    for (const pid of server) process.kill(pid, "SIGSTOP");
    onTestFinished(() => killAll(server));

    await expectCleanStop(stack, "SIGINT", "group");
    expect(stack.output()).toMatch(/embedded PostgreSQL did not stop within \d+ ms; killing it/);
  });

  it("keeps its workers through a restart of the embedded database, mid-transaction, and they take runs again", async () => {
    const home = await tempHome();
    const stack = await startStack({ HINDCAST_HOME: home, HINDCAST_WORKERS: "2", ...workerEnv });
    const { url } = JSON.parse(readFileSync(path.join(home, "embedded.json"), "utf8")) as { url: string };
    const pool = await openPool(url);
    await expect.poll(async () => (await onlineWorkers(pool)).length, { timeout: 60_000 }).toBe(2);
    const workers = (await onlineWorkers(pool)).sort();
    const firstRun = await enqueueRun(pool, longRun);
    await expect.poll(() => runningRun(pool, firstRun), { timeout: 60_000 }).toBeDefined();

    // The training worker's next metric write waits for this lock inside its transaction, on a connection it holds.
    const locker = new pg.Client({ connectionString: url });
    locker.on("error", () => {});
    await locker.connect();
    await locker.query(`BEGIN; LOCK TABLE "MetricSummary" IN ACCESS EXCLUSIVE MODE`);
    await expect
      .poll(async () => (await pool.query(`SELECT 1 FROM pg_locks WHERE NOT "granted"`)).rowCount, { timeout: 10_000 })
      .toBeGreaterThan(0);
    const killed = postmasterPid(home);
    process.kill(killed, "SIGKILL");
    // This test's own connections die with the server too (a backend may still answer for a moment): ask on new ones, of the new server.
    await pool.end();
    await expect.poll(() => postmasterPid(home), { timeout: 20_000 }).not.toBe(killed);
    const after = await openPool(url);
    await expect.poll(async () => (await after.query("SELECT 1 AS up").catch(() => undefined))?.rows[0]?.up, { timeout: 20_000 }).toBe(1);

    // Every worker process lives on, heartbeats again on new connections, and takes new runs.
    const { rows } = await after.query<{ now: Date }>("SELECT now()");
    const beatingSince = async (since: Date | undefined) =>
      (await after.query<{ pid: number }>(`SELECT "pid" FROM "Worker" WHERE "status" = 'ONLINE' AND "heartbeatAt" > $1`, [since])).rows
        .map((r) => r.pid)
        .sort();
    await expect.poll(() => beatingSince(rows[0]?.now), { timeout: 10_000 }).toEqual(workers);
    expect(stack.output()).not.toMatch(/exited unexpectedly/);
    const secondRun = await enqueueRun(after, longRun);
    await expect.poll(() => runningRun(after, secondRun), { timeout: 15_000 }).toBeDefined();

    await after.end();
    await expectCleanStop(stack, "SIGINT", "group");
  });

  it("stops entirely when only `npm start`'s own pid gets SIGTERM", async () => {
    const home = await tempHome();
    const stack = await startStack({ HINDCAST_HOME: home, HINDCAST_WORKERS: "1", ...workerEnv }, "npm");
    const { url } = JSON.parse(readFileSync(path.join(home, "embedded.json"), "utf8")) as { url: string };
    const pool = await openPool(url);
    await expect.poll(async () => (await onlineWorkers(pool)).length, { timeout: 60_000 }).toBe(1);
    const everything = [...processTree(stack.pid), ...(await onlineWorkers(pool)), postmasterPid(home)];
    await pool.end();

    // A process manager stopping the command it started: npm, and not its process group.
    process.kill(stack.pid, "SIGTERM");
    await expect.poll(() => alive(everything), { timeout: 10_000, interval: 200 }).toEqual([]);
  });

  it("keeps the embedded port across starts and ignores an embedded.json left by a killed process", async () => {
    const home = await tempHome();
    const first = await runEntryPoint(migrateBin, { HINDCAST_HOME: home });
    expect(first.code, first.stderr).toBe(0);
    const port = /127\.0\.0\.1:(\d+)\//.exec(first.stdout)?.[1];
    expect(port).toBeDefined();

    // A file naming a live process (this one) and a server that is gone, as a SIGTERM'd `npm start` can leave.
    const stale = path.join(home, "embedded.json");
    writeFileSync(stale, JSON.stringify({ url: "postgresql://postgres:postgres@127.0.0.1:1/hindcast", ownerPid: process.pid }));
    const second = await runEntryPoint(migrateBin, { HINDCAST_HOME: home });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`127.0.0.1:${port}/hindcast (embedded (started here))`);
  });

  it.skipIf(process.getuid?.() !== 0)(
    "says in one line what to change when the database's OS user may not enter HINDCAST_HOME",
    async () => {
      const locked = await mkdtemp(path.join(os.tmpdir(), "hindcast-locked-"));
      onTestFinished(() => rm(locked, { recursive: true, force: true }));
      const result = await runEntryPoint(migrateBin, { HINDCAST_HOME: path.join(locked, "home") });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `hindcast: The embedded PostgreSQL runs as the OS user "postgres", which may not enter ${locked} (mode 0700). Fix: chmod o+x ${locked}, or set HINDCAST_HOME to a folder outside it`,
      );
    },
  );
});
