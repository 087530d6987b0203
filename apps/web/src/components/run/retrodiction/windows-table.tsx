import type { ForecastReport } from "@hindcast/models";
import { ScrollRegion } from "@/components/scroll-region";
import { formatNumber, formatShare } from "@/lib/format";
import styles from "../run.module.css";
import { SkillCell } from "./skill-cell";
import { allWindows, beats, type RetrodictionWindowResult } from "./types";

const formatPercent = (value: number | null | undefined) => (value === null || value === undefined ? "—" : `${formatNumber(value)}%`);

/** Skill against the best baseline where there is a verdict, else against naive (runs from before the classical baselines). */
const headlineSkill = (report: ForecastReport) => report.verdict?.skillVsBest ?? report.skill.rmseVsNaive;

function ReportCells({ report }: { report: ForecastReport }) {
  const verdict = report.verdict;
  return (
    <>
      <td className="num">{report.count}</td>
      <td>{verdict?.bestLabel ?? "—"}</td>
      <SkillCell
        value={verdict?.skillVsBest}
        title={verdict ? `1 − model RMSE / ${verdict.bestLabel} RMSE` : "no baseline to judge against"}
      />
      <SkillCell value={report.skill.rmseVsNaive} />
      <td className="num">{formatNumber(report.rmse)}</td>
      <td className="num">{formatNumber(report.mae)}</td>
      <td className="num">{formatPercent(report.mape)}</td>
      <td className="num">{formatPercent(report.smape)}</td>
      <td className="num">{formatNumber(report.mase)}</td>
      <td className="num">{formatShare(report.directionalAccuracy)}</td>
      <td className="num">{formatShare(report.intervals?.coverage95)}</td>
    </>
  );
}

/** Accuracy per retrodiction window and overall; a window the model loses (to its best baseline) is tinted. */
export function WindowsTable({ windows, overall }: { windows: RetrodictionWindowResult[]; overall: ForecastReport | null }) {
  return (
    <ScrollRegion label="Accuracy per window" className={styles.wideTable}>
      <table data-testid="retrodiction-table">
        <thead>
          <tr>
            <th>Window</th>
            <th>Dates</th>
            <th className="num">Count</th>
            <th>Best baseline</th>
            <th className="num" title="1 − model RMSE / best baseline RMSE; above 0 beats every classical baseline">
              Skill vs best
            </th>
            <th className="num" title="1 − model RMSE / naive RMSE; above 0 beats repeating the last value">
              Skill vs naive
            </th>
            <th className="num">RMSE</th>
            <th className="num">MAE</th>
            <th className="num">MAPE</th>
            <th className="num">sMAPE</th>
            <th className="num">MASE</th>
            <th className="num" title="Share of forecasts that moved the way the actual did">
              Dir. acc.
            </th>
            <th className="num" title="Share of actual values inside the model's 95% interval">
              95% cov.
            </th>
          </tr>
        </thead>
        <tbody>
          {windows.map((w) => (
            <tr key={w.window.index} className={beats(headlineSkill(w.report)) ? undefined : styles.worseRow}>
              <td>{w.window.index + 1}</td>
              <td>
                {w.window.startDate} – {w.window.endDate}
              </td>
              <ReportCells report={w.report} />
            </tr>
          ))}
        </tbody>
        {overall && (
          <tfoot>
            <tr
              className={styles.overallRow}
              data-testid="retrodiction-overall"
              data-rmse={overall.rmse}
              data-mae={overall.mae}
              data-mase={overall.mase}
            >
              <th scope="row">
                Overall <span className="muted">({allWindows(windows.length)})</span>
              </th>
              <td>
                {windows[0]?.window.startDate} – {windows.at(-1)?.window.endDate}
              </td>
              <ReportCells report={overall} />
            </tr>
          </tfoot>
        )}
      </table>
    </ScrollRegion>
  );
}
