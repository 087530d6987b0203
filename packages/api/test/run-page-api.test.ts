import { enqueueRun, writeMetricPoints } from "@hindcast/db";
import { forceRunState } from "@hindcast/db/runs/seed";
import { dbTest, seattleData } from "@hindcast/test-support";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createCaller } from "../src/index";
import { storeJsonArtifact } from "./stored-artifact";

let pool: pg.Pool;
let viewer: ReturnType<typeof createCaller>;
let runId: string;

dbTest.beforeAll(async ({ pool: migrated }) => {
  pool = migrated;
  viewer = createCaller({ pool, user: { id: "00000000-0000-4000-8000-000000000001", email: "viewer@example.com", role: "VIEWER" } });
  runId = await enqueueRun(pool, { spec: { data: seattleData }, pipeline: "retrodiction" });
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

describe("runs.results", () => {
  const errors = (rmse: number) => ({ mae: rmse / 2, rmse, mape: 5, smape: 5, mase: 0.8, directionalAccuracy: 0.5 });
  /** A report as runs saved it before the classical baselines: naive and seasonal naive only, no intervals, no verdict. */
  const legacyReport = {
    ...errors(2),
    count: 2,
    baselines: { naive: errors(2.5), seasonalNaive: errors(1.8) },
    skill: { rmseVsNaive: 0.2, rmseVsSeasonalNaive: -0.111, maeVsNaive: 0.2, maeVsSeasonalNaive: -0.111 },
  };
  const legacyWindow = {
    window: { index: 0, startRow: 100, endRow: 102, startDate: "2024-01-01", endDate: "2024-01-02" },
    dates: ["2024-01-01", "2024-01-02"],
    predictions: { actual: [1, 2], predicted: [1.5, 2.5], naive: [0.5, 1], seasonalNaive: [1, 3], reference: [0.5, 1] },
    maseScale: 1,
    report: legacyReport,
  };

  async function storeResults(content: unknown): Promise<string> {
    const id = await enqueueRun(pool, { spec: { data: { dataset: "seattle_weather", target: "temp_max" } }, pipeline: "retrodiction" });
    await storeJsonArtifact(pool, id, content);
    return id;
  }

  it("gives a run from before the classical baselines in the current shape: its two baselines, the others not computed, no verdict", async () => {
    const id = await storeResults({ windows: [legacyWindow], overall: legacyReport, summary: null, backend: null });
    const results = await viewer.runs.results({ id });
    const overall = results?.overall;
    expect(overall?.verdict).toBeNull();
    expect(overall?.intervals).toBeNull();
    expect(overall?.byStep).toEqual([]);
    expect(overall?.baselines.naive).toEqual({ ...errors(2.5), label: "Naive", count: 2, intervals: null, skillRmse: 0.2, skillMae: 0.2 });
    expect(overall?.baselines.seasonalNaive).toMatchObject({ label: "Seasonal naive", rmse: 1.8, skillRmse: -0.111 });
    expect(Object.keys(overall?.unavailable ?? {})).toEqual(["ar", "arima", "ets", "theta"]);
    expect(overall?.unavailable.arima).toMatch(/^not computed: this run finished before/);
    const predictions = results?.windows[0]?.predictions;
    expect(predictions).not.toHaveProperty("naive");
    expect(predictions?.bands).toBeNull();
    expect(predictions?.baselines.naive).toMatchObject({ label: "Naive", predicted: [0.5, 1] });
    expect(predictions?.baselines.seasonalNaive).toMatchObject({ predicted: [1, 3] });
    expect(predictions?.baselines.theta).toEqual({ label: "Theta", unavailable: expect.stringMatching(/^not computed/) });
    expect(results?.windows[0]?.report.verdict).toBeNull();

    // A results.json in the current shape comes back as it was saved.
    const current = await storeResults(results);
    expect(await viewer.runs.results({ id: current })).toEqual(results);
  });

  it("takes a parallel retrodiction's windows from its children, whichever shape each saved", async () => {
    const child = await storeResults({ windows: [legacyWindow], overall: legacyReport });
    // The parent keeps only per-window metrics, no forecasts.
    const parent = await storeResults({
      windows: [{ window: legacyWindow.window, metrics: legacyReport }],
      overall: legacyReport,
      children: [child],
    });
    await forceRunState(pool, child, { parentId: parent });
    const results = await viewer.runs.results({ id: parent });
    expect(results?.windows).toHaveLength(1);
    expect(results?.windows[0]?.predictions.baselines.naive).toMatchObject({ predicted: [0.5, 1] });
    expect(results?.overall?.baselines.seasonalNaive).toMatchObject({ label: "Seasonal naive", skillRmse: -0.111 });
  });

  it("lists a parallel retrodiction's children under their parent only: not at the top level, not in the summary", async () => {
    const spec = { data: { dataset: "seattle_weather", target: "temp_max" } };
    const tag = `nested-${Date.now()}`;
    const parent = await enqueueRun(pool, { spec, pipeline: "parallel-retrodiction", tags: [tag] });
    const children = [
      await enqueueRun(pool, { spec, pipeline: "retrodiction", tags: [tag], parentId: parent }),
      await enqueueRun(pool, { spec, pipeline: "retrodiction", tags: [tag], parentId: parent }),
    ];
    const ids = (runs: { id: string }[]) => runs.map((r) => r.id).sort();
    const top = await viewer.training.list({ tags: [tag] });
    expect(ids(top.runs)).toEqual([parent]);
    expect(top.runs[0]?.childCount).toBe(2);
    expect(ids((await viewer.training.list({ tags: [tag], parentId: parent })).runs)).toEqual([...children].sort());
    expect(ids((await viewer.training.list({ tags: [tag], parentId: "any" })).runs)).toEqual([parent, ...children].sort());
    expect((await viewer.training.summary({ tags: [tag] })).total).toBe(1);
    expect((await viewer.training.summary({ tags: [tag], parentId: "any" })).total).toBe(3);
  });
});
