import { UserFacingError } from "@hindcast/contracts";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { MetricSummary } from "./generated/prisma/client";
import {
  type Aggregate,
  aggregateSeries,
  type Cover,
  chooseCover,
  fitBudget,
  type RollupBucket,
  representatives,
  type StepValue,
  sortUnique,
} from "./metric-rollup";

export interface MetricPointInput {
  runId: string;
  key: string;
  step: number;
  value: number;
  /** Defaults to the time of the write. */
  wallTime?: Date;
}

export interface WriteResult {
  /** Points stored by this call; points already stored are skipped. */
  inserted: number;
  skipped: number;
}

const maxStep = 2 ** 31 - 1;
const maxKeyLength = 200;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const copyChunkChars = 1 << 20;

/**
 * Stores metric points in bulk and keeps MetricSummary and MetricRollup in
 * step, in one transaction. The common case (all points new) is one COPY;
 * when the batch repeats stored points (a retried flush, a resumed attempt),
 * the COPY is undone and the batch goes through INSERT .. ON CONFLICT DO
 * NOTHING, so a point is never stored or counted twice.
 */
export async function writeMetricPoints(pool: pg.Pool, points: readonly MetricPointInput[]): Promise<WriteResult> {
  if (points.length === 0) return { inserted: 0, skipped: 0 };
  validatePoints(points);
  const now = new Date();
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SAVEPOINT metric_copy");
    let inserted: readonly MetricPointInput[];
    try {
      await copyPoints(client, points, now);
      inserted = points;
    } catch (error) {
      if ((error as { code?: string }).code !== "23505") throw error;
      await client.query("ROLLBACK TO SAVEPOINT metric_copy");
      inserted = await insertSkippingStored(client, points, now);
    }
    if (inserted.length > 0) await updateAggregates(client, inserted);
    await client.query("COMMIT");
    return { inserted: inserted.length, skipped: points.length - inserted.length };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw explainWriteError(error);
  } finally {
    client.release();
  }
}

function validatePoints(points: readonly MetricPointInput[]): void {
  const checkedRuns = new Set<string>();
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as MetricPointInput;
    const bad = (field: string, rule: string, got: unknown) =>
      new UserFacingError(
        `metric point ${i}: ${field} ${rule}, got ${JSON.stringify(got) ?? String(got)}`,
        `send ${field} as ${rule.replace(/^must be /, "")}`,
      );
    if (!checkedRuns.has(p.runId)) {
      if (typeof p.runId !== "string" || !uuidPattern.test(p.runId)) throw bad("runId", "must be a run id (UUID)", p.runId);
      checkedRuns.add(p.runId);
    }
    if (typeof p.key !== "string" || p.key.length === 0 || p.key.length > maxKeyLength || p.key.includes("\0")) {
      throw bad("key", `must be a non-empty string of at most ${maxKeyLength} characters`, p.key);
    }
    if (!Number.isInteger(p.step) || p.step < 0 || p.step > maxStep) {
      throw bad("step", "must be an integer from 0 to 2^31-1", p.step);
    }
    if (typeof p.value !== "number") throw bad("value", "must be a number (NaN and infinities allowed)", p.value);
    if (p.wallTime !== undefined && !(p.wallTime instanceof Date && !Number.isNaN(p.wallTime.getTime()))) {
      throw bad("wallTime", "must be a valid Date", p.wallTime);
    }
  }
}

/** COPY text format: backslash, tab, newline and carriage return are escaped. */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : value;
}

export function copyRows(points: readonly MetricPointInput[], now: Date): string[] {
  const chunks: string[] = [];
  const nowIso = now.toISOString();
  let chunk = "";
  for (const p of points) {
    chunk += `${p.runId}\t${copyText(p.key)}\t${p.step}\t${p.value}\t${p.wallTime ? p.wallTime.toISOString() : nowIso}\n`;
    if (chunk.length >= copyChunkChars) {
      chunks.push(chunk);
      chunk = "";
    }
  }
  if (chunk) chunks.push(chunk);
  return chunks;
}

export async function copyInto(client: pg.PoolClient, table: string, chunks: readonly string[]): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${table} ("runId", "key", "step", "value", "wallTime") FROM STDIN`));
  await new Promise<void>((resolve, reject) => {
    // Once the server refuses the COPY (a duplicate key, a lost connection), pg-copy-streams lets go of
    // the connection, and a write a pending "drain" would still make throws outside this promise.
    let failed = false;
    const fail = (error: unknown) => {
      failed = true;
      reject(error);
    };
    stream.on("error", fail);
    stream.on("finish", resolve);
    let i = 0;
    const writeMore = () => {
      try {
        while (i < chunks.length && !failed) {
          if (!stream.write(chunks[i++])) {
            stream.once("drain", writeMore);
            return;
          }
        }
        if (!failed) stream.end();
      } catch (error) {
        fail(error);
      }
    };
    writeMore();
  });
}

function copyPoints(client: pg.PoolClient, points: readonly MetricPointInput[], now: Date): Promise<void> {
  return copyInto(client, `"MetricPoint"`, copyRows(points, now));
}

async function insertSkippingStored(client: pg.PoolClient, points: readonly MetricPointInput[], now: Date): Promise<MetricPointInput[]> {
  const { rows } = await client.query<{ runId: string; key: string; step: number; value: number }>(
    `INSERT INTO "MetricPoint" ("runId", "key", "step", "value", "wallTime")
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::float8[], $5::timestamptz[])
     ON CONFLICT ("runId", "key", "step") DO NOTHING
     RETURNING "runId", "key", "step", "value"`,
    [
      points.map((p) => p.runId),
      points.map((p) => p.key),
      points.map((p) => p.step),
      points.map((p) => p.value),
      points.map((p) => p.wallTime ?? now),
    ],
  );
  return rows;
}

function groupBySeries(points: readonly MetricPointInput[]): Map<string, { runId: string; key: string; points: StepValue[] }> {
  const series = new Map<string, { runId: string; key: string; points: StepValue[] }>();
  for (const p of points) {
    const id = `${p.runId}\0${p.key}`;
    let s = series.get(id);
    if (!s) {
      s = { runId: p.runId, key: p.key, points: [] };
      series.set(id, s);
    }
    s.points.push({ step: p.step, value: p.value });
  }
  return series;
}

/** Columns of Aggregate in SQL order, for the unnest upserts below. */
const aggregateColumns = (rows: readonly Aggregate[]) => [
  rows.map((a) => a.count),
  rows.map((a) => a.firstStep),
  rows.map((a) => a.firstValue),
  rows.map((a) => a.lastStep),
  rows.map((a) => a.lastValue),
  rows.map((a) => a.minStep),
  rows.map((a) => a.minValue),
  rows.map((a) => a.maxStep),
  rows.map((a) => a.maxValue),
];

async function updateAggregates(client: pg.PoolClient, inserted: readonly MetricPointInput[]): Promise<void> {
  const summaryIds: { runId: string; key: string }[] = [];
  const summaries: Aggregate[] = [];
  const bucketIds: { runId: string; key: string }[] = [];
  const buckets: RollupBucket[] = [];
  for (const s of groupBySeries(inserted).values()) {
    const { summary, buckets: seriesBuckets } = aggregateSeries(s.points);
    summaryIds.push(s);
    summaries.push(summary);
    for (const b of seriesBuckets) {
      bucketIds.push(s);
      buckets.push(b);
    }
  }
  // Rows are upserted in primary-key order so concurrent writers cannot deadlock.
  await client.query(
    `INSERT INTO "MetricSummary" AS s ("runId", "key", "count", "lastStep", "last", "minStep", "min", "maxStep", "max", "updatedAt")
     SELECT u.run_id, u.key, u.count, u.last_step, u.last_value, u.min_step, u.min_value, u.max_step, u.max_value, now()
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::float8[], $6::int[], $7::float8[],
                   $8::int[], $9::float8[], $10::int[], $11::float8[])
         AS u(run_id, key, count, first_step, first_value, last_step, last_value, min_step, min_value, max_step, max_value)
      ORDER BY u.run_id, u.key
     ON CONFLICT ("runId", "key") DO UPDATE SET
       "count" = s."count" + excluded."count",
       "last" = CASE WHEN excluded."lastStep" >= s."lastStep" THEN excluded."last" ELSE s."last" END,
       "lastStep" = GREATEST(s."lastStep", excluded."lastStep"),
       "min" = CASE WHEN s."min" IS NULL OR excluded."min" < s."min" THEN excluded."min" ELSE s."min" END,
       "minStep" = CASE WHEN s."min" IS NULL OR excluded."min" < s."min" THEN excluded."minStep" ELSE s."minStep" END,
       "max" = CASE WHEN s."max" IS NULL OR excluded."max" > s."max" THEN excluded."max" ELSE s."max" END,
       "maxStep" = CASE WHEN s."max" IS NULL OR excluded."max" > s."max" THEN excluded."maxStep" ELSE s."maxStep" END,
       "updatedAt" = now()`,
    [summaryIds.map((s) => s.runId), summaryIds.map((s) => s.key), ...aggregateColumns(summaries)],
  );
  await client.query(
    `INSERT INTO "MetricRollup" AS r ("runId", "key", "level", "bucket", "count", "firstStep", "firstValue",
                                      "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::float8[],
                          $8::int[], $9::float8[], $10::int[], $11::float8[], $12::int[], $13::float8[])
         AS u(run_id, key, level, bucket, count, first_step, first_value, last_step, last_value, min_step, min_value, max_step, max_value)
      ORDER BY 1, 2, 3, 4
     ON CONFLICT ("runId", "key", "level", "bucket") DO UPDATE SET
       "count" = r."count" + excluded."count",
       "firstValue" = CASE WHEN excluded."firstStep" < r."firstStep" THEN excluded."firstValue" ELSE r."firstValue" END,
       "firstStep" = LEAST(r."firstStep", excluded."firstStep"),
       "lastValue" = CASE WHEN excluded."lastStep" >= r."lastStep" THEN excluded."lastValue" ELSE r."lastValue" END,
       "lastStep" = GREATEST(r."lastStep", excluded."lastStep"),
       "minValue" = CASE WHEN r."minValue" IS NULL OR excluded."minValue" < r."minValue" THEN excluded."minValue" ELSE r."minValue" END,
       "minStep" = CASE WHEN r."minValue" IS NULL OR excluded."minValue" < r."minValue" THEN excluded."minStep" ELSE r."minStep" END,
       "maxValue" = CASE WHEN r."maxValue" IS NULL OR excluded."maxValue" > r."maxValue" THEN excluded."maxValue" ELSE r."maxValue" END,
       "maxStep" = CASE WHEN r."maxValue" IS NULL OR excluded."maxValue" > r."maxValue" THEN excluded."maxStep" ELSE r."maxStep" END`,
    [
      bucketIds.map((s) => s.runId),
      bucketIds.map((s) => s.key),
      buckets.map((b) => b.level),
      buckets.map((b) => b.bucket),
      ...aggregateColumns(buckets),
    ],
  );
}

function explainWriteError(error: unknown): unknown {
  const err = error as { code?: string; detail?: string };
  if (err.code === "23503") {
    const runId = /\(runId\)=\(([^)]+)\)/.exec(err.detail ?? "")?.[1] ?? "?";
    return new UserFacingError(`metric points name run ${runId}, which does not exist`, "create the run before writing its metrics", {
      cause: error,
    });
  }
  return error;
}

export interface SeriesQuery {
  runId: string;
  key: string;
  fromStep?: number;
  toStep?: number;
  /** At most this many points come back (default 2,000). */
  maxPoints?: number;
}

export interface SeriesResult {
  points: StepValue[];
  /** Points stored in the range. */
  count: number;
  /** False when every stored point in the range came back. */
  downsampled: boolean;
}

const minBudget = 8;

/**
 * Reads one series over a step range as at most `maxPoints` points that keep
 * its shape: first, min, max and last of every bucket (M4), from the rollup
 * pyramid, with raw points at the ragged edges. The range's global min and
 * max are always among the points. Small ranges come back raw.
 */
export async function readSeries(db: pg.Pool | pg.PoolClient, query: SeriesQuery): Promise<SeriesResult> {
  const maxPoints = checkedBudget(query.maxPoints);
  const summary = await db.query<SeriesStats>(`SELECT "count", "lastStep" FROM "MetricSummary" WHERE "runId" = $1 AND "key" = $2`, [
    query.runId,
    query.key,
  ]);
  const stats = summary.rows[0];
  if (!stats) return { points: [], count: 0, downsampled: false };
  const from = Math.max(0, query.fromStep ?? 0);
  const to = Math.min(stats.lastStep, query.toStep ?? stats.lastStep);
  if (from > to) return { points: [], count: 0, downsampled: false };
  // Buckets no wider than a column of the picture, folded into the columns by fitBudget.
  const cover = chooseCover(from, to, maxPoints);
  if (drawnFromRaw(stats, cover, maxPoints)) return fromRaw((await readRaw(db, query, [{ from, to }])).points, from, to, maxPoints);
  const [buckets, edges] = await Promise.all([readBuckets(db, query, cover.segments), readRaw(db, query, cover.raw)]);
  let count = edges.count;
  for (const b of buckets) count += b.count;
  if (count <= maxPoints) return readRaw(db, query, [{ from, to }]);
  const points = edges.points;
  for (const b of buckets) points.push(...representatives(b));
  return { points: fitBudget(sortUnique(points), maxPoints, from, to), count, downsampled: true };
}

type SeriesStats = Pick<MetricSummary, "count" | "lastStep">;

function checkedBudget(maxPoints = 2000): number {
  if (!Number.isInteger(maxPoints) || maxPoints < minBudget) {
    throw new UserFacingError(
      `maxPoints must be an integer of at least ${minBudget}, got ${maxPoints}`,
      `ask for ${minBudget} points or more`,
    );
  }
  return maxPoints;
}

/** Whether a range is drawn from its raw points alone: few enough of them, or no rollup bucket fits in a column of the picture. */
const drawnFromRaw = (stats: SeriesStats, cover: Cover, maxPoints: number) => stats.count <= maxPoints || cover.segments.length === 0;

/** A range drawn from all its raw points: as they are, or folded into the budget's columns. */
function fromRaw(points: StepValue[], from: number, to: number, maxPoints: number): SeriesResult {
  if (points.length <= maxPoints) return { points, count: points.length, downsampled: false };
  return { points: fitBudget(sortUnique(points), maxPoints, from, to), count: points.length, downsampled: true };
}

/**
 * Whole series of one key for many runs (a page of sparklines), each the
 * points readSeries gives it: the runs' summaries in one query, then each
 * series in a query of its own: its raw points (most short series), or its
 * rollups through readSeries. Runs without the key are left out.
 */
export async function readSeriesOfRuns(
  db: pg.Pool,
  runIds: readonly string[],
  key: string,
  maxPoints: number,
): Promise<Map<string, SeriesResult>> {
  checkedBudget(maxPoints);
  const { rows: series } = await db.query<SeriesStats & { runId: string }>(
    `SELECT "runId", "count", "lastStep" FROM "MetricSummary" WHERE "runId" = ANY($1::uuid[]) AND "key" = $2`,
    [runIds, key],
  );
  // One query per run, in parallel over the pool: a single one for all of them would run on one core.
  return new Map(
    await Promise.all(
      series.map(async (stats) => {
        const query = { runId: stats.runId, key, maxPoints };
        const raw = drawnFromRaw(stats, chooseCover(0, stats.lastStep, maxPoints), maxPoints);
        const result = raw
          ? fromRaw((await readRaw(db, query, [{ from: 0, to: stats.lastStep }])).points, 0, stats.lastStep, maxPoints)
          : await readSeries(db, query);
        return [stats.runId, result] as const;
      }),
    ),
  );
}

async function readBuckets(db: pg.Pool | pg.PoolClient, query: SeriesQuery, segments: Cover["segments"]): Promise<Aggregate[]> {
  if (segments.length === 0) return [];
  const { rows } = await db.query<Aggregate>(
    `SELECT r."count", r."firstStep", r."firstValue", r."lastStep", r."lastValue",
            r."minStep", r."minValue", r."maxStep", r."maxValue"
       FROM unnest($3::int[], $4::int[], $5::int[]) AS c(level, lo, hi)
       JOIN "MetricRollup" r
         ON r."runId" = $1 AND r."key" = $2 AND r."level" = c.level AND r."bucket" BETWEEN c.lo AND c.hi`,
    [query.runId, query.key, segments.map((s) => s.level), segments.map((s) => s.from), segments.map((s) => s.to)],
  );
  return rows;
}

async function readRaw(db: pg.Pool | pg.PoolClient, query: SeriesQuery, ranges: { from: number; to: number }[]): Promise<SeriesResult> {
  if (ranges.length === 0) return { points: [], count: 0, downsampled: false };
  const { rows } = await db.query<StepValue>(
    `SELECT p."step", p."value"
       FROM unnest($3::int[], $4::int[]) AS c(lo, hi)
       JOIN "MetricPoint" p ON p."runId" = $1 AND p."key" = $2 AND p."step" BETWEEN c.lo AND c.hi
      ORDER BY p."step"`,
    [query.runId, query.key, ranges.map((r) => r.from), ranges.map((r) => r.to)],
  );
  return { points: rows, count: rows.length, downsampled: false };
}
