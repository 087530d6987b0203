"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useMemo, useRef, useState } from "react";
import { errorMessage, fieldErrors } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { DataSection } from "./data-section";
import { type Draft, putValue, valueAt } from "./draft";
import { type DraftForm, DraftFormContext, fieldId } from "./form-context";
import { ModelSection } from "./model-section";
import styles from "./new-training.module.css";
import { RunSection } from "./run-section";
import { SpecEditor } from "./spec-editor";
import { applySweepSpec, formPath, initialSweep, sweepInput, sweepOf, sweepPath, validateSweepDraft } from "./sweep-draft";
import { ModeSwitch, type StartMode, SweepSection } from "./sweep-section";
import { TrainingSection, WindowSection } from "./training-section";
import { errorAt, type FieldErrors, validateDraft } from "./validation";

type Tab = "form" | "spec";

/** Focuses the control of `path`, or of the nearest field holding it ("spec.data.features.0" -> the features group). */
function focusField(path: string) {
  for (let keys = path.split("."); keys.length > 0; keys = keys.slice(0, -1)) {
    const element = document.getElementById(fieldId(keys.join(".")));
    if (element) {
      element.scrollIntoView({ block: "center" });
      (element.matches("fieldset") ? element.querySelector("input") : element)?.focus();
      return;
    }
  }
}

/** Whether one path is the other or holds it (a change of "spec.model" changes "spec.model.kind"). */
const sameField = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

const withoutPath = (errors: FieldErrors, path: string): FieldErrors =>
  Object.fromEntries(Object.entries(errors).filter(([key]) => key !== path && !key.startsWith(`${path}.`)));

/**
 * The new-training form: the draft is validated by `startTrainingInput` (the
 * API's own schema) on every change; errors show for fields changed and left,
 * and for all of them after a submit, next to each field and in a summary.
 */
export function NewTrainingForm({ initial, readOnly }: { initial: Draft; readOnly: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const datasets = useQuery(trpc.datasets.list.queryOptions());
  const [draft, setDraft] = useState(initial);
  const [tab, setTab] = useState<Tab>("form");
  const [mode, setMode] = useState<StartMode>("once");
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [changed, setChanged] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const summary = useRef<HTMLDivElement>(null);

  const start = useMutation(
    trpc.training.start.mutationOptions({
      onSuccess: async (run) => {
        await queryClient.invalidateQueries({ queryKey: trpc.training.list.pathKey() });
        // A list of seeds started a group of runs: the runs table shows that group, with its members and chart.
        const group = run.runGroup && new URLSearchParams({ groupBy: "runGroup", group: JSON.stringify(run.runGroup) });
        router.push(group ? `/runs?${group}` : `/runs/${run.id}`);
      },
      onError: (error) => {
        setServerErrors(fieldErrors(error));
        requestAnimationFrame(() => summary.current?.focus());
      },
    }),
  );

  const startSweep = useMutation(
    trpc.sweeps.start.mutationOptions({
      onSuccess: (sweep) => router.push(`/sweeps/${sweep.id}`),
      onError: (error) => {
        const rows = sweepOf(draft).space;
        setServerErrors(Object.fromEntries(Object.entries(fieldErrors(error)).map(([path, message]) => [formPath(path, rows), message])));
        requestAnimationFrame(() => summary.current?.focus());
      },
    }),
  );
  const starting = mode === "sweep" ? startSweep : start;

  const once = useMemo(() => validateDraft(draft), [draft]);
  // A sweep is the draft's spec as its base, plus the sweep's settings (draft.sweep), checked as the API checks a sweep.
  const sweep = useMemo(() => (mode === "sweep" ? validateSweepDraft(draft, once.errors) : undefined), [mode, draft, once.errors]);
  const validation = sweep ?? once;
  const shown: FieldErrors = useMemo(() => {
    // Tabbing past an untouched empty field is no mistake: a field is judged once it was changed and left.
    const judged = [...touched].filter((path) => [...changed].some((change) => sameField(path, change)));
    const visible = Object.entries(validation.errors).filter(
      ([path]) => submitted || judged.some((t) => path === t || path.startsWith(`${t}.`)),
    );
    return { ...Object.fromEntries(visible), ...serverErrors };
  }, [validation.errors, submitted, touched, changed, serverErrors]);

  const update: DraftForm["update"] = (path, change) => {
    setDraft((current) => {
      const next = structuredClone(current);
      change(next);
      return next;
    });
    setChanged((current) => (current.has(path) ? current : new Set(current).add(path)));
    // What the server said about this field no longer applies.
    setServerErrors((errors) => withoutPath(errors, path));
  };
  const form: DraftForm = {
    draft,
    errorFor: (path) => errorAt(shown, path),
    set: (path, value) => update(path, (next) => putValue(next, path, value)),
    update,
    touch: (path) => setTouched((current) => (current.has(path) ? current : new Set(current).add(path))),
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (readOnly) return;
    setSubmitted(true);
    setServerErrors({});
    if (!validation.input) {
      // The summary renders with this state change; focus it a frame later.
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    if (sweep?.input) startSweep.mutate(sweep.input);
    else if (once.input) start.mutate(once.input);
  };

  const switchMode = (next: StartMode) => {
    if (next === "sweep" && !draft.sweep) setDraft((current) => ({ ...current, sweep: initialSweep(current.spec) }));
    setMode(next);
    setServerErrors({});
  };
  // The form's paths as a sweep spec names them (base.train.epochs), for the summary and the YAML tab.
  const shownPath = (path: string) => (mode === "sweep" ? sweepPath(path, sweepOf(draft).space) : path);

  const dataset = datasets.data?.find((d) => d.name === valueAt(draft, "spec.data.dataset"));
  // The summary comes with a submit; before that, errors show next to the fields left (a summary appearing
  // on blur would move the page under the pointer on its way to the button).
  const problems = submitted || starting.error ? Object.entries(shown) : [];

  return (
    <DraftFormContext.Provider value={form}>
      <form onSubmit={submit} noValidate aria-label="New training">
        {problems.length > 0 && (
          <div ref={summary} tabIndex={-1} role="alert" className={`banner-error ${styles.summary}`} data-testid="form-errors">
            {starting.error
              ? `The server refused the ${mode === "sweep" ? "sweep" : "run"}:`
              : problems.length === 1
                ? "1 field needs attention:"
                : `${problems.length} fields need attention:`}
            <ul>
              {problems.map(([path, message]) => (
                <li key={path}>
                  <a
                    href={`#${fieldId(path)}`}
                    onClick={(event) => {
                      event.preventDefault();
                      setTab("form");
                      requestAnimationFrame(() => focusField(path));
                    }}
                  >
                    {shownPath(path)}
                  </a>
                  : {message}
                </li>
              ))}
            </ul>
          </div>
        )}
        {starting.error && problems.length === 0 && (
          <div ref={summary} tabIndex={-1} role="alert" className="banner-error">
            The server refused the {mode === "sweep" ? "sweep" : "run"}: {errorMessage(starting.error)}
          </div>
        )}
        <div className={styles.toolbar}>
          <ModeSwitch mode={mode} onChange={switchMode} />
          <div className={styles.tabs} role="tablist" aria-label="Edit as">
            {(
              [
                ["form", "Form"],
                ["spec", "YAML / JSON"],
              ] as const
            ).map(([id, label]) => (
              <button
                key={id}
                type="button"
                role="tab"
                id={`tab-${id}`}
                aria-selected={tab === id}
                aria-controls={`panel-${id}`}
                onClick={() => setTab(id)}
              >
                {label}
              </button>
            ))}
          </div>
          <span className={styles.spacer} />
          <button type="submit" className="primary" disabled={readOnly || starting.isPending}>
            {starting.isPending ? "Starting…" : mode === "sweep" ? "Start sweep" : "Start training"}
          </button>
        </div>
        <fieldset disabled={readOnly} className={styles.bare}>
          {tab === "form" ? (
            <div id="panel-form" role="tabpanel" aria-labelledby="tab-form" className={styles.sections}>
              {mode === "sweep" && (
                <div className={styles.wide}>
                  <SweepSection />
                </div>
              )}
              <div className={styles.column}>
                <DataSection datasets={datasets.data ?? []} loading={datasets.isPending} />
                <RunSection />
              </div>
              <div className={styles.column}>
                <ModelSection />
                <TrainingSection />
                <WindowSection dataset={dataset} />
              </div>
            </div>
          ) : (
            <div id="panel-spec" role="tabpanel" aria-labelledby="tab-spec" className="card">
              {mode === "sweep" ? (
                <SpecEditor
                  key="sweep"
                  subject="sweep"
                  spec={sweepInput(draft)}
                  errors={Object.fromEntries(
                    Object.entries({ ...validation.errors, ...serverErrors }).map(([path, message]) => [shownPath(path), message]),
                  )}
                  readOnly={readOnly}
                  onChange={(spec) => update("sweep", (next) => applySweepSpec(next, spec))}
                />
              ) : (
                <SpecEditor spec={draft.spec} errors={validation.errors} readOnly={readOnly} onChange={(spec) => form.set("spec", spec)} />
              )}
            </div>
          )}
        </fieldset>
      </form>
    </DraftFormContext.Provider>
  );
}
