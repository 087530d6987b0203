// The light entry point: the package's index loads TF.js, which these tables do not need.
import { type BaselineName, baselineNames, baselineTitles, verdictText } from "@hindcast/models/baseline-names";

/** The verdict as a run stores it (reportHeadline): the best classical baseline and the model's RMSE skill against it. */
export interface StoredVerdict {
  best: string;
  bestLabel: string;
  skillVsBest: number;
  beatsAll: boolean;
}

/**
 * What the CLI shows of a run's stored result summary. Runs store what the
 * report of their day had: older ones have only the naive baselines and no
 * verdict, so every number may be missing (null), and `verdict` is undefined
 * when the run stored none (null when it stored that no baseline could be fitted).
 */
export interface RunResult {
  rmse: number | null;
  skillVsNaive: number | null;
  skillVsBest: number | null;
  coverage95: number | null;
  baselineRmse: Record<BaselineName, number | null>;
  verdict: StoredVerdict | null | undefined;
}

const finite = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);
const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};

function storedVerdict(value: unknown): StoredVerdict | null | undefined {
  if (value === null) return null;
  const v = record(value);
  return typeof v.best === "string" && typeof v.bestLabel === "string" && finite(v.skillVsBest) !== null && typeof v.beatsAll === "boolean"
    ? { best: v.best, bestLabel: v.bestLabel, skillVsBest: v.skillVsBest as number, beatsAll: v.beatsAll }
    : undefined;
}

/** A run's stored result summary, read defensively (it is JSON of any age); null when the run has none. */
export function runResult(summary: unknown): RunResult | null {
  if (typeof summary !== "object" || summary === null) return null;
  const s = summary as Record<string, unknown>;
  const overall = record(s.overall);
  const skill = record(overall.skill);
  const baselines = record(s.baselines);
  const verdict = storedVerdict(s.verdict);
  return {
    rmse: finite(overall.rmse),
    skillVsNaive: finite(skill.rmseVsNaive),
    // A report without a verdict (no baseline fitted) stores 0 here: no skill to show.
    skillVsBest: verdict === null ? null : finite(skill.rmseVsBest),
    coverage95: finite(overall.coverage95),
    baselineRmse: Object.fromEntries(baselineNames.map((name) => [name, finite(baselines[`${name}Rmse`])])) as Record<
      BaselineName,
      number | null
    >,
    verdict,
  };
}

/** A skill (1 - model / baseline) as a signed percentage, "-" when missing. */
export const signedPercent = (skill: number | null | undefined): string =>
  typeof skill === "number" && Number.isFinite(skill) ? `${skill > 0 ? "+" : ""}${(skill * 100).toFixed(1)}%` : "-";

export const precision = (value: number | null | undefined): string =>
  typeof value === "number" && Number.isFinite(value) ? value.toPrecision(4) : "-";

/** The verdict line of a stored result: verdictText, or why there is none. */
export function verdictLine(result: RunResult | null): string {
  if (!result) return "no retrodiction result";
  if (result.verdict === undefined) return "no verdict (stored before runs were judged against the classical baselines)";
  return verdictText(result.verdict);
}

export { baselineNames, baselineTitles };
