import { readSeries } from "@hindcast/db";
import type pg from "pg";
import { z } from "zod";
import { seriesInput } from "../schemas.js";
import { router, viewerProcedure } from "../trpc.js";

type XAxis = z.output<typeof seriesInput>["x"];

/**
 * The x of each downsampled point: its step, or the wall time of that step
 * (epoch ms, or seconds since the run's first point), looked up by primary
 * key for the few thousand steps the downsampled series kept.
 */
async function xValues(pool: pg.Pool, runId: string, key: string, steps: number[], x: XAxis): Promise<number[]> {
  if (x === "step" || steps.length === 0) return steps;
  const { rows } = await pool.query<{ step: number; ms: number }>(
    `SELECT "step", extract(epoch FROM "wallTime") * 1000 AS "ms" FROM "MetricPoint" WHERE "runId" = $1 AND "key" = $2 AND "step" = ANY($3::int[])`,
    [runId, key, steps],
  );
  const first = await pool.query<{ ms: number }>(
    `SELECT extract(epoch FROM "wallTime") * 1000 AS "ms" FROM "MetricPoint" WHERE "runId" = $1 AND "key" = $2 ORDER BY "step" LIMIT 1`,
    [runId, key],
  );
  const byStep = new Map(rows.map((r) => [r.step, Number(r.ms)]));
  const origin = Number(first.rows[0]?.ms ?? 0);
  return steps.map((step) => {
    const ms = byStep.get(step) ?? Number.NaN;
    return x === "wall" ? ms : (ms - origin) / 1000;
  });
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
          x: await xValues(ctx.pool, runId, key, steps, input.x),
          steps,
          values: series.points.map((p) => p.value),
          count: series.count,
          downsampled: series.downsampled,
        };
      }),
    );
  }),
});
