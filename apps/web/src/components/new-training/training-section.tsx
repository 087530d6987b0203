"use client";
import { retrodictionSpecSchema, trainSpecSchema, windowSpecSchema } from "@hindcast/models/specs";
import { DateField, ListField, NumberField, SelectField } from "./fields";
import styles from "./new-training.module.css";
import type { DatasetSummary } from "./types";

const trainDefaults = trainSpecSchema.parse({});
const windowDefaults = windowSpecSchema.parse({});
const retrodictionDefaults = retrodictionSpecSchema.parse({});
const optimizers = trainSpecSchema.shape.optimizer.unwrap().options;

const defaultHint = (value: unknown, about?: string) => (about ? `${about}; default ${value}` : `default ${value}`);

/** Epochs, batches, optimizer and the rest of how the model is fitted. */
export function TrainingSection() {
  const t = trainDefaults;
  return (
    <section className="card" aria-labelledby="training-heading">
      <h2 id="training-heading">Training</h2>
      <div className={styles.fields}>
        <NumberField path="spec.train.epochs" label="Epochs" integer hint={defaultHint(t.epochs)} />
        <NumberField path="spec.train.batchSize" label="Batch size" integer hint={defaultHint(t.batchSize)} />
        <NumberField path="spec.train.learningRate" label="Learning rate" hint={defaultHint(t.learningRate)} />
        <SelectField path="spec.train.optimizer" label="Optimizer" choices={optimizers.map((o) => ({ value: o, label: o }))} />
        <NumberField
          path="spec.train.validationFraction"
          label="Validation fraction"
          hint={defaultHint(t.validationFraction, "0 to 0.5")}
        />
        <ListField path="spec.train.seed" label="Seed" kind="number" single hint={defaultHint(t.seed, "1, 2, 3: a run per seed")} />
        <NumberField path="spec.train.patience" label="Patience" integer hint={defaultHint(t.patience, "epochs; 0 = no early stop")} />
        <NumberField path="spec.train.checkpointEvery" label="Checkpoint every" integer hint={defaultHint(t.checkpointEvery, "epochs")} />
        <NumberField path="spec.train.refitEpochs" label="Refit epochs" integer hint={defaultHint(t.refitEpochs, "per later window")} />
      </div>
    </section>
  );
}

/** The input/output window and the walk-forward retrodiction windows. */
export function WindowSection({ dataset }: { dataset?: DatasetSummary }) {
  const r = retrodictionDefaults;
  return (
    <section className="card" aria-labelledby="window-heading">
      <h2 id="window-heading">Window and retrodiction</h2>
      <div className={styles.fields}>
        <NumberField path="spec.window.lookback" label="Lookback" integer hint={defaultHint(windowDefaults.lookback, "past steps in")} />
        <NumberField path="spec.window.horizon" label="Horizon" integer hint={defaultHint(windowDefaults.horizon, "steps ahead")} />
      </div>
      <h3 className={styles.subhead}>Retrodiction windows</h3>
      <div className={styles.fields}>
        <DateField
          path="spec.retrodiction.from"
          label="Retrodict from"
          hint={`default: the last ${r.windows} windows`}
          min={dataset?.start}
          max={dataset?.end}
        />
        <DateField
          path="spec.retrodiction.to"
          label="Retrodict to"
          hint="default: end of the data"
          min={dataset?.start}
          max={dataset?.end}
        />
        <NumberField path="spec.retrodiction.windows" label="Windows" integer hint={defaultHint(r.windows)} />
        <NumberField path="spec.retrodiction.batchSizeDays" label="Window length (days)" integer hint={defaultHint(r.batchSizeDays)} />
        <NumberField
          path="spec.retrodiction.overlapDays"
          label="Overlap (days)"
          integer
          hint={defaultHint(r.overlapDays, "less than the length")}
        />
      </div>
    </section>
  );
}
