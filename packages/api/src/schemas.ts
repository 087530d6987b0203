import { defaultPipeline, metricCatalog, pipelineNameSchema, runStatusSchema } from "@hindcast/contracts";
import { csvDateFormats } from "@hindcast/datasets/dates";
import { specPathProblem } from "@hindcast/models/spec-paths";
import { trainingSpecSchema } from "@hindcast/models/specs";
import { plainText } from "@hindcast/models/text";
import { z } from "zod";

/** Column ranges (prisma/schema.prisma): Int is int4, BigInt is int8. */
const maxInt4 = 2_147_483_647;
const maxInt8 = 2n ** 63n - 1n;

/** A metric step (an Int column). */
const step = z.number().int().min(0).max(maxInt4);

/** A run or experiment name (trimmed). */
export const displayName = plainText().trim().min(1).max(200);
/** A metric key, as the worker wrote it. */
export const metricKey = plainText().min(1).max(200);

/** A bigint id (log lines) sent as text, so no precision is lost. */
export const bigintId = z
  .string()
  .regex(/^\d{1,19}$/, "use the id of a log line")
  .refine((id) => BigInt(id) <= maxInt8, "use the id of a log line");

/** An instant PostgreSQL's timestamptz holds, and a sane one: years 1 to 9999. */
const instant = z
  .date()
  .min(new Date("0001-01-01T00:00:00Z"), "must be in year 1 or later")
  .max(new Date("9999-12-31T23:59:59Z"), "must be in year 9999 or before");

const tag = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w.:/-]+$/, "use letters, digits and . _ : / -");

/** What the dashboard form and `hindcast train start` send. */
export const startTrainingInput = z.object({
  spec: trainingSpecSchema,
  pipeline: pipelineNameSchema.default(defaultPipeline),
  name: displayName.optional(),
  tags: z.array(tag).max(32).default([]),
  /** Experiment to file the run under; created if it does not exist. */
  experiment: displayName.optional(),
  /** Only workers whose backend is a GPU may take the run. */
  requireGpu: z.boolean().default(false),
});
export type StartTrainingInput = z.input<typeof startTrainingInput>;

export const runIdInput = z.object({ id: z.string().uuid() });

const uuidLayout = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
/** The start of a run id, as the CLI prints it (8 characters) or longer: hex digits, with dashes where a UUID has them. */
const runIdPrefix = z
  .string()
  .trim()
  .toLowerCase()
  .refine(
    (prefix) =>
      prefix.length >= 4 && prefix.length <= 36 && [...prefix].every((c, i) => (uuidLayout[i] === "-" ? c === "-" : /[0-9a-f]/.test(c))),
    "use 4 to 36 characters of a run id: hex digits, with dashes where the id has them (e.g. 1a2b3c4d)",
  );

/** Run id prefixes to resolve to whole ids, in order. */
export const resolveRunIdsInput = z.object({ prefixes: z.array(runIdPrefix).min(1).max(100) });

const headlineKeys = metricCatalog.headline.map((metric) => metric.key);

/** Sorts named before any headline metric could be sorted by (old links, older clients): the catalog key each one sorts by. */
export const headlineSortAliases = { skill: "skill_vs_naive", skillVsBest: "skill_vs_best" } as const;

const sortFields = z.object({
  /**
   * headline: a headline metric of the run's stored result (`key`: a key of metricCatalog.headline),
   * missing values last. skill and skillVsBest are older names of two of them (headlineSortAliases).
   */
  by: z.enum(["createdAt", "name", "status", "metric", "headline", "skill", "skillVsBest"]).default("createdAt"),
  /** The metric to sort by when `by` is "metric" or "headline". */
  key: metricKey.optional(),
  stat: z.enum(["last", "min", "max"]).default("last"),
  direction: z.enum(["asc", "desc"]).default("desc"),
});

function resolveSortAlias({ by, ...sort }: z.output<typeof sortFields>) {
  if (by === "skill" || by === "skillVsBest") return { ...sort, by: "headline" as const, key: headlineSortAliases[by] };
  return { ...sort, by };
}

export const listRunsInput = z.object({
  status: z.array(runStatusSchema).optional(),
  /** Runs carrying every one of these tags. */
  tags: z.array(tag).optional(),
  /** Flattened spec params that must match exactly, e.g. { "model.kind": "linear" }. */
  params: z.record(plainText().max(200), z.union([plainText().max(10_000), z.number(), z.boolean()])).optional(),
  experiment: displayName.optional(),
  /** Free text over name, pipeline, dataset and target. */
  search: plainText().trim().max(200).optional(),
  /**
   * Whose children to list: null (the default) lists top-level runs only, as
   * the children of a parallel retrodiction belong to their parent; a run's
   * id lists its children; "any" lists every run.
   */
  parentId: z
    .union([z.string().uuid(), z.literal("any")])
    .nullable()
    .default(null),
  createdFrom: instant.optional(),
  createdTo: instant.optional(),
  sort: sortFields
    .refine((sort) => sort.by !== "metric" || sort.key, { message: "name the metric to sort by", path: ["key"] })
    .refine((sort) => sort.by !== "headline" || headlineKeys.includes(sort.key ?? ""), {
      message: `use one of the headline metrics: ${headlineKeys.join(", ")}`,
      path: ["key"],
    })
    .transform(resolveSortAlias)
    .default({ by: "createdAt", stat: "last", direction: "desc" }),
  /** Metric summaries (last/min/max) to return with each run, for table columns. */
  metricKeys: z.array(metricKey).max(20).default([]),
  limit: z.number().int().min(1).max(500).default(50),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(1_000).optional(),
});

/** The filters of a runs list without its sort and paging: what training.summary counts. */
export const runFiltersInput = listRunsInput.omit({ sort: true, metricKeys: true, limit: true, cursor: true });

export const seriesInput = z.object({
  runIds: z.array(z.string().uuid()).min(1).max(20),
  keys: z.array(metricKey).min(1).max(20),
  /** step; wall = epoch milliseconds; relative = seconds since the run's first point. */
  x: z.enum(["step", "wall", "relative"]).default("step"),
  fromStep: step.optional(),
  toStep: step.optional(),
  maxPoints: z.number().int().min(8).max(20_000).default(2_000),
});

/** Small series of one metric for many runs at once: the runs table's trend column. */
export const sparklinesInput = z.object({
  runIds: z.array(z.string().uuid()).min(1).max(200),
  key: metricKey,
  points: z.number().int().min(8).max(256).default(48),
});

/** The last step a live metrics client has per key: its `after`, and the event id it resumes from. */
export const liveMetricsPosition = z.record(metricKey, step);

export const liveMetricsInput = z.object({
  runId: z.string().uuid(),
  keys: z.array(metricKey).min(1).max(20),
  /** The last step the client has per key; points after it are sent. */
  after: liveMetricsPosition.default({}),
  lastEventId: plainText().max(10_000).nullish(),
});

export const cloneRunInput = z.object({
  id: z.string().uuid(),
  /** Dotted spec paths to change; empty for a plain retry. */
  set: z
    .record(z.string().regex(/^[\w]+(\.[\w]+)*$/, "use a dotted spec path like train.epochs"), z.unknown())
    .superRefine((set, ctx) => {
      for (const key of Object.keys(set)) {
        const problem = specPathProblem(key.split("."));
        if (problem) ctx.addIssue({ code: "custom", path: [key], message: problem });
      }
    })
    .default({}),
  name: displayName.optional(),
  tags: z.array(tag).max(32).optional(),
});

export const compareRunsInput = z.object({ ids: z.array(z.string().uuid()).min(2).max(20) });

/**
 * How a CSV upload's day-month-year dates (01/13/2021) read, when its rows do
 * not settle the order (the list is @hindcast/datasets' own; its dates module
 * has no dependencies, so the dashboard can load it).
 */
export { csvDateFormats };
export const csvDateFormat = z.enum(csvDateFormats, {
  error: `use ${csvDateFormats.join(" or ")}, or leave it out to let the rows settle the order`,
});
