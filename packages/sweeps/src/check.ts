import { issuePath, metricEntry, UserFacingError } from "@hindcast/contracts";
import { isStatistical, modelSpecSchema, type TrainingSpec, trainingSpecSchema } from "@hindcast/models/specs";
import { rungEpochs } from "./asha";
import {
  type Dimension,
  dimensions,
  extremes,
  gridSize,
  modelKindPath,
  pathAppliesTo,
  rangeProblem,
  searchPathProblem,
  spaceKinds,
} from "./space";
import type { StoredSweep, SweepSpec } from "./sweep-spec";
import { sweepMetricKeys } from "./sweep-spec";
import { trialBaseSpec, trialSpec } from "./trial-spec";

const fail = (message: string, fix: string, path: string): never => {
  throw new UserFacingError(message, fix, { path });
};

const distributionPath = (dim: Dimension) => `space.${dim.path}.${dim.kind}`;

/** The base spec, checked as any training spec is. */
function checkBase(sweep: SweepSpec): TrainingSpec {
  const parsed = trainingSpecSchema.safeParse(sweep.base);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issuePath(["base", ...(issue?.path ?? [])]);
  return fail(`${path}: ${issue?.message ?? "is not a valid spec"}`, "give base a training spec as `hindcast train start` takes", path);
}

/** A spec of one searched value at one end of its range (the other fields the base's), for checks that need a whole spec. */
export interface ExtremeSpec {
  path: string;
  spec: TrainingSpec;
}

/**
 * Each searched value, at both ends of its range, must make a valid spec on
 * its own: an error names the value's field. Returns those specs.
 */
function checkDimension(base: TrainingSpec, dim: Dimension, kinds: readonly string[]): ExtremeSpec[] {
  const pathProblem = searchPathProblem(dim.path, kinds);
  if (pathProblem) fail(`space: ${dim.path}: ${pathProblem}`, "search a field the training spec has", `space.${dim.path}`);
  const problem = rangeProblem(dim);
  if (problem) fail(`space.${dim.path}: the ${dim.kind} range ${problem}`, "give a range with min below max", distributionPath(dim));
  if (dim.path === modelKindPath) {
    const known = modelSpecSchema.options.map((o) => o.shape.kind.value as string);
    const unknown = extremes(dim).find((kind) => !known.includes(String(kind)));
    if (unknown !== undefined)
      fail(`space.model.kind: "${String(unknown)}" is not a model family`, `choose from ${known.join(", ")}`, distributionPath(dim));
  }
  const specs: ExtremeSpec[] = [];
  // A searched model.kind sets the family itself: each of its values is one spec.
  for (const kind of dim.path === modelKindPath ? [base.model.kind] : kinds) {
    for (const value of extremes(dim)) {
      const values = { "model.kind": kind, [dim.path]: value };
      if (!pathAppliesTo(dim.path, kind)) continue;
      const { valid, spec } = trialSpec(base as unknown as Record<string, unknown>, values);
      if (valid) {
        specs.push({ path: dim.path, spec: spec as TrainingSpec });
        continue;
      }
      const issue = trainingSpecSchema.safeParse(spec).error?.issues[0];
      fail(
        `space.${dim.path}: ${JSON.stringify(value)} does not make a valid spec: ${issuePath(issue?.path ?? [])} ${issue?.message ?? ""}`.trim(),
        "keep the values within what the spec accepts",
        distributionPath(dim),
      );
    }
  }
  return specs;
}

/**
 * Everything about a sweep that can be wrong before it queues a trial: the
 * base spec, each searched path (it must exist for a family the sweep trains),
 * each range (not empty, not inverted, valid at both ends), the grid against
 * the budget, the metric and the early-stopping rule. Each error names its path.
 * Returns the base spec and the number of trials.
 */
export function checkSweep(sweep: SweepSpec): { base: TrainingSpec; trials: number; extremes: ExtremeSpec[] } {
  const base = checkBase(sweep);
  const kinds = spaceKinds(sweep.space, base.model.kind);
  const dims = dimensions(sweep.space);
  const extremes = dims.flatMap((dim) => checkDimension(base, dim, kinds));

  const grid = gridSize(dims);
  let trials = sweep.budget.trials;
  if (sweep.method === "grid") {
    if (grid === null) {
      const continuous = dims.find((d) => d.kind === "uniform" || d.kind === "loguniform") as Dimension;
      fail(
        `space.${continuous.path}: a grid cannot search a ${continuous.kind} range`,
        "use choice or int, or method random or tpe",
        distributionPath(continuous),
      );
    }
    trials ??= grid as number;
    if ((grid as number) > trials) {
      fail(
        `the grid has ${grid} points, more than budget.trials (${trials})`,
        `raise budget.trials to ${grid}, search fewer values, or use method random or tpe`,
        "budget.trials",
      );
    }
  }
  trials ??= 20;

  if (!sweepMetricKeys.includes(sweep.metric)) {
    fail(
      `metric "${sweep.metric}" is not one a trial reports or it has no better direction`,
      `choose from ${sweepMetricKeys.join(", ")}`,
      "metric",
    );
  }
  const statisticalOnly = kinds.every((kind) => isStatistical({ kind } as TrainingSpec["model"]));
  const entry = metricEntry(sweep.metric);
  if (statisticalOnly && entry && !("path" in entry)) {
    fail(
      `metric "${sweep.metric}" is a training curve, and the classical families (${kinds.join(", ")}) train none`,
      "optimise skill_vs_best or rmse",
      "metric",
    );
  }
  if (sweep.pipeline === "train-only" && entry && "path" in entry) {
    fail(
      `metric "${sweep.metric}" comes from the retrodiction, which the train-only pipeline skips`,
      "use pipeline retrodiction or metric val_loss",
      "metric",
    );
  }
  if (sweep.earlyStopping.rule === "asha") {
    if (statisticalOnly)
      fail(
        "ASHA stops trials by their epochs, and the classical families train none",
        "use earlyStopping: { rule: none }",
        "earlyStopping.rule",
      );
    if (rungEpochs(sweep.earlyStopping, base.train.epochs).length === 0 && !("train.epochs" in sweep.space)) {
      fail(
        `no ASHA rung falls below train.epochs (${base.train.epochs}): the first is at minEpochs ${sweep.earlyStopping.minEpochs}`,
        "lower earlyStopping.minEpochs or train more epochs",
        "earlyStopping.minEpochs",
      );
    }
  }
  return { base, trials, extremes };
}

/** The stored form of a checked sweep, with the trials' data ending before the final comparison's windows. */
export function planSweep(sweep: SweepSpec, base: TrainingSpec, trials: number, lastDate: string): StoredSweep {
  const { trialBase, trialDataTo } = trialBaseSpec(base, lastDate);
  return { spec: sweep, trialBase: trialBase as unknown as Record<string, unknown>, trialDataTo, trials };
}
