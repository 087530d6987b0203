export { promotable, rungEpochs } from "./asha";
export { checkSweep, type ExtremeSpec, planSweep } from "./check";
export { importanceMinTrials, parameterImportance } from "./importance";
export { type ProposeOptions, proposeTrial } from "./samplers";
export { dimensions, gridSize, modelKindPath } from "./space";
export * from "./sweep-spec";
export { type ObservedTrial, tpeStartupTrials } from "./tpe";
export { applicableValues, finalWindowsStart, trialBaseSpec, trialSpec } from "./trial-spec";
