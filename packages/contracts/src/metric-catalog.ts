import type { RunSummary } from "./results";

/** Which way a metric is better; "none" when no value is better than another (the learning rate; coverage is best near its nominal level). */
export type MetricDirection = "lower" | "higher" | "none";

/** How a value reads: a number (4 significant digits), a skill (signed percentage), a share of 1 (percentage), a whole count. */
export type MetricFormat = "number" | "skill" | "share" | "count";

export interface MetricEntry {
  key: string;
  label: string;
  direction: MetricDirection;
  format: MetricFormat;
  unit?: string;
}

/** A metric a training records as it goes (MetricPoint.key). */
export interface TrackedMetric extends MetricEntry {
  /** Drawn when a chart has no metric chosen. */
  chartedByDefault?: boolean;
}

/** A number of a run's stored result (Run.resultSummary). */
export interface HeadlineMetric extends MetricEntry {
  /** For column heads. */
  short: string;
  /** Shown where room is short too: the runs table and `hindcast train list`. */
  brief?: boolean;
  /** Where the value sits in Run.resultSummary: SQL that sorts or filters by it reads the same path. */
  path: readonly string[];
  /** The value in a run's summary; null when the run has none (no result yet, or stored before this metric existed). */
  pick(summary: RunSummary): number | null;
}

export interface MetricCatalog {
  tracked: readonly TrackedMetric[];
  headline: readonly HeadlineMetric[];
}

/** Keys of the metrics every training reports (the engine's Tracker writes them). */
export const trackedMetricKeys = {
  trainLoss: "train_loss",
  epochTrainLoss: "epoch_train_loss",
  valLoss: "val_loss",
  learningRate: "lr",
  samplesPerSecond: "samples_per_second",
} as const;

/** Keys of the headline numbers the engine records per retrodiction window (step = window number). */
export const windowMetricKeys = {
  rmse: "window/rmse",
  mae: "window/mae",
  mase: "window/mase",
  skillVsNaive: "window/skill_vs_naive",
  skillVsBest: "window/skill_vs_best",
} as const;

/** The finite number at `path` of a summary, or null. */
function valueAt(summary: RunSummary, path: readonly string[]): number | null {
  let value: unknown = summary;
  for (const part of path) value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** A headline metric read from its path. */
export const headlineMetric = (entry: Omit<HeadlineMetric, "pick">): HeadlineMetric => ({
  ...entry,
  pick: (summary) => valueAt(summary, entry.path),
});

export const metricCatalog: MetricCatalog = {
  tracked: [
    { key: trackedMetricKeys.trainLoss, label: "Training loss (batch)", direction: "lower", format: "number", chartedByDefault: true },
    { key: trackedMetricKeys.epochTrainLoss, label: "Training loss (epoch mean)", direction: "lower", format: "number" },
    { key: trackedMetricKeys.valLoss, label: "Validation loss", direction: "lower", format: "number", chartedByDefault: true },
    { key: trackedMetricKeys.learningRate, label: "Learning rate", direction: "none", format: "number" },
    // Throughput is not a result: no run is the better for it.
    { key: trackedMetricKeys.samplesPerSecond, label: "Samples per second", direction: "none", format: "number", unit: "samples/s" },
    { key: windowMetricKeys.rmse, label: "Window RMSE", direction: "lower", format: "number" },
    { key: windowMetricKeys.mae, label: "Window MAE", direction: "lower", format: "number" },
    { key: windowMetricKeys.mase, label: "Window MASE", direction: "lower", format: "number" },
    { key: windowMetricKeys.skillVsNaive, label: "Window skill vs naive (RMSE)", direction: "higher", format: "skill" },
    { key: windowMetricKeys.skillVsBest, label: "Window skill vs best baseline (RMSE)", direction: "higher", format: "skill" },
  ],
  headline: [
    headlineMetric({ key: "rmse", label: "RMSE", short: "RMSE", direction: "lower", format: "number", path: ["overall", "rmse"] }),
    headlineMetric({ key: "mae", label: "MAE", short: "MAE", direction: "lower", format: "number", path: ["overall", "mae"] }),
    headlineMetric({ key: "mase", label: "MASE", short: "MASE", direction: "lower", format: "number", path: ["overall", "mase"] }),
    headlineMetric({
      key: "skill_vs_naive",
      label: "Skill vs naive (RMSE)",
      short: "Skill vs naive",
      brief: true,
      direction: "higher",
      format: "skill",
      path: ["overall", "skill", "rmseVsNaive"],
    }),
    // The verdict's skill, not overall.skill.rmseVsBest: a report without a verdict (no baseline fitted) stores 0 there.
    headlineMetric({
      key: "skill_vs_best",
      label: "Skill vs best baseline (RMSE)",
      short: "Skill vs best baseline",
      brief: true,
      direction: "higher",
      format: "skill",
      path: ["verdict", "skillVsBest"],
    }),
    headlineMetric({
      key: "directional_accuracy",
      label: "Directional accuracy",
      short: "Direction",
      direction: "higher",
      format: "share",
      path: ["overall", "directionalAccuracy"],
    }),
    headlineMetric({
      key: "coverage_95",
      label: "95% interval coverage",
      short: "Coverage 95%",
      direction: "none",
      format: "share",
      path: ["overall", "coverage95"],
    }),
  ],
};

/** The catalog's entry for a key (tracked or headline); undefined for a key it does not know. */
export function metricEntry(key: string, catalog: MetricCatalog = metricCatalog): MetricEntry | undefined {
  return catalog.tracked.find((m) => m.key === key) ?? catalog.headline.find((m) => m.key === key);
}

/** Which way a metric is better; "none" for a key the catalog does not know. */
export const metricDirection = (key: string, catalog: MetricCatalog = metricCatalog): MetricDirection =>
  metricEntry(key, catalog)?.direction ?? "none";

/** The summary statistic holding a metric's best value; undefined when no value is better than another. */
export function bestStat(direction: MetricDirection): "min" | "max" | undefined {
  return direction === "none" ? undefined : direction === "lower" ? "min" : "max";
}

/**
 * Indexes of the values that are best in this direction (of the finite ones);
 * none when no value is better than another, or every value is the same
 * (nothing to single out).
 */
export function bestIndexes(direction: MetricDirection, values: readonly (number | null | undefined)[]): Set<number> {
  const finite = values.filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
  if (direction === "none" || finite.length === 0) return new Set();
  const best = direction === "lower" ? Math.min(...finite) : Math.max(...finite);
  if (finite.length > 1 && finite.every((v) => v === best)) return new Set();
  return new Set(values.flatMap((v, i) => (v === best ? [i] : [])));
}

/** Tracked metrics drawn when a chart has none chosen. */
export const defaultChartKeys = (catalog: MetricCatalog = metricCatalog): string[] =>
  catalog.tracked.filter((m) => m.chartedByDefault).map((m) => m.key);

/** The prefix of the system metrics each training samples (CPU, memory, tensors, GPU); the run page charts them apart from the loss. */
export const systemMetricPrefix = "system/";
export const isSystemMetric = (key: string): boolean => key.startsWith(systemMetricPrefix);
