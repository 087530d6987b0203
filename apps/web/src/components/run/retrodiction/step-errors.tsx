import type { StepMetrics } from "@hindcast/models";
import { useMemo } from "react";
import { type ChartSeries, MetricChart } from "@/components/metric-chart";
import { formatNumber } from "@/lib/format";
import styles from "./retrodiction.module.css";

const columns = ["Step", "Count", "RMSE", "MAE"];

/** Errors per horizon step (1 = the day after the origin): how fast the forecast degrades. Only for horizons above 1. */
export function StepErrors({ steps }: { steps: StepMetrics[] }) {
  const series = useMemo<ChartSeries[]>(() => {
    const x = steps.map((s) => s.step);
    return [
      { label: "RMSE", x, y: steps.map((s) => s.rmse), color: "var(--chart-model)" },
      { label: "MAE", x, y: steps.map((s) => s.mae), color: "var(--text)", dash: [6, 4] },
    ];
  }, [steps]);
  if (steps.length < 2) return null;
  return (
    <div className={styles.steps}>
      <h3>Error by horizon step</h3>
      <table data-testid="step-errors">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col" className="num">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.step} data-step={s.step}>
              <td className="num">{s.step}</td>
              <td className="num">{s.count}</td>
              <td className="num">{formatNumber(s.rmse)}</td>
              <td className="num">{formatNumber(s.mae)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <MetricChart series={series} xKind="step" height={200} testId="step-errors-chart" />
    </div>
  );
}
