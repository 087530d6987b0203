import type { RejectedRow } from "./report";

export interface DatedRow {
  line: number;
  /** ISO date. */
  date: string;
  cells: string[];
}

export type UnsortedPolicy = "sort" | "reject";

export interface OrderedRows {
  rows: DatedRow[];
  rejected: RejectedRow[];
  /** Set when rows were reordered. */
  firstOutOfOrderLine?: number;
}

/** Returns rows in ascending, unique date order: a repeated date keeps its first row, a date that goes back is sorted or rejected. */
export function orderByDate(rows: readonly DatedRow[], onUnsorted: UnsortedPolicy): OrderedRows {
  const firstLineByDate = new Map<string, number>();
  const accepted: DatedRow[] = [];
  const rejected: RejectedRow[] = [];
  let latest: DatedRow | undefined;
  let firstOutOfOrderLine: number | undefined;
  for (const row of rows) {
    const firstLine = firstLineByDate.get(row.date);
    if (firstLine !== undefined) {
      rejected.push({ line: row.line, reason: "duplicate-date", detail: `${row.date} already appears on line ${firstLine}` });
      continue;
    }
    if (latest && row.date < latest.date) {
      if (onUnsorted === "reject") {
        rejected.push({ line: row.line, reason: "unsorted", detail: `${row.date} comes after ${latest.date} (line ${latest.line})` });
        continue;
      }
      firstOutOfOrderLine ??= row.line;
    } else {
      latest = row;
    }
    firstLineByDate.set(row.date, row.line);
    accepted.push(row);
  }
  if (firstOutOfOrderLine !== undefined) accepted.sort((a, b) => (a.date < b.date ? -1 : 1));
  return { rows: accepted, rejected, firstOutOfOrderLine };
}
