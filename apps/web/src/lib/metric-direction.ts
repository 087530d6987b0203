/**
 * Which way each metric is better, decided here once for every page (Compare's
 * stars and best rows, the runs table's best column and first sort), from the
 * words of its key: losses and forecast errors are better lower, skill and
 * accuracy higher. Every other key has no better direction and never gets a
 * star: the learning rate, epochs, samples per second, and interval coverage
 * (best near its nominal level, not at either end).
 */
const lowerIsBetter = new Set(["loss", "mae", "mse", "rmse", "mape", "smape", "mase", "error", "winkler", "pinball"]);
const higherIsBetter = new Set(["skill", "accuracy"]);

export type MetricDirection = "lower" | "higher" | "none";

/** A key's words: "window/skill_vs_naive" -> window, skill, vs, naive; "valLoss" -> val, loss. */
const words = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/);

export function metricDirection(key: string): MetricDirection {
  const parts = words(key);
  if (parts.some((word) => lowerIsBetter.has(word))) return "lower";
  if (parts.some((word) => higherIsBetter.has(word))) return "higher";
  return "none";
}

/** The summary statistic holding a metric's best value; undefined when no value is better than another. */
export function bestStat(key: string): "min" | "max" | undefined {
  const direction = metricDirection(key);
  return direction === "none" ? undefined : direction === "lower" ? "min" : "max";
}

/**
 * Indexes of the runs holding the best finite value of this metric; none
 * when the metric has no better direction, or every run has the same value
 * (nothing to single out).
 */
export function bestIndexes(key: string, values: readonly (number | null | undefined)[]): Set<number> {
  const direction = metricDirection(key);
  const finite = values.filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
  if (direction === "none" || finite.length === 0) return new Set();
  const best = direction === "lower" ? Math.min(...finite) : Math.max(...finite);
  if (finite.length > 1 && finite.every((v) => v === best)) return new Set();
  return new Set(values.flatMap((v, i) => (v === best ? [i] : [])));
}
