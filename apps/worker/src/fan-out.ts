import type { PipelineName } from "@hindcast/contracts";
import { loadAnyDataset } from "@hindcast/datasets";
import { type ClaimedRun, childOutcomes, type Ending, endParentRun, fanOut, type TerminalStatus } from "@hindcast/db";
import { errorMessage } from "@hindcast/engine";
import {
  flattenParams,
  overallReport,
  planSpecWindows,
  prepareSeries,
  reportHeadline,
  type TrainingSpec,
  trainingSpecSchema,
  verdictText,
  type WindowResult,
} from "@hindcast/models";
import type { WorkerContext } from "./context";
import { endHeldRun } from "./end-run";
import { RunArtifacts } from "./ports/run-artifacts";
import { retryTransient } from "./ports/transient";

/** The pipeline of each window's child run. */
const windowPipeline: PipelineName = "retrodiction";

/**
 * parallel-retrodiction, fan-out: one child run per retrodiction window, each
 * fitting on the rows before its window (a retrodiction with that single
 * window). The parent stays RUNNING and counts its children; the aggregate
 * step ends it when the last one has ended.
 */
export async function fanOutWindows(worker: WorkerContext, claimed: ClaimedRun): Promise<void> {
  let spec: TrainingSpec;
  let windows: ReturnType<typeof planSpecWindows>;
  try {
    spec = trainingSpecSchema.parse(claimed.spec);
    const series = prepareSeries(await loadAnyDataset(worker.pool, spec.data.dataset), spec.data);
    windows = planSpecWindows(series, spec);
  } catch (error) {
    await endHeldRun(worker, claimed.id, "FAILED", {
      message: `Cannot plan windows: ${errorMessage(error)}`,
      error: { class: "invalid_input", message: errorMessage(error), stage: "fan-out" },
    });
    return;
  }
  const children = windows.map((window) => {
    const childSpec = { ...spec, retrodiction: { ...spec.retrodiction, from: window.startDate, to: window.endDate, windows: 1 } };
    return {
      spec: childSpec,
      params: flattenParams(childSpec),
      name: `window ${window.index + 1}/${windows.length} (${window.startDate}..${window.endDate})`,
    };
  });
  await retryTransient(() => fanOut(worker.pool, claimed.id, windowPipeline, children));
}

/** The graphile-worker task that ends a parallel retrodiction once every child has ended. */
export function aggregateTaskHandler(worker: WorkerContext) {
  return async (payload: unknown): Promise<void> => {
    const { runId } = payload as { runId: string };
    const { pool } = worker;
    const { parentStatus, children } = await retryTransient(() => childOutcomes(pool, runId));
    const failed = children.filter((c) => c.status === "FAILED");
    const cancelled = children.filter((c) => c.status === "CANCELLED");
    const workers = [...new Set(children.map((c) => c.workerId).filter(Boolean))];
    const end = async (status: TerminalStatus, ending: Ending) => {
      const ended = await retryTransient(() => endParentRun(pool, runId, status, ending));
      if (!ended.ok) worker.log.warn({ runId, from: ended.from }, `parallel retrodiction not ended ${status}: ${ended.reason}`);
    };

    if (parentStatus === "CANCELLING" || cancelled.length > 0) {
      return end("CANCELLED", { message: `Cancelled: ${cancelled.length} of ${children.length} windows cancelled` });
    }
    if (failed.length > 0) {
      return end("FAILED", {
        message: `${failed.length} of ${children.length} windows failed; first: ${failed[0]?.message ?? "unknown"}`,
        error: { class: "child_failed", message: failed[0]?.message ?? null, stage: "aggregate", failedRuns: failed.map((c) => c.id) },
      });
    }
    const artifacts = new RunArtifacts(pool, runId, worker.artifacts);
    const results: Pick<WindowResult, "predictions" | "maseScale" | "window" | "report">[] = [];
    for (const child of children) {
      if (!child.resultsUri) throw new Error(`window run ${child.id} has no results.json`);
      const json = JSON.parse(new TextDecoder().decode(await artifacts.get(child.resultsUri))) as {
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
        children: children.map((c) => c.id),
        workers,
      }),
      { kind: "results", contentType: "application/json" },
    );
    await end("SUCCEEDED", {
      message: `Done: ${children.length} windows on ${workers.length} worker(s), RMSE ${report.rmse.toPrecision(4)}; ${verdictText(report.verdict)}`,
      resultSummary: {
        windows: children.length,
        workers,
        ...reportHeadline(report),
      },
    });
  };
}
