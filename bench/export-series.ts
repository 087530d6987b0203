/**
 * Writes the inputs of bench/reference/classical.py for a built-in dataset:
 * DIR/series.csv (the prepared target column: date,value, after gap handling
 * and the spec's transform) and DIR/results.json, shaped as a run's
 * results.json (spec, data, windows[].window / dates / predictions / report,
 * overall) with the classical baselines forecast on every retrodiction window
 * exactly as a run computes them (forecastBaselines). No network is trained:
 * the "model" predictions are the naive forecast, a stand-in that keeps the
 * file's shape; only the baselines are meant to be read.
 *
 *   npx tsx bench/export-series.ts --dataset co2 --target co2 [--transform logReturn] \
 *     [--batch-days 365 --windows 6] [--lookback 28 --horizon 1] --out DIR
 *   /usr/bin/python3 bench/reference/classical.py DIR/results.json DIR/series.csv
 *
 * A real run's results.json works the same with the script, given the series
 * its spec prepares (write it with --series-only and the run's spec options).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { loadBuiltinDataset } from "@hindcast/datasets";
import {
  forecastPlan,
  overallReport,
  type PreparedSeries,
  planSpecWindows,
  prepareSeries,
  type TrainingSpec,
  type TrainingSpecInput,
  targetColumn,
  trainingSpecSchema,
  type WindowResult,
  windowResult,
} from "@hindcast/models";

export interface ExportOptions {
  dataset: string;
  target: string;
  transform?: TrainingSpec["data"]["transform"];
  batchSizeDays?: number;
  windows?: number;
  lookback?: number;
  horizon?: number;
}

export interface ExportedCase {
  spec: TrainingSpec;
  series: PreparedSeries;
  /** The prepared target column, row i of series.csv. */
  target: Float64Array;
  /** results.json-shaped: what bench/reference/classical.py reads. */
  results: {
    spec: TrainingSpec;
    data: { dataset: string; from?: string; to?: string; gaps: PreparedSeries["gaps"] };
    note: string;
    windows: Pick<WindowResult, "window" | "report" | "dates" | "predictions" | "maseScale">[];
    overall: ReturnType<typeof overallReport>;
  };
}

export function exportSpec(options: ExportOptions): TrainingSpec {
  const input: TrainingSpecInput = {
    data: { dataset: options.dataset, target: options.target, transform: options.transform ?? "none" },
    window: { lookback: options.lookback ?? 28, horizon: options.horizon ?? 1 },
    retrodiction: { batchSizeDays: options.batchSizeDays ?? 90, windows: options.windows ?? 6 },
  };
  return trainingSpecSchema.parse(input);
}

/** The prepared series, the spec's retrodiction windows and every baseline's forecasts on them. */
export async function exportCase(options: ExportOptions): Promise<ExportedCase> {
  const spec = exportSpec(options);
  const series = prepareSeries(await loadBuiltinDataset(spec.data.dataset), spec.data);
  const target = targetColumn(series);
  const { horizon, lookback } = spec.window;
  const results = planSpecWindows(series, spec).map((window) => {
    const plan = forecastPlan(window, horizon, lookback, spec.train.validationFraction);
    // The naive forecast stands in for the model at the origins and the calibration origins.
    const naive = (origins: number[]) => origins.flatMap((t) => new Array<number>(horizon).fill(target[t - 1] as number));
    const result = windowResult(series, window, plan, naive(plan.origins), naive(plan.calibrationOrigins));
    // The fields a run's results.json keeps of each window (packages/engine/src/stages.ts, persistStage).
    return {
      window: result.window,
      report: result.report,
      dates: result.dates,
      predictions: result.predictions,
      maseScale: result.maseScale,
    };
  });
  return {
    spec,
    series,
    target,
    results: {
      spec,
      data: { dataset: spec.data.dataset, from: series.dates[0], to: series.dates.at(-1), gaps: series.gaps },
      note: "written by bench/export-series.ts: no model was trained; predictions.predicted is the naive forecast, the baselines are a run's",
      windows: results,
      overall: overallReport(results),
    },
  };
}

/** series.csv: date,value of the prepared target, full precision. */
export function seriesCsv(series: PreparedSeries, target: ArrayLike<number>): string {
  const lines = ["date,value"];
  for (let i = 0; i < series.dates.length; i++) lines.push(`${series.dates[i]},${target[i]}`);
  return `${lines.join("\n")}\n`;
}

export async function writeCase(exported: Pick<ExportedCase, "series" | "target"> & { results?: ExportedCase["results"] }, dir: string) {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "series.csv"), seriesCsv(exported.series, exported.target));
  if (exported.results) await writeFile(path.join(dir, "results.json"), JSON.stringify(exported.results));
}

async function main() {
  const { values } = parseArgs({
    options: {
      dataset: { type: "string" },
      target: { type: "string" },
      transform: { type: "string", default: "none" },
      "batch-days": { type: "string", default: "90" },
      windows: { type: "string", default: "6" },
      lookback: { type: "string", default: "28" },
      horizon: { type: "string", default: "1" },
      out: { type: "string" },
      "series-only": { type: "boolean", default: false },
    },
  });
  if (!values.dataset || !values.target || !values.out) {
    console.error(
      "usage: npx tsx bench/export-series.ts --dataset NAME --target COLUMN [--transform none|diff|log|logReturn] [--batch-days 90] [--windows 6] [--lookback 28] [--horizon 1] [--series-only] --out DIR",
    );
    process.exit(2);
  }
  const options: ExportOptions = {
    dataset: values.dataset,
    target: values.target,
    transform: values.transform as ExportOptions["transform"],
    batchSizeDays: Number(values["batch-days"]),
    windows: Number(values.windows),
    lookback: Number(values.lookback),
    horizon: Number(values.horizon),
  };
  if (values["series-only"]) {
    const spec = exportSpec(options);
    const series = prepareSeries(await loadBuiltinDataset(spec.data.dataset), spec.data);
    await writeCase({ series, target: targetColumn(series) }, values.out);
    console.log(`wrote ${path.join(values.out, "series.csv")} (${series.dates.length} rows)`);
    return;
  }
  const exported = await exportCase(options);
  await writeCase(exported, values.out);
  const { windows } = exported.results;
  console.log(
    `wrote ${path.join(values.out, "series.csv")} (${exported.series.dates.length} rows) and results.json (${windows.length} windows, rows ${windows[0]?.window.startRow}..${windows.at(-1)?.window.endRow})`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
