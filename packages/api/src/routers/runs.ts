import type { ForecastReport, WindowResult } from "@hindcast/models";
import { TRPCError } from "@trpc/server";
import type pg from "pg";
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
      // Newest first inside (for the tail), oldest first out; sorted by the bigint id, never its text ("10" < "9").
      const { rows } = await ctx.pool.query<{ id: string; attempt: number; level: string; message: string; fields: unknown; at: Date }>(
        `SELECT l."id"::text AS "id", l."attempt", l."level", l."message", l."fields", l."at"
           FROM (SELECT * FROM "LogLine" WHERE "runId" = $1 AND ($2::bigint IS NULL OR "id" > $2::bigint)
                  ORDER BY "id" ${input.afterId ? "ASC" : "DESC"} LIMIT $3) l
          ORDER BY l."id"`,
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
    const file = (await readResults(input.id, rows[0].uri)) as RetrodictionResults & { children?: string[] };
    if (!Array.isArray(file.children)) return file;
    return {
      windows: await childWindows(ctx.pool, input.id),
      overall: file.overall ?? null,
      summary: file.summary ?? null,
      backend: file.backend ?? null,
      stopReason: file.stopReason,
    };
  }),
});

async function readResults(runId: string, uri: string): Promise<unknown> {
  try {
    return await readJsonArtifact(uri);
  } catch (error) {
    throw new TRPCError({ code: "NOT_FOUND", message: `results.json of run ${runId} cannot be read: ${(error as Error).message}` });
  }
}

/**
 * A parallel retrodiction's own results.json keeps only per-window metrics;
 * the forecasts are in its children's (one window each, all numbered 0), so
 * the windows come from there, renumbered in date order.
 */
async function childWindows(pool: pg.Pool, parentId: string): Promise<RetrodictionResults["windows"]> {
  const { rows } = await pool.query<{ runId: string; uri: string }>(
    `SELECT a."runId", a."uri" FROM "Artifact" a JOIN "Run" r ON r."id" = a."runId" WHERE r."parentId" = $1 AND a."name" = 'results.json'`,
    [parentId],
  );
  const files = await Promise.all(rows.map((row) => readResults(row.runId, row.uri) as Promise<RetrodictionResults>));
  return files
    .flatMap((file) => file.windows)
    .sort((a, b) => a.window.startDate.localeCompare(b.window.startDate))
    .map((w, index) => ({ ...w, window: { ...w.window, index } }));
}

/** results.json as the engine's persist stage writes it (the parts the dashboard reads). */
export interface RetrodictionResults {
  windows: Pick<WindowResult, "window" | "report" | "dates" | "predictions" | "maseScale">[];
  overall: ForecastReport | null;
  summary: Record<string, unknown> | null;
  backend: { backend: string; notes?: string[] } | null;
  stopReason?: string;
}
