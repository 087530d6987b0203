import { issuePath } from "@hindcast/contracts";
import { flattenParams } from "@hindcast/models/spec-paths";
import { modelKinds } from "@hindcast/models/specs";
import { parameterSchema, type SweepSpec, sweepSpecSchema } from "@hindcast/sweeps/spec";
import { parse, stringify } from "yaml";
import { type Draft, modelDefaults, putValue, valueAt } from "./draft";
import { explain, type FieldErrors } from "./validation";

export const distributionKinds = ["choice", "uniform", "loguniform", "int"] as const;
export type DistributionKind = (typeof distributionKinds)[number];

/** A searched field as the form holds it: the values (a YAML list without its brackets) or the range as typed. */
export interface SpaceRow {
  path: string;
  kind: DistributionKind;
  values?: string;
  min?: number | string;
  max?: number | string;
}

/** The sweep's own settings, kept in the draft under `sweep` (the spec, name, tags, experiment and pipeline are the form's). */
export interface SweepDraft {
  space: SpaceRow[];
  method: string;
  budget: { trials?: number | string; minutes?: number | string };
  parallel: number | string;
  metric: string;
  earlyStopping: { rule: string; minEpochs: number | string; reductionFactor: number | string };
  seed: number | string;
}

const { shape } = sweepSpecSchema;
/** The schema's defaults, for a new sweep and for what a pasted sweep spec leaves out. */
const defaults = {
  method: shape.method.parse(undefined),
  parallel: shape.parallel.parse(undefined),
  metric: shape.metric.parse(undefined),
  earlyStopping: { minEpochs: 1, reductionFactor: 3, ...shape.earlyStopping.parse(undefined) },
  seed: shape.seed.parse(undefined),
};
/** Trials the form proposes (the API's own default when none are given). */
const defaultTrials = 20;

/** Fields of the run that a sweep takes from the form as they are. */
const runFields = ["name", "tags", "experiment", "pipeline", "requireGpu"] as const;

export const sweepOf = (draft: Draft): SweepDraft => draft.sweep as SweepDraft;

/** A choice's values as the form shows them: "16, 32, 64", "[8], [32, 32]", "linear, mlp". */
export const choiceText = (values: unknown[]): string => values.map((v) => stringify(v, { collectionStyle: "flow" }).trim()).join(", ");

/** The values typed for a choice, read as a YAML list; the text itself when it is not one. */
export function choiceValues(text: string | undefined): unknown {
  try {
    const values = parse(`[${text ?? ""}]`);
    return Array.isArray(values) ? values : text;
  } catch {
    return text;
  }
}

const round = (value: number) => Number(value.toPrecision(3));

/** A first distribution for a field, from its value now: an int range around a whole number, a log range around a real, else a choice of it. */
export function rowFor(path: string, value: unknown): SpaceRow {
  if (typeof value === "number" && Number.isInteger(value)) {
    return { path, kind: "int", min: Math.max(Math.min(1, value), Math.floor(value / 2)), max: Math.max(value * 2, value + 1) };
  }
  if (typeof value === "number" && value > 0) return { path, kind: "loguniform", min: round(value / 10), max: round(value * 10) };
  return { path, kind: "choice", values: value === undefined ? "" : choiceText([value]) };
}

/** Every option of every model family, with the families that have it: searchable when model.kind is searched over them. */
function familyOptions(): Map<string, string[]> {
  const options = new Map<string, string[]>();
  for (const kind of modelKinds) {
    for (const key of Object.keys(modelDefaults(kind))) {
      if (key !== "kind") options.set(`model.${key}`, [...(options.get(`model.${key}`) ?? []), kind]);
    }
  }
  return options;
}

/** The spec fields a sweep may search: the spec's own (the flattened spec), then the other families' options. */
export function searchablePaths(spec: unknown): { value: string; label: string }[] {
  const own = Object.keys(flattenParams(spec));
  const others = [...familyOptions()].filter(([path]) => !own.includes(path));
  return [
    ...own.map((path) => ({ value: path, label: path })),
    ...others.map(([path, kinds]) => ({ value: path, label: `${path} (${kinds.join(", ")}: search model.kind too)` })),
  ];
}

/** A field's value in the spec, or its family's default when the spec's family lacks it. */
export function currentValue(spec: unknown, path: string): unknown {
  const value = valueAt(spec, path);
  if (value !== undefined || !path.startsWith("model.")) return value;
  const key = path.slice("model.".length);
  const kind = modelKinds.find((k) => key in modelDefaults(k));
  return kind ? modelDefaults(kind)[key] : undefined;
}

/** The sweep settings a new sweep starts with: the learning rate searched, the schema's defaults for the rest. */
export function initialSweep(spec: unknown): SweepDraft {
  return {
    space: [rowFor("train.learningRate", valueAt(spec, "train.learningRate"))],
    method: defaults.method,
    budget: { trials: defaultTrials },
    parallel: defaults.parallel,
    metric: defaults.metric,
    earlyStopping: { ...defaults.earlyStopping },
    seed: defaults.seed,
  };
}

const typed = (value: unknown) => (value === "" || value === undefined ? undefined : value);

/** A row's distribution as the sweep spec writes it. */
const parameterOf = (row: SpaceRow) =>
  row.kind === "choice" ? { choice: choiceValues(row.values) } : { [row.kind]: [typed(row.min), typed(row.max)] };

/** The sweep spec the draft makes (a `hindcast sweep start` file), unchecked: what the YAML tab shows and the API is sent. */
export function sweepInput(draft: Draft): Record<string, unknown> {
  const sweep = sweepOf(draft);
  const { rule, minEpochs, reductionFactor } = sweep.earlyStopping;
  return {
    ...Object.fromEntries(runFields.map((key) => [key, draft[key]])),
    base: draft.spec,
    space: Object.fromEntries(sweep.space.filter((row) => row.path).map((row) => [row.path, parameterOf(row)])),
    method: sweep.method,
    budget: { trials: typed(sweep.budget.trials), minutes: typed(sweep.budget.minutes) },
    parallel: sweep.parallel,
    metric: sweep.metric,
    earlyStopping: rule === "asha" ? { rule, minEpochs, reductionFactor } : { rule },
    seed: sweep.seed,
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** The draft a sweep spec (pasted or edited as YAML) makes: its base is the form's spec, the rest the sweep's settings. */
export function applySweepSpec(draft: Draft, spec: Record<string, unknown>): void {
  draft.spec = isObject(spec.base) ? spec.base : {};
  for (const key of runFields) putValue(draft, key, spec[key]);
  const budget = isObject(spec.budget) ? spec.budget : {};
  const stopping = isObject(spec.earlyStopping) ? spec.earlyStopping : {};
  const space = isObject(spec.space) ? spec.space : {};
  const sweep: SweepDraft = {
    space: Object.entries(space).map(([path, parameter]) => {
      const [kind, value] = (isObject(parameter) ? Object.entries(parameter)[0] : undefined) ?? ["choice", []];
      if (kind === "choice") return { path, kind, values: Array.isArray(value) ? choiceText(value) : String(value) };
      const [min, max] = Array.isArray(value) ? value : [];
      return { path, kind: kind as DistributionKind, min, max };
    }),
    method: (spec.method as string | undefined) ?? defaults.method,
    budget: { trials: budget.trials as number | undefined, minutes: budget.minutes as number | undefined },
    parallel: (spec.parallel as number | undefined) ?? defaults.parallel,
    metric: (spec.metric as string | undefined) ?? defaults.metric,
    earlyStopping: {
      rule: (stopping.rule as string | undefined) ?? defaults.earlyStopping.rule,
      minEpochs: (stopping.minEpochs as number | undefined) ?? defaults.earlyStopping.minEpochs,
      reductionFactor: (stopping.reductionFactor as number | undefined) ?? defaults.earlyStopping.reductionFactor,
    },
    seed: (spec.seed as number | undefined) ?? defaults.seed,
  };
  draft.sweep = sweep;
}

/**
 * Where the form shows an error about a sweep spec path (the API's and the
 * schema's): base.* at the spec's fields, space.<field>[.<kind>[.0|1]] at
 * that field's row, the run's fields at themselves, the rest under `sweep.`.
 */
export function formPath(path: string, rows: readonly SpaceRow[]): string {
  if (path === "base" || path.startsWith("base.")) return `spec${path.slice("base".length)}`;
  if ((runFields as readonly string[]).includes(path.split(".")[0] as string)) return path;
  if (!path.startsWith("space.")) return `sweep.${path}`;
  const rest = path.slice("space.".length);
  // The longest searched field the path names: "model.hidden" before "model" (none is both, but be exact).
  const index = rows
    .map((row, i) => ({ row, i }))
    .filter(({ row }) => row.path && (rest === row.path || rest.startsWith(`${row.path}.`)))
    .sort((a, b) => b.row.path.length - a.row.path.length)[0]?.i;
  if (index === undefined) return "sweep.space";
  const row = rows[index] as SpaceRow;
  const within = rest.slice(row.path.length + 1).split(".");
  if (within[0] === "") return `sweep.space.${index}.path`;
  if (row.kind === "choice") return `sweep.space.${index}.values`;
  return `sweep.space.${index}.${within[1] === "1" ? "max" : "min"}`;
}

/** The sweep spec path of a form field (the inverse of formPath), for the YAML tab's list of problems. */
export function sweepPath(path: string, rows: readonly SpaceRow[]): string {
  if (path === "spec" || path.startsWith("spec.")) return `base${path.slice("spec".length)}`;
  const row = path.match(/^sweep\.space\.(\d+)\.(\w+)$/);
  if (row) {
    const { path: field, kind } = rows[Number(row[1])] ?? { path: "", kind: "choice" };
    const part = row[2] === "min" ? ".0" : row[2] === "max" ? ".1" : "";
    return row[2] === "path" ? `space.${field || "(new field)"}` : `space.${field}.${kind}${part}`;
  }
  return path.startsWith("sweep.") ? path.slice("sweep.".length) : path;
}

/** Each row: a field chosen once, and values or a range its distribution accepts. Errors by form path. */
function rowErrors(rows: readonly SpaceRow[]): FieldErrors {
  const errors: FieldErrors = {};
  const branches = parameterSchema.options;
  rows.forEach((row, i) => {
    const at = `sweep.space.${i}`;
    if (!row.path) errors[`${at}.path`] = "choose a spec field";
    else if (rows.findIndex((other) => other.path === row.path) < i) errors[`${at}.path`] = "is searched twice; keep one row per field";
    const branch = branches.find((option) => row.kind in option.shape);
    if (!branch) {
      errors[`${at}.kind`] = `choose one of ${distributionKinds.join(", ")}`;
      return;
    }
    for (const issue of branch.safeParse(parameterOf(row)).error?.issues ?? []) {
      if (row.kind === "choice") {
        errors[`${at}.values`] ??= Array.isArray(choiceValues(row.values))
          ? explain(issue, row.values)
          : "use a comma-separated list, e.g. 16, 32, 64 or [8], [32, 32]";
        continue;
      }
      const end = issue.path[1] === 1 ? "max" : "min";
      errors[`${at}.${end}`] ??= explain(issue, row[end]);
    }
  });
  return errors;
}

/**
 * The draft as a sweep: the run's fields and the spec as `validateDraft`
 * judged them (`once`), each searched row, then the sweep's settings by
 * sweepSpecSchema (the API's own schema). Errors by form path; the input to
 * send when there are none.
 */
export function validateSweepDraft(draft: Draft, once: FieldErrors): { errors: FieldErrors; input?: SweepSpec } {
  const rows = sweepOf(draft).space;
  const errors: FieldErrors = { ...once, ...rowErrors(rows) };
  const parsed = sweepSpecSchema.safeParse(sweepInput(draft));
  for (const issue of parsed.error?.issues ?? []) {
    // Rows were checked one by one above; a whole-space issue (none searched) is the space's.
    if (issue.path[0] === "space" && issue.path.length > 1) continue;
    const path = formPath(issuePath(issue.path), rows);
    errors[path] ??= explain(issue, valueAt(draft, path));
  }
  return Object.keys(errors).length || !parsed.success ? { errors } : { errors, input: parsed.data };
}
