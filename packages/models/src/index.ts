export { browserBackends } from "./backends/browser.js";
export { type BackendCandidate, type BackendChoice, type BackendProbe, pickBackend, preferBackends } from "./backends/pick.js";
export { probeForSpec, trainingStepProbe } from "./backends/probe.js";
export { buildModel, type ModelShape, movingAverageMatrix } from "./build.js";
export type { Dataset, Frequency } from "./dataset.js";
export { addDays, dayNumber, isWeekday } from "./dates.js";
export { DataError } from "./errors.js";
export { inferFrequency } from "./frequency.js";
export { CausalShift1D } from "./layers.js";
export {
  type ErrorMetrics,
  errorMetrics,
  type ForecastReport,
  forecastReport,
  naiveScale,
  type Predictions,
  reportHeadline,
} from "./metrics.js";
export { type GapReport, type PreparedSeries, prepareSeries } from "./prepare.js";
export { seededRandom, shuffledIndices } from "./random.js";
export { overallReport, planRetrodiction, predictWindow, type RetrodictionWindow, type WindowResult } from "./retrodiction.js";
export { loadModel, type SavedModel, saveModel } from "./serialize.js";
export { TrainingSession, type WeightsSnapshot } from "./session.js";
export * from "./specs.js";
export { tf } from "./tf.js";
export { fitScaler, makeWindows, type Scaler, scaleTarget, splitByTime, unscaleTarget, type WindowSet } from "./windows.js";
