import { loadBuiltinDataset } from "@hindcast/datasets";
import { pickBackend, preferBackends, probeForSpec, type TrainingSpecInput, trainingSpecSchema } from "@hindcast/models";
import { nodeBackends } from "@hindcast/models/node";
import {
  buildTrainingPipeline,
  CancellationSource,
  createTrainingContext,
  MemoryArtifactStore,
  MemoryMetricSink,
  MemoryRunStore,
  type TrainingContext,
  type TrainingPorts,
} from "../src/index";

/** Real ports for a run in memory: built-in datasets, wasm/cpu backend. */
export function memoryPorts(extra: Partial<TrainingPorts> = {}) {
  const store = new MemoryRunStore();
  const metrics = new MemoryMetricSink();
  const artifacts = new MemoryArtifactStore();
  const ports: TrainingPorts = {
    store,
    metrics,
    artifacts,
    datasets: { load: loadBuiltinDataset },
    pickBackend: (spec) => pickBackend(preferBackends(nodeBackends(), ["wasm", "cpu"]), probeForSpec(spec)),
    progressIntervalMs: 0,
    ...extra,
  };
  return { ports, store, metrics, artifacts };
}

/** A training whose context exists before it runs, so a test's callbacks can reach its session. */
export function prepareTraining(input: TrainingSpecInput, extra: Partial<TrainingPorts> = {}, options: { pipeline?: string } = {}) {
  const spec = trainingSpecSchema.parse(input);
  const { ports, store, metrics, artifacts } = memoryPorts(extra);
  const ctx: TrainingContext = createTrainingContext(spec, ports);
  const pipeline = buildTrainingPipeline(options.pipeline ?? "retrodiction", { store });
  const source = new CancellationSource();
  return { ctx, store, metrics, artifacts, source, run: () => pipeline.execute(ctx, { token: source.token }) };
}

export async function runTraining(input: TrainingSpecInput, extra: Partial<TrainingPorts> = {}) {
  const training = prepareTraining(input, extra);
  return { ...training, outcome: await training.run() };
}

export function stepsOf(metrics: MemoryMetricSink, key: string): number[] {
  return metrics.points.filter((p) => p.key === key).map((p) => p.step);
}
