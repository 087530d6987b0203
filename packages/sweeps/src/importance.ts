import { RandomForestRegression } from "ml-random-forest";
import { type Dimension, dimensions } from "./space";
import type { SearchSpace, TrialValues } from "./sweep-spec";

/** Trials with an objective needed before importance means anything. */
export const importanceMinTrials = 4;

/** A dimension's value as a number a tree can split: the choice's index, the logarithm of a loguniform value. */
function encode(dim: Dimension, value: unknown): number {
  if (value === undefined) return -1;
  if (dim.kind === "choice") return dim.values.findIndex((v) => JSON.stringify(v) === JSON.stringify(value));
  const x = Number(value);
  return dim.kind === "loguniform" ? Math.log(x) : x;
}

/**
 * How much each searched field explains the objective: the impurity importance
 * of a random forest (ml-random-forest) fitted on the ended trials' values to
 * their objective, normalised to sum to 1. Null with fewer than
 * `importanceMinTrials` trials or when the objective never changes.
 */
export function parameterImportance(
  space: SearchSpace,
  trials: readonly { values: TrialValues; objective: number }[],
  seed = 0,
): { path: string; importance: number }[] | null {
  const finite = trials.filter((t) => Number.isFinite(t.objective));
  if (finite.length < importanceMinTrials) return null;
  const dims = dimensions(space);
  const y = finite.map((t) => t.objective);
  if (Math.max(...y) === Math.min(...y)) return null;
  const x = finite.map((t) => dims.map((dim) => encode(dim, t.values[dim.path])));
  if (dims.length === 1) return [{ path: (dims[0] as Dimension).path, importance: 1 }];
  // noOOB: with a few trials a bootstrap sample can hold them all, and ml-random-forest's out-of-bag view of none throws.
  const forest = new RandomForestRegression({
    nEstimators: 64,
    maxFeatures: 1.0,
    replacement: true,
    seed,
    useSampleBagging: true,
    noOOB: true,
  });
  forest.train(x, y);
  // ml-random-forest 2.1 has featureImportance(); its bundled types do not declare it.
  const raw = (forest as unknown as { featureImportance(): number[] }).featureImportance().map((v) => (Number.isFinite(v) ? v : 0));
  const total = raw.reduce((a, b) => a + b, 0);
  return dims
    .map((dim, i) => ({ path: dim.path, importance: total > 0 ? (raw[i] as number) / total : 0 }))
    .sort((a, b) => b.importance - a.importance);
}
