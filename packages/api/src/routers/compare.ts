import { compareRuns, runColumnKeys, runRowsByIds } from "@hindcast/db";
import { z } from "zod";
import { readScoredWindows } from "../run-results";
import { compareRunsInput, metricKey } from "../schemas";
import { router, viewerProcedure } from "../trpc";

const runRowsInput = z.object({
  ids: z.array(z.string().uuid()).max(500),
  metricKeys: z.array(metricKey).max(20).default([]),
});

const windowsInput = z.object({ ids: z.array(z.string().uuid()).min(1).max(20) });

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
  windows: viewerProcedure.input(windowsInput).query(({ ctx, input }) => readScoredWindows(ctx.pool, input.ids)),

  /** Parameters that differ between the runs (and those they share), and last/best values of every metric. */
  runs: viewerProcedure.input(compareRunsInput).query(({ ctx, input }) => compareRuns(ctx.pool, input.ids)),
});
