export { browserBackends } from "./backends/browser";
export { type BackendCandidate, type BackendChoice, type BackendProbe, pickBackend, preferBackends } from "./backends/pick";
export { probeForSpec, trainingStepProbe } from "./backends/probe";
export { buildModel, type ModelShape, movingAverageMatrix } from "./build";
export { fitAr } from "./classical/ar";
export { fitArima } from "./classical/arima";
export { type BaselineName, baselineNames, baselineTitles, fitBaseline } from "./classical/baselines";
export { fitEts } from "./classical/ets";
export { BaselineUnavailable, type FittedForecaster } from "./classical/forecaster";
export { fitStatistical } from "./classical/statistical";
export { fitTheta } from "./classical/theta";
export { type BaselineForecast, forecastBaselines, forecastWindow } from "./classical/window";
export type { Dataset, Frequency } from "./dataset";
export { addDays, dayNumber, isWeekday } from "./dates";
export { DataError } from "./errors";
export { alignToWindow, type ForecastPlan, forecastPlan, windowSteps } from "./forecast-plan";
export { inferFrequency } from "./frequency";
export { type Bands, conformalWidths, type IntervalMetrics, intervalMetrics } from "./intervals";
export { AddLastValue, CausalShift1D, SubtractLastValue } from "./layers";
export { fitLinearMap, type LinearFit } from "./linear-fit";
export { countParameters, estimateSpecMemory, formatBytes, type MemoryEstimate, type ParameterCount } from "./memory";
export {
  type BaselineReport,
  type ErrorMetrics,
  errorMetrics,
  type ForecastReport,
  forecastReport,
  naiveScale,
  type Predictions,
  reportHeadline,
  type StepMetrics,
  type Verdict,
  verdictText,
} from "./metrics";
export { type GapReport, type PreparedSeries, prepareSeries } from "./prepare";
export { seededRandom, shuffledIndices } from "./random";
export {
  overallReport,
  planRetrodiction,
  planSpecWindows,
  predictStatisticalWindow,
  predictWindow,
  type RetrodictionWindow,
  targetColumn,
  type WindowResult,
  windowResult,
} from "./retrodiction";
export { loadModel, type SavedModel, saveModel } from "./serialize";
export { TrainingSession, type WeightsSnapshot } from "./session";
export * from "./spec-object";
export * from "./spec-paths";
export * from "./specs";
export { controlCharacterIn, plainText } from "./text";
export { tf } from "./tf";
export {
  fitScaler,
  makeWindows,
  type Scaler,
  splitByTime,
  unscaleTarget,
  validationCount,
  type WindowSet,
  windowCount,
} from "./windows";
