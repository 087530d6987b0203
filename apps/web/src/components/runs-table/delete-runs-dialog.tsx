"use client";
import type { RouterInputs, RouterOutputs } from "@hindcast/api";
import { useMutation, useQuery } from "@tanstack/react-query";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { errorMessage } from "@/lib/errors";
import { formatBytes, formatCount } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";

export type RunSelection = RouterInputs["lifecycle"]["delete"];
type DeletePreview = RouterOutputs["lifecycle"]["deletePreview"];

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** "Delete 3 runs: frees 12,345 metric points, 40 log lines and 4.2 MiB of artifacts (5 files, 2 checkpoints)". */
export function deleteSummary(preview: DeletePreview): string {
  const files = [plural(preview.artifacts, "file"), ...(preview.checkpoints ? [plural(preview.checkpoints, "checkpoint")] : [])];
  return `Delete ${plural(preview.runs, "run")}: frees ${plural(preview.metricPoints, "metric point")}, ${plural(preview.logLines, "log line")} and ${formatBytes(preview.artifactBytes)} of artifacts (${files.join(", ")})`;
}

export interface DeleteRunsDialogProps {
  open: boolean;
  selection: RunSelection;
  onClose: () => void;
  /** After the runs are marked deleted (a worker then purges them); with how many runs that was. */
  onDeleted: (changed: number) => void;
}

/**
 * Asks before deleting runs for good, saying what it frees (runs with their
 * child runs, metric points, log lines, artifact bytes); runs still active
 * are named and must be cancelled first. For admins.
 */
export function DeleteRunsDialog({ open, selection, onClose, onDeleted }: DeleteRunsDialogProps) {
  const trpc = useTRPC();
  const preview = useQuery(trpc.lifecycle.deletePreview.queryOptions(selection, { enabled: open, gcTime: 0, staleTime: 0 }));
  const remove = useMutation(trpc.lifecycle.delete.mutationOptions({ onSuccess: ({ changed }) => onDeleted(changed) }));
  const data = preview.data;
  const blocked = !data || data.active > 0 || data.runs === 0;
  return (
    <ConfirmDialog
      open={open}
      title="Delete for good?"
      confirmLabel={remove.isPending ? "Deleting…" : data ? `Delete ${plural(data.runs, "run")}` : "Delete"}
      dismissLabel="Keep them"
      danger
      confirmDisabled={blocked || remove.isPending}
      onConfirm={() => remove.mutate(selection)}
      onClose={() => {
        remove.reset();
        onClose();
      }}
    >
      {preview.isPending && <p className="muted">Counting what this frees…</p>}
      {preview.error && <p className="banner-error">{errorMessage(preview.error)}</p>}
      {data && (
        <>
          <p data-testid="delete-summary">{data.runs === 0 ? "No run matches: nothing to delete." : `${deleteSummary(data)}.`}</p>
          {data.active > 0 ? (
            <p className="banner-error" role="alert">
              {plural(data.active, "run is", "runs are")} still active (
              {data.activeRuns.map((run) => `${run.name ?? run.id.slice(0, 8)}: ${run.status}`).join(", ")}
              {data.active > data.activeRuns.length ? ", …" : ""}): cancel them first.
            </p>
          ) : (
            <p>
              {data.runs === 1 ? "The run disappears at once; its" : "The runs disappear at once; their"} data and artifacts are removed
              from every store in the background. This cannot be undone.
            </p>
          )}
        </>
      )}
      {remove.error && (
        <p className="banner-error" role="alert">
          {errorMessage(remove.error)}
        </p>
      )}
    </ConfirmDialog>
  );
}
