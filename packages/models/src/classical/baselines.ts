import { modelSpecSchema, type StatisticalModelSpec } from "../specs";
import { type BaselineName, baselineNames, baselineTitles } from "./baseline-names";
import type { FittedForecaster } from "./forecaster";
import { naiveForecaster, seasonalNaiveForecaster } from "./naive";
import { fitStatistical } from "./statistical";

export { type BaselineName, baselineNames, baselineTitles };

/**
 * A baseline fitted on `history` (the rows before a window) with the
 * defaults every run's report uses, from its fit before the previous window
 * where one was made; throws BaselineUnavailable with the reason when it
 * cannot be fitted.
 */
export function fitBaseline(
  name: BaselineName,
  history: Float64Array,
  period: number,
  previous?: FittedForecaster["params"],
): FittedForecaster {
  switch (name) {
    case "naive":
      return naiveForecaster;
    case "seasonalNaive":
      return seasonalNaiveForecaster(period);
    case "ar":
    case "arima":
    case "ets":
    case "theta":
      // A baseline is the family with its spec defaults: the same fit a run of that kind makes.
      return fitStatistical(modelSpecSchema.parse({ kind: name }) as StatisticalModelSpec, history, period, previous);
  }
}
