import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { dbTest, type ScratchDatabase } from "@hindcast/test-support";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineChannel, NotificationHub, notify, startEmbeddedPostgres, withDatabase } from "../src/index";

const runEvents = defineChannel("run_events", z.object({ runId: z.string(), status: z.enum(["RUNNING", "SUCCEEDED"]) }));
const otherChannel = defineChannel("other_events", z.object({ n: z.number() }));

let db: ScratchDatabase;
let pool: pg.Pool;

dbTest.beforeAll(({ db: scratch, pool: scratchPool }) => {
  db = scratch;
  pool = scratchPool;
});

function nextEvent<T>(subscribe: (fn: (payload: T) => void) => unknown, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no notification arrived")), timeoutMs);
    subscribe((payload) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

describe("NotificationHub", () => {
  it("delivers typed payloads to the channel's listeners only, and only after commit", async () => {
    const hub = new NotificationHub(db.url);
    await hub.start();
    try {
      const received: unknown[] = [];
      const others: unknown[] = [];
      await hub.listen(runEvents, (p) => received.push(p));
      await hub.listen(otherChannel, (p) => others.push(p));

      const tx = await pool.connect();
      await tx.query("BEGIN");
      await notify(tx, runEvents, { runId: "r1", status: "RUNNING" });
      await new Promise((r) => setTimeout(r, 200));
      expect(received).toEqual([]);
      await tx.query("COMMIT");
      tx.release();

      await expect.poll(() => received).toEqual([{ runId: "r1", status: "RUNNING" }]);
      expect(others).toEqual([]);
    } finally {
      await hub.close();
    }
  });

  it("refuses to send a payload its channel's schema rejects, or one over PostgreSQL's size limit", async () => {
    await expect(notify(pool, runEvents, { runId: "r1", status: "EXPLODED" } as never)).rejects.toThrow(/status/);
    const big = defineChannel("big_events", z.object({ text: z.string() }));
    await expect(notify(pool, big, { text: "x".repeat(9000) })).rejects.toThrow(/NOTIFY allows 7999/);
  });

  it("drops malformed payloads sent by someone else instead of passing them on", async () => {
    const hub = new NotificationHub(db.url);
    await hub.start();
    try {
      const received: unknown[] = [];
      await hub.listen(runEvents, (p) => received.push(p));
      await pool.query(`select pg_notify('run_events', '{"runId": 5}')`);
      await pool.query(`select pg_notify('run_events', 'not json')`);
      await notify(pool, runEvents, { runId: "ok", status: "SUCCEEDED" });
      await expect.poll(() => received).toEqual([{ runId: "ok", status: "SUCCEEDED" }]);
    } finally {
      await hub.close();
    }
  });

  it("reconnects and listens again after the server drops its connection", async () => {
    const hub = new NotificationHub(db.url, { reconnectDelayMs: 50 });
    await hub.start();
    try {
      const received: unknown[] = [];
      await hub.listen(runEvents, (p) => received.push(p));
      const reconnected = nextEvent<void>((fn) => hub.once("reconnected", () => fn()));
      // Kill every session listening on the channel: what a server restart does to it.
      const killed = await pool.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'LISTEN%'`,
      );
      expect(killed.rowCount).toBeGreaterThan(0);
      await reconnected;
      await notify(pool, runEvents, { runId: "after", status: "RUNNING" });
      await expect.poll(() => received).toEqual([{ runId: "after", status: "RUNNING" }]);
    } finally {
      await hub.close();
    }
  });

  it("survives a real server restart: reconnects once the server is back and receives again", async () => {
    const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), "hindcast-restart-")), "data");
    let server = await startEmbeddedPostgres({ dataDir, unsafeFast: true });
    const { port } = server;
    const url = withDatabase(server.url, "postgres");
    const hub = new NotificationHub(url, { reconnectDelayMs: 50, maxReconnectDelayMs: 200 });
    await hub.start();
    try {
      const received: unknown[] = [];
      await hub.listen(runEvents, (p) => received.push(p));
      const disconnected = nextEvent<void>((fn) => hub.once("disconnected", () => fn()));
      await server.stop();
      await disconnected;
      const reconnected = nextEvent<void>((fn) => hub.once("reconnected", () => fn()), 30_000);
      server = await startEmbeddedPostgres({ dataDir, port, unsafeFast: true });
      await reconnected;
      const sender = new pg.Client({ connectionString: url });
      await sender.connect();
      await notify(sender, runEvents, { runId: "back", status: "RUNNING" });
      await sender.end();
      await expect.poll(() => received).toEqual([{ runId: "back", status: "RUNNING" }]);
    } finally {
      await hub.close();
      await server.stop();
      await rm(path.dirname(dataDir), { recursive: true, force: true });
    }
  });

  it("stops delivering after unsubscribe", async () => {
    const hub = new NotificationHub(db.url);
    await hub.start();
    try {
      const received: unknown[] = [];
      const stop = await hub.listen(runEvents, (p) => received.push(p));
      await notify(pool, runEvents, { runId: "a", status: "RUNNING" });
      await expect.poll(() => received.length).toBe(1);
      await stop();
      await notify(pool, runEvents, { runId: "b", status: "RUNNING" });
      await new Promise((r) => setTimeout(r, 200));
      expect(received).toHaveLength(1);
    } finally {
      await hub.close();
    }
  });
});
