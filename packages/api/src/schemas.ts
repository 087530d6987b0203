import { trainingSpecSchema } from "@hindcast/models/specs";
import { z } from "zod";

/** Pipelines a run may name (the engine's YAML ones plus the worker's fan-out). */
export const pipelineNames = ["retrodiction", "train-only", "parallel-retrodiction"] as const;
export const runStatuses = ["QUEUED", "RUNNING", "CANCELLING", "CANCELLED", "SUCCEEDED", "FAILED"] as const;

const tag = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w.:/-]+$/, "use letters, digits and . _ : / -");

/** What the dashboard form and `hindcast train start` send. */
export const startTrainingInput = z.object({
  spec: trainingSpecSchema,
  pipeline: z.enum(pipelineNames).default("retrodiction"),
  name: z.string().trim().min(1).max(200).optional(),
  tags: z.array(tag).max(32).default([]),
  /** Experiment to file the run under; created if it does not exist. */
  experiment: z.string().trim().min(1).max(200).optional(),
  /** Only workers whose backend is a GPU may take the run. */
  requireGpu: z.boolean().default(false),
});
export type StartTrainingInput = z.input<typeof startTrainingInput>;

export const runIdInput = z.object({ id: z.string().uuid() });

export const listRunsInput = z.object({
  status: z.array(z.enum(runStatuses)).optional(),
  /** Runs carrying every one of these tags. */
  tags: z.array(tag).optional(),
  /** Flattened spec params that must match exactly, e.g. { "model.kind": "linear" }. */
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  experiment: z.string().trim().min(1).max(200).optional(),
  /** Free text over name, pipeline, dataset and target. */
  search: z.string().trim().max(200).optional(),
  parentId: z.string().uuid().nullable().optional(),
  createdFrom: z.date().optional(),
  createdTo: z.date().optional(),
  sort: z
    .object({
      /** skill: the retrodiction's RMSE skill against the naive forecast (1 - RMSE / naive RMSE). */
      by: z.enum(["createdAt", "name", "status", "metric", "skill"]).default("createdAt"),
      /** The metric to sort by when `by` is "metric". */
      key: z.string().min(1).max(200).optional(),
      stat: z.enum(["last", "min", "max"]).default("last"),
      direction: z.enum(["asc", "desc"]).default("desc"),
    })
    .refine((sort) => sort.by !== "metric" || sort.key, { message: "name the metric to sort by", path: ["key"] })
    .default({ by: "createdAt", stat: "last", direction: "desc" }),
  /** Metric summaries (last/min/max) to return with each run, for table columns. */
  metricKeys: z.array(z.string().min(1).max(200)).max(20).default([]),
  limit: z.number().int().min(1).max(500).default(50),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().optional(),
});

/** The filters of a runs list without its sort and paging: what training.summary counts. */
export const runFiltersInput = listRunsInput.omit({ sort: true, metricKeys: true, limit: true, cursor: true });

export const seriesInput = z.object({
  runIds: z.array(z.string().uuid()).min(1).max(20),
  keys: z.array(z.string().min(1).max(200)).min(1).max(20),
  /** step; wall = epoch milliseconds; relative = seconds since the run's first point. */
  x: z.enum(["step", "wall", "relative"]).default("step"),
  fromStep: z.number().int().min(0).optional(),
  toStep: z.number().int().min(0).optional(),
  maxPoints: z.number().int().min(8).max(20_000).default(2_000),
});

/** Small series of one metric for many runs at once: the runs table's trend column. */
export const sparklinesInput = z.object({
  runIds: z.array(z.string().uuid()).min(1).max(200),
  key: z.string().min(1).max(200),
  points: z.number().int().min(8).max(256).default(48),
});

export const liveMetricsInput = z.object({
  runId: z.string().uuid(),
  keys: z.array(z.string().min(1).max(200)).min(1).max(20),
  /** The last step the client has per key; points after it are sent. */
  after: z.record(z.string(), z.number().int().min(0)).default({}),
  lastEventId: z.string().max(10_000).nullish(),
});

/** A spec as dotted keys ("model.kind": "linear"), for filtering runs by parameter. */
export function flattenParams(value: unknown, prefix = "", out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flattenParams(inner, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) {
    out[prefix] = value;
  }
  return out;
}

export const cloneRunInput = z.object({
  id: z.string().uuid(),
  /** Dotted spec paths to change; empty for a plain retry. */
  set: z.record(z.string().regex(/^[\w]+(\.[\w]+)*$/, "use a dotted spec path like train.epochs"), z.unknown()).default({}),
  name: z.string().trim().min(1).max(200).optional(),
  tags: z.array(tag).max(32).optional(),
});

/** Sets `value` at a dotted path inside a plain object, creating objects on the way. */
export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== "object" || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

export const compareRunsInput = z.object({ ids: z.array(z.string().uuid()).min(2).max(20) });
