"use client";
import { defaultChartKeys, trackedMetricKeys } from "@hindcast/contracts";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { ChartControls, chartX } from "@/components/chart-controls";
import { type ChartSeries, MetricChart } from "@/components/metric-chart";
import { useChartUrlState } from "@/components/use-chart-url-state";
import { errorMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import styles from "./compare.module.css";
import { type ComparedRun, runLabel } from "./types";

const preferredKeys = defaultChartKeys();
/** Charts at once: each is runs × points of data. */
const maxCharts = 8;

/** One chart per chosen metric, one series per run, with shared axis, log scale and smoothing controls. */
export function OverlayCharts({ runs, metricKeys, live }: { runs: ComparedRun[]; metricKeys: string[]; live: boolean }) {
  const trpc = useTRPC();
  const { settings, setSettings, chosen, setChosen } = useChartUrlState(metricKeys);
  const keys = useMemo(() => {
    const preferred = metricKeys.filter((key) => preferredKeys.includes(key));
    return chosen ?? (preferred.length ? preferred : metricKeys.slice(0, 2));
  }, [chosen, metricKeys]);
  const series = useQuery(
    trpc.metrics.series.queryOptions(
      { runIds: runs.map((run) => run.id), keys: keys.length ? keys : [trackedMetricKeys.trainLoss], x: settings.x, maxPoints: 2_000 },
      { enabled: keys.length > 0, refetchInterval: live ? 3_000 : false },
    ),
  );
  const charts = useMemo(
    () =>
      keys.map((key) => ({
        key,
        series: runs.map((run): ChartSeries => {
          const found = series.data?.find((s) => s.runId === run.id && s.key === key);
          return { label: runLabel(run), x: chartX(found?.x ?? [], settings.x), y: found?.values ?? [] };
        }),
      })),
    [keys, runs, series.data, settings.x],
  );
  const toggle = (key: string) => setChosen(keys.includes(key) ? keys.filter((k) => k !== key) : [...keys, key]);

  return (
    <section className="card" aria-labelledby="charts-title">
      <h2 id="charts-title">Metrics over time</h2>
      {metricKeys.length === 0 ? (
        <p className="muted">These runs recorded no metrics yet.</p>
      ) : (
        <>
          <fieldset className={styles.keyPicker}>
            <legend>Charts</legend>
            {metricKeys.map((key) => (
              <label key={key} className={styles.inline}>
                <input
                  type="checkbox"
                  checked={keys.includes(key)}
                  disabled={!keys.includes(key) && keys.length >= maxCharts}
                  onChange={() => toggle(key)}
                />
                {key}
              </label>
            ))}
          </fieldset>
          <ChartControls value={settings} onChange={setSettings} />
          {series.error && <p className="banner-error">Cannot load the series: {errorMessage(series.error)}</p>}
          {keys.length === 0 && <p className="muted">Choose a metric to chart.</p>}
          {series.isPending && keys.length > 0 && <p className="muted">Loading series…</p>}
          {series.data && (
            <div className={styles.charts}>
              {charts.map((chart) => (
                <MetricChart
                  key={chart.key}
                  title={chart.key}
                  series={chart.series}
                  xKind={settings.x}
                  logScale={settings.logScale}
                  smoothing={settings.smoothing}
                  testId={`compare-chart-${chart.key}`}
                />
              ))}
            </div>
          )}
        </>
      )}
    </section>
  );
}
