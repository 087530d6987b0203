import type { BaselineName, ForecastReport } from "@hindcast/models";
import { baselineTitles, verdictText } from "@hindcast/models/baseline-names";
import { formatNumber, formatSkill } from "@/lib/format";
import styles from "../run.module.css";
import { allWindows, beats, type RetrodictionWindowResult } from "./types";

/** The unavailable baselines by reason: "AR, ARIMA: not computed …". */
function unavailableText(report: ForecastReport): string {
  const byReason = new Map<string, string[]>();
  for (const [name, reason] of Object.entries(report.unavailable) as [BaselineName, string][]) {
    byReason.set(reason, [...(byReason.get(reason) ?? []), baselineTitles[name]]);
  }
  return [...byReason].map(([reason, names]) => `${names.join(", ")}: ${reason}`).join("; ");
}

/** The naive forecast (repeat the last value) stays the floor every report states. */
function NaiveSkill({ report, windows }: { report: ForecastReport; windows: number }) {
  const naive = report.baselines.naive;
  if (!naive) return null;
  return (
    <>
      {" "}
      Against the naive forecast (repeat the last value): {formatSkill(report.skill.rmseVsNaive)} RMSE skill (RMSE over{" "}
      {allWindows(windows)}: {formatNumber(report.rmse)} vs {formatNumber(naive.rmse)}).
    </>
  );
}

/** How many windows beat their own best baseline. */
function WindowCount({ windows }: { windows: RetrodictionWindowResult[] }) {
  const judged = windows.filter((w) => w.report.verdict);
  if (!judged.length) return null;
  const beating = judged.filter((w) => w.report.verdict?.beatsAll).length;
  return (
    <>
      {" "}
      Windows that beat their own best baseline: {beating} of {judged.length}.
    </>
  );
}

/**
 * The run's one-line answer: does the model beat the best classical
 * baseline overall (and by how much), how many windows agree, and its skill
 * against naive. Without a verdict (no baseline fitted, or a run from before
 * the classical baselines) it says why, and judges against naive alone.
 */
export function VerdictBanner({ overall, windows }: { overall: ForecastReport; windows: RetrodictionWindowResult[] }) {
  const { verdict } = overall;
  if (!verdict) {
    return (
      <p
        className={beats(overall.skill.rmseVsNaive) ? "banner-ok" : styles.warnBanner}
        role="status"
        data-testid="retrodiction-verdict"
        data-verdict="none"
      >
        <strong>No verdict against the best classical baseline</strong> ({unavailableText(overall)}).
        <NaiveSkill report={overall} windows={windows.length} />
      </p>
    );
  }
  const others = verdict.beatenBy
    .filter((name) => name !== verdict.best)
    .map((name) => overall.baselines[name]?.label ?? baselineTitles[name]);
  return (
    <p
      className={verdict.beatsAll ? "banner-ok" : styles.warnBanner}
      role="status"
      data-testid="retrodiction-verdict"
      data-verdict={verdict.beatsAll ? "beats-all" : "beaten"}
      data-best={verdict.best}
    >
      {verdict.beatsAll ? (
        <strong>The model {verdictText(verdict)}.</strong>
      ) : (
        <>
          <strong>The model does not beat the best classical baseline:</strong> {verdictText(verdict)}
          {others.length ? `; ${others.join(", ")} also beat${others.length === 1 ? "s" : ""} it` : ""}.
        </>
      )}
      <WindowCount windows={windows} />
      <NaiveSkill report={overall} windows={windows.length} />
    </p>
  );
}
