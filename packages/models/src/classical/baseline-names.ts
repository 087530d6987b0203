/**
 * The classical bar's names, titles and verdict line, importing only the
 * contracts: the dashboard and the CLI read them without loading the fitters
 * or TF.js (`@hindcast/models/baseline-names`).
 */

import type { BaselineName } from "@hindcast/contracts";

export { type BaselineName, baselineNames } from "@hindcast/contracts";

export const baselineTitles: Record<BaselineName, string> = {
  naive: "Naive",
  seasonalNaive: "Seasonal naive",
  ar: "AR",
  arima: "ARIMA",
  ets: "ETS",
  theta: "Theta",
};

/** One line on the model against the best classical baseline, for the run page, logs, messages and the CLI. */
export function verdictText(verdict: { bestLabel: string; skillVsBest: number; beatsAll: boolean } | null | undefined): string {
  if (!verdict) return "no baseline could be fitted";
  const percent = `${(Math.abs(verdict.skillVsBest) * 100).toFixed(1)}%`;
  return verdict.beatsAll
    ? `beats every classical baseline; the best, ${verdict.bestLabel}, by ${percent} RMSE`
    : `${verdict.bestLabel} beats it by ${percent} RMSE`;
}
