"use client";
import styles from "./run.module.css";

export interface CloneChange {
  key: string;
  value: string;
}

/** A typed value from the editor: JSON where it parses (20, true, [32, 32]), the plain text otherwise. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The `set` object of training.clone. */
export const changesToSet = (changes: CloneChange[]) =>
  Object.fromEntries(changes.filter((c) => c.key.trim()).map((c) => [c.key.trim(), parseValue(c.value.trim())]));

/** The API's errors by spec path ("train.epochs", from fieldErrors), each given to the row whose key is that path or a prefix of it. */
export function changeErrors(fields: Record<string, string>, changes: CloneChange[]): { byRow: Record<number, string>; rest: string[] } {
  const byRow: Record<number, string> = {};
  const rest: string[] = [];
  for (const [path, message] of Object.entries(fields)) {
    const row = changes.findIndex((c) => c.key.trim() && (path === c.key.trim() || path.startsWith(`${c.key.trim()}.`)));
    if (row >= 0) byRow[row] = byRow[row] ? `${byRow[row]}; ${message}` : message;
    else rest.push(path ? `${path}: ${message}` : message);
  }
  return { byRow, rest };
}

/** Rows of spec path = value; each row's error under it. */
export function CloneEditor({
  changes,
  errors,
  onChange,
}: {
  changes: CloneChange[];
  errors: Record<number, string>;
  onChange: (changes: CloneChange[]) => void;
}) {
  const update = (index: number, patch: Partial<CloneChange>) => onChange(changes.map((c, i) => (i === index ? { ...c, ...patch } : c)));
  return (
    <fieldset className={styles.cloneEditor}>
      <legend>Spec changes (dotted path = value; values as JSON or text)</legend>
      {changes.map((change, index) => {
        const error = errors[index];
        const errorId = `clone-error-${index}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their position
          <div key={index} className={styles.cloneRow}>
            <label>
              Path {index + 1}
              <input
                value={change.key}
                placeholder="train.epochs"
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? errorId : undefined}
                onChange={(event) => update(index, { key: event.target.value })}
              />
            </label>
            <label>
              Value {index + 1}
              <input value={change.value} placeholder="20" onChange={(event) => update(index, { value: event.target.value })} />
            </label>
            <button type="button" aria-label={`Remove change ${index + 1}`} onClick={() => onChange(changes.filter((_, i) => i !== index))}>
              ✕
            </button>
            {error && (
              <span id={errorId} className={`field-error ${styles.cloneError}`}>
                {error}
              </span>
            )}
          </div>
        );
      })}
      <button type="button" onClick={() => onChange([...changes, { key: "", value: "" }])}>
        Add change
      </button>
    </fieldset>
  );
}
