import type { BaselineName } from "@hindcast/models";
import { baselineNames, baselineTitles } from "@hindcast/models/baseline-names";
import { useMemo, useState } from "react";
import { MetricChart } from "@/components/metric-chart";
import runStyles from "../run.module.css";
import { forecastSeries } from "./forecast-series";
import styles from "./retrodiction.module.css";
import type { RetrodictionWindowResult } from "./types";

/** Which baselines' forecasts are drawn: the user's pick, or the best baseline until they pick. */
function BaselinePicker({
  window,
  best,
  shown,
  onChange,
}: {
  window: RetrodictionWindowResult;
  best: BaselineName | undefined;
  shown: ReadonlySet<BaselineName>;
  onChange: (shown: ReadonlySet<BaselineName>) => void;
}) {
  const toggle = (name: BaselineName, on: boolean) => {
    const next = new Set(shown);
    if (on) next.add(name);
    else next.delete(name);
    onChange(next);
  };
  return (
    <fieldset className={runStyles.keyPicker} aria-label="Baselines on the chart">
      <legend>Baselines on the chart</legend>
      {baselineNames.map((name) => {
        const forecast = window.predictions.baselines[name];
        const reason = !forecast ? "not computed" : "unavailable" in forecast ? forecast.unavailable : undefined;
        return (
          <label
            key={name}
            className={runStyles.inline}
            title={reason ? `unavailable in this window: ${reason}` : undefined}
            data-baseline={name}
            data-label={forecast?.label}
          >
            <input
              type="checkbox"
              checked={!reason && shown.has(name)}
              disabled={Boolean(reason)}
              onChange={(e) => toggle(name, e.target.checked)}
            />
            {forecast?.label ?? baselineTitles[name]}
            {name === best && <span className={styles.bestChip}>best</span>}
          </label>
        );
      })}
    </fieldset>
  );
}

/** Forecast against actual for one window, with the model's 80% and 95% intervals shaded and the chosen baselines' forecasts. */
export function ForecastChart({ window, best }: { window: RetrodictionWindowResult; best: BaselineName | undefined }) {
  const [picked, setPicked] = useState<ReadonlySet<BaselineName> | null>(null);
  const shown = useMemo(() => picked ?? new Set<BaselineName>(best ? [best] : []), [picked, best]);
  const { series, bands } = useMemo(() => forecastSeries(window, shown), [window, shown]);
  return (
    <>
      <BaselinePicker window={window} best={best} shown={shown} onChange={setPicked} />
      <MetricChart
        // A new window is a new x range: a fresh chart, not the last window's zoom.
        key={window.window.index}
        series={series}
        bands={bands}
        xKind="date"
        title={`Window ${window.window.index + 1}: ${window.window.startDate} – ${window.window.endDate}`}
        testId="forecast-chart"
      />
    </>
  );
}
