"use client";
import type { RouterInputs, RouterOutputs } from "@hindcast/api";
import { metricCatalog, trackedMetricKeys } from "@hindcast/contracts";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { errorMessage } from "@/lib/errors";
import { formatCount } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import styles from "./chart-controls.module.css";
import { type ChartBand, type ChartSeries, MetricChart } from "./metric-chart";

export type GroupSeriesQuery = Omit<RouterInputs["groups"]["series"], "key" | "members" | "buckets">;
type GroupSeries = RouterOutputs["groups"]["series"];
type Band = "std" | "range";

const bandLabels: Record<Band, { upper: string; lower: string; choice: string }> = {
  std: { upper: "mean + std", lower: "mean − std", choice: "mean ± std" },
  range: { upper: "max", lower: "min", choice: "min – max" },
};
const memberColor = "color-mix(in srgb, var(--muted) 55%, transparent)";

/** The mean line, the band's edges (one run has no std: its edges are the mean), and each run's line when they came. */
function groupSeries(data: GroupSeries, band: Band): { series: ChartSeries[]; bands: ChartBand[] } {
  const labels = bandLabels[band];
  const upper = band === "std" ? data.mean.map((m, i) => m + (data.std[i] ?? 0)) : data.max;
  const lower = band === "std" ? data.mean.map((m, i) => m - (data.std[i] ?? 0)) : data.min;
  const x = data.steps;
  // uPlot takes null for a gap; the chart's series type says number.
  const members = (data.lines ?? []).map((values, i) => ({
    label: data.runs[i]?.name ?? data.runs[i]?.id.slice(0, 8) ?? `run ${i + 1}`,
    x,
    y: values as number[],
    color: memberColor,
    width: 1,
  }));
  return {
    series: [
      ...members,
      { label: labels.upper, x, y: upper, color: "var(--chart-band80)", width: 1 },
      { label: labels.lower, x, y: lower, color: "var(--chart-band80)", width: 1 },
      { label: "mean", x, y: data.mean, color: "var(--chart-model)", width: 2.5 },
    ],
    bands: [{ upper: labels.upper, lower: labels.lower, fill: "var(--chart-band95)" }],
  };
}

/**
 * A tracked metric of one group's runs: the mean across them per step with a
 * band (± std or min – max) and, on request, each run's own line; the newest
 * runs the API reads (50) when the group has more.
 */
export function GroupChart({ query, runCount, title }: { query: GroupSeriesQuery; runCount: number; title: string }) {
  const trpc = useTRPC();
  const id = useId();
  const [key, setKey] = useState<string>(trackedMetricKeys.valLoss);
  const [band, setBand] = useState<Band>("std");
  const [members, setMembers] = useState(false);
  const series = useQuery(trpc.groups.series.queryOptions({ ...query, key, members }, { placeholderData: keepPreviousData }));
  const chart = useMemo(() => series.data && groupSeries(series.data, band), [series.data, band]);
  const read = series.data?.runs.length ?? 0;
  return (
    <div data-testid="group-chart">
      <div className={styles.controls}>
        <label className={styles.inline}>
          Metric
          <select value={key} onChange={(event) => setKey(event.target.value)}>
            {metricCatalog.tracked.map((metric) => (
              <option key={metric.key} value={metric.key}>
                {metric.label}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.inline}>
          Band
          <select value={band} onChange={(event) => setBand(event.target.value as Band)}>
            {(Object.keys(bandLabels) as Band[]).map((choice) => (
              <option key={choice} value={choice}>
                {bandLabels[choice].choice}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.inline} htmlFor={`${id}-members`}>
          <input id={`${id}-members`} type="checkbox" checked={members} onChange={(event) => setMembers(event.target.checked)} />
          Show members
        </label>
        <span className="muted">
          {read < runCount ? `the newest ${formatCount(read)} of ${formatCount(runCount)} runs` : ""}
          {series.data?.sampled ? ` · sampled every ${formatCount(series.data.bucketSteps)} steps` : ""}
        </span>
      </div>
      {series.error ? (
        <p className="banner-error">{errorMessage(series.error)}</p>
      ) : chart && series.data?.steps.length ? (
        <MetricChart series={chart.series} bands={chart.bands} title={title} testId="group-metric-chart" height={240} />
      ) : (
        <p className="muted">{series.isPending ? "Loading…" : `No run of this group has ${key} yet.`}</p>
      )}
    </div>
  );
}
