import { readRunArtifacts, readRunLogs } from "@hindcast/db";
import { z } from "zod";
import { readRunResults } from "../run-results";
import { bigintId, runIdInput } from "../schemas";
import { router, viewerProcedure } from "../trpc";

/** What a run left behind: logs, artifacts and its retrodiction results. */
export const runsRouter = router({
  /** Log lines after `afterId` (oldest first), or the newest `limit` when no `afterId` is given. */
  logs: viewerProcedure
    .input(runIdInput.extend({ afterId: bigintId.optional(), limit: z.number().int().min(1).max(1000).default(200) }))
    .query(({ ctx, input }) => readRunLogs(ctx.pool, input.id, input.afterId, input.limit)),

  artifacts: viewerProcedure.input(runIdInput).query(({ ctx, input }) => readRunArtifacts(ctx.pool, input.id)),

  /** The run's results.json (per-window forecasts and metrics against the baselines), or null before it exists. */
  results: viewerProcedure.input(runIdInput).query(({ ctx, input }) => readRunResults(ctx.pool, input.id)),
});
