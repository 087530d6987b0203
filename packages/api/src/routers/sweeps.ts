import { changeSweep } from "@hindcast/db";
import { sweepSpecSchema } from "@hindcast/sweeps";
import { z } from "zod";
import { startSweep, sweepDetails, sweepSummaries, trainBest } from "../sweeps";
import { operatorProcedure, router, viewerProcedure } from "../trpc";

const sweepIdInput = z.object({ id: z.uuid("use a sweep id (hindcast sweep list shows them)") });

/** Hyperparameter sweeps: their trials are runs on the normal queue (see apps/worker/src/sweep-step.ts). */
export const sweepsRouter = router({
  start: operatorProcedure.input(sweepSpecSchema).mutation(({ ctx, input }) => startSweep(ctx.pool, ctx.user.id, input)),

  list: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => sweepSummaries(ctx.pool, input.limit)),

  /** A sweep with its trials (values, objective, rungs), the best so far and the importance of each searched field. */
  get: viewerProcedure.input(sweepIdInput).query(({ ctx, input }) => sweepDetails(ctx.pool, input.id)),

  pause: operatorProcedure.input(sweepIdInput).mutation(({ ctx, input }) => changeSweep(ctx.pool, input.id, "pause", ctx.user.email)),
  resume: operatorProcedure.input(sweepIdInput).mutation(({ ctx, input }) => changeSweep(ctx.pool, input.id, "resume", ctx.user.email)),
  cancel: operatorProcedure.input(sweepIdInput).mutation(({ ctx, input }) => changeSweep(ctx.pool, input.id, "cancel", ctx.user.email)),

  /** The best trial's config as a new run on the base spec: all the data, scored on the final comparison's windows. */
  trainBest: operatorProcedure.input(sweepIdInput).mutation(({ ctx, input }) => trainBest(ctx.pool, ctx.user.id, input.id)),
});
