const msPerDay = 86_400_000;

/** Days since 1970-01-01 of an ISO date (UTC). */
export function dayNumber(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`) / msPerDay;
}

export function isWeekday(isoDate: string): boolean {
  const weekday = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The ISO date `days` days after `isoDate`. */
export function addDays(isoDate: string, days: number): string {
  return new Date((dayNumber(isoDate) + days) * msPerDay).toISOString().slice(0, 10);
}
