import { parseNumericCell } from "./cells";
import type { ValueColumn } from "./csv-layout";
import type { IgnoredColumn } from "./report";

export interface ColumnTypes {
  numeric: ValueColumn[];
  ignored: IgnoredColumn[];
}

/** A column is numeric unless it has no values or most of its non-empty cells are not numbers (then it is categorical). */
export function classifyColumns(columns: readonly ValueColumn[], rows: readonly { cells: string[] }[]): ColumnTypes {
  const types: ColumnTypes = { numeric: [], ignored: [] };
  for (const column of columns) {
    const filled = rows.map((row) => row.cells[column.index] ?? "").filter((cell) => parseNumericCell(cell).kind !== "missing");
    const nonNumeric = filled.filter((cell) => parseNumericCell(cell).kind === "invalid");
    if (filled.length === 0) {
      types.ignored.push({ column: column.name, reason: "it has no values" });
    } else if (nonNumeric.length * 2 > filled.length) {
      types.ignored.push({ column: column.name, reason: `most of its cells are not numbers (categorical, e.g. "${nonNumeric[0]}")` });
    } else {
      types.numeric.push(column);
    }
  }
  return types;
}
