import { UserFacingError } from "@hindcast/contracts";
import { liveMetricPoints, readMetricKeys, readSeriesSet, readSparklines } from "@hindcast/db";
import { tracked } from "@trpc/server";
import { z } from "zod";
import { liveHub } from "../context";
import { liveMetricsInput, liveMetricsPosition, seriesInput, sparklinesInput } from "../schemas";
import { router, viewerProcedure } from "../trpc";

/** Where a live stream starts: after the event the client last had (its id is the position), or after `after`. */
function livePosition({ after, lastEventId }: z.output<typeof liveMetricsInput>): Record<string, number> {
  if (!lastEventId) return after;
  try {
    return liveMetricsPosition.parse(JSON.parse(lastEventId));
  } catch {
    throw new UserFacingError("lastEventId is not one this API sent", "start without it", { path: "lastEventId" });
  }
}

export const metricsRouter = router({
  /**
   * New metric points as the worker stores them, over SSE: each event carries
   * the points after the previous event's. The event id is the last step sent
   * per key, so a reconnect resumes exactly where it stopped. Ends when the
   * run has ended and every point was sent.
   */
  live: viewerProcedure.input(liveMetricsInput).subscription(async function* ({ ctx, input, signal }) {
    const hub = liveHub(ctx, "metrics.series");
    const request = { runId: input.runId, keys: input.keys, after: livePosition(input) };
    for await (const { position, points } of liveMetricPoints(ctx.pool, hub, request, signal)) {
      yield tracked(JSON.stringify(position), points);
    }
  }),

  keys: viewerProcedure.input(z.object({ runId: z.string().uuid() })).query(({ ctx, input }) => readMetricKeys(ctx.pool, input.runId)),

  /**
   * Downsampled series (at most maxPoints each, min/max kept) for several
   * runs and keys at once, as parallel arrays: x (step, wall ms or relative
   * seconds), the step of each point and its value.
   */
  series: viewerProcedure.input(seriesInput).query(({ ctx, input }) => readSeriesSet(ctx.pool, input)),

  /**
   * One metric of many runs, each downsampled to a few dozen points with its
   * extremes kept (the same rollup reads as series), for sparklines. Runs
   * without the metric come back with no points.
   */
  sparklines: viewerProcedure
    .input(sparklinesInput)
    .query(({ ctx, input }) => readSparklines(ctx.pool, input.runIds, input.key, input.points)),
});
