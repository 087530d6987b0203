import type { MetricDirection, MetricFormat, RunSummary } from "@hindcast/contracts";
// The light entry point: the package's index loads TF.js, which these tables do not need.
import { verdictText } from "@hindcast/models/baseline-names";

const finite = (value: number | null | undefined): value is number => typeof value === "number" && Number.isFinite(value);

/** A skill (1 - model / baseline) as a signed percentage, "-" when missing. */
export const signedPercent = (skill: number | null | undefined): string =>
  finite(skill) ? `${skill > 0 ? "+" : ""}${(skill * 100).toFixed(1)}%` : "-";

export const precision = (value: number | null | undefined): string => (finite(value) ? value.toPrecision(4) : "-");

const formats: Record<MetricFormat, (value: number | null | undefined) => string> = {
  number: precision,
  skill: signedPercent,
  share: (share) => (finite(share) ? `${(share * 100).toFixed(1)}%` : "-"),
  count: (count) => (finite(count) ? String(Math.round(count)) : "-"),
};

/** A metric's value as its catalog entry's format says; "-" when missing. */
export const formatMetric = (value: number | null | undefined, format: MetricFormat): string => formats[format](value);

/** How the "better" column says a metric's direction. */
export const betterText: Record<MetricDirection, string> = { lower: "lower", higher: "higher", none: "-" };

/** The verdict line of a stored result: verdictText, or why there is none. */
export function verdictLine(summary: RunSummary | null): string {
  if (!summary?.overall) return "no retrodiction result";
  if (summary.verdict === undefined) return "no verdict (stored before runs were judged against the classical baselines)";
  return verdictText(summary.verdict);
}
