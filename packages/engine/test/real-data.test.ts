import { describe, expect, it } from "vitest";
import { MetricKey } from "../src/index";
import { runTraining, stepsOf } from "./helpers";

const metricNames = ["mae", "rmse", "mape", "smape", "mase", "directionalAccuracy"] as const;

describe("training on real data (built-in datasets, real TF.js)", () => {
  it("the default model beats the naive baseline's RMSE on Seattle temp_max over 6 walk-forward windows", async () => {
    const { outcome, ctx, store, metrics, artifacts } = await runTraining({ data: { dataset: "seattle_weather", target: "temp_max" } });
    expect(outcome.status).toBe("succeeded");
    expect(ctx.spec.model.kind).toBe("linear");

    const { results, report } = ctx.state;
    expect(results).toHaveLength(6);
    for (let i = 1; i < results.length; i++) {
      // Walk-forward: every window starts after the previous one and its model saw only earlier rows.
      expect(results[i]?.window.startRow).toBeGreaterThan(results[i - 1]?.window.startRow as number);
    }
    if (!report) throw new Error("no report");
    for (const name of metricNames) expect(report[name], name).toEqual(expect.any(Number));
    for (const r of results)
      for (const name of metricNames) expect(r.report[name], `window ${r.window.index} ${name}`).toEqual(expect.any(Number));
    expect(report.baselines.naive?.rmse).toBeGreaterThan(0);
    expect(report.baselines.seasonalNaive?.rmse).toBeGreaterThan(0);
    expect(report.rmse).toBeLessThan(report.baselines.naive?.rmse as number);
    expect(report.skill.rmseVsNaive).toBeGreaterThan(0);

    expect(store.events.filter((e) => e.kind === "SUCCEEDED").map((e) => e.stage)).toEqual([
      "loadData",
      "prepare",
      "train",
      "retrodict",
      "persist",
      "finalize",
    ]);
    const steps = stepsOf(metrics, MetricKey.trainLoss);
    expect(steps).toEqual(steps.map((_, i) => i + 1));
    expect(stepsOf(metrics, MetricKey.valLoss).length).toBeGreaterThan(0);
    expect([...artifacts.artifacts.keys()]).toEqual(
      expect.arrayContaining(["memory://model/model.json", "memory://model/weights.bin", "memory://results.json"]),
    );
    expect([...artifacts.artifacts.keys()].some((uri) => uri.startsWith("memory://checkpoints/"))).toBe(true);
    const results_json = JSON.parse(new TextDecoder().decode(await artifacts.get("memory://results.json")));
    expect(results_json.windows).toHaveLength(6);
    expect(results_json.summary.overall.rmse).toBe(report.rmse);
    expect(store.progress.at(-1)?.percent).toBe(100);
  });

  it("trains on S&P 500 log returns and reports every metric against both baselines", async () => {
    const { outcome, ctx } = await runTraining({
      data: { dataset: "sp500", target: "spx_close", transform: "logReturn", from: "2010-01-01" },
      train: { epochs: 5, refitEpochs: 1 },
      retrodiction: { windows: 6, batchSizeDays: 60 },
    });
    expect(outcome.status).toBe("succeeded");
    const report = ctx.state.report;
    if (!report) throw new Error("no report");
    expect(ctx.state.results).toHaveLength(6);
    expect(ctx.state.series?.transform).toBe("logReturn");
    expect(Math.abs(ctx.state.series?.values[0] as number)).toBeLessThan(0.2);
    for (const name of metricNames) expect(report[name]).toEqual(expect.any(Number));
    expect(report.directionalAccuracy).toBeGreaterThanOrEqual(0);
    expect(report.directionalAccuracy).toBeLessThanOrEqual(1);
    expect(Number.isFinite(report.skill.rmseVsNaive)).toBe(true);
    expect(Number.isFinite(report.skill.rmseVsSeasonalNaive)).toBe(true);
  });

  const classical = ["ar", "arima", "ets", "theta"] as const;
  it.each([
    { name: "co2 (monthly, 6 x 365 days)", data: { dataset: "co2", target: "co2" }, batchSizeDays: 365, windows: 6, ratio: 1 },
    {
      name: "S&P 500 log returns (business-daily, 12 x 30 days)",
      data: { dataset: "sp500", target: "spx_close", transform: "logReturn" as const },
      batchSizeDays: 30,
      windows: 12,
      ratio: 1.01,
    },
  ])("the default model is no worse than the best classical baseline on $name", async ({ data, batchSizeDays, windows, ratio }) => {
    const { outcome, ctx } = await runTraining({ data, retrodiction: { batchSizeDays, windows } });
    expect(outcome.status).toBe("succeeded");
    const report = ctx.state.report;
    if (!report) throw new Error("no report");
    const best = Math.min(...classical.map((b) => report.baselines[b]?.rmse ?? Number.POSITIVE_INFINITY));
    expect(Number.isFinite(best)).toBe(true);
    const line = `model ${report.rmse}; ${classical.map((b) => `${report.baselines[b]?.label} ${report.baselines[b]?.rmse}`).join(", ")}`;
    expect(report.rmse / best, line).toBeLessThanOrEqual(ratio);
    expect(report.skill.rmseVsNaive, line).toBeGreaterThan(0.1);
  });
});
