import { loadBuiltinDataset } from "@hindcast/datasets";
import { planSpecWindows, prepareSeries, type TrainingSpecInput, trainingSpecSchema } from "@hindcast/models";
import { describe, expect, it } from "vitest";
import { replayRetrodiction } from "../src/index";
import { runTraining } from "./helpers";

const spec = (refitEpochs: number, retrodiction: TrainingSpecInput["retrodiction"] = { windows: 3, batchSizeDays: 30 }) => ({
  data: { dataset: "seattle_weather", target: "temp_max", from: "2014-01-01" },
  train: { epochs: 3, refitEpochs },
  retrodiction,
});

async function trainForReplay(input: TrainingSpecInput) {
  const { outcome, ctx, artifacts } = await runTraining(input);
  expect(outcome.status).toBe("succeeded");
  const saved = {
    topology: new TextDecoder().decode(await artifacts.get("memory://model/model.json")),
    weights: await artifacts.get("memory://model/weights.bin"),
  };
  return { part: { spec: ctx.spec, saved }, results: ctx.state.results };
}

async function trainAndReplay(refitEpochs: number) {
  const { part, results } = await trainForReplay(spec(refitEpochs));
  const replay = await replayRetrodiction([part], await loadBuiltinDataset("seattle_weather"));
  return { replay, results };
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

  it("replays every window of a parallel retrodiction through its children's models, numbered in date order", async () => {
    // The worker's fan-out: one child run per window of the parent's plan, fitted on the rows before it.
    const parent = trainingSpecSchema.parse(spec(1));
    const dataset = await loadBuiltinDataset("seattle_weather");
    const windows = planSpecWindows(prepareSeries(dataset, parent.data), parent);
    const children: Awaited<ReturnType<typeof trainForReplay>>[] = [];
    for (const window of windows) {
      children.push(await trainForReplay(spec(1, { ...parent.retrodiction, from: window.startDate, to: window.endDate, windows: 1 })));
    }
    // Children finish in any order; the replay numbers windows by date, as the run's results do.
    const replay = await replayRetrodiction(children.map((c) => c.part).reverse(), dataset);
    expect(replay.runWindows).toBe(windows.length);
    expect(replay.windows.map((w) => w.window)).toEqual(windows);
    replay.windows.forEach((w, i) => {
      const child = children[i]?.results[0];
      expect(w.dates).toEqual(child?.dates);
      expect(w.report.rmse).toBeCloseTo(child?.report.rmse as number, 5);
    });
  });
});
