import { parseRunSummary, type RunSummary } from "@hindcast/contracts";
import type { Run } from "../generated/prisma/client";

/** What a run's `error` column holds when it failed: the worker's classification of the failure. */
export type RunError = Record<string, unknown>;

/** A run as the runs table, the run page and the live stream show it (no spec). */
export type RunRow = Pick<
  Run,
  | "id"
  | "name"
  | "status"
  | "pipeline"
  | "queue"
  | "tags"
  | "attempt"
  | "backend"
  | "phase"
  | "step"
  | "totalSteps"
  | "itemsDone"
  | "itemsTotal"
  | "percent"
  | "etaSeconds"
  | "samplesPerSecond"
  | "message"
  | "parentId"
  | "workerId"
  | "experimentId"
  | "createdAt"
  | "startedAt"
  | "finishedAt"
  | "archivedAt"
> & {
  /** The spec flattened to dotted keys ("model.kind", "train.epochs"). */
  params: Record<string, unknown>;
  /** Null before the run has one, and for a stored one that cannot be read as a RunSummary. */
  resultSummary: RunSummary | null;
  error: RunError | null;
  /** Child runs (the windows of a parallel retrodiction). */
  childCount: number;
};

/** A run row as read, its JSON columns not yet checked. */
export type StoredRunRow = Omit<RunRow, "params" | "resultSummary" | "error"> & {
  params: unknown;
  resultSummary: unknown;
  error: unknown;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A run's stored params: an object of dotted keys, or none when the column holds anything else. */
export const runParams = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});

/**
 * A stored row with its JSON read: a summary that is not a RunSummary reads
 * as null (parsing also drops the artifact URIs old runs kept in it, server
 * paths no answer may carry).
 */
export function toRunRow({ params, resultSummary, error, ...row }: StoredRunRow): RunRow {
  return {
    ...row,
    params: runParams(params),
    resultSummary: parseRunSummary(resultSummary),
    error: isRecord(error) ? error : null,
  };
}

/** The columns of a RunRow in plain SQL over `"Run" r`. */
export const runRowColumns = `r."id", r."name", r."status", r."pipeline", r."queue", r."tags", r."params", r."attempt", r."backend",
  r."phase", r."step", r."totalSteps", r."itemsDone", r."itemsTotal", r."percent", r."etaSeconds", r."samplesPerSecond",
  r."message", r."resultSummary", r."error", r."parentId", r."workerId", r."experimentId", r."createdAt", r."startedAt", r."finishedAt", r."archivedAt",
  (SELECT count(*)::int FROM "Run" c WHERE c."parentId" = r."id" AND c."deletedAt" IS NULL) AS "childCount"`;

/** The same columns through Prisma, as a `select`; `runRowOf` reads its result. */
export const runRowSelect = {
  id: true,
  name: true,
  status: true,
  pipeline: true,
  queue: true,
  tags: true,
  params: true,
  attempt: true,
  backend: true,
  phase: true,
  step: true,
  totalSteps: true,
  itemsDone: true,
  itemsTotal: true,
  percent: true,
  etaSeconds: true,
  samplesPerSecond: true,
  message: true,
  resultSummary: true,
  error: true,
  parentId: true,
  workerId: true,
  experimentId: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  archivedAt: true,
  _count: { select: { children: { where: { deletedAt: null } } } },
} as const;

/** A run read with `runRowSelect`, as a RunRow. */
export const runRowOf = ({ _count, ...row }: Omit<StoredRunRow, "childCount"> & { _count: { children: number } }): RunRow =>
  toRunRow({ ...row, childCount: _count.children });
