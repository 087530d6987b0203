import type { TrainingSpecInput } from "@hindcast/models";

/** Seattle's daily high temperature: a small built-in series. */
export const seattleData = { dataset: "seattle_weather", target: "temp_max" } satisfies TrainingSpecInput["data"];

/** Two epochs on `seattleData`, for tests that need a run to exist rather than to train. */
export const seattleSpec = { data: seattleData, train: { epochs: 2 } } satisfies TrainingSpecInput;

/** Finishes in a few seconds, with two retrodiction windows. */
export const quickSpec = {
  data: seattleData,
  train: { epochs: 3, refitEpochs: 1 },
  retrodiction: { windows: 2, batchSizeDays: 30 },
} satisfies TrainingSpecInput;

/**
 * S&P 500 log returns with no early stopping: trains for all `epochs`, long
 * enough (at a few dozen) to watch, cancel or kill mid-epoch.
 */
export const longSpec = (epochs: number, train: Omit<NonNullable<TrainingSpecInput["train"]>, "epochs"> = {}) =>
  ({
    data: { dataset: "sp500", target: "spx_close", transform: "logReturn" },
    train: { epochs, patience: 0, refitEpochs: 1, ...train },
    retrodiction: { windows: 1, batchSizeDays: 30 },
  }) satisfies TrainingSpecInput;
