import { readSeries } from "@hindcast/db";
import type pg from "pg";
import { z } from "zod";
import { seriesInput } from "../schemas.js";
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

export const metricsRouter = router({
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
});
