/** Parts of metric keys whose smaller values are better: losses and forecast errors. Everything else (skill, accuracy) is better higher. */
const lowerIsBetterParts = ["loss", "mae", "rmse", "mape", "mase", "error"];

export type MetricDirection = "lower" | "higher";

export function metricDirection(key: string): MetricDirection {
  const lower = key.toLowerCase();
  return lowerIsBetterParts.some((part) => lower.includes(part)) ? "lower" : "higher";
}

/** The summary statistic holding a metric's best value. */
export function bestStat(key: string): "min" | "max" {
  return metricDirection(key) === "lower" ? "min" : "max";
}

/**
 * Indexes of the runs holding the best finite value of this metric; none
 * when every run has the same value (nothing to single out).
 */
export function bestIndexes(key: string, values: readonly (number | null | undefined)[]): Set<number> {
  const finite = values.filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
  if (finite.length === 0) return new Set();
  const best = metricDirection(key) === "lower" ? Math.min(...finite) : Math.max(...finite);
  if (finite.length > 1 && finite.every((v) => v === best)) return new Set();
  return new Set(values.flatMap((v, i) => (v === best ? [i] : [])));
}
