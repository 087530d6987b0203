import type { FittedForecaster } from "./forecaster";

/** Repeats the last value known at the origin. */
export const naiveForecaster: FittedForecaster = {
  label: "naive",
  params: {},
  forecast(y, origins, horizon) {
    const out = new Float64Array(origins.length * horizon);
    origins.forEach((t, i) => {
      out.fill(y[t - 1] as number, i * horizon, (i + 1) * horizon);
    });
    return out;
  },
};

/** Repeats the value one season earlier that was known at the origin. */
export function seasonalNaiveForecaster(period: number): FittedForecaster {
  return {
    label: `seasonal naive (${period})`,
    params: { period },
    forecast(y, origins, horizon) {
      const out = new Float64Array(origins.length * horizon);
      origins.forEach((t, i) => {
        for (let h = 0; h < horizon; h++) out[i * horizon + h] = y[t + h - period * Math.ceil((h + 1) / period)] as number;
      });
      return out;
    },
  };
}
