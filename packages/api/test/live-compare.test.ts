import { cancelRun, NotificationHub, prepareDatabase, writeMetricPoints } from "@hindcast/db";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.js";
import { createCaller } from "../src/index.js";

let db: TestDatabase;
let pool: pg.Pool;
let hub: NotificationHub;
const operator = { id: "", email: "op@example.com", role: "OPERATOR" as const };
const spec = { data: { dataset: "seattle_weather", target: "temp_max" }, train: { epochs: 2 } };
const caller = () => createCaller({ pool, hub, user: operator });

beforeAll(async () => {
  db = await createTestDatabase("api_live");
  await prepareDatabase(db.url);
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  hub = new NotificationHub(db.url);
  await hub.start();
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "User" ("id", "email", "role") VALUES (gen_random_uuid(), 'op@example.com', 'OPERATOR') RETURNING "id"`,
  );
  operator.id = (rows[0] as { id: string }).id;
});

afterAll(async () => {
  await hub?.close();
  await pool?.end();
  await db?.drop();
});

describe("training.events (live over SSE)", () => {
  it("sends the current state, then every change, and ends with the run", async () => {
    // A GPU-only run with no worker: it stays QUEUED until this test moves it.
    const { id } = await caller().training.start({ spec, requireGpu: true });
    const seen: { id: string; status: string; percent: number }[] = [];
    const events = await caller().training.events({ id });
    const consumed = (async () => {
      // Server-side callers yield tracked events as [eventId, data] (over SSE, eventId is the SSE id).
      for await (const event of events) {
        const [eventId, data] = event as unknown as [string, { status: string; percent: number }];
        seen.push({ id: eventId, status: data.status, percent: data.percent });
      }
    })();
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]?.status).toBe("QUEUED");
    await pool.query(`UPDATE "Run" SET "status" = 'RUNNING', "percent" = 40, "updatedAt" = now() WHERE "id" = $1`, [id]);
    await pool.query(`SELECT pg_notify('run_events', json_build_object('runId', $1::text, 'kind', 'progress')::text)`, [id]);
    await expect.poll(() => seen.at(-1)?.percent).toBe(40);
    await cancelRun(pool, id);
    await pool.query(`UPDATE "Run" SET "status" = 'CANCELLED', "updatedAt" = now() WHERE "id" = $1`, [id]);
    await pool.query(
      `SELECT pg_notify('run_events', json_build_object('runId', $1::text, 'kind', 'status', 'status', 'CANCELLED')::text)`,
      [id],
    );
    await consumed;
    expect(seen.at(-1)?.status).toBe("CANCELLED");
    expect(new Set(seen.map((s) => s.id)).size).toBe(seen.length);
  });
});

describe("clone and compare", () => {
  it("clones a run with changes (validated) or as a plain retry", async () => {
    const { id } = await caller().training.start({ spec, tags: ["orig"], name: "base" });
    const changed = await caller().training.clone({ id, set: { "train.epochs": 7, "model.kind": "mlp" } });
    const run = await caller().training.get({ id: changed.id });
    expect(run.params).toMatchObject({ "train.epochs": 7, "model.kind": "mlp", "data.dataset": "seattle_weather" });
    expect(run).toMatchObject({ tags: ["orig"], name: "base (changed)", status: "QUEUED" });
    const retry = await caller().training.get({ id: (await caller().training.clone({ id })).id });
    expect(retry.name).toBe("base (retry)");
    await expect(caller().training.clone({ id, set: { "train.epochs": -1 } })).rejects.toThrow(/set train\.epochs: /);
  });

  it("compares runs: differing and shared params, last/min/max of every metric", async () => {
    const a = (await caller().training.start({ spec })).id;
    const b = (await caller().training.start({ spec: { ...spec, train: { epochs: 5 } } })).id;
    await writeMetricPoints(pool, [
      { runId: a, key: "val_loss", step: 1, value: 0.9 },
      { runId: a, key: "val_loss", step: 2, value: 0.4 },
      { runId: b, key: "val_loss", step: 1, value: 0.7 },
    ]);
    const result = await caller().compare.runs({ ids: [a, b] });
    expect(result.runs.map((r) => r.id)).toEqual([a, b]);
    expect(result.differing).toEqual({ "train.epochs": [2, 5] });
    expect(result.shared).toMatchObject({ "data.dataset": "seattle_weather", "model.kind": "linear" });
    expect(result.metrics.val_loss).toEqual([
      { last: 0.4, min: 0.4, max: 0.9, lastStep: 2 },
      { last: 0.7, min: 0.7, max: 0.7, lastStep: 1 },
    ]);
    await expect(caller().compare.runs({ ids: [a, "00000000-0000-4000-8000-000000000000"] })).rejects.toThrow(/No run 00000000/);
  });
});
