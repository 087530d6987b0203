"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { canOperate, useCurrentUser } from "@/components/app-shell";
import { Field } from "@/components/form-field";
import { errorMessage, fieldErrors } from "@/lib/errors";
import { formatCount } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import styles from "./run.module.css";
import type { RunDetail } from "./types";

const maxNoteLength = 10_000;

/** The run's free-text note: shown to everyone, edited (textarea + Save) by operators and admins. */
export function RunNote({ run }: { run: RunDetail }) {
  const user = useCurrentUser();
  if (canOperate(user)) return <NoteEditor run={run} />;
  if (!run.note) return null;
  return (
    <section className={styles.note} aria-label="Note">
      <h2>Note</h2>
      <p className={styles.noteText}>{run.note}</p>
    </section>
  );
}

function NoteEditor({ run }: { run: RunDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [draft, setDraft] = useState(run.note ?? "");
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.lifecycle.setNote.mutationOptions({
      onSuccess: (_, { note }) => {
        setSaved(true);
        const stored = note.trim() ? note : null;
        queryClient.setQueryData(trpc.training.get.queryKey({ id: run.id }), (old) => (old ? { ...old, note: stored } : old));
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ id: run.id, note: draft });
  };
  const error = save.error ? (fieldErrors(save.error).note ?? errorMessage(save.error)) : undefined;
  const changed = draft !== (run.note ?? "");
  return (
    <form className={styles.note} onSubmit={submit}>
      <Field
        id={`${id}-note`}
        label="Note"
        error={error}
        hint={`what this run was for, what you learned from it (plain text, ${formatCount(draft.length)} of ${formatCount(maxNoteLength)} characters)`}
      >
        {(control) => (
          <textarea
            {...control}
            rows={3}
            maxLength={maxNoteLength}
            value={draft}
            onChange={(event) => {
              setDraft(event.target.value);
              setSaved(false);
            }}
          />
        )}
      </Field>
      <div className={styles.noteActions}>
        <button type="submit" disabled={!changed || save.isPending}>
          {save.isPending ? "Saving…" : "Save note"}
        </button>
        <span className="muted" aria-live="polite">
          {saved && !changed ? "Saved" : ""}
        </span>
      </div>
    </form>
  );
}
