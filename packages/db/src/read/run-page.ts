import {
  isTerminalStatus,
  NotFoundError,
  type PipelineName,
  pipelineNameSchema,
  pipelineNames,
  UserFacingError,
} from "@hindcast/contracts";
import type pg from "pg";
import { prismaOf } from "../client";
import type { Artifact, LogLine, MetricSummary, Run, StageEvent } from "../generated/prisma/client";
import type { NotificationHub } from "../notify";
import { watchRun } from "../watch-run";
import { type RunRow, runRowOf, runRowSelect } from "./run-row";

export type RunMetricSummary = Pick<MetricSummary, "key" | "last" | "lastStep" | "min" | "max" | "count">;

/** A run as its live stream sends it: the row and the summary of each of its metrics. */
export type RunState = RunRow & { metrics: RunMetricSummary[] };

/** Everything the run page shows of a run but its logs, artifacts and results. */
export type RunDetails = RunState & {
  spec: unknown;
  note: string | null;
  stages: Pick<StageEvent, "stage" | "kind" | "attempt" | "durationMs" | "message" | "details" | "at">[];
};

const metricSummarySelect = { key: true, last: true, lastStep: true, min: true, max: true, count: true } as const;

/** No run has this id; `path` is the input that named it. */
export const runNotFound = (id: string, path = "id") =>
  new NotFoundError(`Run ${id} does not exist`, "check the run id (hindcast train list shows them)", { path });

/** A run as read with its `deletedAt`: 404 when there is none, or when it is being deleted. */
function existing<Run extends { deletedAt: Date | null }>(run: Run | null, id: string): Omit<Run, "deletedAt"> {
  if (!run) throw runNotFound(id);
  const { deletedAt, ...rest } = run;
  if (deletedAt) throw new NotFoundError(`Run ${id} was deleted`, "hindcast train list shows the runs that remain", { path: "id" });
  return rest;
}

/** A run's state; 404 when there is no such run. */
async function readRunState(pool: pg.Pool, id: string): Promise<RunState> {
  const run = await prismaOf(pool).run.findUnique({
    where: { id },
    select: { ...runRowSelect, deletedAt: true, metricSummaries: { select: metricSummarySelect, orderBy: { key: "asc" } } },
  });
  const { metricSummaries, ...row } = existing(run, id);
  return { ...runRowOf(row), metrics: metricSummaries };
}

/** A run with its spec, stage events (oldest first) and metric summaries; 404 when there is no such run. */
export async function readRunDetails(pool: pg.Pool, id: string): Promise<RunDetails> {
  const run = await prismaOf(pool).run.findUnique({
    where: { id },
    select: {
      ...runRowSelect,
      deletedAt: true,
      spec: true,
      note: true,
      stageEvents: {
        select: { stage: true, kind: true, attempt: true, durationMs: true, message: true, details: true, at: true },
        orderBy: { id: "asc" },
      },
      metricSummaries: { select: metricSummarySelect, orderBy: { key: "asc" } },
    },
  });
  const { metricSummaries, stageEvents, spec, note, ...row } = existing(run, id);
  return { ...runRowOf(row), metrics: metricSummaries, spec, note, stages: stageEvents };
}

/**
 * A run's state now and after every change of its status, progress or
 * stage (coalesced), until it ends or `signal` aborts. Nothing is lost
 * across a reconnect of the hub: each state is read whole.
 */
export async function* liveRunState(pool: pg.Pool, hub: NotificationHub, id: string, signal?: AbortSignal): AsyncGenerator<RunState> {
  for await (const _ of watchRun(hub, id, ["status", "progress", "stage"], signal)) {
    const run = await readRunState(pool, id);
    yield run;
    if (isTerminalStatus(run.status)) return;
  }
}

export type RunLogLine = Pick<LogLine, "attempt" | "level" | "message" | "fields" | "at"> & {
  /** The bigint id as text, so no precision is lost. */
  id: string;
};

/** Log lines after `afterId` (oldest first), or the newest `limit` when no `afterId` is given. */
export async function readRunLogs(pool: pg.Pool, runId: string, afterId: string | undefined, limit: number): Promise<RunLogLine[]> {
  const lines = await prismaOf(pool).logLine.findMany({
    where: { runId, run: { deletedAt: null }, ...(afterId === undefined ? {} : { id: { gt: BigInt(afterId) } }) },
    select: { id: true, attempt: true, level: true, message: true, fields: true, at: true },
    // Newest first for the tail, then turned around; sorted by the bigint id, never its text ("10" < "9").
    orderBy: { id: afterId === undefined ? "desc" : "asc" },
    take: limit,
  });
  if (afterId === undefined) lines.reverse();
  return lines.map((line) => ({ ...line, id: line.id.toString() }));
}

/** What cloning a run takes from it; 404 when there is no such run. */
export async function readRunSource(
  pool: pg.Pool,
  id: string,
): Promise<Pick<Run, "spec" | "queue" | "tags" | "name" | "status"> & { pipeline: PipelineName }> {
  const run = await prismaOf(pool).run.findUnique({
    where: { id },
    select: { spec: true, pipeline: true, queue: true, tags: true, name: true, status: true, deletedAt: true },
  });
  const source = existing(run, id);
  const pipeline = pipelineNameSchema.safeParse(source.pipeline);
  if (!pipeline.success) {
    throw new UserFacingError(
      `run ${id} names the pipeline "${source.pipeline}", which this version does not have`,
      `start a new run with one of ${pipelineNames.join(", ")}`,
      { path: "id" },
    );
  }
  return { ...source, pipeline: pipeline.data };
}

export type RunArtifact = Pick<Artifact, "id" | "name" | "kind" | "contentType" | "createdAt"> & {
  sizeBytes: number | null;
  /** Where the API serves the file. */
  url: string;
};

/** A run's artifacts by kind and name, with the URL the API downloads each from (never their store URIs). */
export async function readRunArtifacts(pool: pg.Pool, runId: string): Promise<RunArtifact[]> {
  const artifacts = await prismaOf(pool).artifact.findMany({
    where: { runId, run: { deletedAt: null } },
    select: { id: true, name: true, kind: true, contentType: true, sizeBytes: true, createdAt: true },
    orderBy: [{ kind: "asc" }, { name: "asc" }],
  });
  return artifacts.map((a) => ({ ...a, sizeBytes: a.sizeBytes === null ? null : Number(a.sizeBytes), url: `/api/artifacts/${a.id}` }));
}
