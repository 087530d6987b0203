import { ensureExperiment, listExperiments } from "@hindcast/db";
import { plainText } from "@hindcast/models/text";
import { z } from "zod";
import { displayName } from "../schemas";
import { operatorProcedure, router, viewerProcedure } from "../trpc";

export const experimentsRouter = router({
  /** Experiments with their run counts by status, most recently active first. */
  list: viewerProcedure.query(({ ctx }) => listExperiments(ctx.pool)),

  create: operatorProcedure
    .input(z.object({ name: displayName, description: plainText({ multiline: true }).max(2_000).optional() }))
    .mutation(async ({ ctx, input }) => ({ id: await ensureExperiment(ctx.pool, input.name, ctx.user.id, input.description) })),
});
