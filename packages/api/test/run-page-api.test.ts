import { enqueueRun, prepareDatabase, writeMetricPoints } from "@hindcast/db";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.js";
import { createCaller } from "../src/index.js";

let db: TestDatabase;
let pool: pg.Pool;
let viewer: ReturnType<typeof createCaller>;
let runId: string;

beforeAll(async () => {
  db = await createTestDatabase("run_page_api");
  await prepareDatabase(db.url);
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  viewer = createCaller({ pool, user: { id: "00000000-0000-4000-8000-000000000001", email: "viewer@example.com", role: "VIEWER" } });
  runId = await enqueueRun(pool, { spec: { data: { dataset: "seattle_weather", target: "temp_max" } }, pipeline: "retrodiction" });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe("runs.logs", () => {
  it("returns the newest lines oldest first, then the lines after an id, in id order past 9 and 99", async () => {
    for (let i = 1; i <= 120; i++) {
      await pool.query(`INSERT INTO "LogLine" ("runId", "message") VALUES ($1, $2)`, [runId, `line ${i}`]);
    }
    const tail = await viewer.runs.logs({ id: runId, limit: 15 });
    expect(tail.map((l) => l.message)).toEqual(Array.from({ length: 15 }, (_, i) => `line ${106 + i}`));
    const ids = tail.map((l) => BigInt(l.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));

    const first = await viewer.runs.logs({ id: runId, afterId: "0", limit: 12 });
    expect(first.map((l) => l.message)).toEqual(Array.from({ length: 12 }, (_, i) => `line ${i + 1}`));
    const next = await viewer.runs.logs({ id: runId, afterId: first.at(-1)?.id, limit: 1000 });
    expect(next.map((l) => l.message)).toEqual(Array.from({ length: 108 }, (_, i) => `line ${i + 13}`));
  });
});

describe("metrics.series", () => {
  it("measures relative time of every key from the run's first point", async () => {
    const start = Date.UTC(2024, 0, 1);
    const at = (seconds: number) => new Date(start + seconds * 1000);
    await writeMetricPoints(pool, [
      ...[1, 2, 3, 4].map((step) => ({ runId, key: "train_loss", step, value: 1 / step, wallTime: at(step * 10) })),
      { runId, key: "val_loss", step: 4, value: 0.5, wallTime: at(41) },
    ]);
    const [train, val] = await viewer.metrics.series({ runIds: [runId], keys: ["train_loss", "val_loss"], x: "relative" });
    expect(train?.x).toEqual([0, 10, 20, 30]);
    expect(val?.x).toEqual([31]);
    const [wall] = await viewer.metrics.series({ runIds: [runId], keys: ["val_loss"], x: "wall" });
    expect(wall?.x).toEqual([start + 41_000]);
  });
});
