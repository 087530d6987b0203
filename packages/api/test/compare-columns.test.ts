import { type NotificationHub, writeMetricPoints } from "@hindcast/db";
import { forceRunState } from "@hindcast/db/runs/seed";
import { dbTest, seattleSpec as spec } from "@hindcast/test-support";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createCaller } from "../src/index";

let pool: pg.Pool;
let hub: NotificationHub;
const viewer = { id: "", email: "viewer@example.com", role: "VIEWER" as const };
const operator = { id: "", email: "op@example.com", role: "OPERATOR" as const };
const as = (user: typeof viewer | typeof operator) => createCaller({ pool, hub, user });

dbTest.beforeAll(async ({ pool: migrated, hub: started }) => {
  pool = migrated;
  hub = started;
  for (const user of [viewer, operator]) {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO "User" ("id", "email", "role") VALUES (gen_random_uuid(), $1, $2) RETURNING "id"`,
      [user.email, user.role],
    );
    user.id = (rows[0] as { id: string }).id;
  }
});

describe("runs table support: compare.columns and compare.rows", () => {
  it("lists every param and metric key runs have, and re-reads table rows by id with their metric summaries", async () => {
    // GPU-only runs with no worker: they stay QUEUED, as active rows do in the table.
    const a = (await as(operator).training.start({ spec, requireGpu: true })).id;
    const b = (await as(operator).training.start({ spec: { ...spec, model: { kind: "mlp" } }, requireGpu: true })).id;
    await writeMetricPoints(pool, [
      { runId: a, key: "val_loss", step: 1, value: 0.9 },
      { runId: a, key: "val_loss", step: 2, value: 0.4 },
      { runId: b, key: "window/rmse", step: 1, value: 2.5 },
    ]);

    const columns = await as(viewer).compare.columns();
    expect(columns.metrics).toEqual(["val_loss", "window/rmse"]);
    expect(columns.params).toEqual(expect.arrayContaining(["model.kind", "model.hidden", "model.movingAverage", "train.epochs"]));
    expect(columns.params).toEqual([...columns.params].sort());

    const listed = await as(viewer).training.list({ metricKeys: ["val_loss"] });
    const rows = await as(viewer).compare.rows({ ids: [b, a], metricKeys: ["val_loss"] });
    expect(rows.map((r) => r.id).sort()).toEqual([a, b].sort());
    for (const row of rows) expect(row).toEqual(listed.runs.find((r) => r.id === row.id));
    expect(rows.find((r) => r.id === a)?.metrics).toEqual({ val_loss: { last: 0.4, min: 0.4, max: 0.9 } });

    await forceRunState(pool, a, { status: "RUNNING", percent: 40 });
    const [fresh] = await as(viewer).compare.rows({ ids: [a] });
    expect(fresh).toMatchObject({ id: a, status: "RUNNING", percent: 40 });
    expect(await as(viewer).compare.rows({ ids: [] })).toEqual([]);
    await expect(as(viewer).compare.rows({ ids: ["nope"] })).rejects.toThrow(/ids/);
  });
});
