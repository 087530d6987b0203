/**
 * Pure bookkeeping for metric series: per-series summaries and the rollup
 * pyramid (first/min/max/last per bucket, bucket widths 8^3 .. 8^10 steps)
 * that lets a downsampled read of a million-point series touch a few
 * thousand rows. Written here rather than taken from a library because it has
 * to match the SQL merge rules in metric-store.ts exactly.
 */

export const rollupWidths = [512, 4096, 32768, 262144, 2097152, 16777216, 134217728, 1073741824] as const;
/** Levels are 1-based: level L has width rollupWidths[L - 1]; level 0 means raw points. */
export const maxLevel = rollupWidths.length;
const fanout = 8;

export interface StepValue {
  step: number;
  value: number;
}

export interface Aggregate {
  count: number;
  firstStep: number;
  firstValue: number;
  lastStep: number;
  lastValue: number;
  minStep: number | null;
  minValue: number | null;
  maxStep: number | null;
  maxValue: number | null;
}

export interface RollupBucket extends Aggregate {
  level: number;
  bucket: number;
}

function aggregateOf(point: StepValue): Aggregate {
  const finite = Number.isFinite(point.value);
  return {
    count: 1,
    firstStep: point.step,
    firstValue: point.value,
    lastStep: point.step,
    lastValue: point.value,
    minStep: finite ? point.step : null,
    minValue: finite ? point.value : null,
    maxStep: finite ? point.step : null,
    maxValue: finite ? point.value : null,
  };
}

/** Folds `b` into `a` (same rules as the SQL upserts). */
function mergeInto(a: Aggregate, b: Aggregate): void {
  a.count += b.count;
  if (b.firstStep < a.firstStep) {
    a.firstStep = b.firstStep;
    a.firstValue = b.firstValue;
  }
  if (b.lastStep >= a.lastStep) {
    a.lastStep = b.lastStep;
    a.lastValue = b.lastValue;
  }
  if (b.minValue !== null && (a.minValue === null || b.minValue < a.minValue)) {
    a.minValue = b.minValue;
    a.minStep = b.minStep;
  }
  if (b.maxValue !== null && (a.maxValue === null || b.maxValue > a.maxValue)) {
    a.maxValue = b.maxValue;
    a.maxStep = b.maxStep;
  }
}

export interface SeriesAggregation {
  summary: Aggregate;
  buckets: RollupBucket[];
}

/** Adds one point to an aggregate in place (hot loop: no allocation). */
function addPoint(a: Aggregate, step: number, value: number): void {
  a.count++;
  if (step < a.firstStep) {
    a.firstStep = step;
    a.firstValue = value;
  }
  if (step >= a.lastStep) {
    a.lastStep = step;
    a.lastValue = value;
  }
  if (Number.isFinite(value)) {
    if (a.minValue === null || value < a.minValue) {
      a.minValue = value;
      a.minStep = step;
    }
    if (a.maxValue === null || value > a.maxValue) {
      a.maxValue = value;
      a.maxStep = step;
    }
  }
}

/** Summary and rollup buckets of one series' new points (any order). */
export function aggregateSeries(points: readonly StepValue[]): SeriesAggregation {
  const first = points[0];
  if (!first) throw new Error("aggregateSeries needs at least one point");
  const summary = aggregateOf(first);
  let level = new Map<number, RollupBucket>();
  const width = rollupWidths[0];
  for (let i = 0; i < points.length; i++) {
    const { step, value } = points[i] as StepValue;
    if (i > 0) addPoint(summary, step, value);
    const bucket = Math.floor(step / width);
    const existing = level.get(bucket);
    if (existing) addPoint(existing, step, value);
    else level.set(bucket, { level: 1, bucket, ...aggregateOf({ step, value }) });
  }
  const buckets = [...level.values()];
  for (let l = 2; l <= maxLevel; l++) {
    const next = new Map<number, RollupBucket>();
    for (const child of level.values()) {
      const bucket = Math.floor(child.bucket / fanout);
      const existing = next.get(bucket);
      if (existing) mergeInto(existing, child);
      else next.set(bucket, { ...child, level: l, bucket });
    }
    buckets.push(...next.values());
    level = next;
  }
  return { summary, buckets };
}

export interface Cover {
  /** Whole buckets: level, first and last bucket index. */
  segments: { level: number; from: number; to: number }[];
  /** Step ranges narrower than one level-1 bucket, read from raw points. */
  raw: { from: number; to: number }[];
}

/**
 * Covers the step range [from, to] with whole buckets no wider than level
 * `top`, coarsest in the middle and finer towards the edges (a segment-tree
 * decomposition), so every step in the range belongs to exactly one piece.
 */
export function coverRange(from: number, to: number, top: number): Cover {
  const cover: Cover = { segments: [], raw: [] };
  const visit = (lo: number, hi: number, level: number) => {
    if (lo > hi) return;
    if (level === 0) {
      cover.raw.push({ from: lo, to: hi });
      return;
    }
    const width = rollupWidths[level - 1] as number;
    const first = Math.ceil(lo / width);
    const last = Math.floor((hi + 1) / width) - 1;
    if (first > last) {
      visit(lo, hi, level - 1);
      return;
    }
    cover.segments.push({ level, from: first, to: last });
    visit(lo, first * width - 1, level - 1);
    visit((last + 1) * width, hi, level - 1);
  };
  visit(from, to, top);
  return cover;
}

/** Raw points a read may take when no rollup level is fine enough; past it, level-1 buckets stand in. */
const rawReadLimit = 65_536;

/** The columns (M4 groups of four points) a budget of `maxPoints` draws a range with. */
export function columnsOf(maxPoints: number): number {
  return Math.max(1, Math.floor(maxPoints / 4));
}

/**
 * The cover of [from, to] to draw it with `maxPoints` points: buckets no
 * wider than one column of the picture (so every column gets its own
 * first/min/max/last and no stretch of the series is left to one bucket's
 * four points), all raw points when even level 1 is too wide and the range
 * is small enough to read whole.
 */
export function chooseCover(from: number, to: number, maxPoints: number): Cover {
  const columnWidth = (to - from + 1) / columnsOf(maxPoints);
  let top = 0;
  while (top < maxLevel && (rollupWidths[top] as number) <= columnWidth) top++;
  if (top === 0 && to - from + 1 > rawReadLimit) top = 1;
  return coverRange(from, to, top);
}

/** The points that draw a bucket faithfully (M4: first, min, max, last). */
export function representatives(a: Aggregate): StepValue[] {
  const out: StepValue[] = [{ step: a.firstStep, value: a.firstValue }];
  if (a.minStep !== null && a.minValue !== null) out.push({ step: a.minStep, value: a.minValue });
  if (a.maxStep !== null && a.maxValue !== null) out.push({ step: a.maxStep, value: a.maxValue });
  out.push({ step: a.lastStep, value: a.lastValue });
  return out;
}

/** Sorts by step and drops repeated steps. */
export function sortUnique(points: StepValue[]): StepValue[] {
  points.sort((a, b) => a.step - b.step);
  const out: StepValue[] = [];
  for (const p of points) if (out.length === 0 || (out[out.length - 1] as StepValue).step !== p.step) out.push(p);
  return out;
}

/**
 * Shrinks points to at most `maxPoints` by M4 over equal-width step columns
 * of [from, to] (first, min, max and last of each), so the picture keeps the
 * shape of the whole range; the global min and max always survive.
 */
export function fitBudget(points: readonly StepValue[], maxPoints: number, from: number, to: number): StepValue[] {
  if (points.length <= maxPoints) return [...points];
  const columns = columnsOf(maxPoints);
  const width = (to - from + 1) / columns;
  const byColumn = new Map<number, Aggregate>();
  for (const point of points) {
    const column = Math.min(columns - 1, Math.max(0, Math.floor((point.step - from) / width)));
    const existing = byColumn.get(column);
    if (existing) mergeInto(existing, aggregateOf(point));
    else byColumn.set(column, aggregateOf(point));
  }
  return sortUnique([...byColumn.values()].flatMap(representatives));
}
