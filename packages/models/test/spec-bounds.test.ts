import { describe, expect, it } from "vitest";
import { modelKinds, specBounds, trainingSpecSchema } from "../src/index";
import { specIssues } from "./spec-issues";

const data = { dataset: "seattle_weather", target: "temp_max" };

function issuesOf(input: unknown) {
  const parsed = trainingSpecSchema.safeParse(input);
  return parsed.success ? [] : specIssues(parsed.error);
}

describe("spec bounds", () => {
  it.each([
    ["train.epochs", { train: { epochs: 2 ** 31 - 1 } }, specBounds.epochs],
    ["window.lookback", { window: { lookback: 1e9 } }, specBounds.lookback],
    ["model.hidden.0", { model: { kind: "mlp", hidden: [1e5, 1e5] } }, specBounds.layerUnits],
    ["model.hidden.1", { model: { kind: "mlp", hidden: [1e5, 1e5] } }, specBounds.layerUnits],
    ["train.batchSize", { train: { batchSize: 1e9 } }, specBounds.batchSize],
  ])("refuses the issue's hostile %s, naming the limit", (path, overrides, limit) => {
    expect(issuesOf({ data, ...overrides })).toContainEqual({
      path,
      message: `must be at most ${limit} (a fixed bound of the spec schema)`,
    });
  });

  it("bounds every other size, list and name", () => {
    const tooMany = (n: number) => Array.from({ length: n + 1 }, (_, i) => `c${i}`);
    const cases: [string, unknown][] = [
      ["window.horizon", { data, window: { horizon: specBounds.horizon + 1 } }],
      ["model.movingAverage", { data, model: { kind: "linear", movingAverage: specBounds.lookback + 1 } }],
      ["model.hidden", { data, model: { kind: "mlp", hidden: Array(specBounds.mlpLayers + 1).fill(8) } }],
      ["model.blocks", { data, model: { kind: "nbeats", blocks: specBounds.nbeatsBlocks + 1 } }],
      ["model.layersPerBlock", { data, model: { kind: "nbeats", layersPerBlock: specBounds.layersPerBlock + 1 } }],
      ["model.units", { data, model: { kind: "nbeats", units: specBounds.layerUnits + 1 } }],
      ["model.filters", { data, model: { kind: "tcn", filters: specBounds.tcnFilters + 1 } }],
      ["model.kernelSize", { data, model: { kind: "tcn", kernelSize: specBounds.kernelSize + 1 } }],
      ["model.dilations.0", { data, model: { kind: "tcn", dilations: [specBounds.lookback + 1] } }],
      ["model.dilations", { data, model: { kind: "tcn", dilations: Array(specBounds.tcnLayers + 1).fill(1) } }],
      ["model.units", { data, model: { kind: "lstm", units: specBounds.layerUnits + 1 } }],
      ["model.layers", { data, model: { kind: "gru", layers: specBounds.recurrentLayers + 1 } }],
      ["train.learningRate", { data, train: { learningRate: specBounds.learningRate * 10 } }],
      ["train.seed", { data, train: { seed: 2 ** 32 } }],
      ["train.patience", { data, train: { patience: specBounds.epochs + 1 } }],
      ["train.checkpointEvery", { data, train: { checkpointEvery: specBounds.epochs + 1 } }],
      ["train.refitEpochs", { data, train: { refitEpochs: specBounds.epochs + 1 } }],
      ["retrodiction.batchSizeDays", { data, retrodiction: { batchSizeDays: specBounds.batchSizeDays + 1 } }],
      ["retrodiction.overlapDays", { data, retrodiction: { overlapDays: specBounds.batchSizeDays + 1 } }],
      ["retrodiction.windows", { data, retrodiction: { windows: specBounds.retrodictionWindows + 1 } }],
      ["data.features", { data: { ...data, features: tooMany(specBounds.features) } }],
      ["data.dataset", { data: { ...data, dataset: "d".repeat(specBounds.nameLength + 1) } }],
      ["data.target", { data: { ...data, target: "t".repeat(specBounds.nameLength + 1) } }],
      ["data.features.0", { data: { ...data, features: ["f".repeat(specBounds.nameLength + 1)] } }],
    ];
    for (const [path, input] of cases) {
      expect(
        issuesOf(input).find((issue) => issue.path === path),
        path,
      ).toMatchObject({ message: expect.stringMatching(/^must be at most \d+( \w+)? \(a fixed bound of the spec schema\)$/) });
    }
  });

  it("accepts every family's defaults and the bounds themselves", () => {
    for (const kind of modelKinds) expect(issuesOf({ data, model: { kind } })).toEqual([]);
    const atBounds = {
      data,
      window: { lookback: specBounds.lookback, horizon: specBounds.horizon },
      model: { kind: "mlp", hidden: Array(specBounds.mlpLayers).fill(specBounds.layerUnits) },
      train: { epochs: specBounds.epochs, batchSize: specBounds.batchSize, learningRate: specBounds.learningRate, seed: specBounds.seed },
      retrodiction: { windows: specBounds.retrodictionWindows, batchSizeDays: specBounds.batchSizeDays },
    };
    expect(issuesOf(atBounds)).toEqual([]);
    // Specs queued before the bounds used negative seeds; they still read.
    expect(issuesOf({ data, train: { seed: -(2 ** 31) } })).toEqual([]);
  });
});
