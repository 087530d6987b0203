import type { PipelineName } from "@hindcast/contracts";
import type { TrainingContext } from "./context";
import type { Pipeline, PipelineOptions } from "./pipeline";
import { PipelineRegistry } from "./registry";
import { trainingStages } from "./stages";

/** The pipelines a run's spec can name that run in one process, stage after stage (seed: the experiment manager's registered pipelines). */
export const trainingPipelinesYaml = `
pipelines:
  retrodiction:
    description: Train, then walk forward over the retrodiction windows and compare with the baselines.
    stages: [loadData, prepare, train, retrodict, persist, finalize]
  train-only:
    description: Train and save the model, without retrodiction metrics.
    stages: [loadData, prepare, train, persist, finalize]
`;

/** The pipelines of trainingPipelinesYaml; the others (parallel-retrodiction) are a worker's own. */
export const inProcessPipelineNames = ["retrodiction", "train-only"] as const satisfies readonly PipelineName[];
export type InProcessPipelineName = (typeof inProcessPipelineNames)[number];

export type TrainingPipelineBuilder = (deps: PipelineOptions) => Pipeline<TrainingContext>;

export function trainingRegistry(): PipelineRegistry<TrainingContext> {
  const registry = new PipelineRegistry<TrainingContext>();
  for (const stage of trainingStages) {
    registry.registerStage(stage.name, () => stage);
  }
  return registry;
}

/** A builder for each pipeline of a pipelines file, by name, its config checked once here. */
function pipelineBuilders(yaml: string): Map<string, TrainingPipelineBuilder> {
  const registry = trainingRegistry();
  const file = registry.loadYaml(yaml);
  return new Map(
    Object.entries(file.pipelines).map(([name, config]) => [name, (deps: PipelineOptions) => registry.build(name, config, deps)]),
  );
}

/** The builders of the in-process pipelines, by name: the engine's entries in a worker's registry of every PipelineName. */
export function trainingPipelines(yaml = trainingPipelinesYaml): Record<InProcessPipelineName, TrainingPipelineBuilder> {
  const builders = pipelineBuilders(yaml);
  const missing = inProcessPipelineNames.filter((name) => !builders.has(name));
  if (missing.length > 0) throw new Error(`The pipelines file has no ${missing.join(", ")} pipeline`);
  return Object.fromEntries(inProcessPipelineNames.map((name) => [name, builders.get(name)])) as Record<
    InProcessPipelineName,
    TrainingPipelineBuilder
  >;
}

/** Builds a training pipeline by name from the YAML above (or another pipelines file). */
export function buildTrainingPipeline(name: string, deps: PipelineOptions, yaml = trainingPipelinesYaml): Pipeline<TrainingContext> {
  const builders = pipelineBuilders(yaml);
  const build = builders.get(name);
  if (!build) throw new Error(`Unknown pipeline "${name}": choose from ${[...builders.keys()].join(", ")}`);
  return build(deps);
}
