import {
  CsvImportError,
  type CsvImportResult,
  importCsv,
  importCsvOffThread,
  listAllDatasets,
  listedReport,
  loadAnyDataset,
  maxDatasetCells,
  summarizeReport,
} from "@hindcast/datasets";
import { assertDatasetName, isUserFacingError, saveDataset } from "@hindcast/db";
import { plainText } from "@hindcast/models/text";
import { TRPCError } from "@trpc/server";
import type pg from "pg";
import { z } from "zod";
import { maxUploadCsvChars } from "../body-limits.js";
import { csvDateFormat } from "../schemas.js";
import { operatorProcedure, router, viewerProcedure } from "../trpc.js";

/**
 * At most `maxPoints` points of one column over the whole date range: each
 * bucket of dates keeps its lowest and highest value (in date order), so spikes
 * survive the thinning. Missing values are left out.
 */
function thinColumn(dates: readonly string[], values: readonly (number | null)[], maxPoints: number) {
  const present = dates.flatMap((date, i) => {
    const value = values[i];
    return value === null || value === undefined ? [] : [{ date, value }];
  });
  if (present.length <= maxPoints) return present;
  const bucketSize = Math.ceil(present.length / Math.floor(maxPoints / 2));
  const points: typeof present = [];
  for (let start = 0; start < present.length; start += bucketSize) {
    const bucket = present.slice(start, start + bucketSize);
    let low = 0;
    let high = 0;
    bucket.forEach((point, i) => {
      if (point.value < (bucket[low] as typeof point).value) low = i;
      if (point.value > (bucket[high] as typeof point).value) high = i;
    });
    for (const i of low === high ? [low] : [Math.min(low, high), Math.max(low, high)]) points.push(bucket[i] as (typeof present)[number]);
  }
  return points;
}

const datasetName = plainText().min(1).max(200);

/** CSVs longer than this are parsed in a worker thread. */
const offThreadCsvChars = 1_000_000;

const loadOrNotFound = (pool: pg.Pool, name: string) =>
  loadAnyDataset(pool, name).catch((error: Error) => {
    throw new TRPCError({ code: "NOT_FOUND", message: error.message });
  });

export const datasetsRouter = router({
  /** Built-in and uploaded datasets; built-ins are counted from their (cached) files. */
  list: viewerProcedure.query(async ({ ctx }) => {
    const datasets = await listAllDatasets(ctx.pool);
    return Promise.all(
      datasets.map(async (d) => (d.rows === null ? { ...d, rows: (await loadAnyDataset(ctx.pool, d.name)).dates.length } : d)),
    );
  }),

  /** A whole dataset (dates and every column), for training in the browser (/preview). */
  data: viewerProcedure.input(z.object({ name: datasetName })).query(({ ctx, input }) => loadOrNotFound(ctx.pool, input.name)),

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
    .query(async ({ ctx, input }) => {
      const dataset = await loadOrNotFound(ctx.pool, input.name);
      const columns = Object.keys(dataset.columns);
      const n = Math.min(input.rows, dataset.dates.length);
      let chart: { column: string; points: { date: string; value: number }[] } | undefined;
      if (input.chartColumn !== undefined) {
        const values = dataset.columns[input.chartColumn];
        if (!values) {
          throw new TRPCError({
            code: "BAD_REQUEST",
            message: `chartColumn: "${input.chartColumn}" is not a column of ${dataset.name}; use one of ${columns.join(", ")}`,
          });
        }
        chart = { column: input.chartColumn, points: thinColumn(dataset.dates, values, input.chartPoints) };
      }
      return {
        name: dataset.name,
        totalRows: dataset.dates.length,
        columns,
        rows: dataset.dates.slice(0, n).map((date, r) => ({ date, values: Object.values(dataset.columns).map((col) => col[r] ?? null) })),
        ...(chart ? { chart } : {}),
      };
    }),

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
    .mutation(async ({ ctx, input }) => {
      try {
        assertDatasetName(input.name);
      } catch (error) {
        // "name: ..." lets forms put the message next to the name field; no cause, or the user-error middleware would drop the prefix.
        if (isUserFacingError(error)) throw new TRPCError({ code: "BAD_REQUEST", message: `name: ${error.toLine()}` });
        throw error;
      }
      if ((await listAllDatasets(ctx.pool)).some((d) => d.builtin && d.name === input.name)) {
        throw new TRPCError({ code: "CONFLICT", message: `name: "${input.name}" is a built-in dataset; choose another name` });
      }
      let imported: CsvImportResult;
      // A thread costs a fraction of a second to start; a large file would hold the server's own thread for seconds.
      const importer =
        input.csv.length > offThreadCsvChars ? importCsvOffThread : async (...args: Parameters<typeof importCsv>) => importCsv(...args);
      try {
        imported = await importer(input.csv, {
          name: input.name,
          source: `upload:${input.name}`,
          description: input.description,
          dateColumn: input.dateColumn,
          pivotBy: input.pivotBy,
          onUnsorted: input.onUnsorted,
          dateFormat: input.dateFormat,
        });
      } catch (error) {
        if (error instanceof CsvImportError) {
          throw new TRPCError({ code: "BAD_REQUEST", message: `${error.field}: ${error.message}`, cause: error });
        }
        throw error;
      }
      await saveDataset(ctx.pool, { ...imported.dataset, frequency: imported.report.frequency });
      return { name: input.name, report: listedReport(imported.report), summary: summarizeReport(imported.report) };
    }),
});
