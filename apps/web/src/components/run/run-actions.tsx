"use client";
import { cloneRunInput } from "@hindcast/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { canOperate, useCurrentUser } from "@/components/app-shell";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { DeleteRunsDialog } from "@/components/runs-table/delete-runs-dialog";
import { errorMessage, fieldErrors } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { type CloneChange, CloneEditor, changeErrors, changesToSet } from "./clone-editor";
import styles from "./run.module.css";
import { isActive, type RunDetail } from "./types";

type Pending = "cancel" | "retry" | "clone" | "delete" | null;

interface InputIssue {
  path: PropertyKey[];
  message: string;
  issues?: { message: string }[];
}

/** cloneRunInput's issues about `set` keys ({path: ["set", key]}), given to the row with that key. */
function inputErrors(issues: readonly InputIssue[], changes: CloneChange[]): Record<number, string> {
  const errors: Record<number, string> = {};
  for (const issue of issues) {
    const row = changes.findIndex((c) => c.key.trim() === issue.path[1]);
    if (row >= 0) errors[row] = issue.issues?.[0]?.message ?? issue.message;
  }
  return errors;
}

/** Cancel, Retry, Clone with changes and Archive (or Restore) for operators and admins, Delete for admins; all but Archive ask first. */
export function RunActions({ run }: { run: RunDetail }) {
  const user = useCurrentUser();
  if (!canOperate(user)) return null;
  return <OperatorActions run={run} admin={user.role === "ADMIN"} />;
}

function OperatorActions({ run, admin }: { run: RunDetail; admin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const runKey = trpc.training.get.queryKey({ id: run.id });
  const [dialog, setDialog] = useState<Pending>(null);
  const [error, setError] = useState<string | null>(null);
  const [changes, setChanges] = useState<CloneChange[]>([{ key: "train.epochs", value: String(run.params["train.epochs"] ?? "") }]);
  const [rowErrors, setRowErrors] = useState<Record<number, string>>({});
  const [cloneError, setCloneError] = useState<string | null>(null);

  const setStatus = (status: RunDetail["status"]) => queryClient.setQueryData(runKey, (old) => (old ? { ...old, status } : old));
  const cancel = useMutation(
    trpc.training.cancel.mutationOptions({
      onMutate: async () => {
        await queryClient.cancelQueries({ queryKey: runKey, exact: true });
        const before = queryClient.getQueryData(runKey)?.status;
        if (before === "RUNNING") setStatus("CANCELLING");
        return { before };
      },
      onSuccess: (result) => setStatus(result.status),
      onError: (failure, _input, context) => {
        if (context?.before) setStatus(context.before);
        setError(`Cancel failed: ${errorMessage(failure)}`);
      },
    }),
  );
  const archiving = {
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.training.pathKey() }),
    onError: (failure: unknown) => setError(`${run.archivedAt ? "Restore" : "Archive"} failed: ${errorMessage(failure)}`),
  };
  const archive = useMutation(trpc.lifecycle.archive.mutationOptions(archiving));
  const restore = useMutation(trpc.lifecycle.restore.mutationOptions(archiving));
  const goTo = ({ id }: { id: string }) => router.push(`/runs/${id}`);
  const retry = useMutation(
    trpc.training.retry.mutationOptions({ onSuccess: goTo, onError: (failure) => setError(`Retry failed: ${errorMessage(failure)}`) }),
  );
  const clone = useMutation(
    trpc.training.clone.mutationOptions({
      onSuccess: goTo,
      onError: (failure) => {
        const fields = fieldErrors(failure);
        const { byRow, rest } = changeErrors(fields, changes);
        setRowErrors(byRow);
        setCloneError(Object.keys(fields).length === 0 ? errorMessage(failure) : rest.length ? rest.join("; ") : null);
      },
    }),
  );

  const confirm = () => {
    setError(null);
    if (dialog === "cancel") cancel.mutate({ id: run.id });
    if (dialog === "retry") retry.mutate({ id: run.id });
    if (dialog === "clone") {
      // The clone dialog stays open until the new run exists, so its errors show next to their rows.
      const parsed = cloneRunInput.safeParse({ id: run.id, set: changesToSet(changes) });
      setCloneError(null);
      setRowErrors(parsed.success ? {} : inputErrors(parsed.error.issues, changes));
      if (parsed.success) clone.mutate(parsed.data);
      return;
    }
    setDialog(null);
  };

  const active = isActive(run.status);
  return (
    <div className={styles.actions}>
      {active ? (
        <button
          type="button"
          className="danger"
          disabled={cancel.isPending || run.status === "CANCELLING"}
          onClick={() => setDialog("cancel")}
        >
          {cancel.isPending || run.status === "CANCELLING" ? "Cancelling…" : "Cancel run"}
        </button>
      ) : (
        <button type="button" className="primary" disabled={retry.isPending} onClick={() => setDialog("retry")}>
          {retry.isPending ? "Retrying…" : "Retry run"}
        </button>
      )}
      <button type="button" onClick={() => setDialog("clone")}>
        Clone with changes
      </button>
      {run.archivedAt ? (
        <button type="button" disabled={restore.isPending} onClick={() => restore.mutate({ ids: [run.id] })}>
          {restore.isPending ? "Restoring…" : "Restore"}
        </button>
      ) : (
        <button type="button" disabled={archive.isPending} onClick={() => archive.mutate({ ids: [run.id] })}>
          {archive.isPending ? "Archiving…" : "Archive"}
        </button>
      )}
      {admin && (
        <button type="button" className="danger" onClick={() => setDialog("delete")}>
          Delete…
        </button>
      )}
      {error && (
        <div className="banner-error" role="alert">
          {error}
        </div>
      )}
      <ConfirmDialog
        open={dialog === "cancel"}
        title="Cancel this run?"
        confirmLabel="Cancel run"
        dismissLabel="Keep running"
        danger
        onConfirm={confirm}
        onClose={() => setDialog(null)}
      >
        <p>
          {run.status === "QUEUED"
            ? "It leaves the queue at once."
            : "Training stops at the next batch; metrics and the last checkpoint are kept."}
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "retry"}
        title="Retry this run?"
        confirmLabel="Retry run"
        onConfirm={confirm}
        onClose={() => setDialog(null)}
      >
        <p>A new run with the same spec is queued; this one stays as it is.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "clone"}
        title="Clone with changes"
        confirmLabel={clone.isPending ? "Starting…" : "Start clone"}
        confirmDisabled={clone.isPending}
        onConfirm={confirm}
        onClose={() => setDialog(null)}
      >
        <CloneEditor changes={changes} errors={rowErrors} onChange={setChanges} />
        {cloneError && (
          <p className="banner-error" role="alert">
            {cloneError}
          </p>
        )}
      </ConfirmDialog>
      {admin && (
        <DeleteRunsDialog
          open={dialog === "delete"}
          selection={{ ids: [run.id] }}
          onClose={() => setDialog(null)}
          onDeleted={() => {
            for (const query of [trpc.training.list, trpc.training.summary])
              void queryClient.invalidateQueries({ queryKey: query.pathKey() });
            router.push("/runs");
          }}
        />
      )}
    </div>
  );
}
