import {
  defaultPipeline,
  groupKinds,
  groupParamPrefix,
  metricCatalog,
  parseGroupBy,
  pipelineNameSchema,
  runExportColumnSchema,
  runStatusSchema,
} from "@hindcast/contracts";
import { csvDateFormats } from "@hindcast/datasets/dates";
import { specPathProblem } from "@hindcast/models/spec-paths";
import { trainingSpecSchema, trainSpecSchema } from "@hindcast/models/specs";
import { plainText } from "@hindcast/models/text";
import superjson from "superjson";
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

/** A start takes at most this many seeds. */
export const maxSeeds = 50;
const seed = trainSpecSchema.shape.seed.unwrap();
const seedList = z
  .array(seed)
  .min(1, "name one seed or more")
  .max(maxSeeds, `must have at most ${maxSeeds} seeds`)
  .refine((seeds) => new Set(seeds).size === seeds.length, "must not repeat a seed");
/** train.seed as a start takes it: one seed, or a list that starts one run per seed; each checked as train.seed, so issues keep their code and path. */
const seedOrSeeds = z.custom<number | number[]>().superRefine((value, ctx) => {
  for (const issue of (Array.isArray(value) ? seedList : seed).safeParse(value).error?.issues ?? []) ctx.addIssue({ ...issue });
});
const startTrainSchema = trainSpecSchema.extend({ seed: seedOrSeeds.default(trainSpecSchema.parse({}).seed) });
/**
 * A training spec whose train.seed may be a list of seeds (`[1, 2, 3]`).
 * zod's typing of safeExtend refuses a field type that is not the old one's;
 * the spec's own checks (kept by safeExtend) never read the seed.
 */
export const startSpecSchema = trainingSpecSchema.safeExtend<{ train: z.ZodPrefault<typeof startTrainSchema> }>({
  train: startTrainSchema.prefault({}),
} as never);
export type StartSpec = z.output<typeof startSpecSchema>;

/** What the dashboard form and `hindcast train start` send. */
export const startTrainingInput = z.object({
  spec: startSpecSchema,
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

/** What runs are grouped by, as the runs page's URL and the CLI write it: param:<a spec key>, tag, experiment or runGroup. */
export const groupByInput = z
  .string()
  .max(300, { abort: true })
  .superRefine((text, ctx) => {
    const by = parseGroupBy(text);
    const problem = by
      ? by.kind === "param"
        ? specPathProblem(by.key.split("."))
        : undefined
      : `use ${groupParamPrefix}<a spec key like model.kind>, ${groupKinds.join(", ")}`;
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const scalarParam = z.union([plainText().max(10_000), z.number(), z.boolean()]);
/** One group: its runs' value of what they are grouped by (a param's value, possibly a list; a tag; an experiment's name; a run group); null for runs without one. */
const groupFilterInput = z.object({
  by: groupByInput,
  value: z.union([scalarParam, z.array(scalarParam).max(1_000), z.null()]),
});

const groupStats = ["last", "min", "max"] as const;
/** A number to summarise groups by: a headline metric of the runs' results, or a stat of a metric they tracked. */
const groupMetricInput = z.discriminatedUnion("source", [
  z.object({ source: z.literal("headline"), key: z.enum(headlineKeys) }),
  z.object({ source: z.literal("metric"), key: metricKey, stat: z.enum(groupStats).default("last") }),
]);

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
  /** The runs of one group of the grouped table. */
  group: groupFilterInput.optional(),
  /** Archived runs: left out (the default), the only ones listed, or listed with the rest. */
  archived: z.enum(["hide", "only", "include"]).default("hide"),
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

/** Runs matching the filters, grouped; each group with the mean, spread and best of `metrics`. */
export const runGroupsInput = runFiltersInput.extend({
  groupBy: groupByInput,
  metrics: z.array(groupMetricInput).max(20).default([]),
  limit: z.number().int().min(1).max(1_000).default(200),
});

/** One metric of a group's runs, bucket by bucket: their mean with its spread, and each run's line when `members`. */
export const groupSeriesInput = runFiltersInput.extend({
  group: groupFilterInput,
  key: metricKey,
  buckets: z.number().int().min(16).max(1_000).default(500),
  members: z.boolean().default(false),
});

/** The most runs a bulk action names by id; more are selected by a filter. */
export const maxSelectedRuns = 1_000;

const selectionFields = {
  ids: z.array(z.string().uuid()).min(1).max(maxSelectedRuns).optional(),
  /** Every run these filters match (as the runs list shows them). */
  filter: runFiltersInput.optional(),
};
const oneSelection = {
  check: (selection: { ids?: unknown; filter?: unknown }) => (selection.ids === undefined) !== (selection.filter === undefined),
  message: { message: "give either ids (the runs chosen) or filter (every run it matches), not both", path: ["ids"] },
};

/** The runs a bulk action acts on: by id, or every run matching a runs list's filters. */
export const runSelectionInput = z.object(selectionFields).refine(oneSelection.check, oneSelection.message);

export const tagRunsInput = z
  .object({ ...selectionFields, add: z.array(tag).max(32).default([]), remove: z.array(tag).max(32).default([]) })
  .refine(oneSelection.check, oneSelection.message)
  .refine((input) => input.add.length + input.remove.length > 0, { message: "name a tag to add or to remove", path: ["add"] });

/** A run's free-text note; empty clears it. */
export const runNoteInput = z.object({ id: z.string().uuid(), note: plainText({ multiline: true }).max(10_000) });

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
 * A CSV export of the runs table: a runs list's filters and the columns
 * (runExportColumnId's ids, in order), "all" of them, or when left out the
 * table's usual ones.
 */
export const exportRunsInput = runFiltersInput.extend({
  columns: z.union([z.literal("all"), z.array(runExportColumnSchema).min(1).max(1_000)]).optional(),
});
export type ExportRunsInput = z.input<typeof exportRunsInput>;

/** Where the API serves CSV downloads (GET, with the session cookie or an API token), relative to the server's origin. */
export const csvExportPaths = {
  runs: "/api/exports/runs.csv",
  metrics: (runId: string) => `/api/exports/runs/${runId}/metrics.csv`,
  sweep: (sweepId: string) => `/api/exports/sweeps/${sweepId}/trials.csv`,
};

/** The runs export of `input`: superjson in `input`, as tRPC's GET queries send theirs. */
export const runsCsvPath = (input: ExportRunsInput) =>
  `${csvExportPaths.runs}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;

/**
 * How a CSV upload's day-month-year dates (01/13/2021) read, when its rows do
 * not settle the order (the list is @hindcast/datasets' own; its dates module
 * has no dependencies, so the dashboard can load it).
 */
export { csvDateFormats };
export const csvDateFormat = z.enum(csvDateFormats, {
  error: `use ${csvDateFormats.join(" or ")}, or leave it out to let the rows settle the order`,
});
