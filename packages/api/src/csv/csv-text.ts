// CSV as RFC 4180 writes it, by hand: the only CSV library installed here is
// csv-parse, which reads and does not write, and the rules fit in a few lines
// (quote a field holding a comma, a quote or a line break; double its quotes;
// end records with CRLF).
import type { ExportCell } from "@hindcast/db";

/**
 * Text a spreadsheet would run as a formula (=, +, -, @) or that some strip
 * to reach one (a leading tab or carriage return). Such a cell is written
 * with a leading apostrophe, which spreadsheets show as text (OWASP's advice
 * on CSV injection). Numbers are never text, so -0.5 stays a number.
 */
const formulaStart = /^[=+\-@\t\r]/;

function field(cell: ExportCell): string {
  if (cell === null) return "";
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell !== "string") return String(cell);
  const text = formulaStart.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as CSV records, each ending in CRLF. */
export function csvRecords(rows: readonly (readonly ExportCell[])[]): string {
  let out = "";
  for (const row of rows) out += `${row.map(field).join(",")}\r\n`;
  return out;
}
