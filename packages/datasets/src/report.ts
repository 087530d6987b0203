import type { Frequency } from "@hindcast/models";
import type { DateFormatChoice } from "./date-order";
import { groupBy } from "./group-by";

export type RejectionReason = "bad-date" | "duplicate-date" | "unsorted" | "wrong-field-count" | "missing-pivot-value" | "bad-pivot-value";

export interface RejectedRow {
  /** 1-based line in the file; the header is line 1. */
  line: number;
  reason: RejectionReason;
  detail: string;
}

/** A non-numeric cell in a numeric column; it is imported as null. */
export interface InvalidCell {
  line: number;
  column: string;
  value: string;
}

export interface IgnoredColumn {
  column: string;
  reason: string;
}

export interface CsvImportReport {
  dateColumn: string;
  /** Data rows in the file, header and blank lines excluded. */
  rowsRead: number;
  rowsAccepted: number;
  rejectedRows: RejectedRow[];
  /** The first MAX_LISTED_PROBLEMS invalid cells; invalidCellCount has the total. */
  invalidCells: InvalidCell[];
  invalidCellCount: number;
  ignoredColumns: IgnoredColumn[];
  /** Empty or missing-marker cells (NA, NaN, null, -) imported as null. */
  missingCells: number;
  /** How day-month-year dates (01/13/2021) were read; absent when the file has none. */
  dateFormat?: DateFormatChoice;
  /** The rows were reordered by date. */
  sorted: boolean;
  frequency: Frequency;
  warnings: string[];
}

/** Cap on listed invalid cells, and on the problems of a CsvImportError, so a broken million-row file stays readable. */
export const MAX_LISTED_PROBLEMS = 100;
const MAX_LINES_IN_SUMMARY = 5;

const REASON_LABELS: Record<RejectionReason, { one: string; many: string }> = {
  "bad-date": { one: "bad date", many: "bad dates" },
  "duplicate-date": { one: "duplicate date", many: "duplicate dates" },
  unsorted: { one: "out-of-order date", many: "out-of-order dates" },
  "wrong-field-count": { one: "wrong field count", many: "wrong field counts" },
  "missing-pivot-value": { one: "missing pivot value", many: "missing pivot values" },
  "bad-pivot-value": { one: "pivot value with a control character", many: "pivot values with control characters" },
};

/** A report as an answer carries it: the first MAX_LISTED_PROBLEMS rejected rows and their total, so a file of duplicates cannot make it megabytes. */
export function listedReport(
  report: CsvImportReport,
): Omit<CsvImportReport, "rejectedRows"> & { rejectedRows: RejectedRow[]; rejectedRowCount: number } {
  return { ...report, rejectedRows: report.rejectedRows.slice(0, MAX_LISTED_PROBLEMS), rejectedRowCount: report.rejectedRows.length };
}

/** Human-readable lines describing what the import did, most important first. */
export function summarizeReport(report: CsvImportReport): string[] {
  const lines = [`${report.rowsAccepted} of ${countOf(report.rowsRead, "row")} imported, ${report.frequency}.`];
  if (report.dateFormat) lines.push(describeDateFormat(report.dateFormat));
  if (report.rejectedRows.length > 0) lines.push(`${describeRejections(report.rejectedRows)}.`);
  if (report.invalidCellCount > 0) lines.push(`${describeInvalidCells(report)}.`);
  for (const { column, reason } of report.ignoredColumns) lines.push(`Column "${column}" ignored: ${reason}.`);
  if (report.missingCells > 0) lines.push(`${countOf(report.missingCells, "empty cell")} imported as missing.`);
  return [...lines, ...report.warnings];
}

/** "3 rows rejected: 2 duplicate dates (lines 14, 20), 1 bad date (line 7: ...)" */
export function describeRejections(rows: readonly RejectedRow[]): string {
  const byReason = groupBy(rows, (row) => row.reason);
  const parts = [...byReason].map(([reason, group]) => {
    const label = group.length === 1 ? REASON_LABELS[reason].one : REASON_LABELS[reason].many;
    return `${group.length} ${label} (${listLines(group)})`;
  });
  return `${countOf(rows.length, "row")} rejected: ${parts.join(", ")}`;
}

function listLines(rows: readonly RejectedRow[]): string {
  const [only] = rows;
  if (rows.length === 1 && only) return `line ${only.line}: ${only.detail}`;
  return `lines ${withMore(rows.map((row) => String(row.line)))}`;
}

function describeDateFormat({ format, settledByLine }: DateFormatChoice): string {
  return `Dates read as ${format} (${settledByLine === undefined ? "as named" : `line ${settledByLine} can only be read that way`}).`;
}

function describeInvalidCells(report: CsvImportReport): string {
  const examples = report.invalidCells.map(({ line, column, value }) => `"${value}" in ${column} on line ${line}`);
  return `${countOf(report.invalidCellCount, "non-numeric cell")} imported as missing: ${withMore(examples, report.invalidCellCount)}`;
}

/** "2, 3, 4, 5, 6 and 3 more" */
export function withMore(items: readonly string[], total = items.length): string {
  const shown = items.slice(0, MAX_LINES_IN_SUMMARY).join(", ");
  return total > MAX_LINES_IN_SUMMARY ? `${shown} and ${total - MAX_LINES_IN_SUMMARY} more` : shown;
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
