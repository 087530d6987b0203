"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { ErrorBanner } from "@/components/error-banner";
import { MetricChart } from "@/components/metric-chart";
import { ScrollRegion } from "@/components/scroll-region";
import { formatNumber } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import styles from "./datasets.module.css";
import type { DatasetSummary } from "./types";

const previewRows = 50;

/** One dataset: a chosen column over its whole range, and its first rows. */
export function DatasetPreview({ dataset }: { dataset: DatasetSummary }) {
  const trpc = useTRPC();
  const [chosen, setChosen] = useState<string>();
  const column = chosen && dataset.columns.includes(chosen) ? chosen : dataset.columns[0];
  const preview = useQuery({
    ...trpc.datasets.preview.queryOptions({ name: dataset.name, rows: previewRows, chartColumn: column }),
    placeholderData: keepPreviousData,
  });
  const chart = preview.data?.name === dataset.name ? preview.data.chart : undefined;
  const series = useMemo(
    () =>
      chart ? [{ label: chart.column, x: chart.points.map((p) => Date.parse(p.date) / 1000), y: chart.points.map((p) => p.value) }] : [],
    [chart],
  );

  return (
    <section className={`card ${styles.panel}`} aria-labelledby="preview-heading" data-testid="dataset-preview">
      <h2 id="preview-heading">{dataset.name}</h2>
      {dataset.description && <p className="muted">{dataset.description}</p>}
      <div className="row">
        <label>
          Column
          <select value={column} onChange={(event) => setChosen(event.target.value)}>
            {dataset.columns.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        {preview.data && (
          <span className="muted">
            {formatNumber(preview.data.totalRows)} rows; chart of {chart?.points.length ?? 0} points
          </span>
        )}
      </div>
      <ErrorBanner error={preview.error} />
      <MetricChart series={series} xKind="date" title={column} testId="dataset-chart" height={240} />
      <h3>First {Math.min(previewRows, preview.data?.totalRows ?? previewRows)} rows</h3>
      {preview.data && preview.data.name === dataset.name && (
        <ScrollRegion label={`First rows of ${dataset.name}`} className={styles.previewTable}>
          <table data-testid="dataset-rows">
            <thead>
              <tr>
                <th>date</th>
                {preview.data.columns.map((c) => (
                  <th key={c} className="num">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.data.rows.map((row) => (
                <tr key={row.date}>
                  <td>{row.date}</td>
                  {row.values.map((value, i) => (
                    <td key={preview.data.columns[i]} className="num">
                      {value ?? "—"}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
