"use client";
import { type ModelKind, mlpSpecSchema, modelKinds } from "@hindcast/models/specs";
import { modelDefaults, valueAt } from "./draft";
import { ListField, NumberField, SelectField } from "./fields";
import { useDraftForm } from "./form-context";
import styles from "./new-training.module.css";

const familyLabels: Record<ModelKind, string> = {
  linear: "DLinear (linear)",
  mlp: "MLP",
  nbeats: "N-BEATS",
  tcn: "TCN (temporal convolutions)",
  lstm: "LSTM",
  gru: "GRU",
  ar: "AR (classical)",
  arima: "ARIMA (classical)",
  ets: "ETS (classical)",
  theta: "Theta (classical)",
};

type Hyperparameter =
  | { key: string; label: string; type: "int" | "number"; hint?: string }
  | { key: string; label: string; type: "intList"; hint?: string }
  | { key: string; label: string; type: "choice"; options: readonly string[] };

const recurrent: Hyperparameter[] = [
  { key: "units", label: "Units", type: "int" },
  { key: "layers", label: "Layers", type: "int", hint: "1 to 4" },
];

/** Each family's hyperparameters as the form shows them; the schema (specs.ts) holds their defaults and limits. */
const hyperparameters: Record<ModelKind, Hyperparameter[]> = {
  linear: [{ key: "movingAverage", label: "Moving average", type: "int", hint: "trend/remainder decomposition window" }],
  mlp: [
    { key: "hidden", label: "Hidden layers", type: "intList", hint: "units per layer, e.g. 64, 64" },
    { key: "activation", label: "Activation", type: "choice", options: mlpSpecSchema.shape.activation.unwrap().options },
    { key: "dropout", label: "Dropout", type: "number", hint: "0 to 0.9" },
  ],
  nbeats: [
    { key: "blocks", label: "Blocks", type: "int" },
    { key: "layersPerBlock", label: "Layers per block", type: "int" },
    { key: "units", label: "Units", type: "int" },
  ],
  tcn: [
    { key: "filters", label: "Filters", type: "int" },
    { key: "kernelSize", label: "Kernel size", type: "int", hint: "at least 2" },
    { key: "dilations", label: "Dilations", type: "intList", hint: "e.g. 1, 2, 4, 8" },
  ],
  lstm: recurrent,
  gru: recurrent,
  ar: [{ key: "maxLag", label: "Largest lag", type: "int", hint: "the order is chosen by AIC up to it" }],
  arima: [
    { key: "maxP", label: "Largest p", type: "int", hint: "(p, q) by AIC, d by the KPSS test" },
    { key: "maxQ", label: "Largest q", type: "int" },
  ],
  ets: [{ key: "seasonal", label: "Season", type: "choice", options: ["auto", "additive", "none"] }],
  theta: [
    { key: "theta", label: "Theta", type: "number", hint: "2 is the classic method" },
    { key: "deseasonalize", label: "Deseasonalise", type: "choice", options: ["auto", "none"] },
  ],
};

const isModelKind = (value: unknown): value is ModelKind => modelKinds.includes(value as ModelKind);

function withDefault(hint: string | undefined, value: unknown): string {
  const shown = Array.isArray(value) ? value.join(", ") : String(value);
  return hint ? `${hint}; default ${shown}` : `default ${shown}`;
}

/** Model family and that family's hyperparameters; switching family starts from its defaults. */
export function ModelSection() {
  const form = useDraftForm();
  const kind = valueAt(form.draft, "spec.model.kind");
  const defaults = isModelKind(kind) ? modelDefaults(kind) : {};
  return (
    <section className="card" aria-labelledby="model-heading">
      <h2 id="model-heading">Model</h2>
      <div className={styles.fields}>
        <SelectField
          path="spec.model.kind"
          label="Model family"
          choices={modelKinds.map((k) => ({ value: k, label: familyLabels[k] }))}
          onChoose={(chosen) => form.set("spec.model", isModelKind(chosen) ? modelDefaults(chosen) : { kind: chosen })}
        />
        {isModelKind(kind) &&
          hyperparameters[kind].map((h) => {
            const path = `spec.model.${h.key}`;
            if (h.type === "choice") {
              return <SelectField key={path} path={path} label={h.label} choices={h.options.map((o) => ({ value: o, label: o }))} />;
            }
            const hint = withDefault(h.hint, defaults[h.key]);
            return h.type === "intList" ? (
              <ListField key={path} path={path} label={h.label} hint={hint} kind="number" />
            ) : (
              <NumberField key={path} path={path} label={h.label} hint={hint} integer={h.type === "int"} />
            );
          })}
      </div>
    </section>
  );
}
