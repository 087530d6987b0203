import { CsvError } from "csv-parse";
import { type Info, parse } from "csv-parse/sync";
import { CsvImportError } from "./errors.js";

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  cells: string[];
}

/** Splits CSV text into records, keeping rows whose field count differs so they can be reported. */
export function parseCsvRecords(text: string, fileName: string): CsvRecord[] {
  try {
    // csv-parse's declarations do not model the record shape that `info: true` produces.
    const parsed = parse(text, {
      bom: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      info: true,
    }) as unknown as {
      record: string[];
      info: Info;
    }[];
    // info.lines is where the record ends; a quoted cell may span several lines.
    return parsed.map(({ record, info }) => ({ line: info.lines - countNewlines(record), cells: record }));
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new CsvImportError(`"${fileName}" is not valid CSV (${error.message}); check its quotes and commas.`);
  }
}

function countNewlines(cells: readonly string[]): number {
  return cells.reduce((count, cell) => count + (cell.match(/\n/g)?.length ?? 0), 0);
}
