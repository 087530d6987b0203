import { describe, expect, it } from "vitest";
import { didYouMean, modelKinds, specPathProblem, trainingSpecSchema } from "../src/index";
import { specIssues } from "./spec-issues";

const data = { dataset: "seattle_weather", target: "temp_max" };
const issuesOf = (spec: unknown) => {
  const parsed = trainingSpecSchema.safeParse(spec);
  return parsed.success ? [] : specIssues(parsed.error);
};

describe("every object of a spec is strict", () => {
  it("names a misspelled key, its object and the field it most likely meant, instead of running the default", () => {
    expect(issuesOf({ data, train: { epocs: 3 } })).toEqual([
      { path: "train", message: expect.stringMatching(/^has no field "epocs" \(did you mean epochs\?\); the fields of train are /) },
    ]);
    expect(issuesOf({ data: { ...data, tranform: "diff" } })[0]).toMatchObject({
      path: "data",
      message: expect.stringContaining('"tranform" (did you mean transform?)'),
    });
    expect(issuesOf({ data, windw: { lookback: 7 } })[0]).toMatchObject({
      path: "(spec)",
      message: expect.stringContaining('"windw" (did you mean window?)'),
    });
    expect(issuesOf({ data, window: { lookbak: 7 } })[0]?.message).toContain("did you mean lookback?");
    expect(issuesOf({ data, retrodiction: { window: 2 } })[0]?.message).toContain("did you mean windows?");
    expect(issuesOf({ data, model: { kind: "arima", order: { p: 1, d: 0, q: 0, x: 1 } } })[0]).toMatchObject({
      path: "model.order",
      message: 'has no field "x"; the fields of model.order are d, p, q',
    });
  });

  it("rejects an option of another model family, naming the family's own", () => {
    expect(issuesOf({ data, model: { kind: "linear", hidden: 32 } })).toEqual([
      { path: "model", message: 'has no field "hidden"; the fields of model (kind linear) are fit, kind, movingAverage, normalize' },
    ]);
    for (const kind of modelKinds) {
      expect(issuesOf({ data, model: { kind, notAnOption: 1 } })[0]?.message, kind).toContain(`model (kind ${kind})`);
    }
  });

  it("reports every unknown key with the other problems at once", () => {
    const issues = issuesOf({ data, train: { epocs: 3, batchSize: -1 }, model: { kind: "mlp", hiden: [8] } });
    expect(issues.map((issue) => issue.path).sort()).toEqual(["model", "train", "train.batchSize"]);
  });

  it("still accepts every default spec and a full spec of each family", () => {
    for (const kind of modelKinds) {
      const full = trainingSpecSchema.parse({ data, model: { kind } });
      expect(trainingSpecSchema.parse(full)).toEqual(full);
    }
  });

  it("suggests only keys that are close: a third of the letters may differ", () => {
    expect(didYouMean("epocs", ["epochs", "seed"])).toBe("epochs");
    expect(didYouMean("LearningRate", ["learningRate"])).toBe("learningRate");
    expect(didYouMean("x", ["p", "d", "q"])).toBeUndefined();
    expect(didYouMean("colour", ["epochs", "seed"])).toBeUndefined();
    expect(specPathProblem(["train", "epocs"])).toMatch(/did you mean epochs\?/);
  });
});
