import { describe, expect, it } from "vitest";
import {
  DataError,
  type Dataset,
  dataSpecSchema,
  fitScaler,
  inferFrequency,
  makeWindows,
  planRetrodiction,
  prepareSeries,
  retrodictionSpecSchema,
  splitByTime,
  trainingSpecSchema,
} from "../src/index";
import { specIssues } from "./spec-issues";

function daily(n: number, start = "2020-01-01"): string[] {
  const t0 = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(t0 + i * 86_400_000).toISOString().slice(0, 10));
}

const toy: Dataset = {
  name: "toy",
  source: "test",
  dates: daily(6),
  columns: { y: [1, 2, null, 4, null, 6], x: [10, 20, 30, 40, 50, 60] },
};

describe("specs", () => {
  it("fills defaults and picks the default model family", () => {
    const spec = trainingSpecSchema.parse({ data: { dataset: "d", target: "y" } });
    expect(spec.model.kind).toBe("linear");
    expect(spec.window).toEqual({ lookback: 28, horizon: 1 });
    expect(spec.retrodiction).toMatchObject({ batchSizeDays: 90, overlapDays: 0, windows: 6 });
  });

  it("lists every bad field with its path in one go", () => {
    const result = trainingSpecSchema.safeParse({
      data: { dataset: "", target: "y", from: "2020-1-1", features: ["y"] },
      train: { epochs: 0, learningRate: -1 },
      model: { kind: "mlp", hidden: [] },
      retrodiction: { batchSizeDays: 10, overlapDays: 10 },
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    const paths = specIssues(result.error).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["data.dataset", "data.from", "train.epochs", "train.learningRate", "model.hidden"]));
    const unknownKind = trainingSpecSchema.safeParse({ data: { dataset: "d", target: "y" }, model: { kind: "transformer" } });
    expect(unknownKind.success ? [] : specIssues(unknownKind.error)).toEqual([
      { path: "model.kind", message: expect.stringMatching(/linear.*gru/) },
    ]);
    const refined = trainingSpecSchema.safeParse({
      data: { dataset: "d", target: "y", features: ["y"] },
      retrodiction: { batchSizeDays: 10, overlapDays: 10 },
    });
    expect(
      refined.success
        ? []
        : specIssues(refined.error)
            .map((i) => i.path)
            .sort(),
    ).toEqual(["data.features", "retrodiction.overlapDays"]);
  });
});

describe("prepareSeries", () => {
  const spec = (extra: object) => dataSpecSchema.parse({ dataset: "toy", target: "y", features: ["x"], ...extra });

  it("interpolates gaps by default and reports them", () => {
    const series = prepareSeries(toy, spec({}));
    expect(series.columns).toEqual(["y", "x"]);
    expect(Array.from(series.values.filter((_, i) => i % 2 === 0))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(series.gaps).toMatchObject({ policy: "interpolate", missingCells: 2, filledCells: 2, droppedDates: [] });
  });

  it("carries values forward, drops dates, or refuses, as the policy says", () => {
    expect(Array.from(prepareSeries(toy, spec({ gapPolicy: "ffill" })).values.filter((_, i) => i % 2 === 0))).toEqual([1, 2, 2, 4, 4, 6]);
    const dropped = prepareSeries(toy, spec({ gapPolicy: "drop" }));
    expect(dropped.dates).toEqual(["2020-01-01", "2020-01-02", "2020-01-04", "2020-01-06"]);
    expect(dropped.gaps.droppedDates).toEqual(["2020-01-03", "2020-01-05"]);
    expect(() => prepareSeries(toy, spec({ gapPolicy: "error" }))).toThrow(
      /2 missing values in the selected columns \(first: y on 2020-01-03\)/,
    );
  });

  it("applies log returns and differences, losing the first date", () => {
    const series = prepareSeries(toy, dataSpecSchema.parse({ dataset: "toy", target: "x", transform: "logReturn" }));
    expect(series.dates[0]).toBe("2020-01-02");
    expect(series.values[0]).toBeCloseTo(Math.log(2));
    expect(Array.from(prepareSeries(toy, dataSpecSchema.parse({ dataset: "toy", target: "x", transform: "diff" })).values)).toEqual([
      10, 10, 10, 10, 10,
    ]);
  });

  it("names the field and the fix for a missing column, a range outside the data, or log of non-positive values", () => {
    const error = (() => {
      try {
        prepareSeries(toy, dataSpecSchema.parse({ dataset: "toy", target: "z" }));
      } catch (e) {
        return e as DataError;
      }
    })();
    expect(error).toBeInstanceOf(DataError);
    expect(error).toMatchObject({ path: "data.target", fix: "use one of: y, x" });
    expect(() => prepareSeries(toy, dataSpecSchema.parse({ dataset: "toy", target: "x", features: ["nope"] }))).toThrow(/feature "nope"/);
    expect(() => prepareSeries(toy, dataSpecSchema.parse({ dataset: "toy", target: "x", from: "2021-01-01" }))).toThrow(
      /outside dataset toy/,
    );
    const negative: Dataset = { ...toy, columns: { y: [1, -1, 2, 3, 4, 5] } };
    expect(() => prepareSeries(negative, dataSpecSchema.parse({ dataset: "toy", target: "y", transform: "log" }))).toThrow(
      /needs positive values, but y is -1 on 2020-01-02/,
    );
  });

  it("infers the frequency from the spacing of dates", () => {
    expect(inferFrequency(daily(30))).toBe("daily");
    expect(inferFrequency(["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01"])).toBe("monthly");
    const weekdays = daily(60).filter((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()));
    expect(inferFrequency(weekdays)).toBe("business-daily");
  });
});

describe("windows and scaling", () => {
  const long: Dataset = { name: "long", source: "test", dates: daily(100), columns: { y: Array.from({ length: 100 }, (_, i) => i) } };
  const series = prepareSeries(long, dataSpecSchema.parse({ dataset: "long", target: "y" }));

  it("fits the scaler on the training slice only", () => {
    const before = fitScaler(series, 50);
    const changedFuture = prepareSeries(
      { ...long, columns: { y: long.columns.y?.map((v, i) => (i >= 50 ? (v as number) * 100 : v)) ?? [] } },
      dataSpecSchema.parse({ dataset: "long", target: "y" }),
    );
    expect(fitScaler(changedFuture, 50)).toEqual(before);
    expect(before.mean[0]).toBeCloseTo(24.5);
  });

  it("builds lookback/horizon windows whose targets stay before the limit, split by time", () => {
    const scaler = { mean: [0], std: [1] };
    const set = makeWindows(series, scaler, { lookback: 3, horizon: 2 }, 0, 10, 10);
    expect(set.count).toBe(6);
    expect(Array.from(set.targetRows)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(Array.from(set.x.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(Array.from(set.y.subarray(0, 2))).toEqual([3, 4]);
    expect(Array.from(set.y.subarray(10, 12))).toEqual([8, 9]);
    const { train, validation } = splitByTime(set, 0.34);
    expect(Array.from(train.targetRows)).toEqual([3, 4, 5, 6]);
    expect(Array.from(validation.targetRows)).toEqual([7, 8]);
  });

  it("plans walk-forward windows of batchSizeDays with overlapDays", () => {
    const plan = planRetrodiction(
      series,
      retrodictionSpecSchema.parse({ from: "2020-02-10", batchSizeDays: 10, overlapDays: 3 }),
      { lookback: 5, horizon: 1 },
      10,
    );
    expect(plan.map((w) => [w.startDate, w.endDate])).toEqual([
      ["2020-02-10", "2020-02-19"],
      ["2020-02-17", "2020-02-26"],
      ["2020-02-24", "2020-03-04"],
      ["2020-03-02", "2020-03-11"],
      ["2020-03-09", "2020-03-18"],
      ["2020-03-16", "2020-03-25"],
      ["2020-03-23", "2020-04-01"],
      ["2020-03-30", "2020-04-08"],
      ["2020-04-06", "2020-04-09"],
    ]);
    const lastSix = planRetrodiction(series, retrodictionSpecSchema.parse({ batchSizeDays: 7 }), { lookback: 5, horizon: 1 }, 10);
    expect(lastSix).toHaveLength(6);
    expect(lastSix.at(-1)?.endDate).toBe("2020-04-09");
    expect(() =>
      planRetrodiction(series, retrodictionSpecSchema.parse({ batchSizeDays: 30, windows: 4 }), { lookback: 5, horizon: 1 }, 10),
    ).toThrow(/only -?\d+ rows precede the first retrodiction window/);
  });
});
