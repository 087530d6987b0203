export type NumericCell = { kind: "number"; value: number } | { kind: "missing" } | { kind: "invalid" };

const MISSING_MARKERS = new Set(["", "na", "nan", "null", "-"]);

/** Strict: a finite JS number after trimming; no thousands separators. */
export function parseNumericCell(cell: string): NumericCell {
  const text = cell.trim();
  if (MISSING_MARKERS.has(text.toLowerCase())) return { kind: "missing" };
  const value = Number(text);
  return Number.isFinite(value) ? { kind: "number", value } : { kind: "invalid" };
}
