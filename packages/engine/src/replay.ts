import {
  type Dataset,
  type ForecastReport,
  isStatistical,
  loadModel,
  overallReport,
  predictStatisticalWindow,
  predictWindow,
  type SavedModel,
  type TrainingSpec,
  type WindowResult,
} from "@hindcast/models";
import { prepareRetrodictionData } from "./stages";

/** A run that predicted windows with one model: a plain retrodiction, or one child of a parallel retrodiction. */
export interface ReplayPart {
  spec: TrainingSpec;
  /** Null for a classical model: it is fitted again on each window's rows, which gives the run's parameters. */
  saved: SavedModel | null;
}

export interface ReplayResult {
  /** The windows the saved models can honestly predict (see replayRetrodiction). */
  windows: WindowResult[];
  overall: ForecastReport;
  /** Windows the run had; more than `windows.length` when the run refitted between windows. */
  runWindows: number;
}

async function replayPart({ spec, saved }: ReplayPart, dataset: Dataset): Promise<{ windows: WindowResult[]; runWindows: number }> {
  const { series, windows, scaler } = prepareRetrodictionData(dataset, spec);
  const model = spec.model;
  if (isStatistical(model) || !saved) {
    if (!isStatistical(model)) throw new Error(`a ${model.kind} run needs its saved model to be replayed`);
    const results: WindowResult[] = [];
    for (const w of windows)
      results.push(predictStatisticalWindow(model, series, spec.window, w, spec.train.validationFraction, results.at(-1)).result);
    return { windows: results, runWindows: windows.length };
  }
  const replayed = spec.train.refitEpochs > 0 ? windows.slice(-1) : windows;
  const network = await loadModel(saved);
  try {
    const results: WindowResult[] = [];
    for (const window of replayed)
      results.push(await predictWindow(network, series, scaler, spec.window, window, spec.train.validationFraction, results.at(-1)));
    return { windows: results, runWindows: windows.length };
  } finally {
    network.dispose();
  }
}

/**
 * A finished run's retrodiction, predicted again by its saved model. The saved
 * model is the one that predicted the run's last window: when the run refitted
 * before each window, earlier windows were predicted by earlier weights (the
 * final model has seen their data), so only the last window is replayed.
 * Without refits every window is. The numbers then match the run's results up
 * to backend arithmetic.
 *
 * A parallel retrodiction is replayed through its children, one part each
 * (each child predicted one window with its own model): every window is
 * replayed, numbered in date order as the run's results number them.
 */
export async function replayRetrodiction(parts: ReplayPart[], dataset: Dataset): Promise<ReplayResult> {
  const windows: WindowResult[] = [];
  let runWindows = 0;
  for (const part of parts) {
    const replayed = await replayPart(part, dataset);
    windows.push(...replayed.windows);
    runWindows += replayed.runWindows;
  }
  if (parts.length > 1) {
    windows.sort((a, b) => a.window.startDate.localeCompare(b.window.startDate));
    windows.forEach((w, index) => {
      w.window = { ...w.window, index };
    });
  }
  return { windows, overall: overallReport(windows), runWindows };
}
