import { CsvError } from "csv-parse";
import { type Info, type Options, parse } from "csv-parse/sync";
import { CsvImportError } from "./errors";

interface ParsedRecord {
  record: string[];
  info: Info;
}

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  cells: string[];
}

/**
 * The most cells a CSV may hold: a dataset is loaded whole by every training
 * on it, so this bounds the memory of each. Checked as records are parsed, so
 * an oversized file stops at the first record past the limit.
 */
export const maxDatasetCells = 10_000_000;

/** Splits CSV text into records, keeping rows whose field count differs so they can be reported. */
export function parseCsvRecords(text: string, fileName: string, maxCells = maxDatasetCells): CsvRecord[] {
  let cells = 0;
  try {
    // csv-parse's declarations do not model the record shape that `info: true` produces.
    const parsed = parse(text, {
      bom: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      info: true,
      // With `info: true` the hook gets { record, info }, which the declarations do not model either.
      on_record: ((entry: ParsedRecord) => {
        cells += entry.record.length;
        if (cells > maxCells) {
          throw new CsvImportError(
            `"${fileName}" holds more than ${maxCells.toLocaleString("en-US")} cells (the limit for one dataset) by line ${entry.info.lines}`,
            "split it into smaller datasets or drop unused columns",
          );
        }
        return entry;
      }) as unknown as Options["on_record"],
    }) as unknown as ParsedRecord[];
    // info.lines is where the record ends; a quoted cell may span several lines.
    return parsed.map(({ record, info }) => ({ line: info.lines - countNewlines(record), cells: record }));
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new CsvImportError(`"${fileName}" is not valid CSV (${error.message})`, "check its quotes and commas");
  }
}

function countNewlines(cells: readonly string[]): number {
  return cells.reduce((count, cell) => count + (cell.match(/\n/g)?.length ?? 0), 0);
}
