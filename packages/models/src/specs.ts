import { z } from "zod";
import { specObject } from "./spec-object";
import { plainText } from "./text";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD");

/**
 * The largest value of every size in a spec: generous for real use, small
 * enough that no spec can ask for billions of steps or weights. They are fixed
 * (the browser, the CLI and the server check the same schema); what a run may
 * allocate within them is the server's per-run memory budget
 * (HINDCAST_MAX_RUN_MEMORY_MB, see estimateSpecMemory). A moving average
 * or dilation is bounded like the lookback: past it, it sees nothing more.
 */
export const specBounds = {
  nameLength: 200,
  features: 256,
  lookback: 10_000,
  horizon: 1_000,
  layerUnits: 4_096,
  mlpLayers: 16,
  nbeatsBlocks: 64,
  layersPerBlock: 16,
  tcnFilters: 1_024,
  kernelSize: 64,
  tcnLayers: 32,
  recurrentLayers: 4,
  epochs: 10_000,
  batchSize: 65_536,
  /** Far past any rate that trains; tests use it to make a run diverge. */
  learningRate: 1e6,
  seed: 2 ** 32 - 1,
  batchSizeDays: 36_600,
  retrodictionWindows: 500,
  arLags: 200,
  armaOrder: 10,
} as const;

const atMost = (max: number, unit = "") => `must be at most ${max}${unit} (a fixed bound of the spec schema)`;
const positiveInt = (max: number) => z.number().int().positive().max(max, atMost(max));
const countInt = (max: number) => z.number().int().min(0).max(max, atMost(max));
const name = plainText().min(1).max(specBounds.nameLength, atMost(specBounds.nameLength, " characters"));

/** A neural family's input normalisation: last-value (see SubtractLastValue), or none. */
const normalizeSchema = z.enum(["lastValue", "none"]);
const normalize = { normalize: normalizeSchema.default("lastValue") };

const linearSpecSchema = specObject("model (kind linear)", {
  kind: z.literal("linear"),
  /** Moving-average window of the trend/remainder decomposition (DLinear). */
  movingAverage: positiveInt(specBounds.lookback).default(25),
  /**
   * None by default, unlike the other families: the least-squares map has its
   * own intercept and is refitted on all rows before every window, and
   * last-value normalisation would force its weights to sum to one (a unit
   * root), which costs it on stationary series (returns) and, measured by
   * bench/baselines.ts, on co2 too. Set lastValue with `fit: sgd` on a
   * trending series.
   */
  normalize: normalizeSchema.default("none"),
  /** Start from the least-squares map (see fitLinearMap) before SGD refines it, or train by SGD alone. */
  fit: z.enum(["leastSquares", "sgd"]).default("leastSquares"),
});

export const mlpSpecSchema = specObject("model (kind mlp)", {
  kind: z.literal("mlp"),
  hidden: z
    .array(positiveInt(specBounds.layerUnits))
    .min(1)
    .max(specBounds.mlpLayers, atMost(specBounds.mlpLayers, " layers"))
    .default([64, 64]),
  activation: z.enum(["relu", "elu", "tanh", "gelu"]).default("relu"),
  dropout: z.number().min(0).max(0.9).default(0),
  ...normalize,
});

const nbeatsSpecSchema = specObject("model (kind nbeats)", {
  kind: z.literal("nbeats"),
  blocks: positiveInt(specBounds.nbeatsBlocks).default(3),
  layersPerBlock: positiveInt(specBounds.layersPerBlock).default(2),
  units: positiveInt(specBounds.layerUnits).default(64),
  ...normalize,
});

const tcnSpecSchema = specObject("model (kind tcn)", {
  kind: z.literal("tcn"),
  filters: positiveInt(specBounds.tcnFilters).default(16),
  kernelSize: z.number().int().min(2).max(specBounds.kernelSize, atMost(specBounds.kernelSize)).default(3),
  dilations: z
    .array(positiveInt(specBounds.lookback))
    .min(1)
    .max(specBounds.tcnLayers, atMost(specBounds.tcnLayers, " layers"))
    .default([1, 2, 4, 8]),
  ...normalize,
});

const recurrent = {
  units: positiveInt(specBounds.layerUnits).default(32),
  layers: positiveInt(specBounds.recurrentLayers).default(1),
  ...normalize,
};
const lstmSpecSchema = specObject("model (kind lstm)", { kind: z.literal("lstm"), ...recurrent });
const gruSpecSchema = specObject("model (kind gru)", { kind: z.literal("gru"), ...recurrent });

/** Classical families: fitted on the rows before each window, no network (packages/models/src/classical). */
const arSpecSchema = specObject("model (kind ar)", {
  kind: z.literal("ar"),
  /** Fixed order; by default the order with the lowest AIC up to maxLag. */
  order: positiveInt(specBounds.arLags).optional(),
  maxLag: positiveInt(specBounds.arLags).default(24),
});

const arimaSpecSchema = specObject("model (kind arima)", {
  kind: z.literal("arima"),
  /** Fixed (p, d, q); by default d by the KPSS test and (p, q) by AIC. */
  order: specObject("model.order", { p: countInt(specBounds.armaOrder), d: countInt(2), q: countInt(specBounds.armaOrder) }).optional(),
  maxP: countInt(specBounds.armaOrder).default(3),
  maxQ: countInt(specBounds.armaOrder).default(2),
});

const etsSpecSchema = specObject("model (kind ets)", {
  kind: z.literal("ets"),
  /** Additive seasonality of the data's season: when a test finds it (auto), always, or never. */
  seasonal: z.enum(["auto", "additive", "none"]).default("auto"),
  damped: z.boolean().default(true),
});

const thetaSpecSchema = specObject("model (kind theta)", {
  kind: z.literal("theta"),
  theta: z.number().min(1).max(100, atMost(100)).default(2),
  deseasonalize: z.enum(["auto", "none"]).default("auto"),
});

export const modelSpecSchema = z.discriminatedUnion("kind", [
  linearSpecSchema,
  mlpSpecSchema,
  nbeatsSpecSchema,
  tcnSpecSchema,
  lstmSpecSchema,
  gruSpecSchema,
  arSpecSchema,
  arimaSpecSchema,
  etsSpecSchema,
  thetaSpecSchema,
]);
export type ModelSpec = z.infer<typeof modelSpecSchema>;
export type ModelKind = ModelSpec["kind"];
export type StatisticalModelSpec = Extract<ModelSpec, { kind: "ar" | "arima" | "ets" | "theta" }>;
export type NeuralModelSpec = Exclude<ModelSpec, StatisticalModelSpec>;
const statisticalKinds = ["ar", "arima", "ets", "theta"] as const;

/** Whether a model is one of the classical families (no network, no backend). */
export function isStatistical(model: ModelSpec): model is StatisticalModelSpec {
  return (statisticalKinds as readonly string[]).includes(model.kind);
}
export const modelKinds = modelSpecSchema.options.map((o) => o.shape.kind.value) as ModelKind[];
export const neuralKinds = modelKinds.filter((k) => !(statisticalKinds as readonly string[]).includes(k)) as NeuralModelSpec["kind"][];

/**
 * The family a spec gets when it names none: DLinear trained fastest of all
 * families (bench/training.ts) and was the one to beat the naive baseline on
 * Seattle temp_max out of the box (packages/engine/test/real-data.test.ts).
 */
export const defaultModelKind: ModelKind = "linear";

export const dataSpecSchema = specObject("data", {
  dataset: name,
  target: name,
  /** Extra input columns; the target is always input channel 0. */
  features: z.array(name).max(specBounds.features, atMost(specBounds.features, " columns")).default([]),
  /** Applied to every selected column before scaling. */
  transform: z.enum(["none", "diff", "log", "logReturn"]).default("none"),
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** Missing observations: fail, drop the dates, carry the last value forward, or interpolate linearly. */
  gapPolicy: z.enum(["error", "drop", "ffill", "interpolate"]).default("interpolate"),
});
export type DataSpec = z.infer<typeof dataSpecSchema>;

export const windowSpecSchema = specObject("window", {
  lookback: positiveInt(specBounds.lookback).default(28),
  horizon: positiveInt(specBounds.horizon).default(1),
});
export type WindowSpec = z.infer<typeof windowSpecSchema>;

export const trainSpecSchema = specObject("train", {
  epochs: positiveInt(specBounds.epochs).default(20),
  batchSize: positiveInt(specBounds.batchSize).default(64),
  learningRate: z.number().positive().max(specBounds.learningRate, atMost(specBounds.learningRate)).default(1e-3),
  optimizer: z.enum(["adam", "sgd", "rmsprop"]).default("adam"),
  validationFraction: z.number().min(0).max(0.5).default(0.15),
  /** Any 32-bit integer, signed or not (the generator reads its 32 bits). */
  seed: z
    .number()
    .int()
    .min(-(2 ** 31), `must be at least ${-(2 ** 31)} (a fixed bound of the spec schema)`)
    .max(specBounds.seed, atMost(specBounds.seed))
    .default(42),
  /**
   * Optimizer steps a training takes at least: a small dataset gets more
   * epochs than `epochs` says, and early stopping waits for them.
   */
  minSteps: countInt(specBounds.epochs * 100).default(500),
  /** Epochs without validation improvement before stopping; 0 disables early stopping. */
  patience: countInt(specBounds.epochs).default(5),
  checkpointEvery: positiveInt(specBounds.epochs).default(1),
  /** Epochs of warm-started training on the expanded history before each later retrodiction window. */
  refitEpochs: countInt(specBounds.epochs).default(3),
});
export type TrainSpec = z.infer<typeof trainSpecSchema>;

export const retrodictionSpecSchema = specObject("retrodiction", {
  /** First date to retrodict; by default the last `windows` windows of the data. */
  from: isoDate.optional(),
  to: isoDate.optional(),
  batchSizeDays: positiveInt(specBounds.batchSizeDays).default(90),
  overlapDays: countInt(specBounds.batchSizeDays).default(0),
  windows: positiveInt(specBounds.retrodictionWindows).default(6),
});
export type RetrodictionSpec = z.infer<typeof retrodictionSpecSchema>;

export const trainingSpecSchema = specObject("the spec", {
  data: dataSpecSchema,
  window: windowSpecSchema.default({ lookback: 28, horizon: 1 }),
  model: modelSpecSchema.prefault({ kind: defaultModelKind }),
  train: trainSpecSchema.prefault({}),
  retrodiction: retrodictionSpecSchema.prefault({}),
}).superRefine((spec, ctx) => {
  if (spec.retrodiction.overlapDays >= spec.retrodiction.batchSizeDays) {
    ctx.addIssue({ code: "custom", path: ["retrodiction", "overlapDays"], message: "must be smaller than batchSizeDays" });
  }
  if (spec.data.from && spec.data.to && spec.data.from > spec.data.to) {
    ctx.addIssue({ code: "custom", path: ["data", "to"], message: `must not be before data.from (${spec.data.from})` });
  }
  if (spec.data.features.includes(spec.data.target)) {
    ctx.addIssue({ code: "custom", path: ["data", "features"], message: "must not repeat the target; it is always an input" });
  }
});
export type TrainingSpec = z.infer<typeof trainingSpecSchema>;
export type TrainingSpecInput = z.input<typeof trainingSpecSchema>;
