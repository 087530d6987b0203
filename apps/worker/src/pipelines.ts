import type { PipelineName } from "@hindcast/contracts";
import type { ClaimedRun } from "@hindcast/db";
import { type TrainingPipelineBuilder, trainingPipelines } from "@hindcast/engine";
import type { WorkerContext } from "./context";
import { fanOutWindows } from "./fan-out";
import { trainInProcess } from "./run-job";

/** Takes a claimed run to its end, or (a fan-out) hands it on to other runs. */
export type PipelineRunner = (worker: WorkerContext, claimed: ClaimedRun) => Promise<void>;

/**
 * How this worker runs each pipeline a run can name: the engine's in-process
 * pipelines stage after stage in this process, parallel-retrodiction as child
 * runs on any worker.
 */
export function pipelineRunners(): Record<PipelineName, PipelineRunner> {
  const builders = trainingPipelines();
  const inProcess =
    (build: TrainingPipelineBuilder): PipelineRunner =>
    (worker, claimed) =>
      trainInProcess(worker, claimed, build);
  return {
    retrodiction: inProcess(builders.retrodiction),
    "train-only": inProcess(builders["train-only"]),
    "parallel-retrodiction": fanOutWindows,
  };
}
