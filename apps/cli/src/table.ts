export interface Column {
  header: string;
  /** Numbers line up on the right. */
  align?: "left" | "right";
  /** Longer cells are cut, ending in "…", so one long value cannot push every column after it. */
  maxWidth?: number;
}

const cut = (text: string, max = Number.POSITIVE_INFINITY) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A header and rows in aligned columns, each as wide as its widest cell, two spaces apart; no trailing spaces. */
export function table(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const lines = [columns.map((c) => c.header), ...rows].map((cells) => columns.map((c, i) => cut(cells[i] ?? "", c.maxWidth)));
  const widths = columns.map((_, i) => Math.max(...lines.map((cells) => (cells[i] as string).length)));
  return lines
    .map((cells) =>
      cells
        .map((cell, i) => (columns[i]?.align === "right" ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
