"use client";
import { type ExportRunsInput, runsCsvPath } from "@hindcast/api/schemas";
import { type RunExportColumn, runExportColumnId } from "@hindcast/contracts";
import { useEffect, useRef } from "react";
import type { RunsColumn } from "./columns";
import styles from "./export-menu.module.css";

/** What the table's own columns export as (the others are named as the export names them: headline:, param:). */
const fixedColumns: Record<string, RunExportColumn[]> = {
  name: [{ kind: "field", field: "name" }],
  status: [{ kind: "field", field: "status" }],
  progress: [{ kind: "field", field: "progress_percent" }],
  model: [{ kind: "param", key: "model.kind" }],
  data: [
    { kind: "param", key: "data.dataset" },
    { kind: "param", key: "data.target" },
  ],
  created: [{ kind: "field", field: "created" }],
  duration: [{ kind: "field", field: "duration_s" }],
  tags: [{ kind: "field", field: "tags" }],
};

/** The export's columns for the table's: the run id first, a metric by the stat its column shows, a sparkline left out. */
function exportColumns(columns: readonly RunsColumn[]): string[] {
  return [
    "id",
    ...columns.flatMap((column) => {
      const fixed = fixedColumns[column.id];
      if (fixed) return fixed.map(runExportColumnId);
      if (column.id.startsWith("trend:")) return [];
      const { sort } = column;
      if (sort?.by === "metric" && sort.key) return [runExportColumnId({ kind: "metric", key: sort.key, stat: sort.stat })];
      return [column.id];
    }),
  ];
}

/**
 * The runs the table's filters match as a CSV download, with the columns in
 * view or all of them (every field, param and metric); the server streams it
 * whatever the number of runs.
 */
export function ExportMenu({ filters, columns }: { filters: Omit<ExportRunsInput, "columns">; columns: readonly RunsColumn[] }) {
  const menu = useRef<HTMLDetailsElement>(null);
  // Closes on a click elsewhere or Escape, as a menu does.
  useEffect(() => {
    const close = (event: Event) => {
      const details = menu.current;
      if (!details?.open) return;
      if (event instanceof KeyboardEvent ? event.key === "Escape" : !details.contains(event.target as Node)) details.open = false;
    };
    document.addEventListener("click", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("click", close);
      document.removeEventListener("keydown", close);
    };
  }, []);
  const choices = [
    { label: "Columns in view", href: runsCsvPath({ ...filters, columns: exportColumns(columns) }) },
    { label: "All columns", href: runsCsvPath({ ...filters, columns: "all" }) },
  ];
  return (
    <details ref={menu} className={styles.menu}>
      <summary className="btn">Export CSV</summary>
      <ul className={styles.choices}>
        {choices.map((choice) => (
          <li key={choice.label}>
            <a href={choice.href} download onClick={() => menu.current?.removeAttribute("open")}>
              {choice.label}
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}
