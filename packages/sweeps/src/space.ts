import { specPathProblem } from "@hindcast/models/spec-paths";
import { modelSpecSchema } from "@hindcast/models/specs";
import type { Parameter, SearchSpace, TrialValues } from "./sweep-spec";

export const modelKindPath = "model.kind";

/** The distribution's kind and its values or range, for code that handles each. */
export type Dimension =
  | { path: string; kind: "choice"; values: unknown[] }
  | { path: string; kind: "uniform" | "loguniform"; min: number; max: number }
  | { path: string; kind: "int"; min: number; max: number };

export function dimension(path: string, parameter: Parameter): Dimension {
  if ("choice" in parameter) return { path, kind: "choice", values: parameter.choice };
  if ("uniform" in parameter) return { path, kind: "uniform", min: parameter.uniform[0], max: parameter.uniform[1] };
  if ("loguniform" in parameter) return { path, kind: "loguniform", min: parameter.loguniform[0], max: parameter.loguniform[1] };
  return { path, kind: "int", min: parameter.int[0], max: parameter.int[1] };
}

/** The dimensions of a space, model.kind first (the family decides which model options apply). */
export function dimensions(space: SearchSpace): Dimension[] {
  const paths = Object.keys(space).sort((a, b) => Number(b === modelKindPath) - Number(a === modelKindPath));
  return paths.map((path) => dimension(path, space[path] as Parameter));
}

/** The model families a space's trials can have: its model.kind choices, or the base spec's family. */
export function spaceKinds(space: SearchSpace, baseKind: string): string[] {
  const kinds = space[modelKindPath];
  return kinds && "choice" in kinds ? kinds.choice.map(String) : [baseKind];
}

/** Whether a spec path exists for a model family (model.* paths belong to some families only; the others to all). */
export function pathAppliesTo(path: string, kind: string): boolean {
  const [head, key] = path.split(".");
  if (head !== "model" || key === "kind" || key === undefined) return true;
  const family = modelSpecSchema.options.find((option) => option.shape.kind.value === kind);
  return family !== undefined && Object.hasOwn(family.shape, key);
}

/** Why a path cannot be searched, or undefined. */
export function searchPathProblem(path: string, kinds: readonly string[]): string | undefined {
  const problem = specPathProblem(path.split("."));
  if (problem) return problem;
  if (!kinds.some((kind) => pathAppliesTo(path, kind))) {
    return `no model family the sweep trains (${kinds.join(", ")}) has ${path}; search ${modelKindPath} over a family that has it`;
  }
  return undefined;
}

/** Why a dimension's range is empty or impossible, or undefined. */
export function rangeProblem(dim: Dimension): string | undefined {
  if (dim.kind === "choice") {
    const keys = dim.values.map((v) => JSON.stringify(v));
    return new Set(keys).size < keys.length ? "lists a value twice" : undefined;
  }
  if (dim.min > dim.max) return `is inverted: min ${dim.min} is above max ${dim.max}`;
  if (dim.min === dim.max) return `is empty: min and max are both ${dim.min}; use choice: [${dim.min}] for a fixed value`;
  if (dim.kind === "loguniform" && dim.min <= 0) return `must be above 0 at both ends to be searched on a log scale (min is ${dim.min})`;
  return undefined;
}

/** The values a dimension may take that a spec check should try: every choice, or both ends of a range. */
export function extremes(dim: Dimension): unknown[] {
  return dim.kind === "choice" ? dim.values : [dim.min, dim.max];
}

/** Points of a grid: the product of the choices (and of every integer of an int range); null when a dimension is continuous. */
export function gridSize(dims: readonly Dimension[]): number | null {
  let size = 1;
  for (const dim of dims) {
    if (dim.kind === "uniform" || dim.kind === "loguniform") return null;
    size *= dim.kind === "choice" ? dim.values.length : dim.max - dim.min + 1;
  }
  return size;
}

/** The grid point number `n` (mixed radix over the dimensions, the last one fastest). */
export function gridPoint(dims: readonly Dimension[], n: number): TrialValues {
  const values: TrialValues = {};
  let rest = n;
  for (let i = dims.length - 1; i >= 0; i--) {
    const dim = dims[i] as Dimension;
    if (dim.kind === "choice") {
      values[dim.path] = dim.values[rest % dim.values.length];
      rest = Math.floor(rest / dim.values.length);
    } else if (dim.kind === "int") {
      const count = dim.max - dim.min + 1;
      values[dim.path] = dim.min + (rest % count);
      rest = Math.floor(rest / count);
    }
  }
  return values;
}
