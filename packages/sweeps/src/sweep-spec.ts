import { metricCatalog } from "@hindcast/contracts";
import { plainText } from "@hindcast/models/text";
import { z } from "zod";

/** Fixed bounds of a sweep: generous for real searches, small enough that no sweep can queue millions of runs. */
export const sweepBounds = {
  trials: 1_000,
  parallel: 64,
  parameters: 32,
  choices: 100,
  minutes: 7 * 24 * 60,
  reductionFactor: 10,
  nameLength: 200,
  tags: 20,
} as const;

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const range = z.tuple([finite, finite]);

/**
 * One searched spec field. The value names the distribution: `choice` (any
 * spec values, lists included), `uniform` / `loguniform` (a [min, max] range of
 * reals; loguniform samples the logarithm evenly) or `int` ([min, max], both
 * included).
 */
export const parameterSchema = z.union([
  z.strictObject({ choice: z.array(z.unknown()).min(1, "must list at least one value").max(sweepBounds.choices) }),
  z.strictObject({ uniform: range }),
  z.strictObject({ loguniform: range }),
  z.strictObject({ int: z.tuple([z.number().int(), z.number().int()]) }),
]);
export type Parameter = z.infer<typeof parameterSchema>;

/** Dotted spec paths ("train.learningRate", "model.kind") to what each is searched over. */
export const searchSpaceSchema = z
  .record(z.string().min(1).max(200), parameterSchema)
  .refine((space) => Object.keys(space).length > 0, "must name at least one spec field to search")
  .refine((space) => Object.keys(space).length <= sweepBounds.parameters, `must name at most ${sweepBounds.parameters} fields`);
export type SearchSpace = z.infer<typeof searchSpaceSchema>;

export const sweepMethods = ["grid", "random", "tpe"] as const;
export type SweepMethod = (typeof sweepMethods)[number];

/** Metrics a sweep may optimise: the run summary's headline metrics and the tracked series with a better direction. */
export const sweepMetricKeys: readonly string[] = [
  ...metricCatalog.headline.filter((m) => m.direction !== "none").map((m) => m.key),
  ...metricCatalog.tracked.filter((m) => m.direction !== "none" && !m.key.startsWith("window/")).map((m) => m.key),
];

export const earlyStoppingSchema = z.discriminatedUnion("rule", [
  z.strictObject({ rule: z.literal("none") }),
  /**
   * Asynchronous successive halving (ASHA): rungs at minEpochs x reductionFactor^k
   * epochs; at each rung a trial goes on only while its validation loss is in
   * the best 1/reductionFactor of the trials that reached that rung.
   */
  z.strictObject({
    rule: z.literal("asha"),
    minEpochs: z.number().int().min(1).max(10_000).default(1),
    reductionFactor: z.number().int().min(2).max(sweepBounds.reductionFactor).default(3),
  }),
]);
export type EarlyStopping = z.infer<typeof earlyStoppingSchema>;

/** What a user writes to start a sweep (YAML or the form): a base spec, what to search, how and for how long. */
export const sweepSpecSchema = z.strictObject({
  name: plainText().min(1).max(sweepBounds.nameLength).optional(),
  /** The training spec every trial starts from (validated as a spec: see checkSweep). */
  base: z.record(z.string(), z.unknown()),
  space: searchSpaceSchema,
  method: z.enum(sweepMethods).default("tpe"),
  budget: z
    .strictObject({
      /** Trials in all; a grid defaults to its size. */
      trials: z.number().int().min(1).max(sweepBounds.trials).optional(),
      /** No new trial starts after this many minutes from the sweep's start. */
      minutes: z.number().positive().max(sweepBounds.minutes).optional(),
    })
    .default({}),
  /** Trials running at once, across the fleet. */
  parallel: z.number().int().min(1).max(sweepBounds.parallel).default(4),
  /** The metric to optimise; by default the retrodiction's skill against the best classical baseline. */
  metric: z.string().max(100).default("skill_vs_best"),
  earlyStopping: earlyStoppingSchema.default({ rule: "asha", minEpochs: 1, reductionFactor: 3 }),
  /** Seeds the samplers: the same sweep spec proposes the same trials. */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(0),
  pipeline: z.enum(["retrodiction", "train-only"]).default("retrodiction"),
  requireGpu: z.boolean().default(false),
  experiment: plainText().min(1).max(sweepBounds.nameLength).optional(),
  tags: z.array(plainText().min(1).max(64)).max(sweepBounds.tags).default([]),
});
export type SweepSpec = z.infer<typeof sweepSpecSchema>;
export type SweepSpecInput = z.input<typeof sweepSpecSchema>;

/** A trial's searched values, by spec path: those its model family has (the others do not apply to it). */
export type TrialValues = Record<string, unknown>;

/**
 * A sweep as stored ("Sweep"."config"): the checked spec, and the spec trials
 * start from, whose data stop before the windows the final comparison uses.
 */
export const storedSweepSchema = z.object({
  spec: sweepSpecSchema,
  trialBase: z.record(z.string(), z.unknown()),
  /** The last date trials see (null: trials see all data, as with an explicit retrodiction range they do not reach). */
  trialDataTo: z.string().nullable(),
  /** Trials in all (the budget's, or the grid's size). */
  trials: z.number().int(),
});
export type StoredSweep = z.infer<typeof storedSweepSchema>;

/** The metric a stored sweep optimises (the sweep spec's default for a config that cannot be read). */
export const storedSweepMetric = (config: unknown): string =>
  storedSweepSchema.safeParse(config).data?.spec.metric ?? sweepSpecSchema.shape.metric.parse(undefined);
