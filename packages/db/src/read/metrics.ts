import { isTerminalStatus } from "@hindcast/contracts";
import type pg from "pg";
import { prismaOf } from "../client";
import type { MetricPoint, MetricSummary } from "../generated/prisma/client";
import { readSeries, readSeriesOfRuns } from "../metric-store";
import type { NotificationHub } from "../notify";
import { runStatus } from "../runs/index";
import { watchRun } from "../watch-run";
import { runNotFound } from "./run-page";

export type MetricKeySummary = Pick<MetricSummary, "key" | "count" | "last" | "lastStep" | "min" | "max">;

/** The metrics a run has, by key, with their last value and range. */
export function readMetricKeys(pool: pg.Pool, runId: string): Promise<MetricKeySummary[]> {
  return prismaOf(pool).metricSummary.findMany({
    where: { runId },
    select: { key: true, count: true, last: true, lastStep: true, min: true, max: true },
    orderBy: { key: "asc" },
  });
}

export interface SeriesRequest {
  runIds: readonly string[];
  keys: readonly string[];
  /** step; wall = epoch milliseconds; relative = seconds since the run's first point. */
  x: "step" | "wall" | "relative";
  fromStep?: number;
  toStep?: number;
  maxPoints: number;
}

/** One downsampled series, as parallel arrays. */
export interface Series {
  runId: string;
  key: string;
  x: number[];
  steps: number[];
  values: number[];
  /** Points stored in the range. */
  count: number;
  downsampled: boolean;
}

/**
 * The x of each downsampled point: its step, or the wall time of that step
 * (epoch ms, or seconds since `origin`), looked up by primary key for the
 * few thousand steps the downsampled series kept.
 */
async function xValues(pool: pg.Pool, runId: string, key: string, steps: number[], x: SeriesRequest["x"], origin: number) {
  if (x === "step" || steps.length === 0) return steps;
  const points = await prismaOf(pool).metricPoint.findMany({
    where: { runId, key, step: { in: steps } },
    select: { step: true, wallTime: true },
  });
  const byStep = new Map(points.map((p) => [p.step, p.wallTime.getTime()]));
  return steps.map((step) => {
    const ms = byStep.get(step) ?? Number.NaN;
    return x === "wall" ? ms : (ms - origin) / 1000;
  });
}

/**
 * Epoch ms of a run's first metric point over all its keys, so relative
 * times of different keys (batch train_loss, epoch val_loss) share one zero.
 * One index probe per key rather than a scan of every point.
 */
async function firstPointMs(pool: pg.Pool, runId: string): Promise<number> {
  const { rows } = await pool.query<{ first: MetricPoint["wallTime"] | null }>(
    `SELECT min(f."wallTime") AS "first" FROM "MetricSummary" s
       CROSS JOIN LATERAL (SELECT p."wallTime" FROM "MetricPoint" p
                            WHERE p."runId" = s."runId" AND p."key" = s."key" ORDER BY p."step" LIMIT 1) f
      WHERE s."runId" = $1`,
    [runId],
  );
  return rows[0]?.first?.getTime() ?? 0;
}

/**
 * Downsampled series (at most maxPoints each, min/max kept) for several runs
 * and keys at once: x (step, wall ms or relative seconds), the step of each
 * point and its value.
 */
export async function readSeriesSet(pool: pg.Pool, request: SeriesRequest): Promise<Series[]> {
  const origins = new Map(
    await Promise.all(
      request.runIds.map(async (runId) => [runId, request.x === "relative" ? await firstPointMs(pool, runId) : 0] as const),
    ),
  );
  const pairs = request.runIds.flatMap((runId) => request.keys.map((key) => ({ runId, key })));
  return Promise.all(
    pairs.map(async ({ runId, key }) => {
      const series = await readSeries(pool, {
        runId,
        key,
        fromStep: request.fromStep,
        toStep: request.toStep,
        maxPoints: request.maxPoints,
      });
      const steps = series.points.map((p) => p.step);
      return {
        runId,
        key,
        x: await xValues(pool, runId, key, steps, request.x, origins.get(runId) ?? 0),
        steps,
        values: series.points.map((p) => p.value),
        count: series.count,
        downsampled: series.downsampled,
      };
    }),
  );
}

export interface Sparkline {
  runId: string;
  steps: number[];
  values: number[];
}

/**
 * One metric of many runs, each downsampled to `points` points with its
 * extremes kept (the same rollup reads as series), for the runs table's trend
 * column. Runs without the metric come back with no points.
 */
export async function readSparklines(pool: pg.Pool, runIds: readonly string[], key: string, points: number): Promise<Sparkline[]> {
  const series = await readSeriesOfRuns(pool, runIds, key, points);
  return [...new Set(runIds)].map((runId) => {
    const line = series.get(runId)?.points ?? [];
    return { runId, steps: line.map((p) => p.step), values: line.map((p) => p.value) };
  });
}

/** Points a live batch carries at most; a run that wrote more is caught up over the next batches. */
const livePointLimit = 5_000;

export interface LivePoints {
  key: string;
  steps: number[];
  values: number[];
  /** Epoch ms of each point. */
  wallMs: number[];
}

/** The last step a live client has of each key. */
export type LivePosition = Record<string, number>;

/** New points of `keys` after each key's step in `after`, oldest first, at most livePointLimit in all. */
async function pointsAfter(pool: pg.Pool, runId: string, keys: readonly string[], after: LivePosition): Promise<LivePoints[]> {
  const { rows } = await pool.query<Pick<MetricPoint, "key" | "step" | "value" | "wallTime">>(
    `SELECT p."key", p."step", p."value", p."wallTime"
       FROM unnest($2::text[]) k("key")
       CROSS JOIN LATERAL (SELECT * FROM "MetricPoint" p WHERE p."runId" = $1 AND p."key" = k."key"
                            AND p."step" > coalesce(($3::jsonb ->> k."key")::int, 0) ORDER BY p."step" LIMIT $4) p
      ORDER BY p."key", p."step"`,
    [runId, keys, JSON.stringify(after), livePointLimit],
  );
  const byKey = new Map<string, LivePoints>();
  for (const row of rows) {
    const series = byKey.get(row.key) ?? { key: row.key, steps: [], values: [], wallMs: [] };
    series.steps.push(row.step);
    series.values.push(row.value);
    series.wallMs.push(row.wallTime.getTime());
    byKey.set(row.key, series);
  }
  return [...byKey.values()];
}

/**
 * New metric points of a run as the worker stores them: each batch holds the
 * points after the previous batch's `position` (the last step per key),
 * starting after `after`; a batch is read after every metric flush the
 * worker NOTIFYs, and after the hub reconnects, so no point is lost. Ends
 * when the run has ended and every point was sent, or `signal` aborts.
 */
export async function* liveMetricPoints(
  pool: pg.Pool,
  hub: NotificationHub,
  request: { runId: string; keys: readonly string[]; after: LivePosition },
  signal?: AbortSignal,
): AsyncGenerator<{ position: LivePosition; points: LivePoints[] }> {
  const position = { ...request.after };
  for await (const _ of watchRun(hub, request.runId, ["metrics", "status"], signal)) {
    for (;;) {
      // The status is read before the points: points stored before a run ended are all in this read.
      const status = await runStatus(pool, request.runId);
      if (!status) throw runNotFound(request.runId, "runId");
      const points = await pointsAfter(pool, request.runId, request.keys, position);
      const count = points.reduce((n, p) => n + p.steps.length, 0);
      if (count > 0) {
        for (const p of points) position[p.key] = p.steps.at(-1) as number;
        yield { position: { ...position }, points };
      }
      if (count >= livePointLimit) continue;
      if (isTerminalStatus(status)) return;
      break;
    }
  }
}
