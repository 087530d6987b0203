import { describe, expect, it } from "vitest";
import { type Draft, initialDraft, putValue } from "../src/components/new-training/draft";
import {
  applySweepSpec,
  choiceValues,
  formPath,
  initialSweep,
  type SpaceRow,
  sweepInput,
  sweepOf,
  sweepPath,
  validateSweepDraft,
} from "../src/components/new-training/sweep-draft";
import { validateDraft } from "../src/components/new-training/validation";

/** A form filled in for a sweep: Seattle weather, the learning rate searched on a log scale. */
function sweepDraft(): Draft {
  const draft = initialDraft();
  putValue(draft, "spec.data.dataset", "seattle_weather");
  putValue(draft, "spec.data.target", "temp_max");
  draft.sweep = initialSweep(draft.spec);
  return draft;
}

const validate = (draft: Draft) => validateSweepDraft(draft, validateDraft(draft).errors);

describe("the New training form as a sweep", () => {
  it("starts with the learning rate searched on a log scale around the spec's and the schema's defaults, and sends a valid sweep", () => {
    const draft = sweepDraft();
    expect(sweepOf(draft).space).toEqual([{ path: "train.learningRate", kind: "loguniform", min: 0.0001, max: 0.01 }]);
    const { errors, input } = validate(draft);
    expect(errors).toEqual({});
    expect(input).toMatchObject({
      base: { data: { dataset: "seattle_weather" } },
      space: { "train.learningRate": { loguniform: [0.0001, 0.01] } },
      method: "tpe",
      budget: { trials: 20 },
      earlyStopping: { rule: "asha", minEpochs: 1, reductionFactor: 3 },
    });
  });

  it("sets a searched field's range in place (the rows stay a list)", () => {
    const draft = sweepDraft();
    putValue(draft, "sweep.space.0.max", 0.5);
    expect(Array.isArray(sweepOf(draft).space)).toBe(true);
    expect(sweepOf(draft).space[0]?.max).toBe(0.5);
  });

  it("names each bad row's own field, and the sweep's settings by their form path", () => {
    const draft = sweepDraft();
    const rows: SpaceRow[] = [
      { path: "train.learningRate", kind: "loguniform", min: "abc", max: 0.1 },
      { path: "train.learningRate", kind: "choice", values: "[1, " },
      { path: "", kind: "int", min: 1, max: 2 },
    ];
    sweepOf(draft).space = rows;
    sweepOf(draft).parallel = 0;
    sweepOf(draft).earlyStopping = { rule: "none", minEpochs: "", reductionFactor: "" };
    draft.pipeline = "parallel-retrodiction";
    const { errors, input } = validate(draft);
    expect(input).toBeUndefined();
    expect(errors).toMatchObject({
      "sweep.space.0.min": "must be a number",
      "sweep.space.1.path": expect.stringContaining("twice"),
      "sweep.space.1.values": expect.stringContaining("comma-separated"),
      "sweep.space.2.path": "choose a spec field",
      "sweep.parallel": "must be at least 1",
      pipeline: expect.stringContaining("retrodiction"),
    });
    // Early stopping off: its ASHA settings are not sent, so not judged.
    expect(Object.keys(errors).some((path) => path.startsWith("sweep.earlyStopping"))).toBe(false);
  });

  it("places the API's errors (sweep spec paths) beside their fields, and names the fields by those paths again", () => {
    const rows: SpaceRow[] = [
      { path: "model.hidden", kind: "choice", values: "[8], [32, 32]" },
      { path: "train.learningRate", kind: "loguniform", min: 0.1, max: 0.001 },
    ];
    const cases: [string, string][] = [
      ["base.train.epochs", "spec.train.epochs"],
      ["space.train.learningRate.loguniform", "sweep.space.1.min"],
      ["space.train.learningRate.loguniform.1", "sweep.space.1.max"],
      ["space.model.hidden.choice", "sweep.space.0.values"],
      ["space.model.hidden", "sweep.space.0.path"],
      ["space", "sweep.space"],
      ["budget.trials", "sweep.budget.trials"],
      ["earlyStopping.minEpochs", "sweep.earlyStopping.minEpochs"],
      ["metric", "sweep.metric"],
      ["tags.0", "tags.0"],
    ];
    for (const [api, form] of cases) expect(formPath(api, rows), api).toBe(form);
    expect(sweepPath("sweep.space.1.max", rows)).toBe("space.train.learningRate.loguniform.1");
    expect(sweepPath("spec.train.epochs", rows)).toBe("base.train.epochs");
    expect(sweepPath("sweep.budget.trials", rows)).toBe("budget.trials");
  });

  it("reads a choice's values as a YAML list, lists of lists included", () => {
    expect(choiceValues("16, 32, 64")).toEqual([16, 32, 64]);
    expect(choiceValues("[8], [32, 32]")).toEqual([[8], [32, 32]]);
    expect(choiceValues("linear, mlp")).toEqual(["linear", "mlp"]);
  });

  it("makes the same sweep spec again from its YAML (the YAML tab edits the whole sweep)", () => {
    const draft = sweepDraft();
    sweepOf(draft).space.push({ path: "model.kind", kind: "choice", values: "linear, mlp" });
    sweepOf(draft).budget = { trials: 8, minutes: 30 };
    draft.name = "lr and family";
    const spec = sweepInput(draft);
    const again = initialDraft();
    applySweepSpec(again, JSON.parse(JSON.stringify(spec)));
    expect(sweepInput(again)).toEqual(JSON.parse(JSON.stringify(spec)));
    expect(validate(again).input?.space).toEqual({
      "train.learningRate": { loguniform: [0.0001, 0.01] },
      "model.kind": { choice: ["linear", "mlp"] },
    });
  });
});
