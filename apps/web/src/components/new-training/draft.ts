import { defaultPipeline } from "@hindcast/contracts";
import { setPath } from "@hindcast/models/spec-paths";
import {
  dataSpecSchema,
  defaultModelKind,
  type ModelKind,
  modelSpecSchema,
  retrodictionSpecSchema,
  trainSpecSchema,
  windowSpecSchema,
} from "@hindcast/models/specs";

type JsonObject = Record<string, unknown>;

/**
 * The form's state: the `training.start` input as typed so far. It is
 * deliberately loose: a cleared number stays "" and an unknown family stays
 * as written, so validation can name the field instead of hiding the slip.
 */
export interface Draft extends JsonObject {
  spec: JsonObject;
}

const { dataset: _dataset, target: _target, ...dataDefaults } = dataSpecSchema.parse({ dataset: "-", target: "-" });

/** Every default of a model family (its hyperparameters). */
export const modelDefaults = (kind: ModelKind): JsonObject => modelSpecSchema.parse({ kind });

/** A new run: no dataset yet, every other spec field at its schema default, so the form shows what will be used. */
export function initialDraft(): Draft {
  return {
    spec: {
      data: { dataset: "", target: "", ...dataDefaults },
      window: windowSpecSchema.parse({}),
      model: modelDefaults(defaultModelKind),
      train: trainSpecSchema.parse({}),
      retrodiction: retrodictionSpecSchema.parse({}),
    },
    pipeline: defaultPipeline,
    tags: [],
    requireGpu: false,
  };
}

/** The value at a dotted path ("spec.train.epochs"); undefined where the path leads nowhere. */
export function valueAt(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as JsonObject)[key];
  }
  return node;
}

/** Sets (or, with undefined, removes) the value at a dotted path, in place. */
export function putValue(root: JsonObject, path: string, value: unknown): void {
  const keys = path.split(".");
  const parent = valueAt(root, keys.slice(0, -1).join("."));
  if (value !== undefined) {
    // Into an item of a list (a sweep's searched fields) as into an object: setPath from the root would replace the list.
    if (parent !== null && typeof parent === "object") setPath(parent as JsonObject, keys.slice(-1), value);
    else setPath(root, keys, value);
    return;
  }
  if (parent !== null && typeof parent === "object") delete (parent as JsonObject)[keys.at(-1) as string];
}

/** What a number input holds: a number when it reads as one, otherwise the text itself (validation names it). */
export function numberFromInput(text: string): number | string {
  const trimmed = text.trim();
  const value = Number(trimmed);
  return trimmed !== "" && Number.isFinite(value) ? value : text;
}

/** "64, 32" -> [64, 32]; text with a non-number stays text so validation can point at it. Empty items are skipped. */
export function listFromInput(text: string, kind: "number" | "text"): unknown[] | string {
  const items = text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  if (kind === "text") return items;
  const numbers = items.map(Number);
  return numbers.every(Number.isFinite) ? numbers : text;
}

/** A list as its field shows it; a single number (a seed) or text as it is. */
export const listToInput = (value: unknown): string =>
  Array.isArray(value) ? value.join(", ") : typeof value === "string" || typeof value === "number" ? String(value) : "";

/** The form filled from an existing run, for "clone and change". */
export function draftFromRun(run: {
  spec: unknown;
  pipeline: string;
  name: string | null;
  tags: string[];
  queue: string;
  experiment?: string;
}): Draft {
  return {
    spec: structuredClone(run.spec) as JsonObject,
    pipeline: run.pipeline,
    ...(run.name ? { name: `${run.name} (copy)` } : {}),
    tags: [...run.tags],
    ...(run.experiment ? { experiment: run.experiment } : {}),
    requireGpu: run.queue === "gpu",
  };
}
