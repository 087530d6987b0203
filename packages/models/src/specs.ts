import { z } from "zod";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD");
const positiveInt = z.number().int().positive();

export const linearSpecSchema = z.object({
  kind: z.literal("linear"),
  /** Moving-average window of the trend/remainder decomposition (DLinear). */
  movingAverage: positiveInt.default(25),
});

export const mlpSpecSchema = z.object({
  kind: z.literal("mlp"),
  hidden: z.array(positiveInt).min(1).default([64, 64]),
  activation: z.enum(["relu", "elu", "tanh", "gelu"]).default("relu"),
  dropout: z.number().min(0).max(0.9).default(0),
});

export const nbeatsSpecSchema = z.object({
  kind: z.literal("nbeats"),
  blocks: positiveInt.default(3),
  layersPerBlock: positiveInt.default(2),
  units: positiveInt.default(64),
});

export const tcnSpecSchema = z.object({
  kind: z.literal("tcn"),
  filters: positiveInt.default(16),
  kernelSize: z.number().int().min(2).default(3),
  dilations: z.array(positiveInt).min(1).default([1, 2, 4, 8]),
});

const recurrent = {
  units: positiveInt.default(32),
  layers: positiveInt.max(4).default(1),
};
export const lstmSpecSchema = z.object({ kind: z.literal("lstm"), ...recurrent });
export const gruSpecSchema = z.object({ kind: z.literal("gru"), ...recurrent });

export const modelSpecSchema = z.discriminatedUnion("kind", [
  linearSpecSchema,
  mlpSpecSchema,
  nbeatsSpecSchema,
  tcnSpecSchema,
  lstmSpecSchema,
  gruSpecSchema,
]);
export type ModelSpec = z.infer<typeof modelSpecSchema>;
export type ModelKind = ModelSpec["kind"];
export const modelKinds = modelSpecSchema.options.map((o) => o.shape.kind.value) as ModelKind[];

/**
 * The family a spec gets when it names none: DLinear trained fastest of all
 * families (bench/training.ts) and was the one to beat the naive baseline on
 * Seattle temp_max out of the box (packages/engine/test/real-data.test.ts).
 */
export const defaultModelKind: ModelKind = "linear";

export const dataSpecSchema = z.object({
  dataset: z.string().min(1),
  target: z.string().min(1),
  /** Extra input columns; the target is always input channel 0. */
  features: z.array(z.string().min(1)).default([]),
  /** Applied to every selected column before scaling. */
  transform: z.enum(["none", "diff", "log", "logReturn"]).default("none"),
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** Missing observations: fail, drop the dates, carry the last value forward, or interpolate linearly. */
  gapPolicy: z.enum(["error", "drop", "ffill", "interpolate"]).default("interpolate"),
});
export type DataSpec = z.infer<typeof dataSpecSchema>;

export const windowSpecSchema = z.object({
  lookback: positiveInt.default(28),
  horizon: positiveInt.default(1),
});
export type WindowSpec = z.infer<typeof windowSpecSchema>;

export const trainSpecSchema = z.object({
  epochs: positiveInt.default(20),
  batchSize: positiveInt.default(64),
  learningRate: z.number().positive().default(1e-3),
  optimizer: z.enum(["adam", "sgd", "rmsprop"]).default("adam"),
  validationFraction: z.number().min(0).max(0.5).default(0.15),
  seed: z.number().int().default(42),
  /** Epochs without validation improvement before stopping; 0 disables early stopping. */
  patience: z.number().int().min(0).default(5),
  checkpointEvery: positiveInt.default(1),
  /** Epochs of warm-started training on the expanded history before each later retrodiction window. */
  refitEpochs: z.number().int().min(0).default(3),
});
export type TrainSpec = z.infer<typeof trainSpecSchema>;

export const retrodictionSpecSchema = z.object({
  /** First date to retrodict; by default the last `windows` windows of the data. */
  from: isoDate.optional(),
  to: isoDate.optional(),
  batchSizeDays: positiveInt.default(90),
  overlapDays: z.number().int().min(0).default(0),
  windows: positiveInt.default(6),
});
export type RetrodictionSpec = z.infer<typeof retrodictionSpecSchema>;

export const trainingSpecSchema = z
  .object({
    data: dataSpecSchema,
    window: windowSpecSchema.default({ lookback: 28, horizon: 1 }),
    model: modelSpecSchema.prefault({ kind: defaultModelKind }),
    train: trainSpecSchema.prefault({}),
    retrodiction: retrodictionSpecSchema.prefault({}),
  })
  .superRefine((spec, ctx) => {
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

export interface SpecIssue {
  path: string;
  message: string;
}

/** Every problem of a spec, each with its path ("train.epochs"). */
export function specIssues(error: z.ZodError): SpecIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("") || "(spec)",
    message: issue.message,
  }));
}
