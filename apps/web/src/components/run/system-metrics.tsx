"use client";
import { systemMetricPrefix } from "@hindcast/contracts";
import { useMemo } from "react";
import { type ChartSettings, chartX } from "@/components/chart-controls";
import { MetricChart } from "@/components/metric-chart";
import styles from "./run.module.css";
import { useLiveSeries } from "./use-live-series";

/**
 * The training process' system metrics, one small chart each, beside the
 * loss rather than on its scale; they follow the loss chart's x axis, on a
 * linear scale without smoothing (a utilisation spike is the point).
 */
export function SystemMetrics({
  runId,
  keys,
  active,
  settings,
}: {
  runId: string;
  keys: string[];
  active: boolean;
  settings: ChartSettings;
}) {
  const series = useLiveSeries(runId, keys, settings.x, active);
  const charts = useMemo(
    () => series.series.map((s) => ({ label: s.key, x: chartX(s.x, settings.x), y: s.values })),
    [series.series, settings.x],
  );
  return (
    <section aria-labelledby="system-metrics-title" data-testid="system-metrics">
      <h3 id="system-metrics-title">System</h3>
      {series.error && <p className="banner-error">Cannot load the system metrics: {series.error.message}</p>}
      <div className={styles.split}>
        {charts.map((s) => (
          <MetricChart key={s.label} series={[s]} title={s.label.slice(systemMetricPrefix.length)} xKind={settings.x} height={140} />
        ))}
      </div>
    </section>
  );
}
