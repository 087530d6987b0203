import type { BaselineName, reportHeadline } from "@hindcast/models";

type Headline = ReturnType<typeof reportHeadline>;

/**
 * A run's stored resultSummary as the dashboard reads it: empty before the run
 * has results, and runs from before the classical baselines lack
 * skill.rmseVsBest, coverage95, the AR to Theta RMSEs and the verdict.
 */
export interface StoredHeadline {
  overall?: Partial<Omit<Headline["overall"], "skill">> & { skill?: Partial<Headline["overall"]["skill"]> };
  baselines?: Partial<Headline["baselines"]>;
  verdict?: Headline["verdict"];
}

export const storedHeadline = (resultSummary: unknown): StoredHeadline => (resultSummary ?? {}) as StoredHeadline;

/** The RMSE a headline stores for one baseline; null when it had none. */
export const baselineRmse = (headline: StoredHeadline, name: BaselineName): number | null => headline.baselines?.[`${name}Rmse`] ?? null;
