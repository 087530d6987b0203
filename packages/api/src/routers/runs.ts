import type { ForecastReport, WindowResult } from "@hindcast/models";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { readJsonArtifact } from "../artifacts.js";
import { runIdInput } from "../schemas.js";
import { router, viewerProcedure } from "../trpc.js";

/** What a run left behind: logs, artifacts and its retrodiction results. */
export const runsRouter = router({
  /** Log lines after `afterId` (oldest first), or the newest `limit` when no `afterId` is given. */
  logs: viewerProcedure
    .input(
      runIdInput.extend({
        afterId: z.string().regex(/^\d+$/, "use the id of a log line").optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { rows } = await ctx.pool.query<{ id: string; attempt: number; level: string; message: string; fields: unknown; at: Date }>(
        input.afterId
          ? `SELECT "id"::text, "attempt", "level", "message", "fields", "at" FROM "LogLine" WHERE "runId" = $1 AND "id" > $2::bigint ORDER BY "id" LIMIT $3`
          : `SELECT * FROM (SELECT "id"::text, "attempt", "level", "message", "fields", "at" FROM "LogLine" WHERE "runId" = $1 AND $2::bigint IS NULL ORDER BY "id" DESC LIMIT $3) l ORDER BY "id"`,
        [input.id, input.afterId ?? null, input.limit],
      );
      return rows;
    }),

  artifacts: viewerProcedure.input(runIdInput).query(async ({ ctx, input }) => {
    const { rows } = await ctx.pool.query<{
      id: string;
      name: string;
      kind: string;
      contentType: string | null;
      sizeBytes: string | null;
      createdAt: Date;
    }>(
      `SELECT "id", "name", "kind", "contentType", "sizeBytes"::text, "createdAt" FROM "Artifact" WHERE "runId" = $1 ORDER BY "kind", "name"`,
      [input.id],
    );
    return rows.map((row) => ({
      ...row,
      sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
      url: `/api/artifacts/${row.id}`,
    }));
  }),

  /** The run's results.json (per-window forecasts and metrics against the baselines), or null before it exists. */
  results: viewerProcedure.input(runIdInput).query(async ({ ctx, input }) => {
    const { rows } = await ctx.pool.query<{ uri: string }>(`SELECT "uri" FROM "Artifact" WHERE "runId" = $1 AND "name" = 'results.json'`, [
      input.id,
    ]);
    if (!rows[0]) return null;
    try {
      return (await readJsonArtifact(rows[0].uri)) as RetrodictionResults;
    } catch (error) {
      throw new TRPCError({ code: "NOT_FOUND", message: `results.json of run ${input.id} cannot be read: ${(error as Error).message}` });
    }
  }),
});

/** results.json as the engine's persist stage writes it (the parts the dashboard reads). */
export interface RetrodictionResults {
  windows: Pick<WindowResult, "window" | "report" | "dates" | "predictions" | "maseScale">[];
  overall: ForecastReport | null;
  summary: Record<string, unknown> | null;
  backend: { backend: string; notes?: string[] } | null;
  stopReason?: string;
}
