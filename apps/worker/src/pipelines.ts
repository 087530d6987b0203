import type { PipelineName } from "@hindcast/contracts";
import type { ClaimedRun } from "@hindcast/db";
import type { WorkerContext } from "./context";
import { fanOutWindows } from "./fan-out";
import { type TrainerPipeline, trainInTrainer } from "./run-job";

/** Takes a claimed run to its end, or (a fan-out) hands it on to other runs. */
export type PipelineRunner = (worker: WorkerContext, claimed: ClaimedRun) => Promise<void>;

/**
 * How this worker runs each pipeline a run can name: the engine's pipelines
 * stage after stage in a trainer process, parallel-retrodiction as child runs
 * on any worker.
 */
export function pipelineRunners(): Record<PipelineName, PipelineRunner> {
  const inTrainer =
    (pipeline: TrainerPipeline): PipelineRunner =>
    (worker, claimed) =>
      trainInTrainer(worker, claimed, pipeline);
  return {
    retrodiction: inTrainer("retrodiction"),
    "train-only": inTrainer("train-only"),
    "parallel-retrodiction": fanOutWindows,
  };
}
