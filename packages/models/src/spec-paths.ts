import { z } from "zod";
import { didYouMean } from "./spec-object";
import { trainingSpecSchema } from "./specs";

/** Keys that reach an object's prototype when written with `obj[key] = ...`; never a spec field. */
const prototypeKeys = new Set(["__proto__", "prototype", "constructor"]);

/** The object schemas a spec value may have at this schema: one, or one per family of a union. */
function objectShapes(schema: z.ZodType): Record<string, z.ZodType>[] {
  if (schema instanceof z.ZodObject) return [schema.shape as Record<string, z.ZodType>];
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault || schema instanceof z.ZodOptional) {
    return objectShapes(schema.unwrap() as z.ZodType);
  }
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap(objectShapes);
  return [];
}

/**
 * Why a dotted path ("train.epochs") cannot be set in a training spec, or
 * undefined when it names a field of the spec schema (of any model family).
 * Paths stop at leaves and lists: a list is replaced whole. Checked before a
 * path is written, so a hostile key never touches an object.
 */
export function specPathProblem(path: readonly string[]): string | undefined {
  let schemas: z.ZodType[] = [trainingSpecSchema];
  for (const [depth, key] of path.entries()) {
    if (prototypeKeys.has(key)) return `"${key}" is not a spec field`;
    const shapes = schemas.flatMap(objectShapes);
    const next = shapes.flatMap((shape) => (Object.hasOwn(shape, key) ? [shape[key] as z.ZodType] : []));
    if (next.length === 0) {
      const known = [...new Set(shapes.flatMap(Object.keys))].sort();
      const parent = path.slice(0, depth).join(".");
      const guess = didYouMean(key, known);
      return known.length
        ? `"${key}" is not a field of ${parent || "the spec"}${guess ? ` (did you mean ${guess}?)` : ""}; use one of ${known.join(", ")}`
        : `${parent} is a single value or a list; set it whole`;
    }
    schemas = next;
  }
  return path.length ? undefined : "name a spec field like train.epochs";
}

/**
 * Sets `value` at a dotted path inside a plain object, creating objects on
 * the way. Refuses prototype keys, so no caller can reach Object.prototype
 * through it, whatever the path was checked against.
 */
export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const bad = path.find((key) => prototypeKeys.has(key));
  if (bad !== undefined) throw new Error(`setPath: "${bad}" is not a settable key`);
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (next === null || typeof next !== "object" || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

/** A spec as dotted keys ("model.kind": "linear"), as a run's params for filtering and comparing runs. */
export function flattenParams(value: unknown, prefix = "", out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flattenParams(inner, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) {
    out[prefix] = value;
  }
  return out;
}
