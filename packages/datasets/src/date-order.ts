import { type CsvDateFormat, csvDateFormats, dayMonthYearReadings, isDayMonthYear } from "./dates";
import { CsvImportError } from "./errors";
import { MAX_LISTED_PROBLEMS, withMore } from "./report";

export interface DateCell {
  line: number;
  text: string;
}

/** How a file's day-month-year dates are read: in the format named, or in the one a row settled. */
export interface DateFormatChoice {
  format: CsvDateFormat;
  /** The first line whose date is a date in this format only; absent when the format was named. */
  settledByLine?: number;
}

const HOW_TO_NAME = `name the date format, ${csvDateFormats.join(" or ")} (the upload form's "Date format", the CLI's --date-format, the API's dateFormat)`;

/**
 * The format of a date column's day-month-year dates: the one named, else the
 * one its unambiguous rows settle (01/13/2021 can only be MM/DD/YYYY). Undefined
 * for a column without such dates. Throws when rows settle both orders, or when
 * the column has such dates and no row settles their order.
 */
export function chooseDateFormat(cells: Iterable<DateCell>, column: string, named?: CsvDateFormat): DateFormatChoice | undefined {
  if (named) return someDayMonthYear(cells) ? { format: named } : undefined;
  const settledBy = new Map<CsvDateFormat, DateCell>();
  const ambiguous: DateCell[] = [];
  for (const cell of cells) {
    const readings = dayMonthYearReadings(cell.text);
    const [only] = readings;
    if (readings.length > 1) ambiguous.push(cell);
    else if (only && !settledBy.has(only)) settledBy.set(only, cell);
  }
  const [first, second] = [...settledBy].sort(([, a], [, b]) => a.line - b.line);
  if (first && second) throw mixedOrdersError(column, first, second);
  if (first) return { format: first[0], settledByLine: first[1].line };
  if (ambiguous.length > 0) throw ambiguousError(column, ambiguous);
  return undefined;
}

function someDayMonthYear(cells: Iterable<DateCell>): boolean {
  for (const cell of cells) if (isDayMonthYear(cell.text)) return true;
  return false;
}

function mixedOrdersError(column: string, ...settlers: [CsvDateFormat, DateCell][]): CsvImportError {
  const only = settlers.map(([format, cell]) => `line ${cell.line}: "${cell.text.trim()}" is a date only as ${format}`);
  return new CsvImportError(
    `${column} mixes date orders (${only.join("; ")})`,
    `write every date in one order, or ${HOW_TO_NAME} to reject the rows in the other order`,
    { problems: only, path: "dateFormat" },
  );
}

function ambiguousError(column: string, ambiguous: readonly DateCell[]): CsvImportError {
  const [example] = ambiguous;
  const lines = withMore(ambiguous.map((cell) => String(cell.line)));
  return new CsvImportError(
    `${column} has dates that read both as month/day and as day/month (line${ambiguous.length > 1 ? "s" : ""} ${lines}, e.g. "${example?.text.trim()}") ` +
      "and no row settles the order",
    `${HOW_TO_NAME}, or use ISO dates (YYYY-MM-DD)`,
    {
      problems: ambiguous
        .slice(0, MAX_LISTED_PROBLEMS)
        .map((cell) => `line ${cell.line}: "${cell.text.trim()}" is a date both as ${csvDateFormats.join(" and as ")}`),
      path: "dateFormat",
    },
  );
}
