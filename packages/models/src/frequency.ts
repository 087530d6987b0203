import type { Frequency } from "./dataset";
import { dayNumber, isWeekday } from "./dates";

const MAX_BUSINESS_GAP_DAYS = 4;
/** Share of gaps that must fit a weekend plus a holiday; market closures (e.g. 2001-09-11) make a few longer. */
const MIN_BUSINESS_GAP_SHARE = 0.9;

const BY_MEDIAN_GAP: { frequency: Frequency; minDays: number; maxDays: number }[] = [
  { frequency: "weekly", minDays: 7, maxDays: 7 },
  { frequency: "monthly", minDays: 28, maxDays: 31 },
  { frequency: "quarterly", minDays: 89, maxDays: 92 },
  { frequency: "yearly", minDays: 365, maxDays: 366 },
];

/** Infers the sampling frequency of ascending, unique ISO dates from the gaps between them. */
export function inferFrequency(dates: readonly string[]): Frequency {
  const days = dates.map(dayNumber);
  const gaps = days.slice(1).map((day, i) => day - (days[i] ?? day));
  const medianGap = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)];
  if (medianGap === undefined) return "irregular";
  if (medianGap === 1) return isBusinessDaily(dates, gaps) ? "business-daily" : "daily";
  return BY_MEDIAN_GAP.find(({ minDays, maxDays }) => medianGap >= minDays && medianGap <= maxDays)?.frequency ?? "irregular";
}

function isBusinessDaily(dates: readonly string[], gaps: readonly number[]): boolean {
  const skipsDays = gaps.some((gap) => gap > 1);
  const shortGaps = gaps.filter((gap) => gap <= MAX_BUSINESS_GAP_DAYS).length;
  return skipsDays && dates.every(isWeekday) && shortGaps >= MIN_BUSINESS_GAP_SHARE * gaps.length;
}
