"use client";
import { type InputHTMLAttributes, type ReactNode, useCallback, useEffect, useState } from "react";
import { type ControlProps, Field, FieldMessages } from "@/components/form-field";
import { listFromInput, listToInput, numberFromInput, valueAt } from "./draft";
import { fieldId, useDraftForm } from "./form-context";
import styles from "./new-training.module.css";

interface FieldBase {
  path: string;
  label: ReactNode;
  hint?: ReactNode;
}

/** Label, hint and error of the draft field at `path`; its control gets the id, the aria wiring and a blur that marks the field touched. */
function DraftField({ path, label, hint, children }: FieldBase & { children: (control: ControlProps & { onBlur(): void }) => ReactNode }) {
  const form = useDraftForm();
  return (
    <Field id={fieldId(path)} label={label} hint={hint} error={form.errorFor(path)}>
      {(control) => children({ ...control, onBlur: () => form.touch(path) })}
    </Field>
  );
}

type InputAttributes = Pick<InputHTMLAttributes<HTMLInputElement>, "type" | "step" | "placeholder" | "list" | "min" | "max">;

/** An <input> for the draft field at `path`: `shown` turns the draft's value into the input's, `parse` the input's text into the draft's. */
function DraftInput({
  path,
  label,
  hint,
  shown,
  parse,
  ...input
}: FieldBase & InputAttributes & { shown: (value: unknown) => string | number; parse: (text: string) => unknown }) {
  const form = useDraftForm();
  return (
    <DraftField path={path} label={label} hint={hint}>
      {(control) => (
        <input
          {...control}
          {...input}
          value={shown(valueAt(form.draft, path))}
          onChange={(event) => form.set(path, parse(event.target.value))}
        />
      )}
    </DraftField>
  );
}

const textOf = (value: unknown) => (typeof value === "string" ? value : "");
/** Empty optional text is left out of the draft rather than sent as "". */
const textOrNothing = (text: string) => (text === "" ? undefined : text);

export function NumberField({ integer = false, ...field }: FieldBase & { integer?: boolean }) {
  return (
    <DraftInput
      {...field}
      type="number"
      step={integer ? 1 : "any"}
      // A number goes to React as a number so "0.10" being typed is not rewritten to "0.1".
      shown={(value) => (typeof value === "number" ? value : textOf(value))}
      parse={numberFromInput}
    />
  );
}

/** `list` names a <datalist> of suggestions. */
export function TextField(field: FieldBase & { placeholder?: string; list?: string }) {
  return <DraftInput {...field} type="text" shown={textOf} parse={textOrNothing} />;
}

export function DateField({ min, max, ...field }: FieldBase & { min?: string | null; max?: string | null }) {
  return <DraftInput {...field} type="date" min={min ?? undefined} max={max ?? undefined} shown={textOf} parse={textOrNothing} />;
}

export interface Choice {
  value: string;
  label: string;
}

export function SelectField({
  path,
  label,
  hint,
  choices,
  onChoose,
}: FieldBase & { choices: Choice[]; onChoose?: (value: string) => void }) {
  const form = useDraftForm();
  const value = valueAt(form.draft, path);
  const current = typeof value === "string" ? value : "";
  // A value from the spec editor or a cloned run that is not offered stays visible, so its error makes sense.
  const all =
    current && !choices.some((c) => c.value === current) ? [...choices, { value: current, label: `${current} (unknown)` }] : choices;
  return (
    <DraftField path={path} label={label} hint={hint}>
      {(control) => (
        <select
          {...control}
          value={current}
          onChange={(event) => (onChoose ? onChoose(event.target.value) : form.set(path, event.target.value))}
        >
          {current === "" && <option value="">Choose…</option>}
          {all.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      )}
    </DraftField>
  );
}

/**
 * Comma-separated numbers or words; keeps the text as typed ("64, ") while
 * the draft holds the parsed list. With `single`, text without a comma is
 * one number rather than a list of one (a seed, or a list of seeds).
 */
export function ListField({
  path,
  label,
  hint,
  kind,
  placeholder,
  single = false,
}: FieldBase & { kind: "number" | "text"; placeholder?: string; single?: boolean }) {
  const form = useDraftForm();
  const value = valueAt(form.draft, path);
  const parse = useCallback(
    (typed: string) => (single && !typed.includes(",") ? numberFromInput(typed) : listFromInput(typed, kind)),
    [single, kind],
  );
  const [text, setText] = useState(() => listToInput(value));
  useEffect(() => {
    // Take the draft's value when it changed elsewhere (spec editor, family switch), not when it is this text parsed.
    setText((typed) => (JSON.stringify(parse(typed)) === JSON.stringify(value ?? []) ? typed : listToInput(value)));
  }, [value, parse]);
  return (
    <DraftField path={path} label={label} hint={hint}>
      {(control) => (
        <input
          {...control}
          type="text"
          placeholder={placeholder}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            form.set(path, parse(event.target.value));
          }}
        />
      )}
    </DraftField>
  );
}

export function CheckboxField({ path, label, hint }: FieldBase) {
  const form = useDraftForm();
  const id = fieldId(path);
  const error = form.errorFor(path);
  return (
    <div>
      <label htmlFor={id} className={styles.checkbox}>
        <input
          id={id}
          type="checkbox"
          checked={valueAt(form.draft, path) === true}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
          onChange={(event) => form.set(path, event.target.checked)}
        />
        {label}
      </label>
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}
