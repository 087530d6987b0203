import { logger } from "@hindcast/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { readJsonArtifact } from "../artifacts.js";
import { type RunSummaryRow, resultSummaryColumn, runColumnKeys, runRowsByIds } from "../run-list.js";
import { compareRunsInput, metricKey } from "../schemas.js";
import { router, viewerProcedure } from "../trpc.js";

const runRowsInput = z.object({
  ids: z.array(z.string().uuid()).max(500),
  metricKeys: z.array(metricKey).max(20).default([]),
});

const windowsInput = z.object({ ids: z.array(z.string().uuid()).min(1).max(20) });

/** The part of a results.json (a run's, or a parallel retrodiction's) that says which windows it scored. */
const scoredWindows = z.object({
  windows: z.array(z.object({ window: z.object({ startDate: z.string(), endDate: z.string() }) })),
});

interface ScoredWindow {
  startDate: string;
  endDate: string;
}

/** A run's retrodiction windows in date order, or null when its results.json cannot be read as one. */
async function windowsOf(runId: string, uri: string): Promise<ScoredWindow[] | null> {
  try {
    const parsed = scoredWindows.safeParse(await readJsonArtifact(uri));
    if (!parsed.success) return null;
    return parsed.data.windows
      .map(({ window }) => ({ startDate: window.startDate, endDate: window.endDate }))
      .sort((a, b) => a.startDate.localeCompare(b.startDate));
  } catch (error) {
    // The reason names a server path: it goes to the log, not to the client.
    logger.warn({ err: error, runId }, "results.json cannot be read");
    return null;
  }
}

export const compareRouter = router({
  /** The param and metric keys runs have, for choosing table columns and compare axes. */
  columns: viewerProcedure.query(({ ctx }) => runColumnKeys(ctx.pool)),

  /** Rows of the runs table for these runs, as training.list returns them: the table refreshes its active runs with it. */
  rows: viewerProcedure.input(runRowsInput).query(({ ctx, input }) => runRowsByIds(ctx.pool, input.ids, input.metricKeys)),

  /**
   * The retrodiction windows each run was scored on (dates only, from its
   * results.json), in the order asked; null for a run without results. Apart
   * from compare.runs, which polls while runs are active: the files are read
   * once per set of finished runs.
   */
  windows: viewerProcedure.input(windowsInput).query(async ({ ctx, input }) => {
    const { rows } = await ctx.pool.query<{ runId: string; uri: string }>(
      `SELECT "runId", "uri" FROM "Artifact" WHERE "runId" = ANY($1::uuid[]) AND "name" = 'results.json'`,
      [input.ids],
    );
    return Promise.all(
      input.ids.map(async (id) => {
        const uri = rows.find((row) => row.runId === id)?.uri;
        return { id, windows: uri ? await windowsOf(id, uri) : null };
      }),
    );
  }),

  /** Parameters that differ between the runs (and those they share), and last/best values of every metric. */
  runs: viewerProcedure.input(compareRunsInput).query(async ({ ctx, input }) => {
    const runs = await ctx.pool.query<{
      id: string;
      name: string | null;
      status: RunSummaryRow["status"];
      params: Record<string, unknown>;
      resultSummary: unknown;
    }>(`SELECT r."id", r."name", r."status", r."params", ${resultSummaryColumn} FROM "Run" r WHERE r."id" = ANY($1::uuid[])`, [input.ids]);
    const missing = input.ids.filter((id) => !runs.rows.some((r) => r.id === id));
    if (missing.length) throw new TRPCError({ code: "NOT_FOUND", message: `No run ${missing.join(", ")}` });
    const ordered = input.ids.map((id) => runs.rows.find((r) => r.id === id) as (typeof runs.rows)[number]);
    const keys = [...new Set(ordered.flatMap((r) => Object.keys(r.params)))].sort();
    const byKey = keys.map((key) => [key, ordered.map((r) => r.params[key] ?? null)] as const);
    const same = (values: readonly unknown[]) => values.every((v) => JSON.stringify(v) === JSON.stringify(values[0]));
    const differing = Object.fromEntries(byKey.filter(([, values]) => !same(values)));
    const shared = Object.fromEntries(byKey.filter(([, values]) => same(values)).map(([key, values]) => [key, values[0]]));
    const summaries = await ctx.pool.query<{
      runId: string;
      key: string;
      last: number;
      min: number | null;
      max: number | null;
      lastStep: number;
    }>(`SELECT "runId", "key", "last", "min", "max", "lastStep" FROM "MetricSummary" WHERE "runId" = ANY($1::uuid[]) ORDER BY "key"`, [
      input.ids,
    ]);
    const metricKeys = [...new Set(summaries.rows.map((s) => s.key))];
    const metrics = Object.fromEntries(
      metricKeys.map((key) => [
        key,
        ordered.map((run) => {
          const s = summaries.rows.find((row) => row.runId === run.id && row.key === key);
          return s ? { last: s.last, min: s.min, max: s.max, lastStep: s.lastStep } : null;
        }),
      ]),
    );
    return {
      runs: ordered.map(({ id, name, status, resultSummary }) => ({ id, name, status, resultSummary })),
      differing,
      shared,
      metrics,
    };
  }),
});
