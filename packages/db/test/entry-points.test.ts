import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test-support/database.js";
import { enqueueRun, projectRoot, startEmbeddedPostgres } from "../src/index.js";

const tsx = path.join(projectRoot, "node_modules", ".bin", "tsx");
const migrateBin = path.join(projectRoot, "packages", "db", "src", "bin", "migrate.ts");
const startBin = path.join(projectRoot, "scripts", "start.ts");
const homes: string[] = [];

afterAll(async () => {
  await Promise.all(homes.map((h) => rm(h, { recursive: true, force: true })));
});

async function tempHome(): Promise<string> {
  const home = await mkdtemp(path.join(os.tmpdir(), "hindcast-home-"));
  homes.push(home);
  return home;
}

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", ...extra };
  if (!("DATABASE_URL" in extra)) delete env.DATABASE_URL;
  return env;
}

function run(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, [script], { env: baseEnv(env), cwd: projectRoot });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** One line on stderr, naming the problem and the fix; no stack trace. */
function expectOneClearLine(result: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^hindcast: .+\. Fix: .+/);
  expect(lines[0]).toMatch(pattern);
}

function listenOnSomePort(): Promise<net.Server & { port: number }> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address() as net.AddressInfo;
      resolve(Object.assign(server, { port: address.port }));
    });
  });
}

describe("npm run db:migrate reports bad configuration in one line", () => {
  it("a DATABASE_URL that is not a URL", async () => {
    expectOneClearLine(
      await run(migrateBin, { DATABASE_URL: "localhost:5432/hindcast" }),
      /DATABASE_URL (is not a valid URL|uses the scheme)/,
    );
    expectOneClearLine(await run(migrateBin, { DATABASE_URL: "not a url" }), /DATABASE_URL is not a valid URL/);
    expectOneClearLine(
      await run(migrateBin, { DATABASE_URL: "mysql://root@127.0.0.1/hindcast" }),
      /uses the scheme "mysql", not postgresql/,
    );
  });

  it("an unreachable server", async () => {
    const closed = await listenOnSomePort();
    await new Promise((r) => closed.close(r));
    expectOneClearLine(
      await run(migrateBin, { DATABASE_URL: `postgresql://postgres@127.0.0.1:${closed.port}/hindcast` }),
      new RegExp(`Cannot reach PostgreSQL at 127.0.0.1:${closed.port} \\(connection refused\\)`),
    );
  });

  it("a database that does not exist", async () => {
    const server = process.env.HINDCAST_TEST_SERVER_URL as string;
    const url = new URL(server);
    url.pathname = "/hindcast_no_such_db";
    expectOneClearLine(await run(migrateBin, { DATABASE_URL: url.toString() }), /Database "hindcast_no_such_db" does not exist.*createdb/);
  });

  it("a port for the embedded server that is taken, or not a port", async () => {
    const taken = await listenOnSomePort();
    try {
      expectOneClearLine(
        await run(migrateBin, { HINDCAST_HOME: await tempHome(), HINDCAST_PG_PORT: String(taken.port) }),
        new RegExp(`Port ${taken.port} for the embedded PostgreSQL is already in use`),
      );
    } finally {
      taken.close();
    }
    expectOneClearLine(
      await run(migrateBin, { HINDCAST_HOME: await tempHome(), HINDCAST_PG_PORT: "http" }),
      /HINDCAST_PG_PORT must be a port number/,
    );
  });

  it("a migration changed after it was applied", async () => {
    const db = await createTestDatabase("tampered_cli");
    try {
      expect((await run(migrateBin, { DATABASE_URL: db.url })).code).toBe(0);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query(`update "_prisma_migrations" set checksum = repeat('0', 64)`);
      await client.end();
      expectOneClearLine(
        await run(migrateBin, { DATABASE_URL: db.url }),
        /was changed after it was applied.*restore the original migration\.sql/,
      );
    } finally {
      await db.drop();
    }
  });
});

describe("embedded database", () => {
  it("npm start brings up the embedded server, other processes share it, and a terminal's Ctrl-C stops it in order", async () => {
    const home = await tempHome();
    // Its own process group, like a shell's foreground job, so the test can signal the whole group as Ctrl-C does.
    const start: ChildProcess = spawn(tsx, [startBin], {
      env: baseEnv({ HINDCAST_HOME: home, HINDCAST_WORKERS: "1", HINDCAST_PORT: "0" }),
      cwd: projectRoot,
      detached: true,
    });
    let output = "";
    start.stdout?.on("data", (d) => (output += d));
    start.stderr?.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => start.on("close", resolve));
    let runId = "";
    try {
      await expect.poll(() => output, { timeout: 60_000, interval: 200 }).toMatch(/Press Ctrl-C/);
      expect(output).toMatch(/Hindcast database ready \(embedded \(started here\)\)/);
      expect(output).toMatch(/Created the first admin: admin@hindcast\.local with password \S+ \(shown once/);
      expect(output).toMatch(/Hindcast dashboard at http:\/\/127\.0\.0\.1:\d+ \(API at http:\/\/127\.0\.0\.1:\d+\/api\/trpc\)/);
      expect(existsSync(path.join(home, "pg", "PG_VERSION"))).toBe(true);

      const second = await run(migrateBin, { HINDCAST_HOME: home });
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/\(embedded \(shared\)\) is up to date \(1 migration\(s\) applied\)/);

      // A training the worker is in the middle of when Ctrl-C comes.
      const { url } = JSON.parse(readFileSync(path.join(home, "embedded.json"), "utf8")) as { url: string };
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      try {
        runId = await enqueueRun(pool, {
          pipeline: "retrodiction",
          spec: { data: { dataset: "sp500", target: "spx_close" }, train: { epochs: 500, patience: 0 } },
        });
        await expect
          .poll(async () => (await pool.query(`SELECT "status" FROM "Run" WHERE "id" = $1`, [runId])).rows[0]?.status, { timeout: 60_000 })
          .toBe("RUNNING");
      } finally {
        await pool.end();
      }
    } finally {
      process.kill(-(start.pid as number), "SIGINT");
    }
    expect(await exited, output).toBe(0);
    expect(output).not.toMatch(/terminating connection|Error:|ECONNREFUSED/);
    expect(existsSync(path.join(home, "embedded.json"))).toBe(false);
    expect(existsSync(path.join(home, "pg", "postmaster.pid"))).toBe(false);

    // The worker handed the run back before the database stopped; the data survives for the next start.
    const server = await startEmbeddedPostgres({ dataDir: path.join(home, "pg") });
    try {
      const client = new pg.Client({ connectionString: server.url.replace(/\/postgres$/, "/hindcast") });
      await client.connect();
      const runRow = await client.query(`SELECT "status" FROM "Run" WHERE "id" = $1`, [runId]);
      const workers = await client.query(`SELECT "status" FROM "Worker"`);
      await client.end();
      expect(runRow.rows[0]?.status).toBe("QUEUED");
      expect(workers.rows.map((w) => w.status)).toEqual(["OFFLINE"]);
    } finally {
      await server.stop();
    }
  });
});
