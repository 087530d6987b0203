/**
 * What a grouped runs table groups runs by: a flattened spec param
 * ("model.kind"), each of their tags (a run is in the group of every tag it
 * carries), their experiment, or their run group (runs started together,
 * one per seed). Written as text the same way in the URL, the API and the
 * CLI: "param:model.kind", "tag", "experiment", "runGroup".
 */
export type GroupBy = { kind: "param"; key: string } | { kind: "tag" } | { kind: "experiment" } | { kind: "runGroup" };

export const groupKinds = ["tag", "experiment", "runGroup"] as const;
export const groupParamPrefix = "param:";

/** A grouping's text read; undefined for text that names none (a param key must be dotted words: "model.kind"). */
export function parseGroupBy(text: string): GroupBy | undefined {
  const kind = groupKinds.find((k) => k === text);
  if (kind) return { kind };
  const key = text.startsWith(groupParamPrefix) ? text.slice(groupParamPrefix.length) : "";
  return /^\w+(\.\w+)*$/.test(key) ? { kind: "param", key } : undefined;
}
