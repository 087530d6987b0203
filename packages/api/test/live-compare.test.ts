import { cancelRun, type NotificationHub, writeMetricPoints } from "@hindcast/db";
import { forceRunState } from "@hindcast/db/runs/seed";
import { dbTest, seattleSpec as spec } from "@hindcast/test-support";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createCaller } from "../src/index";

let pool: pg.Pool;
let hub: NotificationHub;
const operator = { id: "", email: "op@example.com", role: "OPERATOR" as const };
const caller = () => createCaller({ pool, hub, user: operator });

dbTest.beforeAll(async ({ pool: migrated, hub: started }) => {
  pool = migrated;
  hub = started;
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "User" ("id", "email", "role") VALUES (gen_random_uuid(), 'op@example.com', 'OPERATOR') RETURNING "id"`,
  );
  operator.id = (rows[0] as { id: string }).id;
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
    await forceRunState(pool, id, { status: "RUNNING", percent: 40 });
    await pool.query(`SELECT pg_notify('run_events', json_build_object('runId', $1::text, 'kind', 'progress')::text)`, [id]);
    await expect.poll(() => seen.at(-1)?.percent).toBe(40);
    await cancelRun(pool, id);
    await forceRunState(pool, id, { status: "CANCELLED" });
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
    // The new family starts from its own defaults: none of linear's options come along.
    expect(run.params).toMatchObject({ "model.hidden": [64, 64] });
    expect(Object.keys(run.params).filter((key) => key === "model.movingAverage" || key === "model.fit")).toEqual([]);
    expect(run).toMatchObject({ tags: ["orig"], name: "base (changed)", status: "QUEUED" });
    const retry = await caller().training.get({ id: (await caller().training.clone({ id })).id });
    expect(retry.name).toBe("base (retry)");
    await expect(caller().training.clone({ id, set: { "train.epochs": -1 } })).rejects.toThrow(/^train\.epochs: /);
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

describe("datasets: CSV upload into PostgreSQL", () => {
  const csv = "date,price,volume\n2024-01-01,10,100\n2024-01-02,11,x\n2024-01-02,12,120\n2024-01-04,13,130\nnot-a-date,1,1\n";

  it("imports a CSV with a report of what was rejected, previews it, and trains on it", async () => {
    const result = await caller().datasets.upload({ name: "prices", csv });
    expect(result.report).toMatchObject({ rowsRead: 5, rowsAccepted: 3 });
    expect(result.report.rejectedRows.map((r) => r.reason).sort()).toEqual(["bad-date", "duplicate-date"]);
    expect(result.summary.join("\n")).toMatch(/rejected/);
    const preview = await caller().datasets.preview({ name: "prices" });
    expect(preview).toEqual({
      name: "prices",
      totalRows: 3,
      columns: ["price", "volume"],
      rows: [
        { date: "2024-01-01", values: [10, 100] },
        { date: "2024-01-02", values: [11, null] },
        { date: "2024-01-04", values: [13, 130] },
      ],
    });
    const listed = (await caller().datasets.list()).find((d) => d.name === "prices");
    expect(listed).toMatchObject({ builtin: false, columns: ["price", "volume"], rows: 3, start: "2024-01-01", end: "2024-01-04" });
    const started = await caller().training.start({ spec: { data: { dataset: "prices", target: "price" } } });
    expect(started.status).toBe("QUEUED");
    await expect(caller().training.start({ spec: { data: { dataset: "prices", target: "close" } } })).rejects.toThrow(
      /"close" is not a column of prices\. Fix: use one of price, volume/,
    );
  });

  it("answers a report of a bounded size, however many rows were rejected", async () => {
    const duplicates = Array.from({ length: 300 }, () => "2024-01-01,1").join("\n");
    const result = await caller().datasets.upload({ name: "repeats", csv: `date,value\n${duplicates}\n` });
    expect(result.report.rejectedRows).toHaveLength(100);
    expect(result.report.rejectedRowCount).toBe(299);
    expect(result.summary.join("\n")).toMatch(/299 rows rejected: 299 duplicate dates/);
  });

  it("refuses a clone whose dataset or target does not exist, as a start does", async () => {
    const { id } = await caller().training.start({ spec: { data: { dataset: "prices", target: "price" } } });
    await expect(caller().training.clone({ id, set: { "data.target": "close" } })).rejects.toMatchObject({
      message: '"close" is not a column of prices. Fix: use one of price, volume',
      cause: { path: "spec.data.target" },
    });
    await expect(caller().training.clone({ id, set: { "data.dataset": "nope" } })).rejects.toMatchObject({
      message: expect.stringMatching(/^unknown dataset "nope"/i),
      cause: { path: "spec.data.dataset" },
    });
  });

  it("refuses a bad name, a built-in's name, and a CSV it cannot read, keeping what is stored", async () => {
    await expect(caller().datasets.upload({ name: "Bad Name", csv })).rejects.toThrow(/Dataset name "Bad Name" is not allowed/);
    await expect(caller().datasets.upload({ name: "sp500", csv })).rejects.toMatchObject({
      code: "CONFLICT",
      message: '"sp500" is a built-in dataset. Fix: choose another name',
    });
    await expect(caller().datasets.upload({ name: "prices", csv: "just one line" })).rejects.toMatchObject({ cause: { path: "csv" } });
    expect((await caller().datasets.preview({ name: "prices" })).totalRows).toBe(3);
    await expect(caller().datasets.preview({ name: "nope" })).rejects.toThrow(/unknown dataset "nope"/);
  });

  it("reads US dates that later rows settle, and a named date format when none does", async () => {
    const us = await caller().datasets.upload({ name: "us_dates", csv: "date,value\n01/12/2021,1\n01/13/2021,2\n02/01/2021,3\n" });
    expect(us.report.dateFormat).toEqual({ format: "MM/DD/YYYY", settledByLine: 3 });
    expect(us.summary).toContain("Dates read as MM/DD/YYYY (line 3 can only be read that way).");
    expect((await caller().datasets.preview({ name: "us_dates" })).rows.map((row) => row.date)).toEqual([
      "2021-01-12",
      "2021-01-13",
      "2021-02-01",
    ]);

    const unsettled = "date,value\n01/02/2021,1\n02/02/2021,2\n";
    await expect(caller().datasets.upload({ name: "eu_dates", csv: unsettled })).rejects.toMatchObject({
      message: expect.stringMatching(
        /^Column "date" of "eu_dates" has dates that read both as month\/day and as day\/month \(lines 2, 3, e\.g\. "01\/02\/2021"\).*--date-format/,
      ),
      cause: { path: "dateFormat" },
    });
    await caller().datasets.upload({ name: "eu_dates", csv: unsettled, dateFormat: "DD/MM/YYYY" });
    expect((await caller().datasets.preview({ name: "eu_dates" })).rows.map((row) => row.date)).toEqual(["2021-02-01", "2021-02-02"]);
  });
});

describe("experiments", () => {
  it("files runs under a named experiment, created on first use, and filters by it", async () => {
    const a = await caller().training.start({ spec, experiment: "seattle-baselines" });
    const b = await caller().training.start({ spec, experiment: "seattle-baselines" });
    await caller().training.start({ spec, experiment: "other" });
    const listed = await caller().experiments.list();
    expect(listed.find((e) => e.name === "seattle-baselines")).toMatchObject({ runs: 2, active: 2 });
    const runs = await caller().training.list({ experiment: "seattle-baselines" });
    expect(runs.runs.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    expect(new Set(runs.runs.map((r) => r.experimentId)).size).toBe(1);
    expect((await caller().training.list({ experiment: "no-such" })).runs).toEqual([]);
  });
});
