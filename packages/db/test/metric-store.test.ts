import { randomUUID } from "node:crypto";
import { dbTest } from "@hindcast/test-support";
import type pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { type MetricPointInput, readSeries, UserFacingError, writeMetricPoints } from "../src/index";
import { rollupWidths } from "../src/metric-rollup";
import { readSeriesOfRuns } from "../src/metric-store";
import { seedRuns } from "../src/runs/seed";

let pool: pg.Pool;

dbTest.beforeAll(({ pool: migrated }) => {
  pool = migrated;
});

async function createRun(): Promise<string> {
  const [id] = await seedRuns(pool, [{ pipeline: "test" }]);
  return id as string;
}

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A noisy decaying loss curve with one spike down and one up at known steps. */
function lossCurve(runId: string, key: string, steps: number, seed: number, spikes?: { min: number; max: number }): MetricPointInput[] {
  const next = random(seed);
  return Array.from({ length: steps }, (_, step) => {
    let value = 2 * Math.exp(-step / (steps / 4)) + 0.1 * Math.sin(step / 500) + 0.05 * next();
    if (spikes && step === spikes.min) value = -10;
    if (spikes && step === spikes.max) value = 25;
    return { runId, key, step, value };
  });
}

async function summaryOf(runId: string, key: string) {
  const { rows } = await pool.query(`SELECT * FROM "MetricSummary" WHERE "runId" = $1 AND "key" = $2`, [runId, key]);
  return rows[0];
}

async function pointCount(runId: string, key?: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM "MetricPoint" WHERE "runId" = $1 AND ($2::text IS NULL OR "key" = $2)`,
    [runId, key ?? null],
  );
  return Number(rows[0]?.n);
}

async function rollupCounts(runId: string, key: string): Promise<number[]> {
  const { rows } = await pool.query<{ level: number; n: string }>(
    `SELECT "level", sum("count") AS n FROM "MetricRollup" WHERE "runId" = $1 AND "key" = $2 GROUP BY "level" ORDER BY "level"`,
    [runId, key],
  );
  return rows.map((r) => Number(r.n));
}

describe("writeMetricPoints", () => {
  it("stores 100k points once; the same batch again changes nothing", async () => {
    const runId = await createRun();
    const points = lossCurve(runId, "train/loss", 100_000, 1);
    expect(await writeMetricPoints(pool, points)).toEqual({ inserted: 100_000, skipped: 0 });
    const summaryBefore = await summaryOf(runId, "train/loss");
    expect(await writeMetricPoints(pool, points)).toEqual({ inserted: 0, skipped: 100_000 });

    expect(await pointCount(runId)).toBe(100_000);
    const summary = await summaryOf(runId, "train/loss");
    expect(summary).toEqual(summaryBefore);
    const values = points.map((p) => p.value);
    const min = Math.min(...values);
    const max = Math.max(...values);
    expect(summary).toMatchObject({
      count: 100_000,
      lastStep: 99_999,
      last: points[99_999]?.value,
      min,
      minStep: values.indexOf(min),
      max,
      maxStep: values.indexOf(max),
    });
    expect(await rollupCounts(runId, "train/loss")).toEqual(rollupWidths.map(() => 100_000));
  });

  it("stores only the new points of a batch that overlaps stored ones, and merges the aggregates", async () => {
    const runId = await createRun();
    const all = lossCurve(runId, "val/loss", 3_000, 2);
    await writeMetricPoints(pool, all.slice(0, 2_000));
    // A resumed attempt re-sends 1000..1999 (with other values) and adds 2000..2999.
    const resent = all.slice(1_000).map((p, i) => (i < 1_000 ? { ...p, value: p.value + 100 } : p));
    expect(await writeMetricPoints(pool, resent)).toEqual({ inserted: 1_000, skipped: 1_000 });

    expect(await pointCount(runId)).toBe(3_000);
    const stored = await pool.query(`SELECT "value" FROM "MetricPoint" WHERE "runId" = $1 AND "step" = 1500`, [runId]);
    expect(stored.rows[0]?.value).toBe(all[1500]?.value);
    const values = all.map((p) => p.value);
    expect(await summaryOf(runId, "val/loss")).toMatchObject({
      count: 3_000,
      last: all[2_999]?.value,
      lastStep: 2_999,
      min: Math.min(...values),
      max: Math.max(...values),
    });
    expect(await rollupCounts(runId, "val/loss")).toEqual(rollupWidths.map(() => 3_000));
    // The level-1 bucket that straddles the two writes (steps 1536..2047) agrees with its points.
    const { rows } = await pool.query(`SELECT * FROM "MetricRollup" WHERE "runId" = $1 AND "level" = 1 AND "bucket" = 3`, [runId]);
    const inBucket = all.slice(1536, 2048);
    expect(rows[0]).toMatchObject({
      count: 512,
      firstStep: 1536,
      firstValue: inBucket[0]?.value,
      lastStep: 2047,
      lastValue: inBucket[511]?.value,
      minValue: Math.min(...inBucket.map((p) => p.value)),
      maxValue: Math.max(...inBucket.map((p) => p.value)),
    });
  });

  it("keeps one point per step when a batch repeats a step", async () => {
    const runId = await createRun();
    const result = await writeMetricPoints(pool, [
      { runId, key: "lr", step: 1, value: 0.1 },
      { runId, key: "lr", step: 1, value: 0.2 },
      { runId, key: "lr", step: 2, value: 0.3 },
    ]);
    expect(result).toEqual({ inserted: 2, skipped: 1 });
    expect(await summaryOf(runId, "lr")).toMatchObject({ count: 2, last: 0.3 });
  });

  it("stores NaN and infinities, and leaves them out of min/max", async () => {
    const runId = await createRun();
    await writeMetricPoints(pool, [
      { runId, key: "loss", step: 0, value: 1.5 },
      { runId, key: "loss", step: 1, value: Number.POSITIVE_INFINITY },
      { runId, key: "loss", step: 2, value: 0.5 },
      { runId, key: "loss", step: 3, value: Number.NaN },
    ]);
    const summary = await summaryOf(runId, "loss");
    expect(summary).toMatchObject({ count: 4, lastStep: 3, min: 0.5, minStep: 2, max: 1.5, maxStep: 0 });
    expect(summary.last).toBeNaN();
    const series = await readSeries(pool, { runId, key: "loss" });
    expect(series.points.map((p) => p.value)).toEqual([1.5, Number.POSITIVE_INFINITY, 0.5, Number.NaN]);
  });

  it("writes several runs and keys in one batch, keys with tabs and newlines intact", async () => {
    const [a, b] = [await createRun(), await createRun()];
    const odd = 'eval\t"mase"\nwindow\\3';
    await writeMetricPoints(pool, [
      ...lossCurve(a, "train/loss", 500, 3),
      ...lossCurve(b, "train/loss", 700, 4),
      ...lossCurve(b, odd, 10, 5),
    ]);
    expect(await pointCount(a)).toBe(500);
    expect(await pointCount(b, "train/loss")).toBe(700);
    expect(await pointCount(b, odd)).toBe(10);
    expect((await summaryOf(b, odd))?.count).toBe(10);
  });

  it("rejects bad points with the index and field, and stores nothing from the batch", async () => {
    const runId = await createRun();
    const good = lossCurve(runId, "loss", 5, 6);
    const cases: [Partial<MetricPointInput>, RegExp][] = [
      [{ step: -1 }, /metric point 2: step must be an integer from 0 to 2\^31-1, got -1/],
      [{ step: 1.5 }, /metric point 2: step must be an integer/],
      [{ key: "" }, /metric point 2: key must be a non-empty string/],
      [{ value: "0.5" as unknown as number }, /metric point 2: value must be a number/],
      [{ runId: "not-a-run" }, /metric point 2: runId must be a run id \(UUID\), got "not-a-run"/],
      [{ wallTime: new Date("nope") }, /metric point 2: wallTime must be a valid Date/],
    ];
    for (const [change, message] of cases) {
      const batch = good.map((p, i) => (i === 2 ? { ...p, ...change } : p));
      const error = await writeMetricPoints(pool, batch).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserFacingError);
      expect((error as Error).message).toMatch(message);
    }
    const missingRun = randomUUID();
    await expect(writeMetricPoints(pool, [...good, { runId: missingRun, key: "loss", step: 0, value: 1 }])).rejects.toThrow(
      `metric points name run ${missingRun}, which does not exist`,
    );
    expect(await pointCount(runId)).toBe(0);
    expect(await summaryOf(runId, "loss")).toBeUndefined();
  });
});

describe("readSeries", () => {
  const steps = 1_000_000;
  const spikes = { min: 777_777, max: 123_457 };
  let runId: string;
  let truth: MetricPointInput[];

  beforeAll(async () => {
    runId = await createRun();
    truth = lossCurve(runId, "train/loss", steps, 9, spikes);
    for (let start = 0; start < steps; start += 100_000) await writeMetricPoints(pool, truth.slice(start, start + 100_000));
  }, 300_000);

  function extremes(from: number, to: number) {
    let min = truth[from] as MetricPointInput;
    let max = min;
    for (let s = from; s <= to; s++) {
      const p = truth[s] as MetricPointInput;
      if (p.value < min.value) min = p;
      if (p.value > max.value) max = p;
    }
    return { min: { step: min.step, value: min.value }, max: { step: max.step, value: max.value } };
  }

  it("returns at most 2,000 points of a 1M-point series, with its global min, max, first and last", async () => {
    const series = await readSeries(pool, { runId, key: "train/loss", maxPoints: 2_000 });
    expect(series.count).toBe(steps);
    expect(series.downsampled).toBe(true);
    expect(series.points.length).toBeLessThanOrEqual(2_000);
    expect(series.points.length).toBeGreaterThan(1_000);
    expect(series.points).toContainEqual({ step: spikes.min, value: -10 });
    expect(series.points).toContainEqual({ step: spikes.max, value: 25 });
    expect(series.points[0]).toEqual({ step: 0, value: truth[0]?.value });
    expect(series.points[series.points.length - 1]).toEqual({ step: steps - 1, value: truth[steps - 1]?.value });
  });

  it("returns real points of any sub-range, in step order, keeping that range's min and max", async () => {
    const next = random(12);
    for (let i = 0; i < 25; i++) {
      const from = Math.floor(next() * steps);
      const to = Math.min(steps - 1, from + Math.floor(next() * (next() < 0.3 ? 5_000 : steps)));
      const maxPoints = [100, 500, 2_000][i % 3] as number;
      const series = await readSeries(pool, { runId, key: "train/loss", fromStep: from, toStep: to, maxPoints });
      expect(series.points.length).toBeLessThanOrEqual(maxPoints);
      expect(series.count).toBe(to - from + 1);
      for (let j = 0; j < series.points.length; j++) {
        const p = series.points[j] as { step: number; value: number };
        expect(p.step).toBeGreaterThanOrEqual(from);
        expect(p.step).toBeLessThanOrEqual(to);
        expect(p.value).toBe(truth[p.step]?.value);
        if (j > 0) expect(p.step).toBeGreaterThan((series.points[j - 1] as { step: number }).step);
      }
      const { min, max } = extremes(from, to);
      expect(series.points, `range ${from}..${to}`).toContainEqual(min);
      expect(series.points, `range ${from}..${to}`).toContainEqual(max);
    }
  });

  it("returns every point when the range holds no more than asked for", async () => {
    const series = await readSeries(pool, { runId, key: "train/loss", fromStep: 5_000, toStep: 6_499, maxPoints: 2_000 });
    expect(series.downsampled).toBe(false);
    expect(series.points).toEqual(truth.slice(5_000, 6_500).map((p) => ({ step: p.step, value: p.value })));
  });

  it("draws a 600-step run as a 48-point sparkline with every stretch of its curve, not a diagonal", async () => {
    const short = await createRun();
    const curve = Array.from({ length: 600 }, (_, i) => ({ runId: short, key: "val_loss", step: i + 1, value: 1 + Math.cos(i / 40) }));
    await writeMetricPoints(pool, curve);
    for (const series of [
      await readSeries(pool, { runId: short, key: "val_loss", maxPoints: 48 }),
      await readSeries(pool, { runId, key: "train/loss", fromStep: 0, toStep: 9_999, maxPoints: 48 }),
    ]) {
      expect(series.points.length).toBeLessThanOrEqual(48);
      const steps = series.points.map((p) => p.step);
      const span = (steps[steps.length - 1] as number) - (steps[0] as number);
      // 12 columns: no gap between drawn points wider than two of them.
      for (let j = 1; j < steps.length; j++) expect((steps[j] as number) - (steps[j - 1] as number)).toBeLessThanOrEqual(span / 6);
    }
  });

  it("returns a sparse series raw even over a wide step range", async () => {
    const sparse = await createRun();
    const points = Array.from({ length: 1_500 }, (_, i) => ({ runId: sparse, key: "eval/mase", step: i * 1_000, value: 1 / (i + 1) }));
    await writeMetricPoints(pool, points);
    const series = await readSeries(pool, { runId: sparse, key: "eval/mase", maxPoints: 2_000 });
    expect(series).toMatchObject({ count: 1_500, downsampled: false });
    expect(series.points).toHaveLength(1_500);
  });

  it("returns nothing for an unknown key or an empty range, and rejects a tiny budget", async () => {
    expect(await readSeries(pool, { runId, key: "nope" })).toEqual({ points: [], count: 0, downsampled: false });
    expect((await readSeries(pool, { runId, key: "train/loss", fromStep: 10, toStep: 5 })).points).toEqual([]);
    await expect(readSeries(pool, { runId, key: "train/loss", maxPoints: 3 })).rejects.toThrow(
      /maxPoints must be an integer of at least 8/,
    );
  });
});

describe("readSeriesOfRuns", () => {
  it("gives each run the points readSeries gives it, reading their summaries at once", async () => {
    const runs = await Promise.all(Array.from({ length: 5 }, () => createRun()));
    const [short, dense, long, sparse, none] = runs as [string, string, string, string, string];
    await writeMetricPoints(pool, [
      ...Array.from({ length: 5 }, (_, i) => ({ runId: short, key: "val_loss", step: i + 1, value: 5 - i })),
      // Over the budget but narrower than a rollup bucket per column: drawn from raw points.
      ...Array.from({ length: 2_000 }, (_, i) => ({ runId: dense, key: "val_loss", step: i, value: Math.sin(i / 50) })),
      // Wide enough for rollups.
      ...Array.from({ length: 40_000 }, (_, i) => ({ runId: long, key: "val_loss", step: i, value: i === 4_321 ? -5 : 1 / (i + 1) })),
      ...Array.from({ length: 300 }, (_, i) => ({ runId: sparse, key: "val_loss", step: i * 1_000, value: i })),
      { runId: short, key: "other", step: 1, value: 1 },
    ]);
    const many = await readSeriesOfRuns(pool, runs, "val_loss", 48);
    expect([...many.keys()].sort()).toEqual([short, dense, long, sparse].sort());
    for (const id of [short, dense, long, sparse])
      expect(many.get(id), id).toEqual(await readSeries(pool, { runId: id, key: "val_loss", maxPoints: 48 }));
    expect(many.get(dense)?.downsampled).toBe(true);
    expect(many.has(none)).toBe(false);
  });
});
