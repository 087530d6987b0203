import type { ForecastReport } from "@hindcast/models";
import { formatNumber, formatShare } from "@/lib/format";
import runStyles from "../run.module.css";
import styles from "./retrodiction.module.css";

/** The model's split-conformal intervals: how often they held the actual value against their nominal level, and their scores. */
export function IntervalSummary({ report }: { report: ForecastReport }) {
  const intervals = report.intervals;
  if (!intervals) {
    return (
      <p className={styles.note} data-testid="interval-metrics">
        No prediction intervals: they need at least 10 calibration errors per horizon step before each window (and runs from before
        intervals have none).
      </p>
    );
  }
  return (
    <dl className={runStyles.stats} data-testid="interval-metrics" data-coverage95={intervals.coverage95}>
      <div title="Share of actual values inside the model's 80% interval; 80% when it is calibrated">
        <dt>80% interval coverage</dt>
        <dd>{formatShare(intervals.coverage80)}</dd>
      </div>
      <div title="Share of actual values inside the model's 95% interval; 95% when it is calibrated">
        <dt>95% interval coverage</dt>
        <dd>{formatShare(intervals.coverage95)}</dd>
      </div>
      <div>
        <dt title="Interval width plus 2/α times the miss; lower is better">Winkler score 80% / 95%</dt>
        <dd>
          {formatNumber(intervals.winkler80)} / {formatNumber(intervals.winkler95)}
        </dd>
      </div>
      <div>
        <dt title="Mean pinball loss over the 2.5, 10, 50, 90 and 97.5% quantiles; lower is better">Pinball loss</dt>
        <dd>{formatNumber(intervals.pinball)}</dd>
      </div>
    </dl>
  );
}
