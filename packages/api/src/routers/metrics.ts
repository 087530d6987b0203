import { readSeries, runEventsChannel, terminalStatuses } from "@hindcast/db";
import { TRPCError, tracked } from "@trpc/server";
import type pg from "pg";
import { z } from "zod";
import { liveMetricsInput, liveMetricsPosition, seriesInput, sparklinesInput } from "../schemas.js";
import { router, viewerProcedure } from "../trpc.js";

type XAxis = z.output<typeof seriesInput>["x"];

/**
 * The x of each downsampled point: its step, or the wall time of that step
 * (epoch ms, or seconds since `origin`), looked up by primary key for the
 * few thousand steps the downsampled series kept.
 */
async function xValues(pool: pg.Pool, runId: string, key: string, steps: number[], x: XAxis, origin: number): Promise<number[]> {
  if (x === "step" || steps.length === 0) return steps;
  const { rows } = await pool.query<{ step: number; ms: number }>(
    `SELECT "step", extract(epoch FROM "wallTime") * 1000 AS "ms" FROM "MetricPoint" WHERE "runId" = $1 AND "key" = $2 AND "step" = ANY($3::int[])`,
    [runId, key, steps],
  );
  const byStep = new Map(rows.map((r) => [r.step, Number(r.ms)]));
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
  const { rows } = await pool.query<{ ms: number | null }>(
    `SELECT min(f."ms") AS "ms" FROM "MetricSummary" s
       CROSS JOIN LATERAL (SELECT extract(epoch FROM p."wallTime") * 1000 AS "ms" FROM "MetricPoint" p
                            WHERE p."runId" = s."runId" AND p."key" = s."key" ORDER BY p."step" LIMIT 1) f
      WHERE s."runId" = $1`,
    [runId],
  );
  return Number(rows[0]?.ms ?? 0);
}

/** Points a live event carries at most; a run that wrote more is caught up over the next events. */
const livePointLimit = 5_000;

export interface LivePoints {
  key: string;
  steps: number[];
  values: number[];
  /** Epoch ms of each point. */
  wallMs: number[];
}

/** New points of `keys` after each key's step in `after`, oldest first, at most livePointLimit in all. */
async function pointsAfter(pool: pg.Pool, runId: string, keys: string[], after: Record<string, number>): Promise<LivePoints[]> {
  const { rows } = await pool.query<{ key: string; step: number; value: number; ms: number }>(
    `SELECT p."key", p."step", p."value", extract(epoch FROM p."wallTime") * 1000 AS "ms"
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
    series.wallMs.push(Number(row.ms));
    byKey.set(row.key, series);
  }
  return [...byKey.values()];
}

export const metricsRouter = router({
  /**
   * New metric points as the worker stores them, over SSE: woken by the
   * NOTIFY after each metric flush, each event carries the points after the
   * previous event's. The event id is the last step sent per key, so a
   * reconnect resumes exactly where it stopped. Ends when the run has ended
   * and every point was sent.
   */
  live: viewerProcedure.input(liveMetricsInput).subscription(async function* ({ ctx, input, signal }) {
    const hub = ctx.hub;
    if (!hub) throw new TRPCError({ code: "METHOD_NOT_SUPPORTED", message: "This server has no live updates; poll metrics.series" });
    let after: Record<string, number> = { ...input.after };
    if (input.lastEventId) {
      try {
        after = liveMetricsPosition.parse(JSON.parse(input.lastEventId));
      } catch {
        throw new TRPCError({ code: "BAD_REQUEST", message: "lastEventId: not one this API sent; start without it" });
      }
    }
    let pending = true;
    let wake: (() => void) | undefined;
    const unlisten = await hub.listen(runEventsChannel, (event) => {
      if (event.runId !== input.runId || (event.kind !== "metrics" && event.kind !== "status")) return;
      pending = true;
      wake?.();
    });
    const onAbort = () => wake?.();
    signal?.addEventListener("abort", onAbort);
    try {
      while (!signal?.aborted) {
        if (!pending) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        pending = false;
        // The status is read before the points: points stored before a run ended are all in this read.
        const { rows } = await ctx.pool.query<{ status: string }>(`SELECT "status" FROM "Run" WHERE "id" = $1`, [input.runId]);
        if (!rows[0]) throw new TRPCError({ code: "NOT_FOUND", message: `runId: run ${input.runId} does not exist` });
        const points = await pointsAfter(ctx.pool, input.runId, input.keys, after);
        const count = points.reduce((n, p) => n + p.steps.length, 0);
        if (count > 0) {
          for (const p of points) after[p.key] = p.steps.at(-1) as number;
          yield tracked(JSON.stringify(after), points);
        }
        if (count >= livePointLimit) pending = true;
        else if (terminalStatuses.includes(rows[0].status as (typeof terminalStatuses)[number])) return;
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      await unlisten();
    }
  }),

  keys: viewerProcedure.input(z.object({ runId: z.string().uuid() })).query(async ({ ctx, input }) => {
    const { rows } = await ctx.pool.query<{
      key: string;
      count: number;
      last: number;
      lastStep: number;
      min: number | null;
      max: number | null;
    }>(`SELECT "key", "count", "last", "lastStep", "min", "max" FROM "MetricSummary" WHERE "runId" = $1 ORDER BY "key"`, [input.runId]);
    return rows;
  }),

  /**
   * Downsampled series (at most maxPoints each, min/max kept) for several
   * runs and keys at once, as parallel arrays: x (step, wall ms or relative
   * seconds), the step of each point and its value.
   */
  series: viewerProcedure.input(seriesInput).query(async ({ ctx, input }) => {
    const origins = new Map(
      await Promise.all(
        input.runIds.map(async (runId) => [runId, input.x === "relative" ? await firstPointMs(ctx.pool, runId) : 0] as const),
      ),
    );
    const pairs = input.runIds.flatMap((runId) => input.keys.map((key) => ({ runId, key })));
    return Promise.all(
      pairs.map(async ({ runId, key }) => {
        const series = await readSeries(ctx.pool, {
          runId,
          key,
          fromStep: input.fromStep,
          toStep: input.toStep,
          maxPoints: input.maxPoints,
        });
        const steps = series.points.map((p) => p.step);
        return {
          runId,
          key,
          x: await xValues(ctx.pool, runId, key, steps, input.x, origins.get(runId) ?? 0),
          steps,
          values: series.points.map((p) => p.value),
          count: series.count,
          downsampled: series.downsampled,
        };
      }),
    );
  }),

  /**
   * One metric of many runs, each downsampled to a few dozen points with its
   * extremes kept (the same rollup reads as series), for sparklines. Runs
   * without the metric come back with no points.
   */
  sparklines: viewerProcedure.input(sparklinesInput).query(({ ctx, input }) =>
    Promise.all(
      [...new Set(input.runIds)].map(async (runId) => {
        const { points } = await readSeries(ctx.pool, { runId, key: input.key, maxPoints: input.points });
        return { runId, steps: points.map((p) => p.step), values: points.map((p) => p.value) };
      }),
    ),
  ),
});
