import { dbTest, type ScratchDatabase } from "@hindcast/test-support";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import {
  enqueueRun,
  liveMetricPoints,
  liveRunState,
  NotificationHub,
  notify,
  type RunEvent,
  runEventsChannel,
  watchRun,
  writeMetricPoints,
} from "../src/index";
import { forceRunState } from "../src/runs/seed";

let db: ScratchDatabase;
let pool: pg.Pool;

dbTest.beforeAll(({ db: scratch, pool: scratchPool }) => {
  db = scratch;
  pool = scratchPool;
});

const newRun = () => enqueueRun(pool, { spec: {}, pipeline: "retrodiction" });
const tell = (runId: string, kind: RunEvent["kind"]) => notify(pool, runEventsChannel, { runId, kind });

/** A hub that waits a second before reconnecting, so a test can write while it is away. */
async function slowHub(): Promise<NotificationHub> {
  const hub = new NotificationHub(db.url, { reconnectDelayMs: 1_000 });
  await hub.start();
  return hub;
}

/** Ends the hub's listening connection from the server side, as a restart or a network fault would, and waits until it notices. */
async function killListenConnection(hub: NotificationHub): Promise<void> {
  const lost = new Promise((resolve) => hub.once("disconnected", resolve));
  const { rows } = await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN %'`,
  );
  expect(rows).toHaveLength(1);
  await pool.query("SELECT pg_terminate_backend($1)", [rows[0]?.pid]);
  await lost;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe("watchRun", () => {
  it("wakes at the start and after each change of its run and kinds, and ends when aborted", async () => {
    const hub = await slowHub();
    try {
      const runId = await newRun();
      const other = await newRun();
      const abort = new AbortController();
      let wakes = 0;
      const watching = (async () => {
        for await (const _ of watchRun(hub, runId, ["progress", "status"], abort.signal)) wakes++;
      })();
      await expect.poll(() => wakes).toBe(1);
      await tell(runId, "progress");
      await expect.poll(() => wakes).toBe(2);
      await tell(other, "progress");
      await tell(runId, "metrics");
      await settle();
      expect(wakes).toBe(2);
      abort.abort();
      await watching;
      expect(hub.listenerCount("reconnected")).toBe(0);
    } finally {
      await hub.close();
    }
  });

  it("loses no change when the hub's connection is killed mid-stream and changes are written before it is back", async () => {
    const hub = await slowHub();
    try {
      const runId = await newRun();
      const abort = new AbortController();
      const steps: number[] = [];
      const points = (async () => {
        for await (const batch of liveMetricPoints(pool, hub, { runId, keys: ["loss"], after: {} }, abort.signal)) {
          for (const series of batch.points) steps.push(...series.steps);
        }
      })();
      const percents: number[] = [];
      const states = (async () => {
        for await (const run of liveRunState(pool, hub, runId, abort.signal)) percents.push(run.percent);
      })();
      const write = async (from: number, to: number) => {
        const batch = Array.from({ length: to - from + 1 }, (_, i) => ({ runId, key: "loss", step: from + i, value: 1 / (from + i) }));
        await writeMetricPoints(pool, batch);
        await tell(runId, "metrics");
      };

      await write(1, 3);
      await expect.poll(() => steps).toEqual([1, 2, 3]);
      await expect.poll(() => percents).toEqual([0]);

      await killListenConnection(hub);
      // Written and notified while nobody listens: these notifications are lost.
      await write(4, 6);
      await forceRunState(pool, runId, { status: "RUNNING", percent: 60 });
      await tell(runId, "progress");
      expect(hub.connected).toBe(false);

      // Back, the hub wakes every watcher to read again: every point and the new state arrive.
      await expect.poll(() => steps, { timeout: 10_000 }).toEqual([1, 2, 3, 4, 5, 6]);
      await expect.poll(() => percents.at(-1), { timeout: 10_000 }).toBe(60);

      await write(7, 7);
      await expect.poll(() => steps).toEqual([1, 2, 3, 4, 5, 6, 7]);
      abort.abort();
      await Promise.all([points, states]);
      expect(hub.listenerCount("reconnected")).toBe(0);
    } finally {
      await hub.close();
    }
  });

  it("ends a run's streams when the run ends, with every point written before", async () => {
    const hub = await slowHub();
    try {
      const runId = await newRun();
      await writeMetricPoints(pool, [{ runId, key: "loss", step: 1, value: 1 }]);
      const steps: number[] = [];
      const statuses: string[] = [];
      const points = (async () => {
        for await (const batch of liveMetricPoints(pool, hub, { runId, keys: ["loss"], after: {} })) {
          for (const series of batch.points) steps.push(...series.steps);
        }
      })();
      const states = (async () => {
        for await (const run of liveRunState(pool, hub, runId)) statuses.push(run.status);
      })();
      await expect.poll(() => steps).toEqual([1]);
      await writeMetricPoints(pool, [{ runId, key: "loss", step: 2, value: 0.5 }]);
      await forceRunState(pool, runId, { status: "SUCCEEDED" });
      await tell(runId, "status");
      await Promise.all([points, states]);
      expect(steps).toEqual([1, 2]);
      expect(statuses).toEqual(["QUEUED", "SUCCEEDED"]);
    } finally {
      await hub.close();
    }
  });

  it("refuses a run that does not exist", async () => {
    const hub = await slowHub();
    try {
      const missing = "00000000-0000-4000-8000-000000000000";
      await expect(liveRunState(pool, hub, missing).next()).rejects.toMatchObject({ status: 404, path: "id" });
      await expect(liveMetricPoints(pool, hub, { runId: missing, keys: ["loss"], after: {} }).next()).rejects.toMatchObject({
        status: 404,
        path: "runId",
      });
      expect(hub.listenerCount("reconnected")).toBe(0);
    } finally {
      await hub.close();
    }
  });
});
