import { type BaselineName, parseRunSummary, type RunSummary } from "@hindcast/contracts";

const parsed = new WeakMap<object, RunSummary | null>();

/**
 * A run's stored resultSummary (see runSummarySchema), parsed once per answer:
 * null before the run has results, and when it cannot be read as one.
 */
export function runSummary(run: { resultSummary: unknown }): RunSummary | null {
  const stored = run.resultSummary;
  if (typeof stored !== "object" || stored === null) return null;
  if (!parsed.has(stored)) parsed.set(stored, parseRunSummary(stored));
  return parsed.get(stored) ?? null;
}

/** The RMSE a summary stores for one baseline; null when it has none. */
export const baselineRmse = (summary: RunSummary, name: BaselineName): number | null => summary.baselines?.[`${name}Rmse`] ?? null;
