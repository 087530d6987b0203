import type { BaselineName, Verdict } from "@hindcast/models";

// The browser's copies of @hindcast/models' baselineTitles, baselineNames and
// verdictText: a value imported from that package's index brings TF.js (1 MB)
// into the page. apps/web/test/retrodiction-view.test.ts checks they still match.

/** The classical baselines every run is judged against, titled, in the order reports list them. */
export const baselineTitles: Record<BaselineName, string> = {
  naive: "Naive",
  seasonalNaive: "Seasonal naive",
  ar: "AR",
  arima: "ARIMA",
  ets: "ETS",
  theta: "Theta",
};
export const baselineNames = Object.keys(baselineTitles) as BaselineName[];

/** One line on the model against the best classical baseline. */
export function verdictText(verdict: Pick<Verdict, "bestLabel" | "skillVsBest" | "beatsAll"> | null | undefined): string {
  if (!verdict) return "no baseline could be fitted";
  const percent = `${(Math.abs(verdict.skillVsBest) * 100).toFixed(1)}%`;
  return verdict.beatsAll
    ? `beats every classical baseline; the best, ${verdict.bestLabel}, by ${percent} RMSE`
    : `${verdict.bestLabel} beats it by ${percent} RMSE`;
}
