import type { BaselineName, BaselineReport, ErrorMetrics, ForecastReport, RunHeadline, StepMetrics, Verdict } from "@hindcast/contracts";
import { baselineNames } from "./classical/baselines";
import type { BaselineForecast } from "./classical/window";
import { type Bands, intervalMetrics } from "./intervals";

export type { BaselineReport, ErrorMetrics, ForecastReport, StepMetrics, Verdict };

/** Predictions with what the baselines said for the same rows. */
export interface Predictions {
  actual: number[];
  predicted: number[];
  /** Horizon step of each prediction, 1-based. */
  step: number[];
  /** The model's prediction intervals; null when too few calibration residuals. */
  bands: Bands | null;
  baselines: Record<BaselineName, BaselineForecast>;
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

const skillOf = (model: number, baseline: number) => (baseline === 0 ? 0 : 1 - model / baseline);

function subset<T>(values: readonly T[], keep: readonly boolean[]): T[] {
  return values.filter((_, i) => keep[i]);
}

function stepMetrics(p: Predictions, maseScale: number): StepMetrics[] {
  const horizon = Math.max(1, ...p.step);
  const out: StepMetrics[] = [];
  for (let h = 1; h <= horizon; h++) {
    const keep = p.step.map((s) => s === h);
    const actual = subset(p.actual, keep);
    if (!actual.length) continue;
    const m = errorMetrics(actual, subset(p.predicted, keep), subset(p.reference, keep), maseScale);
    out.push({ step: h, count: actual.length, mae: m.mae, rmse: m.rmse });
  }
  return out;
}

/**
 * The report of one set of predictions. Predictions with an unavailable
 * baseline carry NaN in its place (see overallReport): each baseline is
 * compared with the model on the rows where it has a forecast.
 */
export function forecastReport(
  p: Predictions,
  maseScale: number,
  unavailableReasons: Partial<Record<BaselineName, string>> = {},
): ForecastReport {
  const model = errorMetrics(p.actual, p.predicted, p.reference, maseScale);
  const baselines: Partial<Record<BaselineName, BaselineReport>> = {};
  const unavailable: Partial<Record<BaselineName, string>> = {};
  for (const name of baselineNames) {
    const forecast = p.baselines[name];
    if (!forecast || "unavailable" in forecast) {
      unavailable[name] = forecast && "unavailable" in forecast ? forecast.unavailable : (unavailableReasons[name] ?? "not computed");
      continue;
    }
    const keep = forecast.predicted.map(Number.isFinite);
    const count = keep.filter(Boolean).length;
    if (count === 0) {
      unavailable[name] = unavailableReasons[name] ?? "not computed";
      continue;
    }
    const actual = subset(p.actual, keep);
    const reference = subset(p.reference, keep);
    const metrics = errorMetrics(actual, subset(forecast.predicted, keep), reference, maseScale);
    const ours = count === p.actual.length ? model : errorMetrics(actual, subset(p.predicted, keep), reference, maseScale);
    const bands = forecast.bands && subsetBands(forecast.bands, keep);
    baselines[name] = {
      label: forecast.label,
      ...metrics,
      count,
      intervals: bands?.lower80.every(Number.isFinite) ? intervalMetrics(actual, subset(forecast.predicted, keep), bands) : null,
      skillRmse: skillOf(ours.rmse, metrics.rmse),
      skillMae: skillOf(ours.mae, metrics.mae),
    };
  }
  const verdict = verdictOf(baselines);
  return {
    ...model,
    count: p.actual.length,
    intervals: p.bands?.lower80.every(Number.isFinite) ? intervalMetrics(p.actual, p.predicted, p.bands) : null,
    byStep: stepMetrics(p, maseScale),
    baselines,
    unavailable,
    skill: {
      rmseVsNaive: baselines.naive?.skillRmse ?? 0,
      rmseVsSeasonalNaive: baselines.seasonalNaive?.skillRmse ?? 0,
      maeVsNaive: baselines.naive?.skillMae ?? 0,
      maeVsSeasonalNaive: baselines.seasonalNaive?.skillMae ?? 0,
      rmseVsBest: verdict?.skillVsBest ?? 0,
    },
    verdict,
  };
}

function subsetBands(bands: Bands, keep: readonly boolean[]): Bands {
  return {
    lower80: subset(bands.lower80, keep),
    upper80: subset(bands.upper80, keep),
    lower95: subset(bands.lower95, keep),
    upper95: subset(bands.upper95, keep),
  };
}

function verdictOf(baselines: Partial<Record<BaselineName, BaselineReport>>): Verdict | null {
  const entries = baselineNames.flatMap((name) => {
    const report = baselines[name];
    return report ? [{ name, report }] : [];
  });
  if (!entries.length) return null;
  const ranked = [...entries].sort((a, b) => a.report.skillRmse - b.report.skillRmse);
  const best = ranked[0] as (typeof ranked)[number];
  return {
    best: best.name,
    bestLabel: best.report.label,
    bestRmse: best.report.rmse,
    skillVsBest: best.report.skillRmse,
    beatsAll: best.report.skillRmse > 0,
    beatenBy: ranked.filter((e) => e.report.skillRmse < 0).map((e) => e.name),
  };
}

/** In-sample MAE of the one-step naive forecast over values[0..end): the MASE denominator. */
export function naiveScale(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 1; i < values.length; i++) sum += Math.abs((values[i] as number) - (values[i - 1] as number));
  return values.length > 1 ? sum / (values.length - 1) : 0;
}

/** The headline of a report, as runs store it for tables and comparisons. */
export function reportHeadline(report: ForecastReport): RunHeadline {
  const { mae, rmse, mape, smape, mase, directionalAccuracy, skill, count } = report;
  const rmseOf = (name: BaselineName) => report.baselines[name]?.rmse ?? null;
  return {
    overall: { mae, rmse, mape, smape, mase, directionalAccuracy, skill, count, coverage95: report.intervals?.coverage95 ?? null },
    baselines: {
      naiveRmse: rmseOf("naive"),
      seasonalNaiveRmse: rmseOf("seasonalNaive"),
      arRmse: rmseOf("ar"),
      arimaRmse: rmseOf("arima"),
      etsRmse: rmseOf("ets"),
      thetaRmse: rmseOf("theta"),
    },
    verdict: report.verdict && {
      best: report.verdict.best,
      bestLabel: report.verdict.bestLabel,
      skillVsBest: report.verdict.skillVsBest,
      beatsAll: report.verdict.beatsAll,
    },
  };
}

export { verdictText } from "./classical/baseline-names";
