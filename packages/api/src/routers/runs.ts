import { logger } from "@hindcast/db";
import {
  type BaselineForecast,
  type BaselineName,
  type BaselineReport,
  baselineTitles,
  type ErrorMetrics,
  type ForecastReport,
  type Predictions,
  type WindowResult,
} from "@hindcast/models";
import { TRPCError } from "@trpc/server";
import type pg from "pg";
import { z } from "zod";
import { readJsonArtifact } from "../artifacts.js";
import { bigintId, runIdInput } from "../schemas.js";
import { router, viewerProcedure } from "../trpc.js";

/** What a run left behind: logs, artifacts and its retrodiction results. */
export const runsRouter = router({
  /** Log lines after `afterId` (oldest first), or the newest `limit` when no `afterId` is given. */
  logs: viewerProcedure
    .input(
      runIdInput.extend({
        afterId: bigintId.optional(),
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
    const file = (await readResults(input.id, rows[0].uri)) as StoredResults & { children?: string[] };
    if (!Array.isArray(file.children)) return upgradeResults(file);
    return {
      windows: await childWindows(ctx.pool, input.id),
      overall: file.overall ? upgradeReport(file.overall) : null,
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
    // The reason names a server path: it goes to the log, not to the client.
    logger.warn({ err: error, runId }, "results.json cannot be read");
    throw new TRPCError({ code: "NOT_FOUND", message: `results.json of run ${runId} cannot be read from the artifact store` });
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
  const files = await Promise.all(rows.map(async (row) => upgradeResults((await readResults(row.runId, row.uri)) as StoredResults)));
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

/** What runs that finished before the classical baselines saved: naive and seasonal naive only. */
interface LegacyPredictions {
  actual: number[];
  predicted: number[];
  naive: number[];
  seasonalNaive: number[];
  reference: number[];
}
interface LegacyReport extends ErrorMetrics {
  count: number;
  baselines: { naive: ErrorMetrics; seasonalNaive: ErrorMetrics };
  skill: { rmseVsNaive: number; rmseVsSeasonalNaive: number; maeVsNaive: number; maeVsSeasonalNaive: number };
}
type StoredWindow = Omit<RetrodictionResults["windows"][number], "predictions" | "report"> & {
  predictions: Predictions | LegacyPredictions;
  report: ForecastReport | LegacyReport;
};
type StoredResults = Omit<RetrodictionResults, "windows" | "overall"> & {
  windows: StoredWindow[];
  overall: ForecastReport | LegacyReport | null;
};

const notComputed = "not computed: this run finished before Hindcast fitted this baseline";

/** A results.json of either shape in the current one, so readers meet one shape; older runs show the baselines they had. */
function upgradeResults<T extends StoredResults>(file: T): T & RetrodictionResults {
  return {
    ...file,
    windows: (file.windows ?? []).map((w) => ({ ...w, predictions: upgradePredictions(w.predictions), report: upgradeReport(w.report) })),
    overall: file.overall ? upgradeReport(file.overall) : null,
  };
}

function upgradePredictions(p: Predictions | LegacyPredictions): Predictions {
  if (!("naive" in p)) return p;
  const { naive, seasonalNaive, ...rest } = p;
  const computed = (name: BaselineName, predicted: number[]): BaselineForecast => ({
    label: baselineTitles[name],
    params: {},
    predicted,
    bands: null,
    fitMs: 0,
  });
  const missing = (name: BaselineName): BaselineForecast => ({ label: baselineTitles[name], unavailable: notComputed });
  return {
    ...rest,
    // The horizon step of each prediction was not saved: no per-step errors for these runs.
    step: [],
    bands: null,
    baselines: {
      naive: computed("naive", naive),
      seasonalNaive: computed("seasonalNaive", seasonalNaive),
      ar: missing("ar"),
      arima: missing("arima"),
      ets: missing("ets"),
      theta: missing("theta"),
    },
  };
}

function upgradeReport(report: ForecastReport | LegacyReport): ForecastReport {
  if ("verdict" in report) return report;
  const { count, skill } = report;
  const baseline = (name: BaselineName, metrics: ErrorMetrics, skillRmse: number, skillMae: number): BaselineReport => ({
    ...metrics,
    label: baselineTitles[name],
    count,
    intervals: null,
    skillRmse,
    skillMae,
  });
  return {
    ...report,
    intervals: null,
    byStep: [],
    baselines: {
      naive: baseline("naive", report.baselines.naive, skill.rmseVsNaive, skill.maeVsNaive),
      seasonalNaive: baseline("seasonalNaive", report.baselines.seasonalNaive, skill.rmseVsSeasonalNaive, skill.maeVsSeasonalNaive),
    },
    unavailable: { ar: notComputed, arima: notComputed, ets: notComputed, theta: notComputed },
    // No verdict: "beats every classical baseline" would claim more than these two baselines can tell.
    skill: { ...skill, rmseVsBest: Math.min(skill.rmseVsNaive, skill.rmseVsSeasonalNaive) },
    verdict: null,
  };
}
