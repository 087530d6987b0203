import { z } from "zod";

/** The classical bar every run is judged against, in the order reports list it. */
export const baselineNames = ["naive", "seasonalNaive", "ar", "arima", "ets", "theta"] as const;
export const baselineNameSchema = z.enum(baselineNames);
export type BaselineName = z.infer<typeof baselineNameSchema>;

/** What a run's artifacts are called in the artifact store (Artifact.name). */
export const artifactNames = {
  results: "results.json",
  modelTopology: "model/model.json",
  modelWeights: "model/weights.bin",
  /** A classical model's "weights": the parameters fitted before each window. */
  modelParams: "model/params.json",
} as const;
/** A training checkpoint's artifact name. */
export const checkpointArtifactName = (step: number) => `checkpoints/step-${step}.ckpt`;

/**
 * A measure in a report. JSON writes a non-finite number (a MASE over a flat
 * training series is Infinity) as null; parsing reads that null back as NaN,
 * so a report is numbers both in memory and read from a file.
 */
const measure = z.number().or(z.null().transform(() => Number.NaN));

export const intervalMetricsSchema = z.object({
  /** Share of actual values inside the interval, 0..1 (nominal 0.8 and 0.95). */
  coverage80: measure,
  coverage95: measure,
  /** Winkler (interval) score: width plus 2/alpha times the miss; lower is better. */
  winkler80: measure,
  winkler95: measure,
  /** Mean pinball loss over the quantiles 2.5, 10, 50, 90 and 97.5%. */
  pinball: measure,
});
export type IntervalMetrics = z.infer<typeof intervalMetricsSchema>;

/** Point-forecast accuracy of one set of predictions. */
export const errorMetricsSchema = z.object({
  mae: measure,
  rmse: measure,
  /** Mean absolute percentage error over actual values that are not zero; null when all are zero. */
  mape: z.number().nullable(),
  smape: measure,
  /** MAE scaled by the in-sample one-step naive MAE of the training data. */
  mase: measure,
  /** Share of predictions that move in the actual direction, 0..1. */
  directionalAccuracy: measure,
});
export type ErrorMetrics = z.infer<typeof errorMetricsSchema>;

/** A baseline's accuracy on the rows where it was available, and the model's skill against it there. */
export const baselineReportSchema = errorMetricsSchema.extend({
  label: z.string(),
  /** Predictions compared (fewer than the model's when it was unavailable in some windows). */
  count: z.number().int(),
  intervals: intervalMetricsSchema.nullable(),
  /** 1 - model RMSE / baseline RMSE on the same rows: above 0 means the model beats it. */
  skillRmse: measure,
  skillMae: measure,
});
export type BaselineReport = z.infer<typeof baselineReportSchema>;

/** How the model fares against the best classical baseline (the lowest skill). */
export const verdictSchema = z.object({
  best: baselineNameSchema,
  bestLabel: z.string(),
  bestRmse: measure,
  skillVsBest: measure,
  beatsAll: z.boolean(),
  /** Baselines with a lower RMSE than the model, best first. */
  beatenBy: z.array(baselineNameSchema),
});
export type Verdict = z.infer<typeof verdictSchema>;

export const stepMetricsSchema = z.object({ step: z.number().int(), count: z.number().int(), mae: measure, rmse: measure });
export type StepMetrics = z.infer<typeof stepMetricsSchema>;

/** 1 - model/baseline: above 0 means the model beats the baseline. */
export const reportSkillSchema = z.object({
  rmseVsNaive: measure,
  rmseVsSeasonalNaive: measure,
  maeVsNaive: measure,
  maeVsSeasonalNaive: measure,
  rmseVsBest: measure,
});

export const forecastReportSchema = errorMetricsSchema.extend({
  count: z.number().int(),
  intervals: intervalMetricsSchema.nullable(),
  /** Errors per horizon step (one entry when the horizon is 1). */
  byStep: z.array(stepMetricsSchema),
  baselines: z.partialRecord(baselineNameSchema, baselineReportSchema),
  /** Why a baseline has no numbers (it could not be fitted in any window). */
  unavailable: z.partialRecord(baselineNameSchema, z.string()),
  skill: reportSkillSchema,
  verdict: verdictSchema.nullable(),
});
export type ForecastReport = z.infer<typeof forecastReportSchema>;

/** A retrodiction window: rows [startRow, endRow) of the prepared series, and their dates. */
export const retrodictionWindowSchema = z.object({
  index: z.number().int(),
  startRow: z.number().int(),
  endRow: z.number().int(),
  startDate: z.string(),
  endDate: z.string(),
});

/**
 * A stored number: JSON keeps a non-finite one as null, and runs stored before
 * a field existed lack it, so every number of a stored summary may be missing.
 */
const stored = z.number().nullable().optional();

/**
 * What `reportHeadline` keeps of a report for tables and comparisons. Runs
 * from before the classical baselines lack skill.rmseVsBest, coverage95, the
 * AR to Theta RMSEs and the verdict; `verdict` is null when no baseline could
 * be fitted.
 */
export const runHeadlineSchema = z.object({
  overall: z.object({
    mae: stored,
    rmse: stored,
    mape: stored,
    smape: stored,
    mase: stored,
    directionalAccuracy: stored,
    skill: z.object({
      rmseVsNaive: stored,
      rmseVsSeasonalNaive: stored,
      maeVsNaive: stored,
      maeVsSeasonalNaive: stored,
      rmseVsBest: stored,
    }),
    count: stored,
    coverage95: stored,
  }),
  baselines: z.object({
    naiveRmse: stored,
    seasonalNaiveRmse: stored,
    arRmse: stored,
    arimaRmse: stored,
    etsRmse: stored,
    thetaRmse: stored,
  }),
  verdict: z
    .object({ best: baselineNameSchema, bestLabel: z.string(), skillVsBest: z.number(), beatsAll: z.boolean() })
    .nullable()
    .optional(),
});
export type RunHeadline = z.infer<typeof runHeadlineSchema>;

/**
 * Run.resultSummary: the headline of a retrodiction and what the worker adds.
 * A run of the engine's pipelines stores model, backend, windows, steps,
 * bestValLoss, linearFit and stopReason; a parallel retrodiction's parent
 * stores windows and workers; a train-only run only its stopReason. Every
 * field may be missing in an old row. Read it with `parseRunSummary`.
 */
export const runSummarySchema = runHeadlineSchema.partial({ overall: true, baselines: true }).extend({
  model: z.string().optional(),
  backend: z.string().optional(),
  /** Retrodiction windows scored. */
  windows: z.number().int().optional(),
  /** Workers that ran a parallel retrodiction's windows. */
  workers: z.array(z.string()).optional(),
  bestValLoss: z.number().nullable().optional(),
  /** How a linear model's least-squares start was chosen (null for other families or `fit: sgd`). */
  linearFit: z
    .object({ steps: z.number(), lambda: z.number(), looMse: z.number(), refinedBySgd: z.boolean().optional() })
    .nullable()
    .optional(),
  /** Optimizer steps trained. */
  steps: z.number().int().optional(),
  stopReason: z.string().nullable().optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

/** A stored resultSummary as a RunSummary; null when the run has none or it cannot be read as one. */
export function parseRunSummary(value: unknown): RunSummary | null {
  if (value === null || value === undefined) return null;
  const parsed = runSummarySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Prediction intervals at 80% and 95%, per prediction. */
export const bandsSchema = z.object({
  lower80: z.array(measure),
  upper80: z.array(measure),
  lower95: z.array(measure),
  upper95: z.array(measure),
});

/** A baseline's forecasts of a window, or why it could not be fitted there. */
export const baselineForecastSchema = z.union([
  z.object({
    label: z.string(),
    params: z.record(z.string(), z.union([z.number(), z.array(z.number()), z.string(), z.boolean()])),
    /** Aligned with the window's predictions. */
    predicted: z.array(measure),
    bands: bandsSchema.nullable(),
    /** Time to fit and forecast, in milliseconds. */
    fitMs: z.number(),
  }),
  z.object({ label: z.string(), unavailable: z.string() }),
]);

/** Predictions with what the baselines said for the same rows. */
export const predictionsSchema = z.object({
  actual: z.array(measure),
  predicted: z.array(measure),
  /** Horizon step of each prediction, 1-based. */
  step: z.array(z.number().int()),
  /** The model's prediction intervals; null when too few calibration residuals. */
  bands: bandsSchema.nullable(),
  baselines: z.partialRecord(baselineNameSchema, baselineForecastSchema),
  /** Value each prediction's direction is judged against (last known value, or 0 for return series). */
  reference: z.array(measure),
});

/**
 * The results.json artifact, of either writer. The engine's persist stage
 * writes spec, data, backend, every window with its forecasts, the overall
 * report, the summary, stopReason and timings; a parallel retrodiction's
 * aggregate writes the overall report, each window's metrics, its children and
 * workers (the forecasts stay in the children's files). Runs that finished
 * before the classical baselines wrote another report shape: the API upgrades
 * those (routers/runs.ts) before anything reads them.
 */
export const resultsFileSchema = z.object({
  /** The spec the run trained (the engine's TrainingSpec). */
  spec: z.unknown().optional(),
  data: z.object({ dataset: z.string(), from: z.string().optional(), to: z.string().optional(), gaps: z.unknown().optional() }).optional(),
  backend: z
    .object({ backend: z.string(), notes: z.array(z.string()).optional() })
    .loose()
    .optional(),
  windows: z.array(
    z.object({
      window: retrodictionWindowSchema,
      report: forecastReportSchema.optional(),
      /** A parallel retrodiction's aggregate: the window's report, without forecasts. */
      metrics: forecastReportSchema.optional(),
      dates: z.array(z.string()).optional(),
      predictions: predictionsSchema.optional(),
      maseScale: measure.optional(),
    }),
  ),
  overall: forecastReportSchema.nullable(),
  summary: runSummarySchema.nullable().optional(),
  stopReason: z.string().optional(),
  timingsMs: z.record(z.string(), z.number()).optional(),
  /** A parallel retrodiction's window runs, and the workers that ran them. */
  children: z.array(z.string()).optional(),
  workers: z.array(z.string()).optional(),
});
export type ResultsFile = z.infer<typeof resultsFileSchema>;
