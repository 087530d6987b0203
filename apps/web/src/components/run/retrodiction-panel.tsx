"use client";
import type { RetrodictionResults } from "@hindcast/api";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ScrollRegion } from "@/components/scroll-region";
import { useTRPC } from "@/lib/trpc";
import { BaselinesTable } from "./retrodiction/baselines-table";
import { ForecastChart } from "./retrodiction/forecast-chart";
import { IntervalSummary } from "./retrodiction/interval-summary";
import styles from "./retrodiction/retrodiction.module.css";
import { StepErrors } from "./retrodiction/step-errors";
import { VerdictBanner } from "./retrodiction/verdict-banner";
import { WindowsTable } from "./retrodiction/windows-table";
import runStyles from "./run.module.css";

/** What the baselines table describes: every window together, or one (by position). */
type Scope = "overall" | number;

function ScopeSelect({ scope, results, onChange }: { scope: Scope; results: RetrodictionResults; onChange: (scope: Scope) => void }) {
  return (
    <label className={`${runStyles.inline} ${styles.windowChoice}`}>
      Against the baselines in
      <select value={String(scope)} onChange={(e) => onChange(e.target.value === "overall" ? "overall" : Number(e.target.value))}>
        {results.overall && <option value="overall">all windows</option>}
        {results.windows.map((w, i) => (
          <option key={w.window.index} value={i}>
            window {w.window.index + 1}: {w.window.startDate} – {w.window.endDate}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * A retrodiction judged against the classical baselines: the verdict against
 * the best of them, accuracy per window, the model and every baseline side by
 * side (all windows or one), the model's intervals, errors by horizon step,
 * and forecast against actual for a chosen window.
 */
export function RetrodictionView({ results }: { results: RetrodictionResults }) {
  const windows = results.windows;
  const [scope, setScope] = useState<Scope>(results.overall ? "overall" : 0);
  const [charted, setCharted] = useState(0);
  const report = scope === "overall" ? results.overall : windows[scope]?.report;
  const shown = windows[Math.min(charted, windows.length - 1)];
  const chooseScope = (next: Scope) => {
    setScope(next);
    if (next !== "overall") setCharted(next);
  };
  return (
    <div className={runStyles.retrodiction}>
      {results.overall && <VerdictBanner overall={results.overall} windows={windows} />}
      <WindowsTable windows={windows} overall={results.overall} />
      {report && (
        <>
          <ScopeSelect scope={scope} results={results} onChange={chooseScope} />
          <ScrollRegion label="The model against the baselines" className={runStyles.wideTable}>
            <BaselinesTable report={report} />
          </ScrollRegion>
          <IntervalSummary report={report} />
          <StepErrors steps={report.byStep} />
        </>
      )}
      {shown && (
        <>
          <label className={`${runStyles.inline} ${styles.windowChoice}`}>
            Forecast vs actual for window
            <select value={windows.indexOf(shown)} onChange={(e) => setCharted(Number(e.target.value))}>
              {windows.map((w, i) => (
                <option key={w.window.index} value={i}>
                  {w.window.index + 1}: {w.window.startDate} – {w.window.endDate}
                </option>
              ))}
            </select>
          </label>
          <ForecastChart window={shown} best={results.overall?.verdict?.best ?? shown.report.verdict?.best} />
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
