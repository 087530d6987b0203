"use client";
import type { RetrodictionResults } from "@hindcast/api";
import type { ForecastReport } from "@hindcast/models";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { type ChartSeries, MetricChart } from "@/components/metric-chart";
import { formatNumber, formatSkill } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import styles from "./run.module.css";

type Window = RetrodictionResults["windows"][number];

const formatPercent = (value: number | null | undefined) => (value === null || value === undefined ? "—" : `${formatNumber(value)}%`);
const beats = (skill: number | null | undefined) => typeof skill === "number" && skill > 0;

function Skill({ value }: { value: number | null | undefined }) {
  return <td className={`num ${beats(value) ? styles.skillPos : styles.skillNeg}`}>{formatSkill(value)}</td>;
}

function ReportCells({ report }: { report: ForecastReport }) {
  return (
    <>
      <td className="num">{report.count}</td>
      <Skill value={report.skill.rmseVsNaive} />
      <Skill value={report.skill.rmseVsSeasonalNaive} />
      <td className="num">{formatNumber(report.rmse)}</td>
      <td className="num">{formatNumber(report.baselines.naive.rmse)}</td>
      <td className="num">{formatNumber(report.baselines.seasonalNaive.rmse)}</td>
      <td className="num">{formatNumber(report.mae)}</td>
      <td className="num">{formatPercent(report.mape)}</td>
      <td className="num">{formatPercent(report.smape)}</td>
      <td className="num">{formatNumber(report.mase)}</td>
      <td className="num">{formatNumber(report.directionalAccuracy * 100)}%</td>
    </>
  );
}

/** Says plainly whether the model beat the naive forecast, overall and per window. */
function Verdict({ overall, windows }: { overall: ForecastReport; windows: Window[] }) {
  const worse = windows.filter((w) => !beats(w.report.skill.rmseVsNaive)).length;
  const perWindow = `${worse} of ${windows.length} window${windows.length === 1 ? "" : "s"} ${worse === 1 ? "is" : "are"} no better than naive.`;
  const rmse = `RMSE ${formatNumber(overall.rmse)} vs naive ${formatNumber(overall.baselines.naive.rmse)}`;
  if (!beats(overall.skill.rmseVsNaive)) {
    return (
      <p className={styles.warnBanner} role="status" data-testid="retrodiction-verdict">
        <strong>The model does not beat the naive baseline</strong> (repeat the last value): {rmse}, skill{" "}
        {formatSkill(overall.skill.rmseVsNaive)}. {perWindow}
      </p>
    );
  }
  return (
    <p className="banner-ok" role="status" data-testid="retrodiction-verdict">
      The model beats the naive baseline by {formatSkill(overall.skill.rmseVsNaive)} RMSE overall ({rmse}
      {beats(overall.skill.rmseVsSeasonalNaive) ? "" : "; it does not beat seasonal naive"}). {perWindow}
    </p>
  );
}

const epochSeconds = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;

function ForecastChart({ window }: { window: Window }) {
  const series = useMemo<ChartSeries[]>(() => {
    const x = window.dates.map(epochSeconds);
    const { actual, predicted, naive, seasonalNaive } = window.predictions;
    return [
      { label: "actual", x, y: actual, color: "#16a34a" },
      { label: "model", x, y: predicted, color: "#2563eb" },
      { label: "naive", x, y: naive, color: "#dc2626", dash: [6, 4] },
      { label: "seasonal naive", x, y: seasonalNaive, color: "#ca8a04", dash: [2, 3] },
    ];
  }, [window]);
  return (
    <MetricChart
      series={series}
      xKind="date"
      title={`Window ${window.window.index + 1}: ${window.window.startDate} – ${window.window.endDate}`}
      testId="forecast-chart"
    />
  );
}

/** Accuracy per retrodiction window and overall against the naive baselines, and forecast vs actual for a chosen window. */
export function RetrodictionView({ results }: { results: RetrodictionResults }) {
  const [chosen, setChosen] = useState(0);
  const windows = results.windows;
  const shown = windows[Math.min(chosen, windows.length - 1)];
  return (
    <div className={styles.retrodiction}>
      {results.overall && <Verdict overall={results.overall} windows={windows} />}
      <div className={styles.scroll}>
        <table data-testid="retrodiction-table">
          <thead>
            <tr>
              <th>Window</th>
              <th>Dates</th>
              <th className="num">Count</th>
              <th className="num" title="1 − model RMSE / naive RMSE; above 0 beats the baseline">
                Skill vs naive
              </th>
              <th className="num" title="1 − model RMSE / seasonal-naive RMSE">
                Skill vs s-naive
              </th>
              <th className="num">RMSE</th>
              <th className="num">Naive RMSE</th>
              <th className="num">S-naive RMSE</th>
              <th className="num">MAE</th>
              <th className="num">MAPE</th>
              <th className="num">sMAPE</th>
              <th className="num">MASE</th>
              <th className="num" title="Share of forecasts that moved the way the actual did">
                Dir. acc.
              </th>
            </tr>
          </thead>
          <tbody>
            {windows.map((w) => (
              <tr key={w.window.index} className={beats(w.report.skill.rmseVsNaive) ? undefined : styles.worseRow}>
                <td>{w.window.index + 1}</td>
                <td>
                  {w.window.startDate} – {w.window.endDate}
                </td>
                <ReportCells report={w.report} />
              </tr>
            ))}
          </tbody>
          {results.overall && (
            <tfoot>
              <tr
                className={styles.overallRow}
                data-testid="retrodiction-overall"
                data-rmse={results.overall.rmse}
                data-mae={results.overall.mae}
                data-mase={results.overall.mase}
              >
                <th scope="row">Overall</th>
                <td>
                  {windows[0]?.window.startDate} – {windows.at(-1)?.window.endDate}
                </td>
                <ReportCells report={results.overall} />
              </tr>
            </tfoot>
          )}
        </table>
      </div>
      {shown && (
        <>
          <label className={styles.inline}>
            Forecast vs actual for window
            <select
              value={shown.window.index}
              onChange={(e) => setChosen(windows.findIndex((w) => w.window.index === Number(e.target.value)))}
            >
              {windows.map((w) => (
                <option key={w.window.index} value={w.window.index}>
                  {w.window.index + 1}: {w.window.startDate} – {w.window.endDate}
                </option>
              ))}
            </select>
          </label>
          <ForecastChart key={shown.window.index} window={shown} />
        </>
      )}
    </div>
  );
}

/** The run's results.json (null until its persist stage) as a RetrodictionView. */
export function RetrodictionPanel({ runId, active }: { runId: string; active: boolean }) {
  const trpc = useTRPC();
  const results = useQuery(trpc.runs.results.queryOptions({ id: runId }));
  return (
    <section className="card" aria-labelledby="retrodiction-title">
      <h2 id="retrodiction-title">Retrodiction</h2>
      {results.error ? (
        <p className="banner-error">Cannot read the results: {results.error.message}</p>
      ) : results.data ? (
        <RetrodictionView results={results.data} />
      ) : (
        <p className="muted">
          {results.isPending
            ? "Loading results…"
            : active
              ? "Results appear when the run reaches its persist stage."
              : "This run saved no results (it ended before its persist stage)."}
        </p>
      )}
    </section>
  );
}
