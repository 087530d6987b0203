import { z } from "zod";

/** Every kind of stage event; the database enum "StageEventKind" holds the same (a schema test checks). */
export const stageEventKinds = ["STARTED", "SUCCEEDED", "FAILED", "ROLLED_BACK", "ROLLBACK_FAILED", "CLEANED_UP", "RECOVERY"] as const;
export const stageEventKindSchema = z.enum(stageEventKinds);
export type StageEventKind = z.infer<typeof stageEventKindSchema>;

/** A stage of a run's pipeline started, ended or was recovered: what the engine records and the database keeps. */
export const stageEventRecordSchema = z.object({
  stage: z.string(),
  kind: stageEventKindSchema,
  attempt: z.number().int(),
  at: z.date(),
  durationMs: z.number().optional(),
  message: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type StageEventRecord = z.infer<typeof stageEventRecordSchema>;

/** Where a run's training stands, as its worker reports it onto the Run row (the engine's ProgressSnapshot has these and more). */
export const runProgressSchema = z.object({
  phase: z.string(),
  /** Batches finished across all epochs and refits. */
  step: z.number().int(),
  totalSteps: z.number().int(),
  itemsDone: z.number().int(),
  itemsTotal: z.number().int(),
  percent: z.number(),
  etaSeconds: z.number().nullable(),
  samplesPerSecond: z.number().nullable(),
  message: z.string(),
});
export type RunProgress = z.infer<typeof runProgressSchema>;
