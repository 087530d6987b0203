"use client";
import { metricDirection, metricEntry } from "@hindcast/contracts";
import { sweepMethods, sweepMetricKeys } from "@hindcast/sweeps/spec";
import { FieldMessages } from "@/components/form-field";
import { NumberField, SelectField, TextField } from "./fields";
import { fieldId, useDraftForm } from "./form-context";
import styles from "./new-training.module.css";
import {
  choiceText,
  currentValue,
  type DistributionKind,
  distributionKinds,
  rowFor,
  type SpaceRow,
  searchablePaths,
  sweepOf,
} from "./sweep-draft";
import sweepStyles from "./sweep-section.module.css";

const methodLabels: Record<(typeof sweepMethods)[number], string> = {
  tpe: "TPE (model-based, after 10 random trials)",
  random: "Random",
  grid: "Grid (every combination)",
};

const distributionLabels: Record<DistributionKind, string> = {
  choice: "choice (listed values)",
  uniform: "uniform (min to max)",
  loguniform: "loguniform (on a log scale)",
  int: "int (whole numbers, both ends in)",
};

const metricLabel = (key: string) => {
  const direction = metricDirection(key);
  return `${metricEntry(key)?.label ?? key} (${key}, ${direction} is better)`;
};

/** One searched field: which spec field, its distribution, and its values or range. */
function SpaceRowFields({ index, row, paths }: { index: number; row: SpaceRow; paths: { value: string; label: string }[] }) {
  const form = useDraftForm();
  const at = `sweep.space.${index}`;
  const n = index + 1;
  const change = (path: string, edit: (row: SpaceRow, spec: unknown) => void) =>
    form.update(path, (draft) => edit(sweepOf(draft).space[index] as SpaceRow, draft.spec));
  const chooseKind = (kind: string) =>
    change(`${at}.kind`, (row, spec) => {
      row.kind = kind as DistributionKind;
      const guess = rowFor(row.path, currentValue(spec, row.path));
      if (row.kind === "choice") row.values ??= guess.kind === "choice" ? guess.values : choiceText([guess.min, guess.max]);
      else if (row.min === undefined && row.max === undefined && guess.kind !== "choice")
        Object.assign(row, { min: guess.min, max: guess.max });
    });
  return (
    <div className={sweepStyles.row} data-testid="space-row">
      <SelectField
        path={`${at}.path`}
        label={`Spec field ${n}`}
        choices={paths}
        onChoose={(path) =>
          change(`${at}.path`, (row, spec) =>
            Object.assign(row, { min: undefined, max: undefined, values: undefined }, rowFor(path, currentValue(spec, path))),
          )
        }
      />
      <SelectField
        path={`${at}.kind`}
        label={`Distribution ${n}`}
        choices={distributionKinds.map((kind) => ({ value: kind, label: distributionLabels[kind] }))}
        onChoose={chooseKind}
      />
      {row.kind === "choice" ? (
        <div className={sweepStyles.values}>
          <TextField path={`${at}.values`} label={`Values ${n}`} placeholder="e.g. 16, 32, 64" />
        </div>
      ) : (
        <>
          <NumberField path={`${at}.min`} label={`Min ${n}`} integer={row.kind === "int"} />
          <NumberField path={`${at}.max`} label={`Max ${n}`} integer={row.kind === "int"} />
        </>
      )}
      <button
        type="button"
        className={sweepStyles.remove}
        aria-label={`Stop searching ${row.path || `field ${n}`}`}
        onClick={() => form.update("sweep.space", (draft) => sweepOf(draft).space.splice(index, 1))}
      >
        ✕
      </button>
    </div>
  );
}

/**
 * A sweep's own settings in the New training form: the search space (rows
 * of spec field, distribution and values or range), the method and budget,
 * the metric and early stopping. The form's spec is the base every trial starts from.
 */
export function SweepSection() {
  const form = useDraftForm();
  const sweep = sweepOf(form.draft);
  const paths = searchablePaths(form.draft.spec);
  const spaceId = fieldId("sweep.space");
  const add = () =>
    form.update("sweep.space", (draft) => {
      const rows = sweepOf(draft).space;
      const next = paths.find((p) => !rows.some((row) => row.path === p.value))?.value ?? "";
      rows.push(rowFor(next, currentValue(draft.spec, next)));
    });
  return (
    <section className="card" aria-labelledby="sweep-heading">
      <h2 id="sweep-heading">Sweep</h2>
      <p className="muted">
        Every trial is a run of the spec below with the searched fields set. Trials see the data up to the final comparison's windows and
        are scored on the windows just before them; the best config is then trained on all windows in one click.
      </p>
      <fieldset id={spaceId} className={styles.columns} aria-describedby={sweep.space.length ? undefined : `${spaceId}-error`}>
        <legend>Search space</legend>
        {sweep.space.map((row, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their position (their errors are by position too)
          <SpaceRowFields key={index} index={index} row={row} paths={paths} />
        ))}
        {sweep.space.length === 0 && <FieldMessages id={spaceId} error={form.errorFor("sweep.space")} />}
        <button type="button" className={sweepStyles.add} onClick={add}>
          Search another field
        </button>
      </fieldset>
      <div className={`${styles.fields} ${sweepStyles.settings}`}>
        <SelectField
          path="sweep.method"
          label="Method"
          choices={sweepMethods.map((method) => ({ value: method, label: methodLabels[method] }))}
        />
        <NumberField path="sweep.budget.trials" label="Trials" integer />
        <NumberField path="sweep.budget.minutes" label="Minutes" hint="optional: no trial starts after" />
        <NumberField path="sweep.parallel" label="Parallel trials" integer hint="across the workers" />
        <div className={styles.wide}>
          <SelectField
            path="sweep.metric"
            label="Metric to optimise"
            choices={sweepMetricKeys.map((key) => ({ value: key, label: metricLabel(key) }))}
          />
        </div>
        <SelectField
          path="sweep.earlyStopping.rule"
          label="Early stopping"
          hint="ASHA: successive halving at rungs of epochs"
          choices={[
            { value: "asha", label: "ASHA" },
            { value: "none", label: "none" },
          ]}
        />
        {sweep.earlyStopping.rule === "asha" && (
          <>
            <NumberField path="sweep.earlyStopping.minEpochs" label="First rung (epochs)" integer hint="rungs at this x factor^k" />
            <NumberField path="sweep.earlyStopping.reductionFactor" label="Reduction factor" integer hint="the best 1/factor go on" />
          </>
        )}
        <NumberField path="sweep.seed" label="Sweep seed" integer hint="same seed, same trials" />
      </div>
    </section>
  );
}

export type StartMode = "once" | "sweep";

/** Train once, or sweep: the form's spec is then the base of every trial. */
export function ModeSwitch({ mode, onChange }: { mode: StartMode; onChange: (mode: StartMode) => void }) {
  return (
    <fieldset className={sweepStyles.mode}>
      <legend className="sr-only">What to start</legend>
      {(
        [
          ["once", "Train once"],
          ["sweep", "Sweep"],
        ] as const
      ).map(([value, label]) => (
        <label key={value}>
          <input type="radio" name="start-mode" value={value} checked={mode === value} onChange={() => onChange(value)} />
          {label}
        </label>
      ))}
    </fieldset>
  );
}
