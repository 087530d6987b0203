import { cancelRun, countRuns, listRuns, liveRunState, readRunDetails, resolveRunIds } from "@hindcast/db";
import { plainText } from "@hindcast/models";
import { tracked } from "@trpc/server";
import { liveHub } from "../context";
import { cloneRun, startRun } from "../run-start";
import { cloneRunInput, listRunsInput, resolveRunIdsInput, runFiltersInput, runIdInput, startTrainingInput } from "../schemas";
import { operatorProcedure, router, viewerProcedure } from "../trpc";

export const trainingRouter = router({
  start: operatorProcedure.input(startTrainingInput).mutation(({ ctx, input }) => startRun(ctx.pool, ctx.user.id, input)),

  /** The same spec again as a new run (a finished, failed or cancelled one). */
  retry: operatorProcedure.input(runIdInput).mutation(({ ctx, input }) => cloneRun(ctx.pool, ctx.user.id, { id: input.id, set: {} }, true)),

  clone: operatorProcedure.input(cloneRunInput).mutation(({ ctx, input }) => cloneRun(ctx.pool, ctx.user.id, input)),

  cancel: operatorProcedure.input(runIdInput).mutation(({ ctx, input }) => cancelRun(ctx.pool, input.id, `cancelled by ${ctx.user.email}`)),

  /** A run with its spec, stage events and metric summaries. */
  get: viewerProcedure.input(runIdInput).query(({ ctx, input }) => readRunDetails(ctx.pool, input.id)),

  /**
   * Live status and progress of a run over SSE, with its metric summaries:
   * the current state first (so a reconnect loses nothing), then a fresh
   * state after every change the worker NOTIFYs, coalesced; ends when the
   * run does.
   */
  events: viewerProcedure.input(runIdInput.extend({ lastEventId: plainText().max(10_000).nullish() })).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const hub = liveHub(ctx, "training.get");
    let sequence = 0;
    for await (const run of liveRunState(ctx.pool, hub, input.id, signal)) yield tracked(`${Date.now()}-${sequence++}`, run);
  }),

  list: viewerProcedure.input(listRunsInput).query(({ ctx, input }) => listRuns(ctx.pool, input)),

  /** The whole ids of run id prefixes (the 8 characters the CLI prints), in order: each must match exactly one run. */
  resolveIds: viewerProcedure
    .input(resolveRunIdsInput)
    .query(async ({ ctx, input }) => ({ ids: await resolveRunIds(ctx.pool, input.prefixes) })),

  /** Runs matching a list's filters: how many by status, and how many of those with a retrodiction beat the naive forecast. */
  summary: viewerProcedure.input(runFiltersInput).query(({ ctx, input }) => countRuns(ctx.pool, input)),
});
