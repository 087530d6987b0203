import { NotFoundError, type ResultsFile, type RunSummary, resultsFileSchema, retrodictionWindowSchema } from "@hindcast/contracts";
import { childResultsFiles, logger, resultsFiles, type StoredFile } from "@hindcast/db";
import {
  type BaselineForecast,
  type BaselineName,
  type BaselineReport,
  baselineNames,
  baselineTitles,
  type ErrorMetrics,
  type ForecastReport,
  type Predictions,
  type WindowResult,
} from "@hindcast/models";
import type pg from "pg";
import { z } from "zod";
import { readJsonArtifact } from "./artifacts";

/** results.json as the dashboard reads it: every window with its forecasts, in one (the current) shape; what the file lacks is left out. */
export interface RetrodictionResults {
  windows: Pick<WindowResult, "window" | "report" | "dates" | "predictions" | "maseScale">[];
  overall: ForecastReport | null;
  summary?: RunSummary | null;
  backend?: { backend: string; notes?: string[] };
  stopReason?: string;
}

/**
 * A stored results.json read as `schema`, or undefined when it cannot be: the
 * reason goes to the log, not to the client (it names a server path).
 */
async function readResultsFile<T>(pool: pg.Pool, { runId, uri }: StoredFile, schema: z.ZodType<T>): Promise<T | undefined> {
  try {
    const parsed = schema.safeParse(await readJsonArtifact(pool, uri));
    if (parsed.success) return parsed.data;
    logger.warn({ runId, issues: parsed.error.issues.slice(0, 5) }, "results.json is not one Hindcast wrote");
  } catch (error) {
    logger.warn({ err: error, runId }, "results.json cannot be read");
  }
  return undefined;
}

/** A results.json of either shape, read as the current one. */
const currentResultsFile = z.preprocess((file) => upgradeResults(file), resultsFileSchema);

async function readOrNotFound(pool: pg.Pool, file: StoredFile): Promise<ResultsFile> {
  const results = await readResultsFile(pool, file, currentResultsFile);
  if (!results) {
    throw new NotFoundError(
      `results.json of run ${file.runId} cannot be read from the artifact store`,
      "the server log says why; run the retrodiction again to write a new one",
    );
  }
  return results;
}

type StoredPredictions = NonNullable<ResultsFile["windows"][number]["predictions"]>;

/** A baseline's forecast or why there is none; one missing from the file says so. */
const unavailable = (name: BaselineName, reason: string): BaselineForecast => ({ label: baselineTitles[name], unavailable: reason });

const withEveryBaseline = (predictions: StoredPredictions): Predictions => ({
  ...predictions,
  baselines: Object.fromEntries(
    baselineNames.map((name) => [name, predictions.baselines[name] ?? unavailable(name, "not in this run's results.json")]),
  ) as Predictions["baselines"],
});

/** The windows of a file that carry forecasts (a run's own; a parallel retrodiction's parent keeps only metrics). */
const forecastWindows = (file: ResultsFile): RetrodictionResults["windows"] =>
  file.windows.flatMap(({ window, report, dates, predictions, maseScale }) =>
    report && dates && predictions && maseScale !== undefined
      ? [{ window, report, dates, predictions: withEveryBaseline(predictions), maseScale }]
      : [],
  );

/**
 * A run's results.json (per-window forecasts and metrics against the
 * baselines), or null before it exists. A parallel retrodiction's own file
 * keeps only per-window metrics; the forecasts are in its children's (one
 * window each, all numbered 0), so the windows come from there, renumbered in
 * date order.
 */
export async function readRunResults(pool: pg.Pool, runId: string): Promise<RetrodictionResults | null> {
  const [stored] = await resultsFiles(pool, [runId]);
  if (!stored) return null;
  const file = await readOrNotFound(pool, stored);
  const windows = file.children
    ? (await Promise.all((await childResultsFiles(pool, runId)).map((child) => readOrNotFound(pool, child))))
        .flatMap(forecastWindows)
        .sort((a, b) => a.window.startDate.localeCompare(b.window.startDate))
        .map((w, index) => ({ ...w, window: { ...w.window, index } }))
    : forecastWindows(file);
  const { overall, summary, backend, stopReason } = file;
  return {
    windows,
    overall,
    ...(summary === undefined ? {} : { summary }),
    ...(backend === undefined ? {} : { backend }),
    ...(stopReason === undefined ? {} : { stopReason }),
  };
}

/** What comparing runs' windows reads of a results.json: the dates of each window, whatever else the file holds. */
const scoredWindowsSchema = z.object({
  windows: z.array(z.object({ window: retrodictionWindowSchema.pick({ startDate: true, endDate: true }) })),
});
export type ScoredWindow = z.infer<typeof scoredWindowsSchema>["windows"][number]["window"];

/**
 * The retrodiction windows each run was scored on (dates only, from its
 * results.json, in date order), in the order of `runIds`; null for a run
 * without results or whose file cannot be read.
 */
export async function readScoredWindows(
  pool: pg.Pool,
  runIds: readonly string[],
): Promise<{ id: string; windows: ScoredWindow[] | null }[]> {
  const stored = await resultsFiles(pool, runIds);
  return Promise.all(
    runIds.map(async (id) => {
      const file = stored.find((f) => f.runId === id);
      const results = file && (await readResultsFile(pool, file, scoredWindowsSchema));
      const windows = results?.windows
        .map(({ window }) => ({ startDate: window.startDate, endDate: window.endDate }))
        .sort((a, b) => a.startDate.localeCompare(b.startDate));
      return { id, windows: windows ?? null };
    }),
  );
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
interface LegacyWindow {
  predictions?: Predictions | LegacyPredictions;
  report?: ForecastReport | LegacyReport;
  metrics?: ForecastReport | LegacyReport;
}

const notComputed = "not computed: this run finished before Hindcast fitted this baseline";
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/** A results.json of either shape in the current one, so readers meet one shape; older runs show the baselines they had. */
function upgradeResults(file: unknown): unknown {
  if (!isObject(file) || !Array.isArray(file.windows)) return file;
  return {
    ...file,
    // Older files may hold a null backend: it reads as none.
    backend: file.backend ?? undefined,
    windows: file.windows.map((w: unknown) => {
      if (!isObject(w)) return w;
      const { predictions, report, metrics } = w as LegacyWindow;
      return {
        ...w,
        ...(isObject(predictions) ? { predictions: upgradePredictions(predictions) } : {}),
        ...(isObject(report) ? { report: upgradeReport(report) } : {}),
        ...(isObject(metrics) ? { metrics: upgradeReport(metrics) } : {}),
      };
    }),
    ...(isObject(file.overall) ? { overall: upgradeReport(file.overall as ForecastReport | LegacyReport) } : {}),
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
  return {
    ...rest,
    // The horizon step of each prediction was not saved: no per-step errors for these runs.
    step: [],
    bands: null,
    baselines: {
      naive: computed("naive", naive),
      seasonalNaive: computed("seasonalNaive", seasonalNaive),
      ar: unavailable("ar", notComputed),
      arima: unavailable("arima", notComputed),
      ets: unavailable("ets", notComputed),
      theta: unavailable("theta", notComputed),
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
