"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { canOperate, useCurrentUser } from "@/components/app-shell";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { ErrorBanner } from "@/components/error-banner";
import styles from "@/components/run/run.module.css";
import { useTRPC } from "@/lib/trpc";
import type { SweepDetail } from "./types";

/** Pause, resume and cancel (which asks first), and "train the best config on all windows"; operators and admins only. */
export function SweepActions({ sweep }: { sweep: SweepDetail }) {
  const user = useCurrentUser();
  if (!canOperate(user)) return null;
  return <OperatorActions sweep={sweep} />;
}

function OperatorActions({ sweep }: { sweep: SweepDetail }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const input = { id: sweep.id };
  const changed = {
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.sweeps.pathKey() }),
    onError: (failure: unknown) => setError(failure),
  };
  const pause = useMutation(trpc.sweeps.pause.mutationOptions(changed));
  const resume = useMutation(trpc.sweeps.resume.mutationOptions(changed));
  const cancel = useMutation(trpc.sweeps.cancel.mutationOptions(changed));
  const trainBest = useMutation(
    trpc.sweeps.trainBest.mutationOptions({
      onSuccess: (run) => router.push(`/runs/${run.id}`),
      onError: (failure) => setError(failure),
    }),
  );
  const busy = pause.isPending || resume.isPending || cancel.isPending;
  const act = (mutation: typeof pause) => {
    setError(null);
    mutation.mutate(input);
  };

  return (
    <div className={styles.actions}>
      {sweep.status === "RUNNING" && (
        <button type="button" disabled={busy} onClick={() => act(pause)}>
          {pause.isPending ? "Pausing…" : "Pause"}
        </button>
      )}
      {sweep.status === "PAUSED" && (
        <button type="button" disabled={busy} onClick={() => act(resume)}>
          {resume.isPending ? "Resuming…" : "Resume"}
        </button>
      )}
      {(sweep.status === "RUNNING" || sweep.status === "PAUSED") && (
        <button type="button" className="danger" disabled={busy} onClick={() => setConfirmCancel(true)}>
          {cancel.isPending ? "Cancelling…" : "Cancel sweep"}
        </button>
      )}
      {sweep.bestRunId && (
        <button
          type="button"
          className="primary"
          disabled={trainBest.isPending}
          onClick={() => {
            setError(null);
            trainBest.mutate(input);
          }}
        >
          {trainBest.isPending ? "Starting…" : "Train the best config on all windows"}
        </button>
      )}
      <ErrorBanner error={error} />
      <ConfirmDialog
        open={confirmCancel}
        title="Cancel this sweep?"
        confirmLabel="Cancel sweep"
        dismissLabel="Keep sweeping"
        danger
        onConfirm={() => {
          setConfirmCancel(false);
          act(cancel);
        }}
        onClose={() => setConfirmCancel(false)}
      >
        <p>No new trial starts; its queued and running trials are cancelled with it. Trials that ended keep their results.</p>
      </ConfirmDialog>
    </div>
  );
}
