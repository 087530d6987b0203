"use client";
import type { RouterInputs } from "@hindcast/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { canOperate, useCurrentUser } from "@/components/app-shell";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Field } from "@/components/form-field";
import { errorMessage, fieldErrors } from "@/lib/errors";
import { formatCount } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { DeleteRunsDialog, type RunSelection } from "./delete-runs-dialog";
import styles from "./runs-table.module.css";

type RunFilter = NonNullable<RouterInputs["lifecycle"]["archive"]["filter"]>;
type Action = "cancel" | "archive" | "restore" | "tag" | "delete";

/** What each action's confirmation says and what it reports done. */
const wording: Record<Exclude<Action, "tag" | "delete">, { title: string; confirm: string; body: string; done: string }> = {
  cancel: {
    title: "Cancel",
    confirm: "Cancel runs",
    body: "Queued runs leave the queue; running ones stop at the next batch, keeping their metrics and last checkpoint.",
    done: "Cancelled",
  },
  archive: {
    title: "Archive",
    confirm: "Archive",
    body: "They leave the runs list (Show archived brings them back) and are kept whole.",
    done: "Archived",
  },
  restore: { title: "Restore", confirm: "Restore", body: "They are listed with the other runs again.", done: "Restored" },
};

export interface BulkActionsProps {
  selected: ReadonlySet<string>;
  /** The runs list's filters: "every run matching the filter" acts on what they match. */
  filter: RunFilter;
  onClearSelection: () => void;
}

/**
 * Cancel, archive, restore, tag and (admins) delete, on the selected runs or
 * on every run the current filter matches; each asks first, naming how many.
 * For operators and admins.
 */
export function BulkActions(props: BulkActionsProps) {
  const user = useCurrentUser();
  if (!canOperate(user)) return null;
  return <OperatorBulkActions {...props} admin={user.role === "ADMIN"} />;
}

function OperatorBulkActions({ selected, filter, onClearSelection, admin }: BulkActionsProps & { admin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [pending, setPending] = useState<Action | null>(null);
  const [chosenScope, setScope] = useState<"selected" | "filter">();
  const [tag, setTag] = useState("");
  const [tagMode, setTagMode] = useState<"add" | "remove">("add");
  const [report, setReport] = useState("");
  const scope = selected.size === 0 ? "filter" : (chosenScope ?? "selected");
  const matching = useQuery(trpc.training.summary.queryOptions(filter)).data?.total;
  const selection: RunSelection = scope === "selected" ? { ids: [...selected] } : { filter };
  const count = scope === "selected" ? selected.size : matching;
  const runs = (n: number | undefined) => (n === undefined ? "every matching run" : `${formatCount(n)} run${n === 1 ? "" : "s"}`);

  const done = (what: string, clear: boolean) => (result: { changed: number }) => {
    setReport(`${what} ${runs(result.changed)}.`);
    setPending(null);
    if (clear) onClearSelection();
    void queryClient.invalidateQueries({ queryKey: trpc.training.pathKey() });
  };
  const options = (action: Exclude<Action, "tag" | "delete">, clear: boolean) => ({ onSuccess: done(wording[action].done, clear) });
  const mutations = {
    cancel: useMutation(trpc.lifecycle.cancel.mutationOptions(options("cancel", false))),
    archive: useMutation(trpc.lifecycle.archive.mutationOptions(options("archive", true))),
    restore: useMutation(trpc.lifecycle.restore.mutationOptions(options("restore", true))),
  };
  const tagging = useMutation(
    trpc.lifecycle.tag.mutationOptions({
      onSuccess: (result) => done(tagMode === "add" ? `Tagged “${tag.trim()}” on` : `Took “${tag.trim()}” off`, false)(result),
    }),
  );
  const tagError = tagging.error ? (Object.values(fieldErrors(tagging.error))[0] ?? errorMessage(tagging.error)) : undefined;

  const open = (action: Action) => {
    setReport("");
    for (const mutation of [...Object.values(mutations), tagging]) mutation.reset();
    setPending(action);
  };
  const simple = pending === "cancel" || pending === "archive" || pending === "restore" ? pending : null;
  const simpleMutation = simple ? mutations[simple] : undefined;
  const empty = count === 0;

  return (
    <fieldset className={styles.bulk}>
      <legend className="sr-only">Bulk actions</legend>
      <label htmlFor={`${id}-scope`}>Act on</label>
      <select id={`${id}-scope`} value={scope} onChange={(event) => setScope(event.target.value as "selected" | "filter")}>
        <option value="selected" disabled={selected.size === 0}>
          the {runs(selected.size)} selected
        </option>
        <option value="filter">
          {matching === 1 ? "the 1 run" : matching === undefined ? "every run" : `all ${runs(matching)}`} matching the filter
        </option>
      </select>
      {(["cancel", "archive", "restore"] as const).map((action) => (
        <button key={action} type="button" disabled={empty} onClick={() => open(action)}>
          {wording[action].title}…
        </button>
      ))}
      <button type="button" disabled={empty} onClick={() => open("tag")}>
        Tag…
      </button>
      {admin && (
        <button type="button" className="danger" disabled={empty} onClick={() => open("delete")}>
          Delete…
        </button>
      )}
      <span className="muted" aria-live="polite" data-testid="bulk-report">
        {report}
      </span>
      <ConfirmDialog
        open={simple !== null}
        title={simple ? `${wording[simple].title} ${runs(count)}?` : ""}
        confirmLabel={simpleMutation?.isPending ? "Working…" : simple ? wording[simple].confirm : ""}
        dismissLabel="Back"
        danger={simple === "cancel"}
        confirmDisabled={simpleMutation?.isPending}
        onConfirm={() => simpleMutation?.mutate(selection)}
        onClose={() => setPending(null)}
      >
        <p>{simple && wording[simple].body}</p>
        {simpleMutation?.error && (
          <p className="banner-error" role="alert">
            {errorMessage(simpleMutation.error)}
          </p>
        )}
      </ConfirmDialog>
      <ConfirmDialog
        open={pending === "tag"}
        title={`Tag ${runs(count)}`}
        confirmLabel={tagMode === "add" ? "Add tag" : "Remove tag"}
        confirmDisabled={tagging.isPending || !tag.trim()}
        onConfirm={() => tagging.mutate(tagMode === "add" ? { ...selection, add: [tag.trim()] } : { ...selection, remove: [tag.trim()] })}
        onClose={() => setPending(null)}
      >
        <fieldset className={styles.tagMode}>
          <legend className="sr-only">Add or remove</legend>
          {(["add", "remove"] as const).map((mode) => (
            <label key={mode} className={styles.check}>
              <input type="radio" name={`${id}-mode`} checked={tagMode === mode} onChange={() => setTagMode(mode)} />
              {mode === "add" ? "Add" : "Remove"}
            </label>
          ))}
        </fieldset>
        <Field id={`${id}-tag`} label="Tag" error={tagError} hint="letters, digits and . _ : / -">
          {(control) => <input {...control} value={tag} onChange={(event) => setTag(event.target.value)} placeholder="baseline" />}
        </Field>
      </ConfirmDialog>
      <DeleteRunsDialog
        open={pending === "delete"}
        selection={selection}
        onClose={() => setPending(null)}
        onDeleted={(changed) => done("Deleted", true)({ changed })}
      />
    </fieldset>
  );
}
