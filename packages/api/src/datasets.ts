import { ConflictError, NotFoundError, UserFacingError } from "@hindcast/contracts";
import {
  type CsvImportOptions,
  importCsv,
  importCsvOffThread,
  listAllDatasets,
  listedReport,
  loadAnyDataset,
  summarizeReport,
} from "@hindcast/datasets";
import { assertDatasetName, saveDataset } from "@hindcast/db";
import { DataError, type Dataset } from "@hindcast/models";
import type pg from "pg";

/** Built-in and uploaded datasets, each with its row count (built-ins are counted from their cached files). */
export async function listDatasetsWithRows(pool: pg.Pool) {
  const datasets = await listAllDatasets(pool);
  return Promise.all(datasets.map(async (d) => (d.rows === null ? { ...d, rows: (await loadAnyDataset(pool, d.name)).dates.length } : d)));
}

/** A whole dataset, built-in or uploaded; 404 naming those there are when there is none of this name. */
export function readDataset(pool: pg.Pool, name: string): Promise<Dataset> {
  return loadAnyDataset(pool, name).catch((error: unknown) => {
    if (error instanceof DataError) throw new NotFoundError(error.message, error.fix, { path: "name", cause: error });
    throw error;
  });
}

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

export interface PreviewRequest {
  name: string;
  rows: number;
  /** A column to chart over the whole range, thinned to `chartPoints`. */
  chartColumn?: string;
  chartPoints: number;
}

/** The first rows of a dataset, for the start form and the CLI; with `chartColumn`, that column over the whole range, thinned. */
export async function previewDataset(pool: pg.Pool, request: PreviewRequest) {
  const dataset = await readDataset(pool, request.name);
  const columns = Object.keys(dataset.columns);
  let chart: { column: string; points: { date: string; value: number }[] } | undefined;
  if (request.chartColumn !== undefined) {
    const values = dataset.columns[request.chartColumn];
    if (!values) {
      throw new UserFacingError(`"${request.chartColumn}" is not a column of ${dataset.name}`, `use one of ${columns.join(", ")}`, {
        path: "chartColumn",
      });
    }
    chart = { column: request.chartColumn, points: thinColumn(dataset.dates, values, request.chartPoints) };
  }
  return {
    name: dataset.name,
    totalRows: dataset.dates.length,
    columns,
    rows: dataset.dates
      .slice(0, Math.min(request.rows, dataset.dates.length))
      .map((date, r) => ({ date, values: Object.values(dataset.columns).map((col) => col[r] ?? null) })),
    ...(chart ? { chart } : {}),
  };
}

/** CSVs longer than this are parsed in a worker thread. */
const offThreadCsvChars = 1_000_000;

/**
 * Imports a CSV into PostgreSQL under `options.name`; the answer says what was
 * rejected and why. A CsvImportError names the input to change (csv,
 * dateFormat, dateColumn, pivotBy).
 */
export async function uploadDataset(pool: pg.Pool, csv: string, options: Omit<CsvImportOptions, "source">) {
  assertDatasetName(options.name);
  if ((await listAllDatasets(pool)).some((d) => d.builtin && d.name === options.name)) {
    throw new ConflictError(`"${options.name}" is a built-in dataset`, "choose another name", { path: "name" });
  }
  // A thread costs a fraction of a second to start; a large file would hold the server's own thread for seconds.
  const importer =
    csv.length > offThreadCsvChars ? importCsvOffThread : async (...args: Parameters<typeof importCsv>) => importCsv(...args);
  const imported = await importer(csv, { ...options, source: `upload:${options.name}` });
  await saveDataset(pool, { ...imported.dataset, frequency: imported.report.frequency });
  return { name: options.name, report: listedReport(imported.report), summary: summarizeReport(imported.report) };
}
