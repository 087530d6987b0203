export { browserBackends } from "./backends/browser";
export { type BackendCandidate, type BackendChoice, type BackendProbe, pickBackend, preferBackends } from "./backends/pick";
export { probeForSpec, trainingStepProbe } from "./backends/probe";
export { buildModel, type ModelShape, movingAverageMatrix } from "./build";
export type { Dataset, Frequency } from "./dataset";
export { addDays, dayNumber, isWeekday } from "./dates";
export { DataError } from "./errors";
export { inferFrequency } from "./frequency";
export { CausalShift1D } from "./layers";
export {
  type ErrorMetrics,
  errorMetrics,
  type ForecastReport,
  forecastReport,
  naiveScale,
  type Predictions,
  reportHeadline,
} from "./metrics";
export { type GapReport, type PreparedSeries, prepareSeries } from "./prepare";
export { seededRandom, shuffledIndices } from "./random";
export { overallReport, planRetrodiction, predictWindow, type RetrodictionWindow, type WindowResult } from "./retrodiction";
export { loadModel, type SavedModel, saveModel } from "./serialize";
export { TrainingSession, type WeightsSnapshot } from "./session";
export * from "./specs";
export { tf } from "./tf";
export { fitScaler, makeWindows, type Scaler, scaleTarget, splitByTime, unscaleTarget, type WindowSet } from "./windows";
