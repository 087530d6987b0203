import type { BaselineName, BaselineReport, ForecastReport } from "@hindcast/models";
import { baselineNames, baselineTitles } from "@hindcast/models/baseline-names";
import { formatNumber, formatShare } from "@/lib/format";
import styles from "./retrodiction.module.css";
import { SkillCell } from "./skill-cell";

function BaselineRow({ name, baseline, report }: { name: BaselineName; baseline: BaselineReport; report: ForecastReport }) {
  const best = report.verdict?.best === name;
  const partial = baseline.count < report.count;
  return (
    <tr data-baseline={name} data-label={baseline.label} data-rmse={baseline.rmse} data-best={best || undefined}>
      <th scope="row">
        {baseline.label}
        {best && <span className={styles.bestChip}>best</span>}
        {partial && (
          <span className={styles.partial} title="It could not be fitted in every window; model and baseline are compared where it was.">
            on {baseline.count} of {report.count}
          </span>
        )}
      </th>
      <td className="num">{formatNumber(baseline.rmse)}</td>
      <td className="num">{formatNumber(baseline.mae)}</td>
      <td className="num">{formatNumber(baseline.mase)}</td>
      <td className="num">{formatShare(baseline.intervals?.coverage95)}</td>
      <SkillCell value={baseline.skillRmse} title={`1 − model RMSE / ${baseline.label} RMSE${partial ? " on the rows it forecast" : ""}`} />
    </tr>
  );
}

function UnavailableRow({ name, reason }: { name: BaselineName; reason: string }) {
  return (
    <tr data-baseline={name} data-unavailable>
      <th scope="row">{baselineTitles[name]}</th>
      <td colSpan={5} className={styles.unavailable} title={reason}>
        <strong>unavailable</strong>: {reason}
      </td>
    </tr>
  );
}

/**
 * The model against every classical baseline on the same predictions: its
 * own row first, then each baseline with its fitted order (e.g. ARIMA(2,0,2))
 * and the model's RMSE skill against it; a baseline that could not be fitted
 * says why.
 */
export function BaselinesTable({ report }: { report: ForecastReport }) {
  return (
    <table data-testid="baselines-table">
      <thead>
        <tr>
          <th scope="col">Forecaster</th>
          <th scope="col" className="num">
            RMSE
          </th>
          <th scope="col" className="num">
            MAE
          </th>
          <th scope="col" className="num">
            MASE
          </th>
          <th scope="col" className="num" title="Share of actual values inside the 95% prediction interval">
            95% coverage
          </th>
          <th scope="col" className="num" title="1 − model RMSE / baseline RMSE: above 0 the model beats the baseline">
            Model skill
          </th>
        </tr>
      </thead>
      <tbody>
        <tr className={styles.modelRow} data-forecaster="model">
          <th scope="row">Model</th>
          <td className="num">{formatNumber(report.rmse)}</td>
          <td className="num">{formatNumber(report.mae)}</td>
          <td className="num">{formatNumber(report.mase)}</td>
          <td className="num">{formatShare(report.intervals?.coverage95)}</td>
          <td className="num muted">—</td>
        </tr>
        {baselineNames.map((name) => {
          const baseline = report.baselines[name];
          if (baseline) return <BaselineRow key={name} name={name} baseline={baseline} report={report} />;
          return <UnavailableRow key={name} name={name} reason={report.unavailable[name] ?? "not computed"} />;
        })}
      </tbody>
    </table>
  );
}
