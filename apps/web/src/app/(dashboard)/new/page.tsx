"use client";
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { Suspense, useMemo } from "react";
import { canOperate, useCurrentUser } from "@/components/app-shell";
import { type Draft, draftFromRun, initialDraft } from "@/components/new-training/draft";
import styles from "@/components/new-training/new-training.module.css";
import { NewTrainingForm } from "@/components/new-training/new-training-form";
import { errorMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";

/** The form, prefilled from `?from=<runId>` (clone a run's spec) when given. */
function NewTraining() {
  const trpc = useTRPC();
  const user = useCurrentUser();
  const from = useSearchParams().get("from");
  const source = useQuery({ ...trpc.training.get.queryOptions({ id: from ?? "" }), enabled: Boolean(from) });
  const experiments = useQuery({ ...trpc.experiments.list.queryOptions(), enabled: Boolean(source.data?.experimentId) });
  const readOnly = !canOperate(user);

  const initial: Draft | undefined = useMemo(() => {
    if (!from) return initialDraft();
    if (!source.data || (source.data.experimentId && !experiments.data)) return undefined;
    const experiment = experiments.data?.find((e) => e.id === source.data.experimentId)?.name;
    return draftFromRun({ ...source.data, experiment });
  }, [from, source.data, experiments.data]);

  return (
    <>
      <h1>New training</h1>
      {readOnly && (
        <p className={styles.note} role="note">
          You are signed in as a viewer: the form is read-only. Operators and admins start runs.
        </p>
      )}
      {from && source.data && (
        <p className="muted">
          Starting from the spec of run <a href={`/runs/${from}`}>{source.data.name ?? from}</a>; change what you need.
        </p>
      )}
      {from && source.error ? (
        <p className="banner-error" role="alert">
          Cannot load run {from} to copy: {errorMessage(source.error)}
        </p>
      ) : initial ? (
        <NewTrainingForm key={from ?? "new"} initial={initial} readOnly={readOnly} />
      ) : (
        <p className="muted">Loading run {from}…</p>
      )}
    </>
  );
}

export default function NewTrainingPage() {
  return (
    <Suspense>
      <NewTraining />
    </Suspense>
  );
}
