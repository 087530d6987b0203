import type { AppRouter } from "@hindcast/api";
import type { inferRouterOutputs } from "@trpc/server";

export type Comparison = inferRouterOutputs<AppRouter>["compare"]["runs"];
export type ComparedRun = Comparison["runs"][number];

/** How a run is named in legends and table heads: its name with a short id (names repeat), or the short id. */
export const runLabel = (run: { id: string; name: string | null }) =>
  run.name ? `${run.name} · ${run.id.slice(0, 6)}` : run.id.slice(0, 8);

/** A param's value in the i-th compared run. */
export const paramOf = (comparison: Comparison, key: string, index: number): unknown =>
  key in comparison.differing ? comparison.differing[key]?.[index] : comparison.shared[key];

/** The retrodiction headline a finished run stores in its resultSummary; keys name the direction (see metric-direction). */
export const headlineRows = [
  { key: "rmse", label: "RMSE", pick: (o: Overall) => o.rmse },
  { key: "mae", label: "MAE", pick: (o: Overall) => o.mae },
  { key: "mase", label: "MASE", pick: (o: Overall) => o.mase },
  { key: "skill_vs_naive", label: "Skill vs naive (RMSE)", pick: (o: Overall) => o.skill?.rmseVsNaive },
  { key: "directional_accuracy", label: "Directional accuracy", pick: (o: Overall) => o.directionalAccuracy },
] as const;
export type HeadlineKey = (typeof headlineRows)[number]["key"];

interface Overall {
  rmse?: number;
  mae?: number;
  mase?: number;
  directionalAccuracy?: number;
  skill?: { rmseVsNaive?: number };
}

/** A headline value of a run, or null before the run has results. */
export function headlineValue(run: ComparedRun, key: HeadlineKey): number | null {
  const overall = (run.resultSummary as { overall?: Overall } | null)?.overall;
  const row = headlineRows.find((r) => r.key === key);
  const value = overall && row ? row.pick(overall) : undefined;
  return typeof value === "number" ? value : null;
}

export const hasHeadline = (runs: ComparedRun[]) => runs.some((run) => headlineRows.some((row) => headlineValue(run, row.key) !== null));
