import type { Dataset } from "@hindcast/models";
import { controlCharacterIn, inferFrequency } from "@hindcast/models";
import { parseNumericCell } from "./cells";
import { classifyColumns } from "./column-types";
import { type CsvLayout, type LayoutOptions, resolveLayout, type ValueColumn } from "./csv-layout";
import { type CsvRecord, parseCsvRecords } from "./csv-records";
import { chooseDateFormat, type DateCell } from "./date-order";
import { type CsvDateFormat, parseCsvDate } from "./dates";
import { CsvImportError } from "./errors";
import { groupBy } from "./group-by";
import {
  type CsvImportReport,
  describeRejections,
  type IgnoredColumn,
  type InvalidCell,
  MAX_LISTED_PROBLEMS,
  type RejectedRow,
} from "./report";
import { type DatedRow, orderByDate, type UnsortedPolicy } from "./row-order";

export interface CsvImportOptions extends LayoutOptions {
  name: string;
  /** Where the file came from, e.g. "upload:prices.csv". */
  source: string;
  description?: string;
  /** "sort" (default) reorders rows by date; "reject" rejects each row dated before the previous accepted one. */
  onUnsorted?: UnsortedPolicy;
  /** How to read day-month-year dates such as 01/13/2021; by default the rows that can be read only one way settle it. */
  dateFormat?: CsvDateFormat;
}

export interface CsvImportResult {
  dataset: Dataset;
  report: CsvImportReport;
}

/** A row with its pivot group; the group is "" without pivotBy. */
interface GroupedRow extends DatedRow {
  group: string;
}

/**
 * Imports a CSV with a date column and numeric columns into a Dataset. Bad rows and cells are
 * reported rather than thrown; only a file that yields no usable data throws a CsvImportError.
 */
export function importCsv(text: string, options: CsvImportOptions): CsvImportResult {
  const [headerRecord, ...records] = parseCsvRecords(text, options.name);
  if (!headerRecord) throw new CsvImportError(`"${options.name}" is empty`, "give the CSV a header line and at least one data row");
  if (records.length === 0) throw new CsvImportError(`"${options.name}" has a header but no data rows`, "add rows below the header");
  const layout = resolveLayout(headerRecord.cells, options);

  const dateFormat = chooseDateFormat(
    dateCells(records, layout),
    `Column "${layout.dateColumn.name}" of "${options.name}"`,
    options.dateFormat,
  );
  const read = readRows(records, layout, dateFormat?.format);
  const ordered = [...groupBy(read.rows, (row) => row.group)].map(([group, rows]) => ({
    group,
    ...orderByDate(rows, options.onUnsorted ?? "sort"),
  }));
  const groups = new Map(ordered.map(({ group, rows }) => [group, rows]));
  const rejectedRows = [...read.rejected, ...ordered.flatMap(({ rejected }) => rejected)].sort((a, b) => a.line - b.line);
  const acceptedRows = ordered.flatMap(({ rows }) => rows);
  if (acceptedRows.length === 0) throw noRowsError(options.name, layout, rejectedRows);

  const { numeric, ignored } = classifyColumns(layout.valueColumns, acceptedRows);
  if (numeric.length === 0) throw noNumericColumnError(options.name, layout, ignored);

  const table = buildColumns(groups, numeric);
  const outOfOrderLines = ordered.flatMap(({ firstOutOfOrderLine }) => firstOutOfOrderLine ?? []);
  const sorted = outOfOrderLines.length > 0;
  const dataset: Dataset = {
    name: options.name,
    ...(options.description === undefined ? {} : { description: options.description }),
    source: options.source,
    dates: table.dates,
    columns: table.columns,
  };
  const report: CsvImportReport = {
    dateColumn: layout.dateColumn.name,
    rowsRead: records.length,
    rowsAccepted: acceptedRows.length,
    rejectedRows,
    invalidCells: table.invalidCells,
    invalidCellCount: table.invalidCellCount,
    ignoredColumns: ignored,
    missingCells: table.missingCells,
    ...(dateFormat ? { dateFormat } : {}),
    sorted,
    frequency: inferFrequency(table.dates),
    warnings: sorted
      ? [`Rows were not in date order (first out-of-order row: line ${Math.min(...outOfOrderLines)}); they were sorted by date.`]
      : [],
  };
  return { dataset, report };
}

/** The date cells of the rows with the right field count: readRows rejects the others before it reads their dates. */
function* dateCells(records: readonly CsvRecord[], layout: CsvLayout): Generator<DateCell> {
  for (const { line, cells } of records) {
    if (cells.length === layout.header.length) yield { line, text: cells[layout.dateColumn.index] ?? "" };
  }
}

/** Keeps rows with the right field count, a valid date and (with pivotBy) a pivot value; rejects the others. */
function readRows(
  records: readonly CsvRecord[],
  layout: CsvLayout,
  dateFormat: CsvDateFormat | undefined,
): { rows: GroupedRow[]; rejected: RejectedRow[] } {
  const rows: GroupedRow[] = [];
  const rejected: RejectedRow[] = [];
  for (const { line, cells } of records) {
    if (cells.length !== layout.header.length) {
      rejected.push({ line, reason: "wrong-field-count", detail: `expected ${layout.header.length} fields, found ${cells.length}` });
      continue;
    }
    const date = parseCsvDate(cells[layout.dateColumn.index] ?? "", dateFormat);
    if (!date.ok) {
      rejected.push({ line, reason: "bad-date", detail: date.detail });
      continue;
    }
    const group = layout.pivotColumn ? pivotPrefix(cells[layout.pivotColumn.index] ?? "") : "";
    if (layout.pivotColumn && group === "") {
      rejected.push({ line, reason: "missing-pivot-value", detail: `the pivot column "${layout.pivotColumn.name}" is empty` });
      continue;
    }
    // The pivot value becomes part of column names, which may hold no control characters (PostgreSQL refuses NUL).
    const unprintable = controlCharacterIn(group);
    if (layout.pivotColumn && unprintable) {
      rejected.push({
        line,
        reason: "bad-pivot-value",
        detail: `the pivot column "${layout.pivotColumn.name}" has a control character (${unprintable})`,
      });
      continue;
    }
    rows.push({ line, date: date.date, cells, group });
  }
  return { rows, rejected };
}

/** "New York" -> "new_york" */
function pivotPrefix(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, "_");
}

/** Lays the rows of every group onto the union of their dates; a group's columns are named "<group>_<column>". */
function buildColumns(groups: ReadonlyMap<string, readonly DatedRow[]>, numeric: readonly ValueColumn[]) {
  const dates = [...new Set([...groups.values()].flat().map((row) => row.date))].sort();
  const columns: Record<string, (number | null)[]> = {};
  const invalidCells: InvalidCell[] = [];
  let invalidCellCount = 0;
  let missingCells = 0;
  const readCell = (row: DatedRow, column: ValueColumn): number | null => {
    const cell = row.cells[column.index] ?? "";
    const parsed = parseNumericCell(cell);
    if (parsed.kind === "number") return parsed.value;
    if (parsed.kind === "missing") missingCells++;
    else if (++invalidCellCount <= MAX_LISTED_PROBLEMS) invalidCells.push({ line: row.line, column: column.name, value: cell });
    return null;
  };
  for (const [group, rows] of groups) {
    const rowByDate = new Map(rows.map((row) => [row.date, row]));
    const aligned = dates.map((date) => rowByDate.get(date));
    for (const column of numeric) {
      columns[group === "" ? column.name : `${group}_${column.name}`] = aligned.map((row) => (row ? readCell(row, column) : null));
    }
  }
  return { dates, columns, invalidCells, invalidCellCount, missingCells };
}

function noRowsError(name: string, layout: CsvLayout, rejected: readonly RejectedRow[]): CsvImportError {
  const problems = rejected.slice(0, MAX_LISTED_PROBLEMS).map((row) => `line ${row.line}: ${row.detail}`);
  const [first] = rejected;
  if (first && rejected.every((row) => row.reason === "bad-date")) {
    return new CsvImportError(
      `No dates found in column "${layout.dateColumn.name}" of "${name}" (line ${first.line}: ${first.detail})`,
      "set dateColumn to the column that holds the dates, written as YYYY-MM-DD",
      { problems, path: "dateColumn" },
    );
  }
  return new CsvImportError(`No rows of "${name}" could be imported: ${describeRejections(rejected)}`, "fix those rows and import again", {
    problems,
  });
}

function noNumericColumnError(name: string, layout: CsvLayout, ignored: readonly IgnoredColumn[]): CsvImportError {
  const why = ignored.map(({ column, reason }) => `"${column}": ${reason}`);
  return new CsvImportError(
    `No numeric column in "${name}"${why.length > 0 ? ` (${why.join("; ")})` : ""}`,
    `add at least one column of numbers besides the date column "${layout.dateColumn.name}"`,
  );
}
