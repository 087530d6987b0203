import { forecastReportSchema, metricCatalog, parseRunSummary, runSummarySchema } from "@hindcast/contracts";
import { describe, expect, it } from "vitest";
import { forecastReport, reportHeadline } from "../src/metrics";

const forecast = (label: string, predicted: number[]) => ({ label, params: {}, predicted, bands: null, fitMs: 0 });
const unavailable = { label: "AR", unavailable: "too few rows" };
const report = (maseScale: number) =>
  forecastReport(
    {
      actual: [1, 2, 3, 2],
      predicted: [1.2, 2.1, 2.7, 2.2],
      step: [1, 1, 1, 1],
      bands: null,
      baselines: {
        naive: forecast("Naive", [0, 1, 2, 3]),
        seasonalNaive: forecast("Seasonal naive", [3, 3, 3, 3]),
        ar: unavailable,
        arima: unavailable,
        ets: forecast("ETS", [1, 2, 3.4, 2]),
        theta: unavailable,
      },
      reference: [0, 1, 2, 3],
    },
    maseScale,
  );
/** What the database and results.json hold: JSON, where a non-finite number is null. */
const stored = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe("the run summary and results contracts", () => {
  it("reads the summary a run stores back, and every headline metric of the catalog finds its number in it", () => {
    const summary = {
      model: "linear",
      backend: "cpu",
      windows: 2,
      ...reportHeadline(report(1)),
      bestValLoss: 0.1,
      linearFit: null,
      steps: 12,
    };
    const parsed = runSummarySchema.parse(stored({ ...summary, stopReason: null }));
    expect(parsed.verdict).toMatchObject({ best: "ets", beatsAll: false });
    for (const metric of metricCatalog.headline.filter((m) => m.key !== "coverage_95")) {
      expect(metric.pick(parsed), metric.key).toEqual(expect.any(Number));
    }
    // No intervals in this report: no coverage.
    expect(metricCatalog.headline.find((m) => m.key === "coverage_95")?.pick(parsed)).toBeNull();
  });

  it("reads rows stored before the classical baselines, rows without a result, and nothing else", () => {
    const old = parseRunSummary({
      overall: { rmse: 2.5, skill: { rmseVsNaive: 0.1, rmseVsSeasonalNaive: 0.2 } },
      baselines: { naiveRmse: 2.78 },
    });
    expect(old?.verdict).toBeUndefined();
    expect(metricCatalog.headline.map((m) => (old ? m.pick(old) : "unread"))).toEqual(
      metricCatalog.headline.map((m) => ({ rmse: 2.5, skill_vs_naive: 0.1 })[m.key] ?? null),
    );
    expect(parseRunSummary({ stopReason: null })).toEqual({ stopReason: null });
    expect(parseRunSummary(null)).toBeNull();
    expect(parseRunSummary({ overall: "not a headline" })).toBeNull();
  });

  it("reads a report written to JSON back as a report: a non-finite measure comes back NaN", () => {
    const flat = report(0);
    expect(flat.mase).toBe(Number.POSITIVE_INFINITY);
    const parsed = forecastReportSchema.parse(stored(flat));
    expect(parsed.mase).toBeNaN();
    expect(parsed.rmse).toBe(flat.rmse);
    expect(parsed.verdict).toEqual(flat.verdict);
    // The summary keeps the stored null: tables show no number.
    expect(metricCatalog.headline.find((m) => m.key === "mase")?.pick(runSummarySchema.parse(stored(reportHeadline(flat))))).toBeNull();
  });
});
