import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { metricCatalog, type RunExportColumn, runExportFields, UserFacingError, zodIssueLines } from "@hindcast/contracts";
import { type ExportRows, exportMetricSeries, exportRuns, exportSweepTrials, logger } from "@hindcast/db";
import { storedSweepMetric } from "@hindcast/sweeps";
import type pg from "pg";
import superjson from "superjson";
import { type ZodType, z } from "zod";
import { createContext } from "./context";
import { csvRecords } from "./csv/csv-text";
import { csvExportPaths, exportRunsInput, metricKey } from "./schemas";

/** The runs table's usual columns, for an export that names none (the CLI without --all). */
const usualColumns: RunExportColumn[] = [
  ...runExportFields.filter((field) => field !== "parent_id" && field !== "archived").map((field) => ({ kind: "field" as const, field })),
  ...["model.kind", "data.dataset", "data.target"].map((key) => ({ kind: "param" as const, key })),
  ...metricCatalog.headline.filter((metric) => metric.brief).map((metric) => ({ kind: "headline" as const, key: metric.key })),
];

const seriesKeys = z.array(metricKey).max(100);
const uuid = z.uuid();

function parsed<T>(schema: ZodType<T>, value: unknown, fix: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new UserFacingError(zodIssueLines(result.error).join("; "), fix);
}

function decodedInput(search: URLSearchParams): unknown {
  const text = search.get("input");
  if (text === null) return {};
  try {
    return superjson.deserialize(JSON.parse(text));
  } catch {
    throw new UserFacingError("input is not superjson JSON", "send the input as tRPC's GET queries do: ?input=<superjson JSON>");
  }
}

/** Sends `rows` as a CSV download; a first batch that throws (a run that does not exist) is answered before any byte is sent. */
async function sendCsv(res: ServerResponse, filename: string, rows: ExportRows): Promise<void> {
  try {
    const first = await rows.next();
    res.writeHead(200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    async function* text() {
      if (!first.done) yield csvRecords(first.value);
      for await (const batch of rows) yield csvRecords(batch);
    }
    await pipeline(Readable.from(text()), res).catch((error: unknown) => {
      // Headers are out: the download is cut short, and the client sees a broken one.
      logger.debug({ err: error, filename }, "CSV export cut short");
      res.destroy();
    });
  } finally {
    // Ends the export's transaction even when the stream never started.
    await rows.return(undefined);
  }
}

const routes: { path: RegExp; rows: (pool: pg.Pool, id: string, search: URLSearchParams) => { filename: string; rows: ExportRows } }[] = [
  {
    path: new RegExp(`^${csvExportPaths.runs.replaceAll(".", "\\.")}$`),
    rows: (pool, _id, search) => {
      const { columns, ...filters } = parsed(exportRunsInput, decodedInput(search), "send the runs list's filters and known columns");
      return { filename: "runs.csv", rows: exportRuns(pool, { filters, columns: columns ?? usualColumns }) };
    },
  },
  {
    path: new RegExp(`^${csvExportPaths.metrics("([^/]*)").replaceAll(".", "\\.")}$`),
    rows: (pool, id, search) => ({
      filename: `run-${id}-metrics.csv`,
      rows: exportMetricSeries(
        pool,
        parsed(uuid, id, "use a run's whole id"),
        parsed(seriesKeys, search.getAll("key"), "name metric keys as the run logged them"),
      ),
    }),
  },
  {
    path: new RegExp(`^${csvExportPaths.sweep("([^/]*)").replaceAll(".", "\\.")}$`),
    rows: (pool, id) => ({
      filename: `sweep-${id}-trials.csv`,
      rows: exportSweepTrials(pool, parsed(uuid, id, "use a sweep's whole id"), storedSweepMetric),
    }),
  },
];

/**
 * CSV downloads (GET) under /api/exports, for any signed-in user: the runs
 * table, a run's metric series at full resolution, a sweep's trials; each
 * streamed as it is read. Returns false for a path that is none of them.
 */
export async function serveExport(pool: pg.Pool, req: IncomingMessage, res: ServerResponse, headers: Headers): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const route = routes.find((r) => r.path.test(url.pathname));
  if (!route || req.method !== "GET") return false;
  const ctx = await createContext(pool, headers);
  if (!ctx.user) {
    res.writeHead(401, { "content-type": "text/plain; charset=utf-8" }).end("Sign in or send an API token (Authorization: Bearer hc_...)");
    return true;
  }
  const { filename, rows } = route.rows(pool, url.pathname.match(route.path)?.[1] ?? "", url.searchParams);
  await sendCsv(res, filename, rows);
  return true;
}
