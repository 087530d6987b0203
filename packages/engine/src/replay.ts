import {
  type Dataset,
  type ForecastReport,
  loadModel,
  overallReport,
  predictWindow,
  type SavedModel,
  type TrainingSpec,
  type WindowResult,
} from "@hindcast/models";
import { prepareRetrodictionData } from "./stages";

export interface ReplayResult {
  /** The windows the saved model can honestly predict (see replayRetrodiction). */
  windows: WindowResult[];
  overall: ForecastReport;
  /** Windows the run had; more than `windows.length` when the run refitted between windows. */
  runWindows: number;
}

/**
 * A finished run's retrodiction, predicted again by its saved model. The saved
 * model is the one that predicted the run's last window: when the run refitted
 * before each window, earlier windows were predicted by earlier weights (the
 * final model has seen their data), so only the last window is replayed.
 * Without refits every window is. The numbers then match the run's results up
 * to backend arithmetic.
 */
export async function replayRetrodiction(spec: TrainingSpec, dataset: Dataset, saved: SavedModel): Promise<ReplayResult> {
  const { series, windows, scaler } = prepareRetrodictionData(dataset, spec);
  const replayed = spec.train.refitEpochs > 0 ? windows.slice(-1) : windows;
  const model = await loadModel(saved);
  try {
    const results: WindowResult[] = [];
    for (const window of replayed) results.push(await predictWindow(model, series, scaler, spec.window, window));
    return { windows: results, overall: overallReport(results), runWindows: windows.length };
  } finally {
    model.dispose();
  }
}
