/// <reference lib="webworker" />
// The preview's training, off the main thread: the engine's own retrodiction
// pipeline (the one queued runs execute in the worker process), with ports
// that post to the page instead of writing to PostgreSQL.
import { artifactNames } from "@hindcast/contracts";
import {
  buildTrainingPipeline,
  CancellationSource,
  createTrainingContext,
  MemoryArtifactStore,
  type MetricPointRecord,
  replayRetrodiction,
  type TrainingContext,
} from "@hindcast/engine";
import { type BackendChoice, browserBackends, pickBackend, preferBackends, probeForSpec, type TrainingSpec } from "@hindcast/models";
import type { PreviewMessage, PreviewPoint, PreviewRequest } from "./protocol";

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: PreviewMessage) => scope.postMessage(message);
let running: CancellationSource | undefined;

/** Metric points go out at most every 100 ms: one message per batch would flood the page. */
function metricPoster(startedAt: number) {
  let pending: PreviewPoint[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    if (pending.length) post({ type: "metrics", points: pending });
    pending = [];
  };
  return {
    write(points: readonly MetricPointRecord[]) {
      for (const p of points) pending.push({ key: p.key, step: p.step, value: p.value, ms: p.wallTime.getTime() - startedAt });
      timer ??= setTimeout(flush, 100);
    },
    async flush() {
      if (timer) clearTimeout(timer);
      flush();
    },
  };
}

/** Picks the best backend that passes the spec's numeric check and tells the page which and why. */
async function chooseBackend(spec: TrainingSpec, request: { backends?: string[]; wasmPath: string }): Promise<BackendChoice> {
  const candidates = browserBackends({ wasmPath: request.wasmPath });
  const choice = await pickBackend(request.backends ? preferBackends(candidates, request.backends) : candidates, probeForSpec(spec));
  post({ type: "backend", choice });
  return choice;
}

/** A finished run's saved models predict its retrodiction again, here. */
async function replay(request: Extract<PreviewRequest, { type: "replay" }>): Promise<void> {
  const startedAt = performance.now();
  const first = request.parts[0];
  if (!first) throw new Error("Nothing to replay: the run has no saved model");
  await chooseBackend(first.spec, request);
  const result = await replayRetrodiction(request.parts, request.dataset);
  post({ type: "replayed", ...result, durationMs: performance.now() - startedAt });
}

async function start(request: Extract<PreviewRequest, { type: "start" }>): Promise<void> {
  running?.cancel("a new preview started");
  const source = new CancellationSource();
  running = source;
  const startedAt = Date.now();
  const artifacts = new MemoryArtifactStore();
  const metrics = metricPoster(startedAt);
  const store = {
    recordStageEvent: async (event: Parameters<TrainingContext["ports"]["store"]["recordStageEvent"]>[0]) =>
      post({ type: "stage", event: { ...event, at: event.at.getTime() } }),
    updateProgress: async (progress: Parameters<TrainingContext["ports"]["store"]["updateProgress"]>[0]) =>
      post({ type: "progress", progress }),
  };
  const ctx = createTrainingContext(request.spec, {
    store,
    metrics,
    artifacts,
    datasets: {
      load: async (name) => {
        if (name !== request.dataset.name) throw new Error(`data.dataset: the preview was given ${request.dataset.name}, not ${name}`);
        return request.dataset;
      },
    },
    pickBackend: (spec) => chooseBackend(spec, request),
  });
  const pipeline = buildTrainingPipeline("retrodiction", { store });
  const outcome = await pipeline.execute(ctx, { token: source.token });
  await metrics.flush();
  if (outcome.status === "succeeded") {
    const results = artifacts.artifacts.get(`memory://${artifactNames.results}`);
    post({
      type: "done",
      status: "succeeded",
      durationMs: outcome.durationMs,
      results: results ? JSON.parse(new TextDecoder().decode(results.data)) : undefined,
    });
  } else if (outcome.status === "cancelled") {
    post({ type: "done", status: "cancelled", message: outcome.reason, durationMs: outcome.durationMs });
  } else {
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    post({ type: "done", status: "failed", message: `Failed in ${outcome.stage}: ${message}`, durationMs: outcome.durationMs });
  }
  if (running === source) running = undefined;
}

scope.onmessage = (event: MessageEvent<PreviewRequest>) => {
  const request = event.data;
  const fail = (error: Error) => post({ type: "done", status: "failed", message: error.message, durationMs: 0 });
  if (request.type === "stop") running?.cancel("stopped by the user");
  else if (request.type === "replay") void replay(request).catch(fail);
  else void start(request).catch(fail);
};
