import { artifactNames, type PipelineName, retrodictionPipelines, UserFacingError } from "@hindcast/contracts";
import { type Dataset, isStatistical, type SavedModel, type TrainingSpec } from "@hindcast/models";
import type { RetrodictionResults } from "./run-results";

/** What fetching a replay needs of the API; the dashboard answers through its query cache, the CLI through its tRPC client. */
export interface ReplaySource {
  run(id: string): Promise<{ name: string | null; pipeline: string; status: string; spec: unknown }>;
  artifacts(id: string): Promise<{ name: string; url: string }[]>;
  /** Ids of a parallel retrodiction's child runs. */
  children(id: string): Promise<string[]>;
  results(id: string): Promise<unknown>;
  dataset(name: string): Promise<unknown>;
  /** GET of an artifact's `url` (relative to the server), with the caller's credentials. */
  download(url: string): Promise<Response>;
}

/** The models a run predicted its windows with: its own, or one per child of a parallel retrodiction. */
export interface ReplayInputs {
  /** `saved` is null for a classical model: replay fits it again, which gives the same parameters. */
  parts: { spec: TrainingSpec; saved: SavedModel | null }[];
  dataset: Dataset;
  results: RetrodictionResults | null;
}

/** Why a run cannot be replayed (not a retrodiction, not finished, no saved model, a download refused), and what to do. */
export class ReplayInputError extends UserFacingError {}

const parallelPipeline: PipelineName = "parallel-retrodiction";
/** Pipelines whose finished runs leave models to replay: the retrodictions. */
export const replayablePipelines: readonly string[] = retrodictionPipelines;

async function body(source: ReplaySource, url: string, name: string): Promise<Response> {
  const response = await source.download(url);
  if (!response.ok) {
    throw new ReplayInputError(
      `Downloading ${name}: the server answered ${response.status} ${await response.text()}`,
      "check that you may read this run's artifacts, then try again",
    );
  }
  return response;
}

async function fetchPart(source: ReplaySource, runId: string): Promise<ReplayInputs["parts"][number]> {
  const [run, artifacts] = await Promise.all([source.run(runId), source.artifacts(runId)]);
  const spec = run.spec as TrainingSpec;
  if (isStatistical(spec.model)) return { spec, saved: null };
  const topology = artifacts.find((a) => a.name === artifactNames.modelTopology);
  const weights = artifacts.find((a) => a.name === artifactNames.modelWeights);
  if (!topology || !weights) {
    throw new ReplayInputError(
      `Run ${run.name ?? runId} saved no model (${artifactNames.modelTopology} and ${artifactNames.modelWeights})`,
      "pick another run",
    );
  }
  const [topologyText, weightBytes] = await Promise.all([
    body(source, topology.url, topology.name).then((r) => r.text()),
    body(source, weights.url, weights.name).then((r) => r.arrayBuffer()),
  ]);
  return { spec, saved: { topology: topologyText, weights: new Uint8Array(weightBytes) } };
}

/** Everything replaying a finished run needs: its results, its dataset, and the spec and saved model of each part. */
export async function fetchReplayInputs(source: ReplaySource, runId: string): Promise<ReplayInputs> {
  const [run, results] = await Promise.all([source.run(runId), source.results(runId)]);
  if (!replayablePipelines.includes(run.pipeline)) {
    throw new ReplayInputError(
      `Run ${run.name ?? runId} is a ${run.pipeline} run; only retrodictions leave models to replay`,
      "pick a retrodiction run",
    );
  }
  if (run.status !== "SUCCEEDED")
    throw new ReplayInputError(
      `Run ${run.name ?? runId} is ${run.status}; replay needs a run that SUCCEEDED`,
      "wait for it to finish, or pick another run",
    );
  const partIds = run.pipeline === parallelPipeline ? await source.children(runId) : [runId];
  const spec = run.spec as TrainingSpec;
  const [dataset, parts] = await Promise.all([source.dataset(spec.data.dataset), Promise.all(partIds.map((id) => fetchPart(source, id)))]);
  return { parts, dataset: dataset as Dataset, results: results as RetrodictionResults | null };
}

/** Each replayed window next to the report the run gave for it (null when it gave none), and their relative RMSE difference. */
export function againstRun<W extends { window: { index: number }; report: { rmse: number } }>(
  windows: W[],
  results: RetrodictionResults | null,
) {
  return windows.map((w) => {
    const reported = results?.windows.find((r) => r.window.index === w.window.index)?.report ?? null;
    return { ...w, reported, difference: reported ? Math.abs(w.report.rmse - reported.rmse) / reported.rmse : null };
  });
}
