import { loadBuiltinDataset } from "@hindcast/datasets";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type BaselineForecast,
  baselineNames,
  type DataSpec,
  type ForecastPlan,
  forecastBaselines,
  forecastPlan,
  intervalMetrics,
  prepareSeries,
  seededRandom,
  targetColumn,
  windowSteps,
} from "../src/index";

/** The classical baselines on real built-in data, and the guarantees every run's report rests on. */

const lookback = 28;
const validationFraction = 0.15;
const classical = ["ar", "arima", "ets", "theta"] as const;

interface Loaded {
  name: string;
  y: Float64Array;
  period: number;
}

const datasets: { name: string; data: Pick<DataSpec, "dataset" | "target" | "transform">; period: number }[] = [
  { name: "seattle_weather temp_max (daily)", data: { dataset: "seattle_weather", target: "temp_max", transform: "none" }, period: 7 },
  { name: "sp500 log returns (business-daily)", data: { dataset: "sp500", target: "spx_close", transform: "logReturn" }, period: 5 },
  { name: "co2 (monthly)", data: { dataset: "co2", target: "co2", transform: "none" }, period: 12 },
];

const loaded = new Map<string, Loaded>();

beforeAll(async () => {
  for (const d of datasets) {
    const series = prepareSeries(await loadBuiltinDataset(d.data.dataset), { ...d.data, features: [], gapPolicy: "interpolate" });
    loaded.set(d.name, { name: d.name, y: targetColumn(series), period: series.seasonPeriod });
  }
});

function data(name: string): Loaded {
  const found = loaded.get(name);
  if (!found) throw new Error(`${name} was not loaded`);
  return found;
}

/** The predictions of an available baseline; fails with its reason otherwise. */
function predicted(forecast: BaselineForecast | undefined, what: string): Extract<BaselineForecast, { predicted: number[] }> {
  if (!forecast) throw new Error(`${what}: no forecast`);
  if (!("predicted" in forecast)) throw new Error(`${what} is unavailable: ${forecast.unavailable}`);
  return forecast;
}

/** The last `rows` rows of y as the window, origins every `horizon` rows. */
function lastWindow(y: ArrayLike<number>, rows: number, horizon: number): ForecastPlan {
  return forecastPlan({ startRow: y.length - rows, endRow: y.length }, horizon, lookback, validationFraction);
}

describe.each(datasets)("$name", ({ name, period }) => {
  it("has the season period the baselines are given", () => {
    expect(data(name).period).toBe(period);
  });

  it("fits every baseline on the rows before the window and forecasts finite values with ordered bands", () => {
    const { y } = data(name);
    const plan = lastWindow(y, 30, 1);
    const out = forecastBaselines(y, plan, period);
    expect(Object.keys(out)).toEqual([...baselineNames]);
    for (const baseline of baselineNames) {
      const forecast = predicted(out[baseline], `${name} ${baseline}`);
      expect(forecast.predicted).toHaveLength(30);
      expect(forecast.predicted.every(Number.isFinite), `${name} ${forecast.label}`).toBe(true);
      const bands = forecast.bands;
      if (!bands) throw new Error(`${name} ${forecast.label}: no bands`);
      forecast.predicted.forEach((p, i) => {
        const row = [bands.lower95[i], bands.lower80[i], p, bands.upper80[i], bands.upper95[i]] as number[];
        expect(row.every(Number.isFinite)).toBe(true);
        const sorted = [...row].sort((a, b) => a - b);
        expect(sorted, `${name} ${forecast.label} row ${i}`).toEqual(row);
      });
    }
  });

  it("forecasts per horizon step: AR as its own recursion, and step 1 of horizon 3 as horizon 1", () => {
    const { y } = data(name);
    const plan = lastWindow(y, 30, 3);
    expect(windowSteps(plan)).toEqual(Array.from({ length: 30 }, (_, i) => (i % 3) + 1));
    const out = forecastBaselines(y, plan, period);
    const oneStep = forecastBaselines(y, lastWindow(y, 30, 1), period);
    for (const baseline of baselineNames) {
      const three = predicted(out[baseline], `${name} ${baseline} (horizon 3)`);
      const one = predicted(oneStep[baseline], `${name} ${baseline} (horizon 1)`);
      expect(three.predicted).toHaveLength(30);
      expect(three.predicted.every(Number.isFinite)).toBe(true);
      expect(three.params).toEqual(one.params);
      plan.origins.forEach((_, i) => {
        expect(three.predicted[3 * i], `${name} ${three.label} origin ${i}`).toBeCloseTo(one.predicted[3 * i] as number, 12);
      });
    }

    // AR(p) by hand from the third origin: each step feeds the previous steps' forecasts back in.
    const ar = predicted(out.ar, `${name} ar`);
    const intercept = ar.params.intercept as number;
    const phi = ar.params.phi as number[];
    expect(ar.label).toBe(`AR(${phi.length})`);
    const origin = plan.origins[2] as number;
    const path = Array.from(y.subarray(0, origin));
    for (let h = 0; h < 3; h++) {
      const next = phi.reduce((sum, coefficient, k) => sum + coefficient * (path[path.length - 1 - k] as number), intercept);
      const scale = Math.max(1, Math.abs(next));
      expect(Math.abs((ar.predicted[6 + h] as number) - next) / scale, `step ${h + 1}`).toBeLessThan(1e-9);
      path.push(next);
    }
  });

  it("never lets a value at or after an origin change the forecasts from that origin", () => {
    const { y } = data(name);
    const plan = lastWindow(y, 30, 3);
    const origin = plan.origins[4] as number;
    const changed = Float64Array.from(y, (v, row) => (row >= origin ? v * 3 + 7 : v));
    const before = forecastBaselines(y, plan, period);
    const after = forecastBaselines(changed, plan, period);
    const fromOrigin = 3 * 5; // predictions of origins 0..4, each from rows before its origin
    for (const baseline of classical) {
      const a = predicted(before[baseline], `${name} ${baseline}`);
      const b = predicted(after[baseline], `${name} ${baseline}`);
      expect(b.params, a.label).toEqual(a.params);
      expect(b.predicted.slice(0, fromOrigin), a.label).toEqual(a.predicted.slice(0, fromOrigin));
      // ... while the later origins do see the changed values they follow.
      expect(b.predicted.slice(fromOrigin + 3), a.label).not.toEqual(a.predicted.slice(fromOrigin + 3));
    }
  });

  it("fits the next window from the window before's estimates to the same forecasts as from scratch", () => {
    const { y } = data(name);
    const earlier = forecastPlan({ startRow: y.length - 60, endRow: y.length - 30 }, 1, lookback, validationFraction);
    const plan = lastWindow(y, 30, 1);
    const previous = forecastBaselines(y, earlier, period);
    const cold = forecastBaselines(y, plan, period);
    const warm = forecastBaselines(y, plan, period, previous);
    for (const baseline of classical) {
      const a = predicted(cold[baseline], `${name} ${baseline}`);
      const b = predicted(warm[baseline], `${name} ${baseline}`);
      expect(b.label, baseline).toBe(a.label);
      // The same optimum, reached from another start: equal to the optimizer's tolerance.
      for (const [i, value] of a.predicted.entries()) {
        expect(Math.abs((b.predicted[i] as number) - value), `${a.label} at ${i}`).toBeLessThanOrEqual(1e-4 * (Math.abs(value) + 1e-3));
      }
    }
  });
});

describe("a baseline that cannot be fitted", () => {
  const window = (y: Float64Array, startRow: number) => forecastPlan({ startRow, endRow: y.length }, 1, 1, validationFraction);

  it("is reported with its reason on a constant series, and the naive baselines still forecast", () => {
    const y = new Float64Array(200).fill(5);
    const out = forecastBaselines(y, window(y, 150), 7);
    for (const name of classical) {
      const forecast = out[name];
      expect("unavailable" in forecast ? forecast.unavailable : `${name} was fitted`).toMatch(/constant/);
    }
    expect(predicted(out.naive, "naive").predicted).toEqual(new Array(50).fill(5));
    expect(predicted(out.seasonalNaive, "seasonal naive").predicted).toEqual(new Array(50).fill(5));
  });

  it("is reported with the rows it lacks, and the baselines that can be fitted still forecast", () => {
    const temperatures = data(datasets[0]?.name as string).y;
    // 15 rows before the window: enough for AR, ETS and Theta, not for ARIMA.
    const y = temperatures.slice(0, 25);
    const out = forecastBaselines(y, window(y, 15), 7);
    const arima = out.arima;
    expect("unavailable" in arima ? arima.unavailable : "ARIMA was fitted").toMatch(/ARIMA needs .*\brows\b.*15/);
    for (const name of ["naive", "seasonalNaive", "ar", "ets", "theta"] as const) {
      const forecast = predicted(out[name], name);
      expect(forecast.predicted).toHaveLength(10);
      expect(forecast.predicted.every(Number.isFinite), name).toBe(true);
    }
    // 8 rows: none of the fitted baselines.
    const short = temperatures.slice(0, 12);
    const none = forecastBaselines(short, window(short, 8), 7);
    for (const name of classical) {
      const forecast = none[name];
      expect("unavailable" in forecast ? forecast.unavailable : `${name} was fitted`, name).toMatch(/\brows\b/);
    }
    expect(predicted(none.naive, "naive").predicted).toEqual(Array.from(short.subarray(7, 11)));
  });
});

describe("conformal intervals", () => {
  it("cover 80% and 95% of an AR(1) with Gaussian noise, within 5 points, over many windows", () => {
    const random = seededRandom(20240612);
    const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const y = new Float64Array(4000);
    for (let t = 1; t < y.length; t++) y[t] = 0.6 * (y[t - 1] as number) + gaussian();
    const actual: number[] = [];
    const point: number[] = [];
    const bands = { lower80: [] as number[], upper80: [] as number[], lower95: [] as number[], upper95: [] as number[] };
    for (let startRow = 2000; startRow < y.length; startRow += 100) {
      const plan = forecastPlan({ startRow, endRow: startRow + 100 }, 1, lookback, validationFraction);
      const ar = predicted(forecastBaselines(y, plan, 7).ar, "AR");
      if (!ar.bands) throw new Error("AR has no bands");
      actual.push(...y.subarray(startRow, startRow + 100));
      point.push(...ar.predicted);
      for (const key of Object.keys(bands) as (keyof typeof bands)[]) bands[key].push(...ar.bands[key]);
    }
    expect(actual).toHaveLength(2000);
    const { coverage80, coverage95 } = intervalMetrics(actual, point, bands);
    expect(Math.abs(coverage80 - 0.8), `80% coverage ${coverage80}`).toBeLessThanOrEqual(0.05);
    expect(Math.abs(coverage95 - 0.95), `95% coverage ${coverage95}`).toBeLessThanOrEqual(0.05);
  });
});
