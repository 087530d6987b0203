import { loadBuiltinDataset } from "@hindcast/datasets";
import { describe, expect, it } from "vitest";
import { replayRetrodiction } from "../src/index.js";
import { runTraining } from "./helpers.js";

async function trainAndReplay(refitEpochs: number) {
  const { outcome, ctx, artifacts } = await runTraining({
    data: { dataset: "seattle_weather", target: "temp_max", from: "2014-01-01" },
    train: { epochs: 3, refitEpochs },
    retrodiction: { windows: 3, batchSizeDays: 30 },
  });
  expect(outcome.status).toBe("succeeded");
  const saved = {
    topology: new TextDecoder().decode(await artifacts.get("memory://model/model.json")),
    weights: await artifacts.get("memory://model/weights.bin"),
  };
  const replay = await replayRetrodiction(ctx.spec, await loadBuiltinDataset("seattle_weather"), saved);
  return { replay, results: ctx.state.results };
}

describe("replaying a finished run's retrodiction with its saved model", () => {
  it("predicts every window again, to the run's numbers, when the run never refitted", async () => {
    const { replay, results } = await trainAndReplay(0);
    expect(replay.runWindows).toBe(3);
    expect(replay.windows.map((w) => w.window)).toEqual(results.map((r) => r.window));
    replay.windows.forEach((w, i) => {
      expect(w.dates).toEqual(results[i]?.dates);
      expect(w.report.rmse).toBeCloseTo(results[i]?.report.rmse as number, 5);
      expect(w.report.mase).toBeCloseTo(results[i]?.report.mase as number, 5);
    });
  });

  it("replays only the last window when the run refitted before each window", async () => {
    const { replay, results } = await trainAndReplay(1);
    expect(replay.runWindows).toBe(3);
    expect(replay.windows).toHaveLength(1);
    const last = results.at(-1);
    expect(replay.windows[0]?.window).toEqual(last?.window);
    expect(replay.windows[0]?.report.rmse).toBeCloseTo(last?.report.rmse as number, 5);
    expect(replay.overall.rmse).toBeCloseTo(last?.report.rmse as number, 5);
  });
});
