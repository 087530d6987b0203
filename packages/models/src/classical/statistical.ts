import type { StatisticalModelSpec } from "../specs";
import { fitAr } from "./ar";
import { fitArima } from "./arima";
import { fitEts } from "./ets";
import type { FittedForecaster } from "./forecaster";
import { fitTheta } from "./theta";

/**
 * A run's statistical model fitted on `history`, its options from the spec;
 * `previous` is its fit before the previous window, which an iterative
 * estimate may start from. Throws BaselineUnavailable when it cannot be fitted.
 */
export function fitStatistical(
  spec: StatisticalModelSpec,
  history: Float64Array,
  period: number,
  previous?: FittedForecaster["params"],
): FittedForecaster {
  switch (spec.kind) {
    case "ar":
      return fitAr(history, { order: spec.order, maxLag: spec.maxLag });
    case "arima":
      return fitArima(history, { order: spec.order, maxP: spec.maxP, maxQ: spec.maxQ }, previous);
    case "ets":
      return fitEts(history, { seasonal: spec.seasonal, period, damped: spec.damped });
    case "theta":
      return fitTheta(history, { theta: spec.theta, period, deseasonalize: spec.deseasonalize });
  }
}
