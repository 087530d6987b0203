"use client";
import { metricDirection } from "@hindcast/contracts";
import { useMemo } from "react";
import { type ChartSeries, MetricChart } from "@/components/metric-chart";
import { formatNumber } from "@/lib/format";
import type { SweepDetail } from "./types";

/** Each succeeded trial's objective by trial number, and the best so far along the trials. */
export function curveSeries(sweep: SweepDetail): ChartSeries[] {
  const metric = sweep.spec?.metric ?? "objective";
  const higher = metricDirection(metric) === "higher";
  const scored = sweep.trials
    .filter((trial) => trial.status === "SUCCEEDED" && trial.objective !== null && Number.isFinite(trial.objective))
    .sort((a, b) => a.number - b.number);
  const x = scored.map((trial) => trial.number);
  const y = scored.map((trial) => trial.objective as number);
  const best: number[] = [];
  for (const value of y) {
    const previous = best.at(-1);
    best.push(previous === undefined ? value : higher ? Math.max(previous, value) : Math.min(previous, value));
  }
  return [
    { label: `${metric} of each trial`, x, y, points: true, color: "var(--chart-model)" },
    { label: "best so far", x, y: best, color: "var(--ok)", width: 2 },
  ];
}

/** The optimisation curve: how the search improved with the trials (trials stopped early have no value and are left out). */
export function OptimisationCurve({ sweep }: { sweep: SweepDetail }) {
  const series = useMemo(() => curveSeries(sweep), [sweep]);
  const scored = series[0]?.x.length ?? 0;
  return (
    <section className="card" aria-labelledby="curve-title">
      <h2 id="curve-title">Optimisation curve</h2>
      {scored === 0 ? (
        <p className="muted">Each trial that succeeds adds a point here.</p>
      ) : (
        <MetricChart
          series={series}
          title={`${sweep.spec?.metric ?? "objective"} by trial`}
          xLabel="trial"
          yFormat={(value) => formatNumber(value)}
          testId="sweep-curve"
          height={240}
        />
      )}
    </section>
  );
}
