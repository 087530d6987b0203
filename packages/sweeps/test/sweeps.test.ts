import { loadBuiltinDataset } from "@hindcast/datasets";
import { planSpecWindows, prepareSeries, trainingSpecSchema } from "@hindcast/models";
import { describe, expect, it } from "vitest";
import {
  dimensions,
  gridSize,
  type ObservedTrial,
  parameterImportance,
  promotable,
  proposeTrial,
  rungEpochs,
  type SearchSpace,
  trialBaseSpec,
  trialSpec,
} from "../src/index";

describe("ASHA", () => {
  it("puts rungs at minEpochs x eta^k below the trial's epochs", () => {
    expect(rungEpochs({ rule: "asha", minEpochs: 1, reductionFactor: 3 }, 27)).toEqual([1, 3, 9]);
    expect(rungEpochs({ rule: "asha", minEpochs: 2, reductionFactor: 2 }, 20)).toEqual([2, 4, 8, 16]);
    expect(rungEpochs({ rule: "none" }, 27)).toEqual([]);
  });

  it("promotes the best 1/eta of a rung, and only the best so far while the rung has fewer than eta trials (Optuna's rule)", () => {
    expect(promotable(0.5, [0.5], 3)).toBe(true);
    expect(promotable(0.6, [0.5, 0.6], 3)).toBe(false);
    expect(promotable(0.4, [0.5, 0.4], 3)).toBe(true);
    // 6 trials, eta 3: the best 2 go on.
    const rung = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    expect(rung.map((v) => promotable(v, rung, 3))).toEqual([true, true, false, false, false, false]);
    expect(promotable(Number.NaN, [0.1, Number.NaN], 3)).toBe(false);
  });
});

describe("samplers", () => {
  const space: SearchSpace = { x: { uniform: [-5, 5] }, lr: { loguniform: [1e-5, 1] }, k: { choice: ["a", "b", "c"] }, n: { int: [1, 4] } };

  it("draws each trial's values from its seed and number alone, within every range", () => {
    for (let trial = 0; trial < 50; trial++) {
      const values = proposeTrial({ method: "random", space, seed: 3, trial, history: [] });
      expect(values).toEqual(proposeTrial({ method: "random", space, seed: 3, trial, history: [] }));
      expect(values.x as number).toBeGreaterThanOrEqual(-5);
      expect(values.x as number).toBeLessThanOrEqual(5);
      expect(values.lr as number).toBeGreaterThanOrEqual(1e-5);
      expect(["a", "b", "c"]).toContain(values.k);
      expect(Number.isInteger(values.n)).toBe(true);
    }
  });

  it("walks a grid point by point, each once", () => {
    const grid: SearchSpace = { k: { choice: ["a", "b", "c"] }, n: { int: [1, 2] } };
    expect(gridSize(dimensions(grid))).toBe(6);
    const points = [...Array(6).keys()].map((trial) =>
      JSON.stringify(proposeTrial({ method: "grid", space: grid, seed: 0, trial, history: [] })),
    );
    expect(new Set(points).size).toBe(6);
  });

  it("TPE finds a better minimum than random search with the same number of trials", () => {
    const objective = (v: Record<string, unknown>) =>
      ((v.x as number) - 2) ** 2 + (Math.log10(v.lr as number) + 3) ** 2 + (v.k === "b" ? 0 : 4);
    const search = (method: "random" | "tpe", seed: number) => {
      const history: ObservedTrial[] = [];
      for (let trial = 0; trial < 40; trial++) {
        const values = proposeTrial({ method, space, seed, trial, history });
        history.push({ values, loss: objective(values) });
      }
      return Math.min(...history.map((h) => h.loss));
    };
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length / 2] as number;
    expect(median(seeds.map((s) => search("tpe", s)))).toBeLessThan(median(seeds.map((s) => search("random", s))));
  });
});

describe("trial specs", () => {
  it("end the trials' data the day before the final comparison's first window, whose windows they never see", async () => {
    const base = trainingSpecSchema.parse({
      data: { dataset: "seattle_weather", target: "temp_max" },
      retrodiction: { windows: 3, batchSizeDays: 30 },
    });
    const dataset = await loadBuiltinDataset("seattle_weather");
    const finalWindows = planSpecWindows(prepareSeries(dataset, base.data), base);
    const { trialBase, trialDataTo } = trialBaseSpec(base, dataset.dates.at(-1) as string);
    expect(trialDataTo < (finalWindows[0]?.startDate as string)).toBe(true);
    const trialWindows = planSpecWindows(prepareSeries(dataset, trialBase.data), trialBase);
    expect(trialWindows).toHaveLength(3);
    expect((trialWindows.at(-1)?.endDate as string) <= trialDataTo).toBe(true);
  });

  it("start another family from its defaults and keep a spec that fails validation as it is", () => {
    const base = trainingSpecSchema.parse({ data: { dataset: "d", target: "t" }, model: { kind: "linear" } });
    const lstm = trialSpec(base, { "model.kind": "lstm", "model.units": 8 });
    expect(lstm.valid).toBe(true);
    expect((lstm.spec as { model: unknown }).model).toMatchObject({ kind: "lstm", units: 8, layers: 1 });
    expect(trialSpec(base, { "train.learningRate": -1 }).valid).toBe(false);
  });
});

describe("importance", () => {
  it("puts the parameter that drives the objective first", () => {
    const space: SearchSpace = { x: { uniform: [0, 1] }, noise: { uniform: [0, 1] } };
    const trials = [...Array(30).keys()].map((trial) => {
      const values = proposeTrial({ method: "random", space, seed: 1, trial, history: [] });
      return { values, objective: 10 * (values.x as number) + 0.1 * (values.noise as number) };
    });
    const importance = parameterImportance(space, trials) ?? [];
    expect(importance[0]?.path).toBe("x");
    expect(importance[0]?.importance).toBeGreaterThan(0.7);
    expect(parameterImportance(space, trials.slice(0, 3))).toBeNull();
    expect(
      parameterImportance(
        space,
        trials.map((t) => ({ ...t, objective: 1 })),
      ),
    ).toBeNull();
  });

  it("reads a skill-scale objective that one choice decides exactly", () => {
    const space: SearchSpace = { "train.refitEpochs": { choice: [0, 1, 2] }, "train.checkpointEvery": { int: [1, 5] } };
    const trials = [...Array(12).keys()].map((trial) => {
      const values = proposeTrial({ method: "random", space, seed: 2, trial, history: [] });
      return { values, objective: 0.001 * (values["train.refitEpochs"] as number) };
    });
    const importance = parameterImportance(space, trials) ?? [];
    expect(importance[0]?.path).toBe("train.refitEpochs");
    expect(importance.reduce((sum, i) => sum + i.importance, 0)).toBeCloseTo(1, 9);
  });
});
