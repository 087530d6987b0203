/** Point-forecast accuracy of one set of predictions. */
export interface ErrorMetrics {
  mae: number;
  rmse: number;
  /** Mean absolute percentage error over actual values that are not zero; null when all are zero. */
  mape: number | null;
  smape: number;
  /** MAE scaled by the in-sample one-step naive MAE of the training data. */
  mase: number;
  /** Share of predictions that move in the actual direction, 0..1. */
  directionalAccuracy: number;
}

export interface ForecastReport extends ErrorMetrics {
  count: number;
  baselines: { naive: ErrorMetrics; seasonalNaive: ErrorMetrics };
  /** 1 - model/baseline: above 0 means the model beats the baseline. */
  skill: { rmseVsNaive: number; rmseVsSeasonalNaive: number; maeVsNaive: number; maeVsSeasonalNaive: number };
}

/** Predictions with what the baselines said for the same rows. */
export interface Predictions {
  actual: number[];
  predicted: number[];
  naive: number[];
  seasonalNaive: number[];
  /** Value each prediction's direction is judged against (last known value, or 0 for return series). */
  reference: number[];
}

export function errorMetrics(
  actual: readonly number[],
  predicted: readonly number[],
  reference: readonly number[],
  maseScale: number,
): ErrorMetrics {
  const n = actual.length;
  let abs = 0;
  let sq = 0;
  let pct = 0;
  let pctCount = 0;
  let smape = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const a = actual[i] as number;
    const p = predicted[i] as number;
    const e = a - p;
    abs += Math.abs(e);
    sq += e * e;
    if (a !== 0) {
      pct += Math.abs(e / a);
      pctCount++;
    }
    const denominator = Math.abs(a) + Math.abs(p);
    smape += denominator === 0 ? 0 : (2 * Math.abs(e)) / denominator;
    const r = reference[i] as number;
    if (Math.sign(p - r) === Math.sign(a - r)) hits++;
  }
  const mae = abs / n;
  return {
    mae,
    rmse: Math.sqrt(sq / n),
    mape: pctCount ? (100 * pct) / pctCount : null,
    smape: (100 * smape) / n,
    mase: maseScale > 0 ? mae / maseScale : Number.POSITIVE_INFINITY,
    directionalAccuracy: hits / n,
  };
}

export function forecastReport(p: Predictions, maseScale: number): ForecastReport {
  const model = errorMetrics(p.actual, p.predicted, p.reference, maseScale);
  const naive = errorMetrics(p.actual, p.naive, p.reference, maseScale);
  const seasonalNaive = errorMetrics(p.actual, p.seasonalNaive, p.reference, maseScale);
  const skill = (m: number, b: number) => (b === 0 ? 0 : 1 - m / b);
  return {
    ...model,
    count: p.actual.length,
    baselines: { naive, seasonalNaive },
    skill: {
      rmseVsNaive: skill(model.rmse, naive.rmse),
      rmseVsSeasonalNaive: skill(model.rmse, seasonalNaive.rmse),
      maeVsNaive: skill(model.mae, naive.mae),
      maeVsSeasonalNaive: skill(model.mae, seasonalNaive.mae),
    },
  };
}

/** In-sample MAE of the one-step naive forecast over values[0..end): the MASE denominator. */
export function naiveScale(values: readonly number[]): number {
  let sum = 0;
  for (let i = 1; i < values.length; i++) sum += Math.abs((values[i] as number) - (values[i - 1] as number));
  return values.length > 1 ? sum / (values.length - 1) : 0;
}

/** The headline of a report, as runs store it for tables and comparisons. */
export function reportHeadline(report: ForecastReport) {
  const { mae, rmse, mape, smape, mase, directionalAccuracy, skill, count } = report;
  return {
    overall: { mae, rmse, mape, smape, mase, directionalAccuracy, skill, count },
    baselines: { naiveRmse: report.baselines.naive.rmse, seasonalNaiveRmse: report.baselines.seasonalNaive.rmse },
  };
}
