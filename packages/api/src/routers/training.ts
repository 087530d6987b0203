import { type DatasetSummary, listAllDatasets } from "@hindcast/datasets";
import { cancelRun, enqueueRun, runEventsChannel, runsByIdPrefix, terminalStatuses } from "@hindcast/db";
import { flattenParams, plainText, setPath, type TrainingSpec, trainingSpecSchema } from "@hindcast/models";
import { TRPCError, tracked } from "@trpc/server";
import type pg from "pg";
import type { z } from "zod";
import { listRuns, type RunSummaryRow, runColumns, summarizeRuns } from "../run-list.js";
import { assertRunFitsMemory } from "../run-memory.js";
import { cloneRunInput, listRunsInput, resolveRunIdsInput, runFiltersInput, runIdInput, startTrainingInput } from "../schemas.js";
import { operatorProcedure, router, viewerProcedure } from "../trpc.js";
import { ensureExperiment } from "./experiments.js";

/** A new run with the spec of `input.id`, changed by `input.set` ({"train.epochs": 50}); the new spec is validated whole. */
async function cloneRun(pool: pg.Pool, userId: string, input: z.output<typeof cloneRunInput>, retry = false) {
  const { rows } = await pool.query<{
    spec: unknown;
    pipeline: string;
    queue: string;
    tags: string[];
    name: string | null;
    status: string;
  }>(`SELECT "spec", "pipeline", "queue", "tags", "name", "status" FROM "Run" WHERE "id" = $1`, [input.id]);
  const source = rows[0];
  if (!source) throw new TRPCError({ code: "NOT_FOUND", message: `Run ${input.id} does not exist` });
  if (retry && !terminalStatuses.includes(source.status as (typeof terminalStatuses)[number])) {
    throw new TRPCError({ code: "CONFLICT", message: `id: run ${input.id} is still ${source.status}; cancel it before retrying` });
  }
  const spec = structuredClone(source.spec) as Record<string, unknown>;
  // Another model family keeps none of the old family's options (they would be unknown fields); it starts from its defaults.
  const kind = input.set["model.kind"];
  if (kind !== undefined && kind !== (spec.model as { kind?: unknown } | undefined)?.kind) spec.model = {};
  for (const [path, value] of Object.entries(input.set)) setPath(spec, path.split("."), value);
  const parsed = trainingSpecSchema.safeParse(spec);
  if (!parsed.success) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: parsed.error.issues.map((i) => `set ${i.path.join(".")}: ${i.message}`).join("; "),
      cause: parsed.error,
    });
  }
  await assertRunFitsMemory(pool, parsed.data, await assertSpecData(pool, parsed.data));
  const id = await enqueueRun(pool, {
    spec: parsed.data,
    pipeline: source.pipeline,
    queue: source.queue === "gpu" ? "gpu" : "any",
    params: flattenParams(parsed.data),
    tags: input.tags ?? source.tags,
    name: input.name ?? `${source.name ?? input.id.slice(0, 8)} (${Object.keys(input.set).length ? "changed" : "retry"})`,
    createdById: userId,
  });
  return { id, status: "QUEUED" as const };
}

/** The spec's dataset, after checking it exists and has the target and feature columns; 400 naming the field otherwise. */
async function assertSpecData(pool: pg.Pool, spec: TrainingSpec): Promise<DatasetSummary> {
  const datasets = await listAllDatasets(pool);
  const known = datasets.find((d) => d.name === spec.data.dataset);
  if (!known) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `spec.data.dataset: unknown dataset "${spec.data.dataset}"; use one of ${datasets.map((d) => d.name).join(", ")}`,
    });
  }
  for (const [path, column] of [
    ["spec.data.target", spec.data.target],
    ...spec.data.features.map((f, i) => [`spec.data.features.${i}`, f] as const),
  ] as const) {
    if (!known.columns.includes(column))
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `${path}: "${column}" is not a column of ${known.name}; use one of ${known.columns.join(", ")}`,
      });
  }
  return known;
}

interface MetricSummary {
  key: string;
  last: number;
  lastStep: number;
  min: number | null;
  max: number | null;
  count: number;
}

async function metricSummaries(pool: pg.Pool, runId: string): Promise<MetricSummary[]> {
  const { rows } = await pool.query<MetricSummary>(
    `SELECT "key", "last", "lastStep", "min", "max", "count" FROM "MetricSummary" WHERE "runId" = $1 ORDER BY "key"`,
    [runId],
  );
  return rows;
}

/** The most candidates an ambiguous prefix names. */
const maxCandidates = 5;

/**
 * The whole id of each run id prefix, in order. 404 when a prefix matches no
 * run; 400 naming the candidates when it matches several.
 */
async function resolveRunIds(pool: pg.Pool, prefixes: string[]): Promise<string[]> {
  const found = await runsByIdPrefix(pool, prefixes, maxCandidates + 1);
  const problems: { code: "NOT_FOUND" | "BAD_REQUEST"; message: string }[] = [];
  const ids = prefixes.map((prefix, i) => {
    const matches = found[i] ?? [];
    if (matches.length === 1) return (matches[0] as (typeof matches)[number]).id;
    if (!matches.length) problems.push({ code: "NOT_FOUND", message: `No run id starts with ${prefix}` });
    else {
      const candidates = matches.slice(0, maxCandidates).map((run) => `${run.id} (${run.name ?? "unnamed"}, ${run.status})`);
      const count = matches.length > maxCandidates ? `more than ${maxCandidates} runs` : `${matches.length} runs`;
      problems.push({
        code: "BAD_REQUEST",
        message: `${prefix} matches ${count}: ${candidates.join(", ")}${matches.length > maxCandidates ? ", ..." : ""}; give more of the id`,
      });
    }
    return "";
  });
  const first = problems[0];
  if (first) throw new TRPCError({ code: first.code, message: problems.map((p) => p.message).join("; ") });
  return ids;
}

export const trainingRouter = router({
  start: operatorProcedure.input(startTrainingInput).mutation(async ({ ctx, input }) => {
    const known = await assertSpecData(ctx.pool, input.spec);
    await assertRunFitsMemory(ctx.pool, input.spec, known);
    const id = await enqueueRun(ctx.pool, {
      spec: input.spec,
      pipeline: input.pipeline,
      queue: input.requireGpu ? "gpu" : "any",
      params: flattenParams(input.spec),
      tags: input.tags,
      name: input.name,
      createdById: ctx.user.id,
      experimentId: input.experiment ? await ensureExperiment(ctx.pool, input.experiment, ctx.user.id) : undefined,
    });
    return { id, status: "QUEUED" as const };
  }),

  /** The same spec again as a new run (a finished, failed or cancelled one). */
  retry: operatorProcedure.input(runIdInput).mutation(({ ctx, input }) => cloneRun(ctx.pool, ctx.user.id, { id: input.id, set: {} }, true)),

  clone: operatorProcedure.input(cloneRunInput).mutation(({ ctx, input }) => cloneRun(ctx.pool, ctx.user.id, input)),

  cancel: operatorProcedure.input(runIdInput).mutation(({ ctx, input }) => cancelRun(ctx.pool, input.id, `cancelled by ${ctx.user.email}`)),

  get: viewerProcedure.input(runIdInput).query(async ({ ctx, input }) => {
    const { rows } = await ctx.pool.query<RunSummaryRow & { spec: unknown }>(
      `SELECT ${runColumns}, r."spec" FROM "Run" r WHERE r."id" = $1`,
      [input.id],
    );
    if (!rows[0]) throw new TRPCError({ code: "NOT_FOUND", message: `Run ${input.id} does not exist` });
    const stages = await ctx.pool.query(
      `SELECT "stage", "kind", "attempt", "durationMs", "message", "details", "at" FROM "StageEvent" WHERE "runId" = $1 ORDER BY "id"`,
      [input.id],
    );
    return { ...rows[0], stages: stages.rows, metrics: await metricSummaries(ctx.pool, input.id) };
  }),

  /**
   * Live status and progress of a run over SSE, with its metric summaries:
   * the current state first (so a reconnect loses nothing), then a fresh
   * state after every change the worker NOTIFYs, coalesced; ends when the
   * run does.
   */
  events: viewerProcedure.input(runIdInput.extend({ lastEventId: plainText().max(10_000).nullish() })).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const hub = ctx.hub;
    if (!hub) throw new TRPCError({ code: "METHOD_NOT_SUPPORTED", message: "This server has no live updates; poll training.get" });
    let pending = false;
    let wake: (() => void) | undefined;
    const unlisten = await hub.listen(runEventsChannel, (event) => {
      if (event.runId !== input.id || event.kind === "metrics") return;
      pending = true;
      wake?.();
    });
    const onAbort = () => wake?.();
    signal?.addEventListener("abort", onAbort);
    try {
      let sequence = 0;
      for (;;) {
        pending = false;
        const { rows } = await ctx.pool.query<RunSummaryRow>(`SELECT ${runColumns} FROM "Run" r WHERE r."id" = $1`, [input.id]);
        const run = rows[0];
        if (!run) throw new TRPCError({ code: "NOT_FOUND", message: `Run ${input.id} does not exist` });
        yield tracked(`${Date.now()}-${sequence++}`, { ...run, metrics: await metricSummaries(ctx.pool, input.id) });
        if (terminalStatuses.includes(run.status) || signal?.aborted) return;
        if (!pending) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        if (signal?.aborted) return;
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      await unlisten();
    }
  }),

  list: viewerProcedure.input(listRunsInput).query(({ ctx, input }) => listRuns(ctx.pool, input)),

  /** The whole ids of run id prefixes (the 8 characters the CLI prints), in order: each must match exactly one run. */
  resolveIds: viewerProcedure
    .input(resolveRunIdsInput)
    .query(async ({ ctx, input }) => ({ ids: await resolveRunIds(ctx.pool, input.prefixes) })),

  /** Runs matching a list's filters: how many by status, and how many of those with a retrodiction beat the naive forecast. */
  summary: viewerProcedure.input(runFiltersInput).query(({ ctx, input }) => summarizeRuns(ctx.pool, input)),
});
