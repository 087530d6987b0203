import type { AppRouter } from "@hindcast/api";
import type { inferRouterOutputs } from "@trpc/server";
import { type StoredHeadline, storedHeadline } from "@/lib/run-headline";

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
  { key: "rmse", label: "RMSE", pick: (h: StoredHeadline) => h.overall?.rmse },
  { key: "mae", label: "MAE", pick: (h: StoredHeadline) => h.overall?.mae },
  { key: "mase", label: "MASE", pick: (h: StoredHeadline) => h.overall?.mase },
  { key: "skill_vs_best", label: "Skill vs best baseline (RMSE)", pick: (h: StoredHeadline) => h.verdict?.skillVsBest },
  { key: "skill_vs_naive", label: "Skill vs naive (RMSE)", pick: (h: StoredHeadline) => h.overall?.skill?.rmseVsNaive },
  { key: "directional_accuracy", label: "Directional accuracy", pick: (h: StoredHeadline) => h.overall?.directionalAccuracy },
] as const;
export type HeadlineKey = (typeof headlineRows)[number]["key"];

/** A headline value of a run, or null before the run has results (or, for skill vs best, before the classical baselines). */
export function headlineValue(run: ComparedRun, key: HeadlineKey): number | null {
  const row = headlineRows.find((r) => r.key === key);
  const value = row?.pick(storedHeadline(run.resultSummary));
  return typeof value === "number" ? value : null;
}

/** Skills read as signed percentages everywhere (runs table, run page). */
export const isSkillKey = (key: string) => key.startsWith("skill_");

export const hasHeadline = (runs: ComparedRun[]) => runs.some((run) => headlineRows.some((row) => headlineValue(run, row.key) !== null));
