import type { TrainingContext } from "./context";
import type { Pipeline, PipelineOptions } from "./pipeline";
import { PipelineRegistry } from "./registry";
import { trainingStages } from "./stages";

/** The pipelines a run's spec can name (seed: the experiment manager's registered pipelines). */
export const trainingPipelinesYaml = `
pipelines:
  retrodiction:
    description: Train, then walk forward over the retrodiction windows and compare with the baselines.
    stages: [loadData, prepare, train, retrodict, persist, finalize]
  train-only:
    description: Train and save the model, without retrodiction metrics.
    stages: [loadData, prepare, train, persist, finalize]
`;

export const defaultPipeline = "retrodiction";

export function trainingRegistry(): PipelineRegistry<TrainingContext> {
  const registry = new PipelineRegistry<TrainingContext>();
  for (const stage of trainingStages) {
    registry.registerStage(stage.name, () => stage);
  }
  return registry;
}

/** Builds a training pipeline by name from the YAML above (or another pipelines file). */
export function buildTrainingPipeline(name: string, deps: PipelineOptions, yaml = trainingPipelinesYaml): Pipeline<TrainingContext> {
  const registry = trainingRegistry();
  const file = registry.loadYaml(yaml);
  const config = file.pipelines[name];
  if (!config) throw new Error(`Unknown pipeline "${name}": choose from ${Object.keys(file.pipelines).join(", ")}`);
  return registry.build(name, config, deps);
}
