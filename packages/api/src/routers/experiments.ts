import { plainText } from "@hindcast/models/text";
import type pg from "pg";
import { z } from "zod";
import { displayName } from "../schemas.js";
import { operatorProcedure, router, viewerProcedure } from "../trpc.js";

export interface ExperimentRow {
  id: string;
  name: string;
  description: string | null;
  createdAt: Date;
  runs: number;
  /** Runs queued, running or cancelling. */
  active: number;
  lastRunAt: Date | null;
}

export const experimentsRouter = router({
  /** Experiments with their run counts by status, most recently active first. */
  list: viewerProcedure.query(async ({ ctx }) => {
    const { rows } = await ctx.pool.query<ExperimentRow>(
      `SELECT e."id", e."name", e."description", e."createdAt",
              count(r."id")::int AS "runs",
              count(r."id") FILTER (WHERE r."status" IN ('QUEUED', 'RUNNING', 'CANCELLING'))::int AS "active",
              max(r."createdAt") AS "lastRunAt"
         FROM "Experiment" e LEFT JOIN "Run" r ON r."experimentId" = e."id"
        GROUP BY e."id" ORDER BY max(r."createdAt") DESC NULLS LAST, e."createdAt" DESC`,
    );
    return rows;
  }),

  create: operatorProcedure
    .input(z.object({ name: displayName, description: plainText({ multiline: true }).max(2_000).optional() }))
    .mutation(async ({ ctx, input }) => {
      return { id: await ensureExperiment(ctx.pool, input.name, ctx.user.id, input.description) };
    }),
});

/** The id of the experiment with this name, created if missing (names are unique). */
export async function ensureExperiment(pool: pg.Pool, name: string, userId: string, description?: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "Experiment" ("id", "name", "description", "createdById", "updatedAt") VALUES (gen_random_uuid(), $1, $2, $3, now())
     ON CONFLICT ("name") DO UPDATE SET "description" = coalesce(excluded."description", "Experiment"."description"), "updatedAt" = now()
     RETURNING "id"`,
    [name, description ?? null, userId],
  );
  return (rows[0] as { id: string }).id;
}
