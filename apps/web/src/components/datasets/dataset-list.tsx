"use client";
import { ScrollRegion } from "@/components/scroll-region";
import { formatNumber } from "@/lib/format";
import styles from "./datasets.module.css";
import type { DatasetSummary } from "./types";

export function DatasetList({
  datasets,
  selected,
  onSelect,
}: {
  datasets: DatasetSummary[];
  selected?: string;
  onSelect(name: string): void;
}) {
  return (
    <ScrollRegion label="Datasets">
      <table data-testid="dataset-list">
        <thead>
          <tr>
            <th>Name</th>
            <th>Source</th>
            <th className="num">Rows</th>
            <th className="num">Columns</th>
            <th>Date range</th>
            <th>Frequency</th>
          </tr>
        </thead>
        <tbody>
          {datasets.map((d) => (
            <tr key={d.name} className={d.name === selected ? styles.selected : undefined} data-dataset={d.name}>
              <td>
                <button
                  type="button"
                  className={styles.nameButton}
                  aria-pressed={d.name === selected}
                  title={d.description || undefined}
                  onClick={() => onSelect(d.name)}
                >
                  {d.name}
                </button>
              </td>
              <td>
                <span className={`chip ${d.builtin ? styles.source : styles.uploaded}`}>{d.builtin ? "built-in" : "uploaded"}</span>
              </td>
              <td className="num">{formatNumber(d.rows)}</td>
              <td className="num" title={d.columns.join(", ")}>
                {d.columns.length}
              </td>
              <td>
                {d.start ?? "—"} – {d.end ?? "—"}
              </td>
              <td>{d.frequency}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
