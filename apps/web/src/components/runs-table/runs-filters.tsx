"use client";
import { runStatuses } from "@hindcast/contracts";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useState } from "react";
import { Field } from "@/components/form-field";
import { useTRPC } from "@/lib/trpc";
import { GroupByField } from "./group-by-field";
import styles from "./runs-table.module.css";
import {
  type ArchivedChoice,
  archivedChoices,
  listQueryFromView,
  paramFiltersText,
  parseParamFilters,
  type RunsView,
  type RunsViewField,
} from "./runs-view";

const archivedLabels: Record<ArchivedChoice, string> = { hide: "Hidden", include: "Shown with the rest", only: "Only archived" };

type Draft = Pick<RunsView, "status" | "search" | "experiment" | "from" | "to"> & { tags: string; params: string };

const draftOf = (view: RunsView): Draft => ({
  status: view.status,
  search: view.search,
  experiment: view.experiment,
  from: view.from,
  to: view.to,
  tags: view.tags.join(", "),
  params: paramFiltersText(view.params),
});

export const noFilters = (view: RunsView): RunsView => ({
  ...view,
  status: [],
  tags: [],
  search: "",
  experiment: "",
  from: "",
  to: "",
  params: [],
  archived: "hide",
  group: "",
});

export const hasFilters = (view: RunsView) => JSON.stringify(noFilters(view)) !== JSON.stringify(view);

export interface RunsFiltersProps {
  view: RunsView;
  /** Problems of the view in the URL (a hand-edited or old link). */
  issues?: Partial<Record<RunsViewField, string>>;
  onApply: (view: RunsView) => void;
}

/**
 * The filters of the runs list: statuses apply at once, the text fields on
 * Apply (or Enter); every bad field is marked next to itself before the URL
 * changes.
 */
export function RunsFilters({ view, issues: urlIssues, onApply }: RunsFiltersProps) {
  const trpc = useTRPC();
  const experiments = useQuery(trpc.experiments.list.queryOptions());
  const [draft, setDraft] = useState(() => draftOf(view));
  const [draftIssues, setDraftIssues] = useState<Partial<Record<RunsViewField, string>>>();
  const id = useId();
  const issues = draftIssues ?? urlIssues ?? {};

  // Back, forward and links change the view under the form: show what the URL says.
  useEffect(() => {
    setDraft(draftOf(view));
    setDraftIssues(undefined);
  }, [view]);

  const set = (field: Exclude<keyof Draft, "status">) => (event: { target: { value: string } }) =>
    setDraft({ ...draft, [field]: event.target.value });

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const params = parseParamFilters(draft.params);
    const next: RunsView = {
      ...view,
      search: draft.search.trim(),
      experiment: draft.experiment.trim(),
      from: draft.from,
      to: draft.to,
      tags: draft.tags
        .split(",")
        .map((tag) => tag.trim())
        .filter(Boolean),
      params: "pairs" in params ? params.pairs : [],
    };
    const found = { ...listQueryFromView(next, { metricKeys: [], limit: 1 }).issues };
    if ("error" in params) found.params = params.error;
    if (Object.keys(found).length) setDraftIssues(found);
    else onApply(next);
  };

  const toggleStatus = (status: string) => {
    const known = draft.status.filter((s) => (runStatuses as readonly string[]).includes(s));
    const next = known.includes(status) ? known.filter((s) => s !== status) : [...known, status];
    // Checked at once, not only when the router has moved to the new URL.
    setDraft({ ...draft, status: next });
    onApply({ ...view, status: next });
  };

  return (
    <form className={`card ${styles.filters}`} onSubmit={apply} aria-label="Filter runs" noValidate>
      <fieldset className={`${styles.statuses} ${styles.wide}`} aria-describedby={issues.status ? `${id}-status-error` : undefined}>
        <legend>Status</legend>
        {runStatuses.map((status) => (
          <label key={status} className={styles.check}>
            <input type="checkbox" checked={draft.status.includes(status)} onChange={() => toggleStatus(status)} />
            {status}
          </label>
        ))}
        {issues.status && (
          <span id={`${id}-status-error`} className="field-error">
            {issues.status}
          </span>
        )}
      </fieldset>
      <Field id={`${id}-search`} label="Search" error={issues.search} hint="name, pipeline, dataset, target">
        {(control) => <input {...control} type="search" value={draft.search} onChange={set("search")} />}
      </Field>
      <Field id={`${id}-tags`} label="Tags" error={issues.tags} hint="all of these, comma-separated">
        {(control) => <input {...control} value={draft.tags} onChange={set("tags")} placeholder="baseline, sp500" />}
      </Field>
      <Field id={`${id}-experiment`} label="Experiment" error={issues.experiment}>
        {(control) => (
          <>
            <input {...control} list={`${id}-experiments`} value={draft.experiment} onChange={set("experiment")} />
            <datalist id={`${id}-experiments`}>
              {experiments.data?.map((experiment) => (
                <option key={experiment.id} value={experiment.name} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <Field id={`${id}-from`} label="Created from" error={issues.from}>
        {(control) => <input {...control} type="date" value={draft.from} onChange={set("from")} />}
      </Field>
      <Field id={`${id}-to`} label="Created to" error={issues.to}>
        {(control) => <input {...control} type="date" value={draft.to} onChange={set("to")} />}
      </Field>
      <Field id={`${id}-params`} label="Params" error={issues.params} hint="equal to, comma-separated">
        {(control) => <input {...control} value={draft.params} onChange={set("params")} placeholder="model.kind=linear, train.epochs=2" />}
      </Field>
      <Field id={`${id}-archived`} label="Show archived">
        {(control) => (
          <select
            {...control}
            value={view.archived}
            onChange={(event) => onApply({ ...view, archived: event.target.value as ArchivedChoice })}
          >
            {archivedChoices.map((choice) => (
              <option key={choice} value={choice}>
                {archivedLabels[choice]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <GroupByField
        id={`${id}-group-by`}
        value={view.groupBy}
        error={issues.groupBy}
        onChange={(groupBy) => onApply({ ...view, groupBy, group: "" })}
      />
      {issues.sort && <p className={`field-error ${styles.wide}`}>Sort: {issues.sort}</p>}
      <div className={styles.actions}>
        <button type="submit" className="primary">
          Apply
        </button>
        <button type="button" onClick={() => onApply(noFilters(view))} disabled={!hasFilters(view)}>
          Clear
        </button>
      </div>
    </form>
  );
}
