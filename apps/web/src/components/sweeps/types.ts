import type { RouterOutputs } from "@hindcast/api";
import { metricDirection, metricEntry } from "@hindcast/contracts";
import { formatNumber } from "@/lib/format";

export type SweepDetail = RouterOutputs["sweeps"]["get"];
export type SweepTrial = SweepDetail["trials"][number];
export type SweepListRow = RouterOutputs["sweeps"]["list"][number];
export type SweepStatus = SweepDetail["status"];

/** A sweep that may still start or end trials: its page polls while it is one. */
export const isLiveSweep = (status: SweepStatus | undefined) => status === "RUNNING" || status === "PAUSED";

export const sweepLabel = (sweep: { id: string; name: string | null }) => sweep.name ?? `Sweep ${sweep.id.slice(0, 8)}`;

/** The searched fields, in the order the sweep spec lists them. */
export const searchedPaths = (sweep: SweepDetail): string[] => Object.keys(sweep.spec?.space ?? {});

/**
 * A value of the sweep's metric in the catalog's unit (skill and shares in
 * percent) with 4 significant digits: trials of one sweep often differ in
 * the third, which the runs table's one decimal of a percent would hide.
 */
export function formatObjective(metric: string, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const format = metricEntry(metric)?.format;
  if (format !== "skill" && format !== "share") return formatNumber(value);
  return `${format === "skill" && value > 0 ? "+" : ""}${formatNumber(value * 100)}%`;
}

/** "skill_vs_best (higher is better)". */
export const metricText = (metric: string) => `${metric} (${metricDirection(metric)} is better)`;
