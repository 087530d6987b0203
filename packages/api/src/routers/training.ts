import { listAllDatasets } from "@hindcast/datasets";
import { cancelRun, enqueueRun, runEventsChannel, terminalStatuses } from "@hindcast/db";
import { trainingSpecSchema } from "@hindcast/models";
import { TRPCError, tracked } from "@trpc/server";
import { z } from "zod";
import { cloneRunInput, flattenParams, listRunsInput, runIdInput, setPath, startTrainingInput } from "../schemas.js";
import { operatorProcedure, router, viewerProcedure } from "../trpc.js";
import { ensureExperiment } from "./experiments.js";

const runColumns = `r."id", r."name", r."status", r."pipeline", r."queue", r."tags", r."params", r."attempt", r."backend",
  r."phase", r."step", r."totalSteps", r."itemsDone", r."itemsTotal", r."percent", r."etaSeconds", r."samplesPerSecond",
  r."message", r."resultSummary", r."error", r."parentId", r."workerId", r."experimentId", r."createdAt", r."startedAt", r."finishedAt"`;

export interface RunSummaryRow {
  id: string;
  name: string | null;
  status: "QUEUED" | "RUNNING" | "CANCELLING" | "CANCELLED" | "SUCCEEDED" | "FAILED";
  pipeline: string;
  queue: string;
  tags: string[];
  params: Record<string, unknown>;
  attempt: number;
  backend: string | null;
  phase: string | null;
  step: number;
  totalSteps: number | null;
  itemsDone: number;
  itemsTotal: number | null;
  percent: number;
  etaSeconds: number | null;
  samplesPerSecond: number | null;
  message: string | null;
  resultSummary: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  parentId: string | null;
  workerId: string | null;
  experimentId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

interface Cursor {
  createdAt: string;
  id: string;
}
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");
function decodeCursor(text: string): Cursor {
  try {
    return JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Cursor;
  } catch {
    throw new TRPCError({ code: "BAD_REQUEST", message: "cursor is not one this API returned; start from the first page" });
  }
}

export const trainingRouter = router({
  start: operatorProcedure.input(startTrainingInput).mutation(async ({ ctx, input }) => {
    const datasets = await listAllDatasets(ctx.pool);
    const known = datasets.find((d) => d.name === input.spec.data.dataset);
    if (!known) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `spec.data.dataset: unknown dataset "${input.spec.data.dataset}"; use one of ${datasets.map((d) => d.name).join(", ")}`,
      });
    }
    const columns = known.columns;
    for (const [path, column] of [
      ["spec.data.target", input.spec.data.target],
      ...input.spec.data.features.map((f, i) => [`spec.data.features.${i}`, f]),
    ] as const) {
      if (!columns.includes(column))
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `${path}: "${column}" is not a column of ${known.name}; use one of ${columns.join(", ")}`,
        });
    }
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

  /** A new run with the spec of an earlier one, changed by `set` ({"train.epochs": 50}); the new spec is validated whole. */
  clone: operatorProcedure.input(cloneRunInput).mutation(async ({ ctx, input }) => {
    const { rows } = await ctx.pool.query<{ spec: unknown; pipeline: string; queue: string; tags: string[]; name: string | null }>(
      `SELECT "spec", "pipeline", "queue", "tags", "name" FROM "Run" WHERE "id" = $1`,
      [input.id],
    );
    const source = rows[0];
    if (!source) throw new TRPCError({ code: "NOT_FOUND", message: `Run ${input.id} does not exist` });
    const spec = structuredClone(source.spec) as Record<string, unknown>;
    for (const [path, value] of Object.entries(input.set)) setPath(spec, path.split("."), value);
    const parsed = trainingSpecSchema.safeParse(spec);
    if (!parsed.success) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: parsed.error.issues.map((i) => `set ${i.path.join(".")}: ${i.message}`).join("; "),
        cause: parsed.error,
      });
    }
    const id = await enqueueRun(ctx.pool, {
      spec: parsed.data,
      pipeline: source.pipeline,
      queue: source.queue === "gpu" ? "gpu" : "any",
      params: flattenParams(parsed.data),
      tags: input.tags ?? source.tags,
      name: input.name ?? `${source.name ?? input.id.slice(0, 8)} (${Object.keys(input.set).length ? "changed" : "retry"})`,
      createdById: ctx.user.id,
    });
    return { id, status: "QUEUED" as const };
  }),

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
    const metrics = await ctx.pool.query(
      `SELECT "key", "last", "lastStep", "min", "max", "count" FROM "MetricSummary" WHERE "runId" = $1 ORDER BY "key"`,
      [input.id],
    );
    return { ...rows[0], stages: stages.rows, metrics: metrics.rows };
  }),

  /**
   * Live status and progress of a run over SSE: the current state first (so a
   * reconnect loses nothing), then a fresh state after every change the
   * worker NOTIFYs, coalesced; ends when the run does.
   */
  events: viewerProcedure.input(runIdInput.extend({ lastEventId: z.string().nullish() })).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const hub = ctx.hub;
    if (!hub) throw new TRPCError({ code: "METHOD_NOT_SUPPORTED", message: "This server has no live updates; poll training.get" });
    let pending = false;
    let wake: (() => void) | undefined;
    const unlisten = await hub.listen(runEventsChannel, (event) => {
      if (event.runId !== input.id) return;
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
        yield tracked(`${Date.now()}-${sequence++}`, run);
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

  list: viewerProcedure.input(listRunsInput).query(async ({ ctx, input }) => {
    const where: string[] = [];
    const values: unknown[] = [];
    const param = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    if (input.status?.length) where.push(`r."status" = ANY(${param(input.status)}::"RunStatus"[])`);
    if (input.tags?.length) where.push(`r."tags" @> ${param(input.tags)}::text[]`);
    if (input.params && Object.keys(input.params).length) where.push(`r."params" @> ${param(JSON.stringify(input.params))}::jsonb`);
    if (input.experiment) where.push(`r."experimentId" = (SELECT "id" FROM "Experiment" WHERE "name" = ${param(input.experiment)})`);
    if (input.parentId !== undefined)
      where.push(input.parentId === null ? `r."parentId" IS NULL` : `r."parentId" = ${param(input.parentId)}`);
    if (input.search) {
      const pattern = param(`%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(
        `(r."name" ILIKE ${pattern} OR r."pipeline" ILIKE ${pattern} OR r."params"->>'data.dataset' ILIKE ${pattern} OR r."params"->>'data.target' ILIKE ${pattern})`,
      );
    }
    if (input.cursor) {
      const cursor = decodeCursor(input.cursor);
      where.push(`(r."createdAt", r."id") < (${param(cursor.createdAt)}::timestamptz, ${param(cursor.id)}::uuid)`);
    }
    const { rows } = await ctx.pool.query<RunSummaryRow>(
      `SELECT ${runColumns} FROM "Run" r ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY r."createdAt" DESC, r."id" DESC LIMIT ${param(input.limit + 1)}`,
      values,
    );
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return {
      runs: page,
      nextCursor: rows.length > input.limit && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
    };
  }),
});
