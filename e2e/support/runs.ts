import { expect } from "@playwright/test";
import { apiAs } from "./api";

type Api = Awaited<ReturnType<typeof apiAs>>;

/** Polls the API until run `id` reaches `status`, then returns the run. */
export async function waitForStatus(api: Api, id: string, status: string, timeoutMs = 180_000) {
  await expect.poll(async () => (await api.training.get.query({ id })).status, { timeout: timeoutMs, intervals: [1_000] }).toBe(status);
  return api.training.get.query({ id });
}

/**
 * Two runs that finish in seconds and differ in nine params with long names,
 * so Compare has a crowded parallel-coordinates plot (eight param axes and the
 * result) and the first run's page has per-step errors (horizon 3).
 */
const pairSpecs = [
  {
    data: { dataset: "seattle_weather", target: "temp_max" },
    window: { lookback: 14, horizon: 3 },
    model: { kind: "linear" as const, movingAverage: 7 },
    train: { epochs: 2, refitEpochs: 1, seed: 2, batchSize: 32, learningRate: 0.002, validationFraction: 0.1 },
    retrodiction: { windows: 2, batchSizeDays: 30 },
  },
  {
    data: { dataset: "seattle_weather", target: "temp_max" },
    window: { lookback: 21, horizon: 2 },
    model: { kind: "linear" as const, movingAverage: 9 },
    train: { epochs: 3, refitEpochs: 1, seed: 3, batchSize: 64, learningRate: 0.001, validationFraction: 0.2 },
    retrodiction: { windows: 2, batchSizeDays: 45 },
  },
];

/**
 * Starts a small sweep for the tour of the pages (two trials of the first of
 * `pairSpecs`, refit epochs searched, tagged apart from the pair) and leaves
 * it running; returns its id.
 */
export async function startTourSweep(tag: string): Promise<string> {
  const api = await apiAs("operator");
  const sweep = await api.sweeps.start.mutate({
    name: `${tag} sweep`,
    tags: [`${tag}-sweep`],
    base: pairSpecs[0] as Record<string, unknown>,
    space: { "train.refitEpochs": { int: [0, 1] } },
    method: "random",
    budget: { trials: 2 },
    parallel: 2,
    earlyStopping: { rule: "none" },
  });
  return sweep.id;
}

/** Starts the two runs of `pairSpecs` tagged `tag` and waits until both have SUCCEEDED; returns their ids. */
export async function finishedPair(tag: string): Promise<[string, string]> {
  const api = await apiAs("operator");
  const ids = await Promise.all(
    pairSpecs.map(async (spec, i) => (await api.training.start.mutate({ name: `${tag} ${"ab"[i]}`, spec, tags: [tag] })).id),
  );
  for (const id of ids) await waitForStatus(api, id, "SUCCEEDED");
  return ids as [string, string];
}
