import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { longSpec, migrateBin, runEntryPoint as run, scratchDatabase, startStack, tempHome } from "@hindcast/test-support";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { enqueueRun, startEmbeddedPostgres } from "../src/index";

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
    const db = await scratchDatabase("tampered_cli");
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
    const start = await startStack({ HINDCAST_HOME: home, HINDCAST_WORKERS: "1" });
    let runId = "";
    try {
      expect(start.output()).toMatch(/Hindcast database ready \(embedded \(started here\)\)/);
      expect(start.output()).toMatch(/Created the first admin: admin@hindcast\.local with password \S+ \(shown once/);
      expect(start.output()).toMatch(/Hindcast dashboard at http:\/\/127\.0\.0\.1:\d+ \(API at http:\/\/127\.0\.0\.1:\d+\/api\/trpc\)/);
      expect(existsSync(path.join(home, "pg", "PG_VERSION"))).toBe(true);

      const second = await run(migrateBin, { HINDCAST_HOME: home });
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/\(embedded \(shared\)\) is up to date \(\d+ migration\(s\) applied\)/);

      // A training the worker is in the middle of when Ctrl-C comes.
      const { url } = JSON.parse(readFileSync(path.join(home, "embedded.json"), "utf8")) as { url: string };
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      try {
        runId = await enqueueRun(pool, {
          pipeline: "retrodiction",
          spec: longSpec(500),
        });
        await expect
          .poll(async () => (await pool.query(`SELECT "status" FROM "Run" WHERE "id" = $1`, [runId])).rows[0]?.status, { timeout: 60_000 })
          .toBe("RUNNING");
      } finally {
        await pool.end();
      }
    } finally {
      process.kill(-start.pid, "SIGINT");
    }
    expect(await start.exited, start.output()).toBe(0);
    expect(start.output()).not.toMatch(/terminating connection|Error:|ECONNREFUSED/);
    expect(start.output()).toMatch(/^Stopped: workers stopped, 1 run handed back; dashboard stopped; database stopped$/m);
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
