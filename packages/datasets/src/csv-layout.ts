import { controlCharacterIn } from "@hindcast/models";
import { parseNumericCell } from "./cells";
import { dayMonthYearReadings, parseCsvDate } from "./dates";
import { CsvImportError, type CsvImportField } from "./errors";

export interface LayoutOptions {
  dateColumn?: string;
  columns?: string[];
  pivotBy?: string;
}

export interface ValueColumn {
  name: string;
  index: number;
}

/** Which header column holds the dates, which one (if any) splits rows into groups, and which hold values. */
export interface CsvLayout {
  header: string[];
  dateColumn: ValueColumn;
  pivotColumn?: ValueColumn;
  valueColumns: ValueColumn[];
}

const DATE_HEADER = /^(date|month|time|day)$/i;

export function resolveLayout(rawHeader: readonly string[], options: LayoutOptions): CsvLayout {
  const header = rawHeader.map((name) => name.trim());
  checkHeader(header);
  const columnOf = (name: string, role: string, path: CsvImportField): ValueColumn => {
    const index = header.indexOf(name);
    if (index < 0) throw new CsvImportError(`${role} "${name}" is not in the header`, `use one of: ${header.join(", ")}`, { path });
    return { name, index };
  };
  const dateColumn = columnOf(
    options.dateColumn ?? header.find((name) => DATE_HEADER.test(name)) ?? header[0] ?? "",
    "Date column",
    "dateColumn",
  );
  const pivotColumn = options.pivotBy === undefined ? undefined : columnOf(options.pivotBy, "Pivot column", "pivotBy");
  if (pivotColumn?.index === dateColumn.index) {
    throw new CsvImportError(`Column "${dateColumn.name}" cannot be both the date column and the pivot column`, "choose another pivotBy", {
      path: "pivotBy",
    });
  }
  const keep = new Set((options.columns ?? header).map((name) => columnOf(name, "Column", "columns").index));
  const valueColumns = header
    .map((name, index) => ({ name, index }))
    .filter(({ index }) => keep.has(index) && index !== dateColumn.index && index !== pivotColumn?.index);
  return { header, dateColumn, pivotColumn, valueColumns };
}

function checkHeader(header: readonly string[]): void {
  if (header.length < 2) {
    throw new CsvImportError(
      `The header "${header.join("")}" has only one column`,
      "separate the columns with commas: a date column and at least one numeric column",
    );
  }
  const isDate = (name: string) => parseCsvDate(name).ok || dayMonthYearReadings(name).length > 0;
  if (header.some(isDate) || header.every((name) => parseNumericCell(name).kind === "number")) {
    throw new CsvImportError(
      `The first line looks like data, not a header ("${header.join(",")}")`,
      'add a header line naming the columns, e.g. "date,value"',
    );
  }
  const blank = header.indexOf("");
  if (blank >= 0) throw new CsvImportError(`Column ${blank + 1} of the header has no name`, "give every column a name");
  const unprintable = header.findIndex((name) => controlCharacterIn(name));
  if (unprintable >= 0) {
    throw new CsvImportError(
      `Column ${unprintable + 1} of the header has a control character (${controlCharacterIn(header[unprintable] ?? "")})`,
      "rename it with printable characters",
    );
  }
  const repeated = header.find((name, index) => header.indexOf(name) !== index);
  if (repeated !== undefined) {
    throw new CsvImportError(`Column "${repeated}" appears twice in the header`, "give every column a different name");
  }
}
