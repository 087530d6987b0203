"use client";
import { dataSpecSchema } from "@hindcast/models/specs";
import { formatNumber } from "@/lib/format";
import { putValue, valueAt } from "./draft";
import { DateField, SelectField } from "./fields";
import { fieldId, useDraftForm } from "./form-context";
import styles from "./new-training.module.css";
import type { DatasetSummary } from "./types";

const transforms = dataSpecSchema.shape.transform.unwrap().options;
const gapPolicies = dataSpecSchema.shape.gapPolicy.unwrap().options;

const transformLabels: Record<(typeof transforms)[number], string> = {
  none: "none",
  diff: "difference (x[t] − x[t−1])",
  log: "log",
  logReturn: "log return",
};
const gapLabels: Record<(typeof gapPolicies)[number], string> = {
  error: "fail the run",
  drop: "drop those dates",
  ffill: "carry the last value forward",
  interpolate: "interpolate linearly",
};

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/** Dataset, target and feature columns, date range and preprocessing. */
export function DataSection({ datasets, loading }: { datasets: DatasetSummary[]; loading: boolean }) {
  const form = useDraftForm();
  const datasetName = valueAt(form.draft, "spec.data.dataset");
  const dataset = datasets.find((d) => d.name === datasetName);
  const target = valueAt(form.draft, "spec.data.target");
  const features = strings(valueAt(form.draft, "spec.data.features"));
  const columns = dataset?.columns ?? [];

  const chooseDataset = (name: string) =>
    form.update("spec.data", (draft) => {
      const chosen = datasets.find((d) => d.name === name);
      putValue(draft, "spec.data.dataset", name);
      const data = draft.spec.data as Record<string, unknown>;
      const available = chosen?.columns ?? [];
      if (!available.includes(data.target as string)) data.target = available[0] ?? "";
      data.features = strings(data.features).filter((f) => available.includes(f) && f !== data.target);
      // Dates outside the new dataset's range would only fail later.
      for (const key of ["from", "to"] as const) {
        const date = data[key];
        if (typeof date === "string" && chosen?.start && chosen.end && (date < chosen.start || date > chosen.end)) delete data[key];
      }
    });

  const chooseTarget = (column: string) =>
    form.update("spec.data.target", (draft) => {
      const data = draft.spec.data as Record<string, unknown>;
      data.target = column;
      data.features = strings(data.features).filter((f) => f !== column);
    });

  const toggleFeature = (column: string, on: boolean) =>
    form.set("spec.data.features", on ? columns.filter((c) => c === column || features.includes(c)) : features.filter((f) => f !== column));

  const featuresError = form.errorFor("spec.data.features");
  const featuresId = fieldId("spec.data.features");
  const builtins = datasets.filter((d) => d.builtin);
  const uploaded = datasets.filter((d) => !d.builtin);

  return (
    <section className="card" aria-labelledby="data-heading">
      <h2 id="data-heading">Data</h2>
      <div className={styles.fields}>
        <div className={styles.wide}>
          <SelectField
            path="spec.data.dataset"
            label="Dataset"
            hint={
              dataset
                ? `${dataset.description ? `${dataset.description} ` : ""}${dataset.frequency}, ${dataset.rows === null ? "?" : formatNumber(dataset.rows)} rows, ${dataset.start ?? "?"} to ${dataset.end ?? "?"}`
                : loading
                  ? "Loading datasets…"
                  : `${builtins.length} built-in, ${uploaded.length} uploaded`
            }
            choices={[...builtins, ...uploaded].map((d) => ({ value: d.name, label: `${d.name}${d.builtin ? "" : " (uploaded)"}` }))}
            onChoose={chooseDataset}
          />
        </div>
        <SelectField
          path="spec.data.target"
          label="Target column"
          hint="the series to forecast"
          choices={columns.map((c) => ({ value: c, label: c }))}
          onChoose={chooseTarget}
        />
        <SelectField
          path="spec.data.transform"
          label="Transform"
          choices={transforms.map((t) => ({ value: t, label: transformLabels[t] }))}
        />
        <SelectField
          path="spec.data.gapPolicy"
          label="Missing values"
          choices={gapPolicies.map((g) => ({ value: g, label: gapLabels[g] }))}
        />
        <DateField
          path="spec.data.from"
          label="From"
          hint={dataset?.start ? `data starts ${dataset.start}` : "first date of the data"}
          min={dataset?.start}
          max={dataset?.end}
        />
        <DateField
          path="spec.data.to"
          label="To"
          hint={dataset?.end ? `data ends ${dataset.end}` : "last date of the data"}
          min={dataset?.start}
          max={dataset?.end}
        />
        <fieldset
          className={`${styles.columns} ${styles.wide}`}
          id={featuresId}
          aria-describedby={featuresError ? `${featuresId}-error` : undefined}
        >
          <legend>Feature variables (extra inputs; the target is always one)</legend>
          {columns.length <= 1 ? (
            <p className="muted">{dataset ? "This dataset has no other columns." : "Choose a dataset first."}</p>
          ) : (
            <div className={styles.columnList}>
              {columns
                .filter((c) => c !== target)
                .map((column) => (
                  <label key={column} className={styles.checkbox}>
                    <input
                      type="checkbox"
                      checked={features.includes(column)}
                      aria-invalid={featuresError ? true : undefined}
                      onChange={(event) => toggleFeature(column, event.target.checked)}
                      onBlur={() => form.touch("spec.data.features")}
                    />
                    {column}
                  </label>
                ))}
            </div>
          )}
          {featuresError && (
            <span id={`${featuresId}-error`} className="field-error">
              {featuresError}
            </span>
          )}
        </fieldset>
      </div>
    </section>
  );
}
