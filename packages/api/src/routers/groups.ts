import { groupRuns, readGroupSeries } from "@hindcast/db";
import { groupSeriesInput, runGroupsInput } from "../schemas";
import { router, viewerProcedure } from "../trpc";

/** The runs table grouped by a param, tag, experiment or run group: each group's spread, and its runs' metric as a band. */
export const groupsRouter = router({
  /** Runs matching the filters, grouped, largest groups first: count, and mean, std, min, max and best of each metric. */
  list: viewerProcedure.input(runGroupsInput).query(({ ctx, input }) => groupRuns(ctx.pool, input)),

  /** A metric of one group's runs (the newest 50) per step bucket: mean, std, min and max across them, and each run's line on request. */
  series: viewerProcedure.input(groupSeriesInput).query(({ ctx, input }) => readGroupSeries(ctx.pool, input)),
});
