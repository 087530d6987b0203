export type DateParseResult = { ok: true; date: string } | { ok: false; detail: string };

const ISO_DATE_FIX = "use ISO dates (YYYY-MM-DD)";
const ACCEPTED_FORMATS = [
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})(?:[T ]\d{2}:\d{2}.*)?$/,
  /^(?<year>\d{4})\/(?<month>\d{2})\/(?<day>\d{2})$/,
  /^(?<year>\d{4})-(?<month>\d{2})$/,
];
const AMBIGUOUS_SLASHED_DATE = /^\d{1,2}\/\d{1,2}\/\d{2,4}$/;

/** Parses a date cell into an ISO date (YYYY-MM-DD); a month (YYYY-MM) means its first day. */
export function parseCsvDate(cell: string): DateParseResult {
  const text = cell.trim();
  if (text === "") return { ok: false, detail: "the date is empty" };
  for (const format of ACCEPTED_FORMATS) {
    const parts = format.exec(text)?.groups;
    if (!parts) continue;
    const date = `${parts.year}-${parts.month}-${parts.day ?? "01"}`;
    return isCalendarDate(date) ? { ok: true, date } : { ok: false, detail: `"${text}" is not a calendar date` };
  }
  if (AMBIGUOUS_SLASHED_DATE.test(text)) {
    return { ok: false, detail: `"${text}" is ambiguous (month/day or day/month?); ${ISO_DATE_FIX}` };
  }
  return { ok: false, detail: `"${text}" is not a date; ${ISO_DATE_FIX}` };
}

/** A real date PostgreSQL can store: there is no year 0. */
function isCalendarDate(isoDate: string): boolean {
  const parsed = new Date(`${isoDate}T00:00:00Z`);
  return !isoDate.startsWith("0000") && !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(isoDate);
}
