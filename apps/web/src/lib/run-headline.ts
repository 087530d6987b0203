import type { BaselineName, RunSummary } from "@hindcast/contracts";

/** The RMSE a summary stores for one baseline; null when it has none. */
export const baselineRmse = (summary: RunSummary, name: BaselineName): number | null => summary.baselines?.[`${name}Rmse`] ?? null;
