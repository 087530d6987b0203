import { createHash, randomUUID } from "node:crypto";
import { ConflictError, issuePath, isTerminalStatus, type PipelineName, UserFacingError, zodIssueLines } from "@hindcast/contracts";
import { type DatasetSummary, listAllDatasets } from "@hindcast/datasets";
import { enqueueRun, ensureExperiment, insertRun, type NewRun, readRunSource, withTransaction } from "@hindcast/db";
import { flattenParams, setPath, type TrainingSpec, trainingSpecSchema } from "@hindcast/models";
import type pg from "pg";
import { assertRunFitsMemory } from "./run-memory";
import type { StartSpec } from "./schemas";

/** The spec's dataset, after checking it exists and has the target and feature columns; a 400 naming the field otherwise. */
export async function assertSpecData(pool: pg.Pool, spec: TrainingSpec, at = "spec"): Promise<DatasetSummary> {
  const datasets = await listAllDatasets(pool);
  const known = datasets.find((d) => d.name === spec.data.dataset);
  if (!known) {
    throw new UserFacingError(`unknown dataset "${spec.data.dataset}"`, `use one of ${datasets.map((d) => d.name).join(", ")}`, {
      path: `${at}.data.dataset`,
    });
  }
  for (const [path, column] of [
    [`${at}.data.target`, spec.data.target],
    ...spec.data.features.map((f, i) => [`${at}.data.features.${i}`, f] as const),
  ] as const) {
    if (!known.columns.includes(column)) {
      throw new UserFacingError(`"${column}" is not a column of ${known.name}`, `use one of ${known.columns.join(", ")}`, { path });
    }
  }
  return known;
}

export interface RunRequest {
  /** A list of seeds starts one run per seed. */
  spec: StartSpec;
  pipeline: PipelineName;
  /** Only workers whose backend is a GPU may take the run. */
  requireGpu: boolean;
  tags: string[];
  name?: string;
  /** Experiment to file the run under; made if it does not exist. */
  experiment?: string;
}

export interface StartedRuns {
  /** The first run's id. */
  id: string;
  /** Every run started: one, or one per seed. */
  ids: string[];
  /** The run group of a seed list's runs; null for a single run. */
  runGroup: string | null;
  status: "QUEUED";
}

/** The first characters of a spec's SHA-256 without its seed: a name for what a seed list's runs share. */
function specHash(spec: TrainingSpec): string {
  const { seed: _, ...train } = spec.train;
  return createHash("sha256")
    .update(JSON.stringify({ ...spec, train }))
    .digest("hex")
    .slice(0, 8);
}

/**
 * Queues a run after checking its data and its memory against the server's
 * budget; a list of seeds queues one run per seed in one transaction, each
 * with its one seed, named "<name> seed N" and sharing a new run group.
 */
export async function startRun(pool: pg.Pool, userId: string, request: RunRequest): Promise<StartedRuns> {
  const { seed } = request.spec.train;
  const withSeed = (one: number): TrainingSpec => ({ ...request.spec, train: { ...request.spec.train, seed: one } });
  const seeds = Array.isArray(seed) ? seed : [seed];
  const first = withSeed(seeds[0] as number);
  await assertRunFitsMemory(pool, first, await assertSpecData(pool, first));
  const experimentId = request.experiment ? await ensureExperiment(pool, request.experiment, userId) : undefined;
  const run = (spec: TrainingSpec): NewRun => ({
    spec,
    pipeline: request.pipeline,
    queue: request.requireGpu ? "gpu" : "any",
    params: flattenParams(spec),
    tags: request.tags,
    name: request.name,
    createdById: userId,
    experimentId,
  });
  if (!Array.isArray(seed)) {
    const id = await enqueueRun(pool, run(first));
    return { id, ids: [id], runGroup: null, status: "QUEUED" };
  }
  const label = request.name ?? specHash(first);
  const runGroup = `${label} seeds ${randomUUID().slice(0, 8)}`;
  const ids = await withTransaction(pool, async (client) => {
    const started: string[] = [];
    for (const one of seeds) started.push(await insertRun(client, { ...run(withSeed(one)), name: `${label} seed ${one}`, runGroup }));
    return started;
  });
  return { id: ids[0] as string, ids, runGroup, status: "QUEUED" };
}

export interface CloneRequest {
  id: string;
  /** Dotted spec paths to change ({"train.epochs": 50}); empty for a plain retry. */
  set: Record<string, unknown>;
  name?: string;
  tags?: string[];
}

/**
 * A new run with the spec of run `id`, changed by `set`; the new spec is
 * validated whole. A `retry` (the same spec again) needs a run that ended.
 */
export async function cloneRun(
  pool: pg.Pool,
  userId: string,
  request: CloneRequest,
  retry = false,
): Promise<{ id: string; status: "QUEUED" }> {
  const source = await readRunSource(pool, request.id);
  if (retry && !isTerminalStatus(source.status)) {
    throw new ConflictError(`Run ${request.id} is still ${source.status}`, "cancel it before retrying", { path: "id" });
  }
  const spec = structuredClone(source.spec) as Record<string, unknown>;
  // Another model family keeps none of the old family's options (they would be unknown fields); it starts from its defaults.
  const kind = request.set["model.kind"];
  if (kind !== undefined && kind !== (spec.model as { kind?: unknown } | undefined)?.kind) spec.model = {};
  for (const [path, value] of Object.entries(request.set)) setPath(spec, path.split("."), value);
  const parsed = trainingSpecSchema.safeParse(spec);
  if (!parsed.success) {
    throw new UserFacingError(zodIssueLines(parsed.error).join("; "), "change what `set` gives these fields", {
      path: issuePath(["set", (parsed.error.issues[0]?.path ?? []).join(".")]),
      cause: parsed.error,
    });
  }
  await assertRunFitsMemory(pool, parsed.data, await assertSpecData(pool, parsed.data));
  const changed = Object.keys(request.set).length > 0;
  const id = await enqueueRun(pool, {
    spec: parsed.data,
    pipeline: source.pipeline,
    queue: source.queue === "gpu" ? "gpu" : "any",
    params: flattenParams(parsed.data),
    tags: request.tags ?? source.tags,
    name: request.name ?? `${source.name ?? request.id.slice(0, 8)} (${changed ? "changed" : "retry"})`,
    createdById: userId,
  });
  return { id, status: "QUEUED" };
}
