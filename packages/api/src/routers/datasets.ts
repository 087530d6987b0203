import { CsvImportError, importCsv, listAllDatasets, loadAnyDataset, summarizeReport } from "@hindcast/datasets";
import { assertDatasetName, saveDataset } from "@hindcast/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { operatorProcedure, router, viewerProcedure } from "../trpc.js";

export const datasetsRouter = router({
  list: viewerProcedure.query(({ ctx }) => listAllDatasets(ctx.pool)),

  /** The first rows of a dataset, for the start form and the CLI. */
  preview: viewerProcedure
    .input(z.object({ name: z.string().min(1), rows: z.number().int().min(1).max(500).default(20) }))
    .query(async ({ ctx, input }) => {
      const dataset = await loadAnyDataset(ctx.pool, input.name).catch((error: Error) => {
        throw new TRPCError({ code: "NOT_FOUND", message: error.message });
      });
      const n = Math.min(input.rows, dataset.dates.length);
      return {
        name: dataset.name,
        totalRows: dataset.dates.length,
        columns: Object.keys(dataset.columns),
        rows: dataset.dates.slice(0, n).map((date, r) => ({ date, values: Object.values(dataset.columns).map((col) => col[r] ?? null) })),
      };
    }),

  /** Imports a CSV into PostgreSQL; the answer says what was rejected and why. */
  upload: operatorProcedure
    .input(
      z.object({
        name: z.string(),
        csv: z.string().min(1).max(50_000_000),
        description: z.string().max(2_000).optional(),
        dateColumn: z.string().optional(),
        pivotBy: z.string().optional(),
        onUnsorted: z.enum(["sort", "reject"]).default("sort"),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      assertDatasetName(input.name);
      if ((await listAllDatasets(ctx.pool)).some((d) => d.builtin && d.name === input.name)) {
        throw new TRPCError({ code: "CONFLICT", message: `name: "${input.name}" is a built-in dataset; choose another name` });
      }
      let imported: ReturnType<typeof importCsv>;
      try {
        imported = importCsv(input.csv, {
          name: input.name,
          source: `upload:${input.name}`,
          description: input.description,
          dateColumn: input.dateColumn,
          pivotBy: input.pivotBy,
          onUnsorted: input.onUnsorted,
        });
      } catch (error) {
        if (error instanceof CsvImportError) throw new TRPCError({ code: "BAD_REQUEST", message: `csv: ${error.message}`, cause: error });
        throw error;
      }
      await saveDataset(ctx.pool, { ...imported.dataset, frequency: imported.report.frequency });
      return { name: input.name, report: imported.report, summary: summarizeReport(imported.report) };
    }),
});
