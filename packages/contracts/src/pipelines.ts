import { z } from "zod";

/** The pipelines a run can name; the engine registers one builder for each (a test checks). */
export const pipelineNames = ["retrodiction", "train-only", "parallel-retrodiction"] as const;
export const pipelineNameSchema = z.enum(pipelineNames);
export type PipelineName = z.infer<typeof pipelineNameSchema>;

export const defaultPipeline: PipelineName = "retrodiction";

/** Pipelines whose result is a retrodiction (results.json with windows and a verdict). */
export const retrodictionPipelines: readonly PipelineName[] = ["retrodiction", "parallel-retrodiction"];

/** One line per pipeline for forms and --help. */
export const pipelineDescriptions: Record<PipelineName, string> = {
  retrodiction: "train, then forecast held-out windows and judge them against the classical baselines",
  "train-only": "train and checkpoint the model; no retrodiction windows",
  "parallel-retrodiction": "windows as child runs on any worker, aggregated when the last one ends",
};
