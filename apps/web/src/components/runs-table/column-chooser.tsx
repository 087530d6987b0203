"use client";
import { useQuery } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { errorMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { type ColumnChoice, maxMetricColumns } from "./columns";
import styles from "./runs-table.module.css";

const toggled = (list: string[], key: string) => (list.includes(key) ? list.filter((k) => k !== key) : [...list, key]);

/** A dialog of checkboxes: which metric and param columns the runs table adds, and which metric it draws as a sparkline. */
export function ColumnChooser({ choice, onChange }: { choice: ColumnChoice; onChange: (choice: ColumnChoice) => void }) {
  const trpc = useTRPC();
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState("");
  const keys = useQuery(trpc.compare.columns.queryOptions(undefined, { enabled: open }));
  const titleId = useId();
  const matches = (key: string) => key.toLowerCase().includes(filter.trim().toLowerCase());
  // Keys chosen earlier stay listed (and can be removed) even when no run has them now.
  const metricKeys = [...new Set([...(keys.data?.metrics ?? []), ...choice.metrics])].filter(matches).sort();
  const paramKeys = [...new Set([...(keys.data?.params ?? []), ...choice.params])].filter(matches).sort();
  const trendKeys = [...new Set([...(keys.data?.metrics ?? []), ...(choice.trend ? [choice.trend] : [])])].sort();
  const metricsFull = choice.metrics.length >= maxMetricColumns;

  return (
    <>
      <button
        type="button"
        aria-haspopup="dialog"
        onClick={() => {
          setOpen(true);
          dialog.current?.showModal();
        }}
      >
        Columns…
      </button>
      <dialog ref={dialog} className={styles.chooser} aria-labelledby={titleId} onClose={() => setOpen(false)}>
        <h2 id={titleId}>Columns</h2>
        <label>
          Filter keys
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="e.g. loss or train." />
        </label>
        {keys.error && <p className="banner-error">{errorMessage(keys.error)}</p>}
        <div className={styles.chooserGroups}>
          <fieldset>
            <legend>Metrics (last and best)</legend>
            {metricsFull && <span className="muted">At most {maxMetricColumns} metrics</span>}
            {metricKeys.map((key) => (
              <label key={key} className={styles.check}>
                <input
                  type="checkbox"
                  checked={choice.metrics.includes(key)}
                  disabled={metricsFull && !choice.metrics.includes(key)}
                  onChange={() => onChange({ ...choice, metrics: toggled(choice.metrics, key) })}
                />
                {key}
              </label>
            ))}
            {keys.isPending && <span className="muted">Loading…</span>}
          </fieldset>
          <fieldset>
            <legend>Trend</legend>
            <label>
              Sparkline of
              <select value={choice.trend ?? ""} onChange={(e) => onChange({ ...choice, trend: e.target.value || undefined })}>
                <option value="">no trend column</option>
                {trendKeys.map((key) => (
                  <option key={key} value={key}>
                    {key}
                  </option>
                ))}
              </select>
            </label>
          </fieldset>
          <fieldset>
            <legend>Params</legend>
            {paramKeys.map((key) => (
              <label key={key} className={styles.check}>
                <input
                  type="checkbox"
                  checked={choice.params.includes(key)}
                  onChange={() => onChange({ ...choice, params: toggled(choice.params, key) })}
                />
                {key}
              </label>
            ))}
            {keys.isPending && <span className="muted">Loading…</span>}
          </fieldset>
        </div>
        <form method="dialog" className="row">
          <button type="submit" className="primary">
            Done
          </button>
        </form>
      </dialog>
    </>
  );
}
