import { describe, expect, it } from "vitest";
import { forecastSeries, intervalEdge } from "../src/components/run/retrodiction/forecast-series";
import type { RetrodictionWindowResult } from "../src/components/run/retrodiction/types";

/** Two days of a window with intervals, AR fitted and ETS not. */
function windowWith(bands: boolean): RetrodictionWindowResult {
  const fitted = (label: string, predicted: number[]) => ({ label, params: {}, predicted, bands: null, fitMs: 1 });
  const unavailable = (label: string) => ({ label, unavailable: "too few rows" });
  return {
    window: { index: 0, startRow: 10, endRow: 12, startDate: "2024-01-01", endDate: "2024-01-02" },
    dates: ["2024-01-01", "2024-01-02"],
    maseScale: 1,
    predictions: {
      actual: [1, 2],
      predicted: [1.5, 2.5],
      step: [1, 1],
      reference: [0, 1],
      bands: bands ? { lower80: [1, 2], upper80: [2, 3], lower95: [0.5, 1.5], upper95: [2.5, 3.5] } : null,
      baselines: {
        naive: fitted("naive", [0, 1]),
        seasonalNaive: fitted("seasonal naive (7)", [1, 1]),
        ar: fitted("AR(3)", [1.2, 2.2]),
        arima: fitted("ARIMA(1,0,0)", [1.1, 2.1]),
        ets: unavailable("ETS"),
        theta: fitted("theta", [1, 2]),
      },
    },
    report: {} as RetrodictionWindowResult["report"],
  };
}

describe("forecastSeries", () => {
  it("draws actual, model, both intervals as bands and only the chosen baselines that were fitted", () => {
    const { series, bands } = forecastSeries(windowWith(true), new Set(["ar", "ets"]));
    expect(series.map((s) => s.label)).toEqual([
      "actual",
      "model",
      intervalEdge(95, "high"),
      intervalEdge(95, "low"),
      intervalEdge(80, "high"),
      intervalEdge(80, "low"),
      "AR(3)",
    ]);
    expect(bands).toEqual([
      { upper: "model 95% high", lower: "model 95% low", fill: "var(--chart-band95)" },
      { upper: "model 80% high", lower: "model 80% low", fill: "var(--chart-band80)" },
    ]);
    expect(series[0]?.x).toEqual([Date.UTC(2024, 0, 1) / 1000, Date.UTC(2024, 0, 2) / 1000]);
  });

  it("draws no bands where the model has no intervals", () => {
    const { series, bands } = forecastSeries(windowWith(false), new Set());
    expect(series.map((s) => s.label)).toEqual(["actual", "model"]);
    expect(bands).toEqual([]);
  });
});
