import { ConflictError, issuePath, isTerminalStatus, type PipelineName, UserFacingError, zodIssueLines } from "@hindcast/contracts";
import { type DatasetSummary, listAllDatasets } from "@hindcast/datasets";
import { enqueueRun, ensureExperiment, readRunSource } from "@hindcast/db";
import { flattenParams, setPath, type TrainingSpec, trainingSpecSchema } from "@hindcast/models";
import type pg from "pg";
import { assertRunFitsMemory } from "./run-memory";

/** The spec's dataset, after checking it exists and has the target and feature columns; a 400 naming the field otherwise. */
async function assertSpecData(pool: pg.Pool, spec: TrainingSpec): Promise<DatasetSummary> {
  const datasets = await listAllDatasets(pool);
  const known = datasets.find((d) => d.name === spec.data.dataset);
  if (!known) {
    throw new UserFacingError(`unknown dataset "${spec.data.dataset}"`, `use one of ${datasets.map((d) => d.name).join(", ")}`, {
      path: "spec.data.dataset",
    });
  }
  for (const [path, column] of [
    ["spec.data.target", spec.data.target],
    ...spec.data.features.map((f, i) => [`spec.data.features.${i}`, f] as const),
  ] as const) {
    if (!known.columns.includes(column)) {
      throw new UserFacingError(`"${column}" is not a column of ${known.name}`, `use one of ${known.columns.join(", ")}`, { path });
    }
  }
  return known;
}

export interface RunRequest {
  spec: TrainingSpec;
  pipeline: PipelineName;
  /** Only workers whose backend is a GPU may take the run. */
  requireGpu: boolean;
  tags: string[];
  name?: string;
  /** Experiment to file the run under; made if it does not exist. */
  experiment?: string;
}

/** Queues a run after checking its data and its memory against the server's budget. */
export async function startRun(pool: pg.Pool, userId: string, request: RunRequest): Promise<{ id: string; status: "QUEUED" }> {
  await assertRunFitsMemory(pool, request.spec, await assertSpecData(pool, request.spec));
  const id = await enqueueRun(pool, {
    spec: request.spec,
    pipeline: request.pipeline,
    queue: request.requireGpu ? "gpu" : "any",
    params: flattenParams(request.spec),
    tags: request.tags,
    name: request.name,
    createdById: userId,
    experimentId: request.experiment ? await ensureExperiment(pool, request.experiment, userId) : undefined,
  });
  return { id, status: "QUEUED" };
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
