import type { MetricDirection, MetricFormat } from "@hindcast/contracts";
import { formatCount, formatNumber, formatShare, formatSkill } from "./format";

/** A metric's value as its catalog entry's format says; "—" for none. */
export function formatMetric(value: number | null | undefined, format: MetricFormat, locale?: string): string {
  if (format === "skill") return formatSkill(value, locale);
  if (format === "share") return formatShare(value, locale);
  if (format === "count") return value === null || value === undefined || !Number.isFinite(value) ? "—" : formatCount(value, locale);
  return formatNumber(value, locale);
}

/** How the "Better" column and column tooltips say a metric's direction. */
export const directionText: Record<MetricDirection, { text: string; title: string }> = {
  lower: { text: "lower", title: "smaller values are better" },
  higher: { text: "higher", title: "larger values are better" },
  none: { text: "—", title: "no value is better than another: no run is starred" },
};
