import { readSeries } from "@hindcast/db";
import { z } from "zod";
import { seriesInput } from "../schemas.js";
import { router, viewerProcedure } from "../trpc.js";

export const metricsRouter = router({
  keys: viewerProcedure.input(z.object({ runId: z.string().uuid() })).query(async ({ ctx, input }) => {
    const { rows } = await ctx.pool.query(
      `SELECT "key", "count", "last", "lastStep", "min", "max" FROM "MetricSummary" WHERE "runId" = $1 ORDER BY "key"`,
      [input.runId],
    );
    return rows;
  }),

  /** Downsampled series (at most maxPoints each, min/max kept) for several runs and keys at once; x = step. */
  series: viewerProcedure.input(seriesInput).query(async ({ ctx, input }) => {
    const pairs = input.runIds.flatMap((runId) => input.keys.map((key) => ({ runId, key })));
    return Promise.all(
      pairs.map(async ({ runId, key }) => ({
        runId,
        key,
        ...(await readSeries(ctx.pool, { runId, key, fromStep: input.fromStep, toStep: input.toStep, maxPoints: input.maxPoints })),
      })),
    );
  }),
});
