"use client";
import { csvExportPaths } from "@hindcast/api/schemas";
import { defaultChartKeys, isSystemMetric, trackedMetricKeys } from "@hindcast/contracts";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { ChartControls, chartX } from "@/components/chart-controls";
import { type ChartSeries, MetricChart } from "@/components/metric-chart";
import { useChartUrlState } from "@/components/use-chart-url-state";
import { formatCount, formatNumber } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import styles from "./run.module.css";
import { SystemMetrics } from "./system-metrics";
import { useLiveSeries } from "./use-live-series";

const defaultKeys = defaultChartKeys();
const lossChartTestId = "loss-chart";

/** What a series' last value covers: window/ metrics are logged once per retrodiction window, the last one last. */
const lastValueScope = (key: string) => (key.startsWith("window/") ? "last window" : "last");

/**
 * The run's metric series: key choice (train and validation loss together by
 * default), smoothing, log scale, x axis, drag-zoom; new points arrive live
 * while the run is active, and the chart keeps the user's zoom.
 */
export function MetricPanel({ runId, active }: { runId: string; active: boolean }) {
  const trpc = useTRPC();
  const [separate, setSeparate] = useState(false);
  const keys = useQuery(trpc.metrics.keys.queryOptions({ runId }, { refetchInterval: active ? 3_000 : false }));
  // system/* metrics get charts of their own below; the picker and the main chart are the training's.
  const available = useMemo(() => (keys.data ?? []).filter((k) => !isSystemMetric(k.key)), [keys.data]);
  const availableKeys = useMemo(() => available.map((k) => k.key), [available]);
  const systemKeys = useMemo(() => (keys.data ?? []).map((k) => k.key).filter(isSystemMetric), [keys.data]);
  const { settings, setSettings, chosen, setChosen } = useChartUrlState(availableKeys);
  const { x } = settings;
  const fallback = available.some((k) => defaultKeys.includes(k.key))
    ? defaultKeys.filter((key) => available.some((k) => k.key === key))
    : available.slice(0, 1).map((k) => k.key);
  const selected = chosen ?? fallback;

  const series = useLiveSeries(runId, selected, x, active);
  const chartSeries = useMemo<ChartSeries[]>(
    () => series.series.map((s) => ({ label: s.key, x: chartX(s.x, x), y: s.values })),
    [series.series, x],
  );
  const downsampled = series.series.filter((s) => s.downsampled);

  const toggle = (key: string) => setChosen(selected.includes(key) ? selected.filter((k) => k !== key) : [...selected, key]);
  const chartProps = { xKind: x, logScale: settings.logScale, smoothing: settings.smoothing };
  return (
    <section className="card" aria-labelledby="metrics-title">
      <h2 id="metrics-title">Metrics</h2>
      {available.length === 0 ? (
        <p className="muted">
          {keys.isPending ? "Loading metrics…" : active ? "No training metric points yet." : "This run recorded no training metrics."}
        </p>
      ) : (
        <>
          <fieldset className={styles.keyPicker}>
            <legend>Series</legend>
            {available.map((k) => (
              <label key={k.key} className={styles.inline}>
                <input type="checkbox" checked={selected.includes(k.key)} onChange={() => toggle(k.key)} />
                {k.key}{" "}
                <span className="muted">
                  · {lastValueScope(k.key)} {formatNumber(k.last)}
                </span>
              </label>
            ))}
          </fieldset>
          <div className={styles.chartControls}>
            <label className={styles.inline}>
              <input type="checkbox" checked={separate} onChange={(e) => setSeparate(e.target.checked)} />
              One chart per series
            </label>
            <ChartControls value={settings} onChange={setSettings} />
            <a className="btn" href={csvExportPaths.metrics(runId)} download title="Every point of every series, at full resolution">
              Download CSV
            </a>
          </div>
          {series.error && <p className="banner-error">Cannot load the series: {series.error.message}</p>}
          {selected.length === 0 ? (
            <p className="muted">Choose a series to plot.</p>
          ) : separate ? (
            <div className={styles.split}>
              {chartSeries.map((s, index) => (
                <MetricChart
                  key={s.label}
                  series={[s]}
                  title={s.label}
                  testId={
                    s.label === trackedMetricKeys.trainLoss || (index === 0 && !selected.includes(trackedMetricKeys.trainLoss))
                      ? lossChartTestId
                      : undefined
                  }
                  {...chartProps}
                />
              ))}
            </div>
          ) : (
            <MetricChart series={chartSeries} title={selected.join(", ")} testId={lossChartTestId} {...chartProps} />
          )}
          {downsampled.length > 0 && (
            <p className="muted">
              Downsampled for display (min/max kept):{" "}
              {downsampled.map((s) => `${s.key} ${s.values.length} of ${formatCount(s.count)} points`).join(", ")}.
            </p>
          )}
        </>
      )}
      {systemKeys.length > 0 && <SystemMetrics runId={runId} keys={systemKeys} active={active} settings={settings} />}
    </section>
  );
}
