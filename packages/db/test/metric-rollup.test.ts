import { describe, expect, it } from "vitest";
import { aggregateSeries, chooseCover, coverRange, fitBudget, maxLevel, rollupWidths, type StepValue } from "../src/metric-rollup";

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Every step the cover accounts for, in order. */
function coveredSteps(cover: ReturnType<typeof coverRange>): [number, number][] {
  const ranges: [number, number][] = [
    ...cover.raw.map((r) => [r.from, r.to] as [number, number]),
    ...cover.segments.map((s) => {
      const width = rollupWidths[s.level - 1] as number;
      return [s.from * width, (s.to + 1) * width - 1] as [number, number];
    }),
  ];
  return ranges.sort((a, b) => a[0] - b[0]);
}

describe("coverRange", () => {
  it("partitions any range into whole buckets plus short raw edges, with no gap or overlap", () => {
    const next = random(7);
    for (let i = 0; i < 500; i++) {
      const from = Math.floor(next() * 5_000_000);
      const to = from + Math.floor(next() * 3_000_000);
      const top = 1 + Math.floor(next() * maxLevel);
      const ranges = coveredSteps(coverRange(from, to, top));
      expect(ranges[0]?.[0]).toBe(from);
      expect(ranges[ranges.length - 1]?.[1]).toBe(to);
      for (let j = 1; j < ranges.length; j++) expect(ranges[j]?.[0]).toBe((ranges[j - 1]?.[1] as number) + 1);
      for (const r of coverRange(from, to, top).raw) expect(r.to - r.from + 1).toBeLessThan(rollupWidths[0]);
    }
  });

  it("picks buckets no wider than one column of the picture, raw points when level 1 is too wide", () => {
    const cover = chooseCover(0, 999_999, 2000); // 500 columns of 2,000 steps: level 1 (512) fits, level 2 (4,096) does not
    expect(new Set(cover.segments.map((s) => s.level))).toEqual(new Set([1]));
    expect(chooseCover(0, 599, 48)).toEqual({ segments: [], raw: [{ from: 0, to: 599 }] }); // 12 columns of 50 steps
    const wide = chooseCover(0, 99_999_999, 48); // columns of 8.3 M steps
    expect(Math.max(...wide.segments.map((s) => s.level))).toBe(5);
    for (const s of wide.segments) expect(rollupWidths[s.level - 1]).toBeLessThanOrEqual(100_000_000 / 12);
    // Too many raw points to read whole: level-1 buckets stand in.
    expect(chooseCover(0, 99_999, 2000).segments.length).toBeGreaterThan(0);
  });
});

describe("aggregateSeries", () => {
  it("matches a brute-force fold at every level and ignores non-finite values for min/max", () => {
    const next = random(3);
    const points: StepValue[] = [];
    for (let step = 0; step < 20_000; step += 1 + Math.floor(next() * 3))
      points.push({ step, value: next() < 0.01 ? Number.NaN : next() * 100 - 50 });
    const shuffled = [...points].sort(() => next() - 0.5);
    const { summary, buckets } = aggregateSeries(shuffled);
    const finite = points.filter((p) => Number.isFinite(p.value));
    expect(summary.count).toBe(points.length);
    expect(summary.lastStep).toBe(points[points.length - 1]?.step);
    expect(summary.minValue).toBe(Math.min(...finite.map((p) => p.value)));
    expect(summary.maxValue).toBe(Math.max(...finite.map((p) => p.value)));
    for (let level = 1; level <= maxLevel; level++) {
      const width = rollupWidths[level - 1] as number;
      const ofLevel = buckets.filter((b) => b.level === level);
      expect(ofLevel.reduce((n, b) => n + b.count, 0)).toBe(points.length);
      for (const b of ofLevel.slice(0, 20)) {
        const inBucket = points.filter((p) => Math.floor(p.step / width) === b.bucket);
        const finiteIn = inBucket.filter((p) => Number.isFinite(p.value));
        expect(b.firstStep).toBe(inBucket[0]?.step);
        expect(b.lastStep).toBe(inBucket[inBucket.length - 1]?.step);
        expect(b.minValue).toBe(finiteIn.length ? Math.min(...finiteIn.map((p) => p.value)) : null);
        expect(b.maxValue).toBe(finiteIn.length ? Math.max(...finiteIn.map((p) => p.value)) : null);
      }
    }
  });
});

describe("fitBudget", () => {
  it("keeps at most the budget and always the global min and max", () => {
    const next = random(11);
    const points = Array.from({ length: 10_000 }, (_, step) => ({ step, value: next() }));
    const min = points.reduce((a, b) => (b.value < a.value ? b : a));
    const max = points.reduce((a, b) => (b.value > a.value ? b : a));
    for (const budget of [8, 100, 999, 4000]) {
      const out = fitBudget(points, budget, 0, 9_999);
      expect(out.length).toBeLessThanOrEqual(budget);
      expect(out).toContainEqual(min);
      expect(out).toContainEqual(max);
    }
  });

  it("draws every stretch of the range: points in each column, however the input is spread", () => {
    // Few points early (as from a coarse bucket), many late: equal-count groups would spend the budget on the end.
    const points = [
      { step: 1, value: 5 },
      { step: 300, value: 1 },
      ...Array.from({ length: 400 }, (_, i) => ({ step: 500 + i, value: Math.sin(i / 20) })),
    ];
    const out = fitBudget(points, 48, 0, 899);
    expect(out.length).toBeLessThanOrEqual(48);
    const steps = out.map((p) => p.step);
    for (let column = 500; column < 900; column += 75) expect(steps.some((s) => s >= column && s < column + 75)).toBe(true);
    expect(steps).toContain(300);
  });
});
