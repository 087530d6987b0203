import { type Dimension, dimensions } from "./space";
import type { SearchSpace, TrialValues } from "./sweep-spec";

/** Trials with an objective needed before importance means anything. */
export const importanceMinTrials = 4;

/** A dimension's value as a number to sort by: the choice's index, the logarithm of a loguniform value. */
function encode(dim: Dimension, value: unknown): number {
  if (dim.kind === "choice") return dim.values.findIndex((v) => JSON.stringify(v) === JSON.stringify(value));
  const x = Number(value);
  return dim.kind === "loguniform" ? Math.log(x) : x;
}

/** The trials' positions grouped by a dimension's value: one group per choice, quantile bins of about √n trials for a range. */
function groups(dim: Dimension, codes: readonly number[]): number[][] {
  if (dim.kind === "choice") {
    const byValue = new Map<number, number[]>();
    for (const [i, code] of codes.entries()) byValue.set(code, [...(byValue.get(code) ?? []), i]);
    return [...byValue.values()];
  }
  const positions = codes.map((_, i) => i);
  // Trials of a family without this field form a group of their own.
  const without = positions.filter((i) => !Number.isFinite(codes[i]));
  const order = positions.filter((i) => Number.isFinite(codes[i])).sort((a, b) => (codes[a] as number) - (codes[b] as number));
  const size = Math.max(2, Math.round(Math.sqrt(order.length)));
  const bins: number[][] = without.length ? [without] : [];
  for (let start = 0; start < order.length; start += size) bins.push(order.slice(start, start + size));
  return bins;
}

/**
 * How much of the objective's variance each searched field explains: the
 * correlation ratio η² (between-group over total sum of squares) of the ended
 * trials grouped by the field's value, shared out so the fields sum to 1.
 * Not a random forest's impurity importance: ml-random-forest's trees (ml-cart)
 * never split where the error left is below a fixed 0.01 or exactly 0, so a
 * skill-scale objective, or one a field decides exactly, read as importance 0.
 * Null with fewer than `importanceMinTrials` trials or an objective that never changes.
 */
export function parameterImportance(
  space: SearchSpace,
  trials: readonly { values: TrialValues; objective: number }[],
): { path: string; importance: number }[] | null {
  const finite = trials.filter((t) => Number.isFinite(t.objective));
  if (finite.length < importanceMinTrials) return null;
  const y = finite.map((t) => t.objective);
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const total = y.reduce((sum, v) => sum + (v - mean) ** 2, 0);
  if (total === 0) return null;
  const explained = dimensions(space).map((dim) => {
    const codes = finite.map((t) => encode(dim, t.values[dim.path]));
    const between = groups(dim, codes).reduce((sum, members) => {
      const groupMean = members.reduce((s, i) => s + (y[i] as number), 0) / members.length;
      return sum + members.length * (groupMean - mean) ** 2;
    }, 0);
    return { path: dim.path, share: between / total };
  });
  const sum = explained.reduce((a, e) => a + e.share, 0);
  return explained
    .map((e) => ({ path: e.path, importance: sum > 0 ? e.share / sum : 1 / explained.length }))
    .sort((a, b) => b.importance - a.importance);
}
