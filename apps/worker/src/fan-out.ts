import { loadAnyDataset } from "@hindcast/datasets";
import { insertRun, notify, runEventsChannel } from "@hindcast/db";
import { errorMessage, planSpecWindows } from "@hindcast/engine";
import {
  flattenParams,
  overallReport,
  prepareSeries,
  reportHeadline,
  type TrainingSpec,
  trainingSpecSchema,
  verdictText,
  type WindowResult,
} from "@hindcast/models";
import type { WorkerContext } from "./context.js";
import { FileArtifactStore } from "./ports/artifact-store.js";
import { retryTransient } from "./ports/transient.js";
import { type ClaimedRun, finishRun, inTransaction, setTerminal } from "./run-state.js";

/** A retrodiction whose windows run as child runs on any worker, aggregated when the last one ends. */
export const parallelPipeline = "parallel-retrodiction";

/**
 * Fan-out: one child run per retrodiction window, each fitting on the rows
 * before its window (pipeline "retrodiction" with that single window). The
 * parent stays RUNNING and counts its children; see countChildDone.
 */
export async function fanOutWindows(worker: WorkerContext, claimed: ClaimedRun): Promise<void> {
  const { pool, workerId } = worker;
  let spec: TrainingSpec;
  let windows: ReturnType<typeof planSpecWindows>;
  try {
    spec = trainingSpecSchema.parse(claimed.spec);
    const series = prepareSeries(await loadAnyDataset(pool, spec.data.dataset), spec.data);
    windows = planSpecWindows(series, spec);
  } catch (error) {
    await finishRun(pool, claimed.id, workerId, "FAILED", {
      message: `Cannot plan windows: ${errorMessage(error)}`,
      error: { class: "invalid_input", message: errorMessage(error), stage: "fan-out" },
    });
    return;
  }
  await inTransaction(pool, async (db) => {
    const existing = await db.query(`SELECT 1 FROM "Run" WHERE "parentId" = $1`, [claimed.id]);
    if (existing.rowCount) return; // a crashed fan-out already created them
    // Children carry their parent's params, tags, experiment and owner, so they read (and filter) as part of it.
    const parent = (
      await db.query<{ tags: string[]; experimentId: string | null; createdById: string | null }>(
        `SELECT "tags", "experimentId", "createdById" FROM "Run" WHERE "id" = $1`,
        [claimed.id],
      )
    ).rows[0];
    for (const window of windows) {
      const childSpec = { ...spec, retrodiction: { ...spec.retrodiction, from: window.startDate, to: window.endDate, windows: 1 } };
      await insertRun(db, {
        spec: childSpec,
        params: flattenParams(childSpec),
        tags: parent?.tags,
        experimentId: parent?.experimentId ?? undefined,
        createdById: parent?.createdById ?? undefined,
        pipeline: "retrodiction",
        queue: claimed.queue,
        parentId: claimed.id,
        name: `window ${window.index + 1}/${windows.length} (${window.startDate}..${window.endDate})`,
      });
    }
    await db.query(
      `UPDATE "Run" SET "itemsTotal" = $2, "itemsDone" = 0, "phase" = 'windows', "message" = $3, "updatedAt" = now() WHERE "id" = $1`,
      [claimed.id, windows.length, `0/${windows.length} windows done`],
    );
    await notify(db, runEventsChannel, { runId: claimed.id, kind: "progress", percent: 0 });
  });
}

interface ChildRow {
  id: string;
  status: string;
  workerId: string | null;
  message: string | null;
  uri: string | null;
}

/** The graphile-worker task that ends a parallel retrodiction once every child has ended. */
export function aggregateTaskHandler(worker: WorkerContext) {
  return async (payload: unknown): Promise<void> => {
    const { runId } = payload as { runId: string };
    const { pool } = worker;
    const children = await retryTransient(() =>
      pool.query<ChildRow>(
        `SELECT c."id", c."status", c."workerId", c."message", a."uri"
           FROM "Run" c LEFT JOIN "Artifact" a ON a."runId" = c."id" AND a."name" = 'results.json'
          WHERE c."parentId" = $1 ORDER BY c."createdAt"`,
        [runId],
      ),
    );
    const rows = children.rows;
    const failed = rows.filter((c) => c.status === "FAILED");
    const cancelled = rows.filter((c) => c.status === "CANCELLED");
    const workers = [...new Set(rows.map((c) => c.workerId).filter(Boolean))];
    const end = async (status: "SUCCEEDED" | "FAILED" | "CANCELLED", ending: Parameters<typeof setTerminal>[3]) =>
      inTransaction(pool, async (db) => {
        const parent = await db.query(`SELECT 1 FROM "Run" WHERE "id" = $1 AND "status" IN ('RUNNING', 'CANCELLING') FOR UPDATE`, [runId]);
        if (parent.rowCount) await setTerminal(db, runId, status, ending);
      });

    const parentStatus = (await pool.query<{ status: string }>(`SELECT "status" FROM "Run" WHERE "id" = $1`, [runId])).rows[0]?.status;
    if (parentStatus === "CANCELLING" || cancelled.length > 0) {
      return end("CANCELLED", { message: `Cancelled: ${cancelled.length} of ${rows.length} windows cancelled` });
    }
    if (failed.length > 0) {
      return end("FAILED", {
        message: `${failed.length} of ${rows.length} windows failed; first: ${failed[0]?.message ?? "unknown"}`,
        error: { class: "child_failed", message: failed[0]?.message ?? null, stage: "aggregate", failedRuns: failed.map((c) => c.id) },
      });
    }
    const artifacts = new FileArtifactStore(pool, runId, worker.config.artifactsDir);
    const results: Pick<WindowResult, "predictions" | "maseScale" | "window" | "report">[] = [];
    for (const child of rows) {
      if (!child.uri) throw new Error(`window run ${child.id} has no results.json`);
      const json = JSON.parse(new TextDecoder().decode(await artifacts.get(child.uri))) as {
        windows: Pick<WindowResult, "predictions" | "maseScale" | "window" | "report">[];
      };
      results.push(...json.windows);
    }
    const report = overallReport(results);
    await artifacts.put(
      "results.json",
      JSON.stringify({
        overall: report,
        windows: results.map((r) => ({ window: r.window, metrics: r.report })),
        children: rows.map((c) => c.id),
        workers,
      }),
      { kind: "results", contentType: "application/json" },
    );
    await end("SUCCEEDED", {
      message: `Done: ${rows.length} windows on ${workers.length} worker(s), RMSE ${report.rmse.toPrecision(4)}; ${verdictText(report.verdict)}`,
      resultSummary: {
        windows: rows.length,
        workers,
        ...reportHeadline(report),
      },
    });
  };
}
