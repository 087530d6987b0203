"use client";
import type { RetrodictionResults } from "@hindcast/api";
import { againstRun, fetchReplayInputs, type ReplaySource, replayablePipelines } from "@hindcast/api/replay-inputs";
import type { ReplayPart } from "@hindcast/engine";
import type { Dataset } from "@hindcast/models";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { RetrodictionView } from "@/components/run/retrodiction-panel";
import { errorMessage } from "@/lib/errors";
import { formatDuration, formatNumber } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { BackendReport } from "./backend-report";
import type { PreviewState } from "./use-preview-worker";

/** The replay's inputs through the page's query cache (a run loaded twice is fetched once). */
function useReplayInputs() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const source: ReplaySource = {
    run: (id) => queryClient.fetchQuery(trpc.training.get.queryOptions({ id })),
    artifacts: (id) => queryClient.fetchQuery(trpc.runs.artifacts.queryOptions({ id })),
    children: async (id) =>
      (await queryClient.fetchQuery(trpc.training.list.queryOptions({ parentId: id, limit: 500 }))).runs.map((child) => child.id),
    results: (id) => queryClient.fetchQuery(trpc.runs.results.queryOptions({ id })),
    dataset: (name) => queryClient.fetchQuery(trpc.datasets.data.queryOptions({ name }, { staleTime: 600_000 })),
    download: (url) => fetch(url, { credentials: "same-origin" }),
  };
  return useMutation({ mutationFn: (runId: string) => fetchReplayInputs(source, runId) });
}

/**
 * "Load a trained run": a finished run's saved model predicts its retrodiction
 * again in this browser, next to the numbers the worker reported.
 */
export function ReplayPanel({
  state,
  replay,
  backends,
  initialRunId,
}: {
  state: PreviewState;
  replay: (parts: ReplayPart[], dataset: Dataset, backends?: string[]) => void;
  backends?: string[];
  /** ?run=<id>: the run page's "Predict again in this browser" link. */
  initialRunId?: string;
}) {
  const trpc = useTRPC();
  const runs = useQuery(trpc.training.list.queryOptions({ status: ["SUCCEEDED"], parentId: null, limit: 100 }));
  const choices = runs.data?.runs.filter((r) => replayablePipelines.includes(r.pipeline)) ?? [];
  const [runId, setRunId] = useState(initialRunId ?? "");
  const inputs = useReplayInputs();
  const chosen = runId || choices[0]?.id || "";
  const running = state.status === "running";

  const load = () =>
    inputs.mutate(chosen, {
      onSuccess: ({ parts, dataset }) => replay(parts, dataset, backends),
    });

  return (
    <section className="card" aria-labelledby="replay-title">
      <h2 id="replay-title">Load a trained run</h2>
      <p className="muted">
        Fetches a finished run's saved model (each child's, for a parallel retrodiction) and predicts its retrodiction again here, next to
        what the worker reported.
      </p>
      {runs.error && <p className="banner-error">{errorMessage(runs.error)}</p>}
      <div className="row">
        <label>
          Finished run
          <select value={chosen} onChange={(e) => setRunId(e.target.value)} disabled={!chosen}>
            {!chosen && <option value="">{runs.isPending ? "Loading…" : "No finished retrodiction runs yet"}</option>}
            {runId && !choices.some((r) => r.id === runId) && <option value={runId}>{runId}</option>}
            {choices.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name ?? r.id.slice(0, 8)} · {r.id.slice(0, 8)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={load} disabled={!chosen || running || inputs.isPending}>
          {inputs.isPending ? "Fetching the model…" : "Predict again in this browser"}
        </button>
      </div>
      {inputs.error && <p className="banner-error">{errorMessage(inputs.error)}</p>}
      {state.mode === "replay" && state.status !== "idle" && (
        <div aria-live="polite">
          <BackendReport choice={state.backend} />
          {state.status === "failed" && <p className="banner-error">{state.message}</p>}
          {state.replay && inputs.data && (
            <ReplayComparison replayed={state.replay} run={inputs.data.results} models={inputs.data.parts.length} />
          )}
        </div>
      )}
    </section>
  );
}

function ReplayComparison({
  replayed,
  run,
  models,
}: {
  replayed: NonNullable<PreviewState["replay"]>;
  run: RetrodictionResults | null;
  /** Saved models used: one per child run of a parallel retrodiction. */
  models: number;
}) {
  const partial = replayed.windows.length < replayed.runWindows;
  return (
    <>
      <p data-testid="replay-status">
        Predicted {replayed.windows.length} of {replayed.runWindows} windows in {formatDuration(replayed.durationMs / 1000)}
        {models > 1 ? `, each with the model of the child run that predicted it (${models} models)` : ""}.
        {partial &&
          " The run refitted before each window, so its saved model is the one that predicted the last window; earlier windows were predicted by earlier weights and are not replayed."}
      </p>
      <table data-testid="replay-table">
        <thead>
          <tr>
            <th>Window</th>
            <th>Dates</th>
            <th className="num">RMSE (run)</th>
            <th className="num">RMSE (here)</th>
            <th className="num">MASE (run)</th>
            <th className="num">MASE (here)</th>
            <th className="num">RMSE difference</th>
          </tr>
        </thead>
        <tbody>
          {againstRun(replayed.windows, run).map((w) => {
            const { reported, difference } = w;
            return (
              <tr key={w.window.index} data-window={w.window.index} data-run-rmse={reported?.rmse} data-here-rmse={w.report.rmse}>
                <td>{w.window.index + 1}</td>
                <td>
                  {w.window.startDate}..{w.window.endDate}
                </td>
                <td className="num">{reported ? formatNumber(reported.rmse) : "—"}</td>
                <td className="num">{formatNumber(w.report.rmse)}</td>
                <td className="num">{reported ? formatNumber(reported.mase) : "—"}</td>
                <td className="num">{formatNumber(w.report.mase)}</td>
                <td className="num">{difference === null ? "—" : `${(difference * 100).toFixed(3)} %`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <RetrodictionView results={{ windows: replayed.windows, overall: replayed.overall, summary: null }} />
    </>
  );
}
