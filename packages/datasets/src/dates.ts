export type DateParseResult = { ok: true; date: string } | { ok: false; detail: string };

/**
 * The orders a day-month-year date such as 01/13/2021 can be read in. ISO
 * dates (YYYY-MM-DD, YYYY/MM/DD, YYYY-MM, date-times) are read the same in
 * every format.
 */
export const csvDateFormats = ["MM/DD/YYYY", "DD/MM/YYYY"] as const;
export type CsvDateFormat = (typeof csvDateFormats)[number];

const ISO_DATE_FIX = "use ISO dates (YYYY-MM-DD)";
const ISO_FORMATS = [
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})(?:[T ]\d{2}:\d{2}.*)?$/,
  /^(?<year>\d{4})\/(?<month>\d{2})\/(?<day>\d{2})$/,
  /^(?<year>\d{4})-(?<month>\d{2})$/,
];
const DAY_MONTH_YEAR = /^(?<first>\d{1,2})\/(?<second>\d{1,2})\/(?<year>\d{4})$/;
const TWO_DIGIT_YEAR = /^\d{1,2}\/\d{1,2}\/\d{2}$/;

/**
 * Parses a date cell into an ISO date (YYYY-MM-DD); a month (YYYY-MM) means its first day.
 * A day-month-year date is read in `format`, and without one is refused as ambiguous.
 */
export function parseCsvDate(cell: string, format?: CsvDateFormat): DateParseResult {
  const text = cell.trim();
  if (text === "") return { ok: false, detail: "the date is empty" };
  for (const isoFormat of ISO_FORMATS) {
    const parts = isoFormat.exec(text)?.groups;
    if (parts) return calendarDate(text, `${parts.year}-${parts.month}-${parts.day ?? "01"}`);
  }
  const dayMonthYear = DAY_MONTH_YEAR.exec(text)?.groups;
  if (dayMonthYear) {
    if (!format) {
      const detail =
        dayMonthYearReadings(text).length > 0
          ? "is ambiguous (month/day or day/month?); name the date format or"
          : `is a date neither as ${csvDateFormats.join(" nor as ")};`;
      return { ok: false, detail: `"${text}" ${detail} ${ISO_DATE_FIX}` };
    }
    const { first = "", second = "", year } = dayMonthYear;
    const [month, day] = format === "MM/DD/YYYY" ? [first, second] : [second, first];
    return calendarDate(text, `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`, format);
  }
  if (TWO_DIGIT_YEAR.test(text)) return { ok: false, detail: `"${text}" has a two-digit year; write the year in full or ${ISO_DATE_FIX}` };
  return { ok: false, detail: `"${text}" is not a date; ${ISO_DATE_FIX}` };
}

export function isDayMonthYear(cell: string): boolean {
  return DAY_MONTH_YEAR.test(cell.trim());
}

/** The formats in which a day-month-year cell is a calendar date: both, one (a part over 12 can only be the day), or none. */
export function dayMonthYearReadings(cell: string): CsvDateFormat[] {
  return isDayMonthYear(cell) ? csvDateFormats.filter((format) => parseCsvDate(cell, format).ok) : [];
}

function calendarDate(text: string, isoDate: string, format?: CsvDateFormat): DateParseResult {
  if (isCalendarDate(isoDate)) return { ok: true, date: isoDate };
  return { ok: false, detail: `"${text}" is not a calendar date${format ? ` as ${format}` : ""}` };
}

/** A real date PostgreSQL can store: there is no year 0. */
function isCalendarDate(isoDate: string): boolean {
  const parsed = new Date(`${isoDate}T00:00:00Z`);
  return !isoDate.startsWith("0000") && !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(isoDate);
}
