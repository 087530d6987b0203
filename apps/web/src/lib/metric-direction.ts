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

/** Index of the best finite value for this metric, or -1 when there is none. */
export function bestIndex(key: string, values: readonly (number | null | undefined)[]): number {
  const lower = metricDirection(key) === "lower";
  let best = -1;
  values.forEach((value, i) => {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    const current = values[best];
    if (best < 0 || (lower ? value < (current as number) : value > (current as number))) best = i;
  });
  return best;
}
