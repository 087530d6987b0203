import { maxDatasetCells } from "@hindcast/datasets";
import { plainText } from "@hindcast/models/text";
import { z } from "zod";
import { maxUploadCsvChars } from "../body-limits";
import { listDatasetsWithRows, previewDataset, readDataset, uploadDataset } from "../datasets";
import { csvDateFormat } from "../schemas";
import { operatorProcedure, router, viewerProcedure } from "../trpc";

const datasetName = plainText().min(1).max(200);

export const datasetsRouter = router({
  /** Built-in and uploaded datasets; built-ins are counted from their (cached) files. */
  list: viewerProcedure.query(({ ctx }) => listDatasetsWithRows(ctx.pool)),

  /** A whole dataset (dates and every column), for training in the browser (/preview). */
  data: viewerProcedure.input(z.object({ name: datasetName })).query(({ ctx, input }) => readDataset(ctx.pool, input.name)),

  /** What the dashboard checks before sending a CSV. */
  limits: viewerProcedure.query(() => ({ maxUploadCsvChars, maxDatasetCells })),

  /**
   * The first rows of a dataset, for the start form and the CLI; with
   * `chartColumn`, that column over the whole range, thinned to `chartPoints`.
   */
  preview: viewerProcedure
    .input(
      z.object({
        name: datasetName,
        rows: z.number().int().min(1).max(500).default(20),
        chartColumn: plainText().min(1).max(200).optional(),
        chartPoints: z.number().int().min(16).max(10_000).default(2_000),
      }),
    )
    .query(({ ctx, input }) => previewDataset(ctx.pool, input)),

  /** Imports a CSV into PostgreSQL; the answer says what was rejected and why. */
  upload: operatorProcedure
    .input(
      z.object({
        name: plainText(),
        csv: z
          .string()
          .min(1, "the file is empty")
          .max(maxUploadCsvChars, `the file is larger than ${maxUploadCsvChars / 1_000_000} MB; split it into smaller files`),
        description: plainText({ multiline: true }).max(2_000).optional(),
        dateColumn: plainText().max(200).optional(),
        pivotBy: plainText().max(200).optional(),
        onUnsorted: z.enum(["sort", "reject"]).default("sort"),
        /** How to read day-month-year dates; by default the rows that can be read only one way settle it. */
        dateFormat: csvDateFormat.optional(),
      }),
    )
    .mutation(({ ctx, input: { csv, ...options } }) => uploadDataset(ctx.pool, csv, options)),
});
