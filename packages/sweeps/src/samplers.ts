import { seededRandom } from "@hindcast/models/random";
import { type Dimension, dimensions, gridPoint } from "./space";
import type { SearchSpace, SweepMethod, TrialValues } from "./sweep-spec";
import { type ObservedTrial, tpeSuggest } from "./tpe";

/** The same sweep seed and trial number give the same draw, on any worker, after any restart. */
export function trialRandom(seed: number, trial: number): () => number {
  return seededRandom((Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(trial + 1, 0xc2b2ae35)) >>> 0);
}

/** A value of a dimension drawn from its prior (choices evenly, ranges uniformly, loguniform on the log scale). */
export function drawFromPrior(dim: Dimension, random: () => number): unknown {
  switch (dim.kind) {
    case "choice":
      return dim.values[Math.min(dim.values.length - 1, Math.floor(random() * dim.values.length))];
    case "uniform":
      return dim.min + random() * (dim.max - dim.min);
    case "loguniform":
      return Math.exp(Math.log(dim.min) + random() * (Math.log(dim.max) - Math.log(dim.min)));
    case "int":
      return Math.min(dim.max, dim.min + Math.floor(random() * (dim.max - dim.min + 1)));
  }
}

export interface ProposeOptions {
  method: SweepMethod;
  space: SearchSpace;
  seed: number;
  /** The number of the trial to propose (0-based). */
  trial: number;
  /** Trials that ended with a value of the objective, oriented so that lower is better. */
  history: readonly ObservedTrial[];
}

/** The values of the next trial: the grid's next point, a random draw, or TPE's pick once enough trials have ended. */
export function proposeTrial(options: ProposeOptions): TrialValues {
  const dims = dimensions(options.space);
  if (options.method === "grid") return gridPoint(dims, options.trial);
  const random = trialRandom(options.seed, options.trial);
  if (options.method === "tpe") {
    const suggested = tpeSuggest(dims, options.history, random);
    if (suggested) return suggested;
  }
  return Object.fromEntries(dims.map((dim) => [dim.path, drawFromPrior(dim, random)]));
}
