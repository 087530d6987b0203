"use client";
import { useState } from "react";
import styles from "./new-training.module.css";
import { parseSpec, printSpec, type SpecFormat } from "./spec-text";
import type { FieldErrors } from "./validation";

/** What the editor edits: a training spec, or a whole sweep spec (its base spec, search space and settings). */
const subjects = {
  spec: {
    name: "Spec",
    file: "a spec file for `hindcast train start`",
    notMapping: undefined,
    /** The input's errors about the spec, by their path within it. */
    issues: (errors: FieldErrors) =>
      Object.entries(errors)
        .filter(([path]) => path === "spec" || path.startsWith("spec."))
        .map(([path, message]) => ({ path: path.replace(/^spec\.?/, "") || "(spec)", message })),
  },
  sweep: {
    name: "Sweep spec",
    file: "a sweep file for `hindcast sweep start`",
    notMapping: "The sweep spec must be a mapping with base, space and the sweep's settings",
    /** Every error, by its path in the sweep spec. */
    issues: (errors: FieldErrors) => Object.entries(errors).map(([path, message]) => ({ path: path || "(sweep)", message })),
  },
} as const;

export interface SpecEditorProps {
  spec: unknown;
  subject?: keyof typeof subjects;
  /** Called with every edit that parses; the form shows the same draft. */
  onChange(spec: Record<string, unknown>): void;
  /** Validation errors of the whole input; the ones under "spec." are listed here (for a sweep: all, by their sweep spec path). */
  errors: FieldErrors;
  readOnly: boolean;
}

/**
 * The whole spec as YAML or JSON (the file format `hindcast train start`
 * reads). It is the source while it is open: each edit that parses replaces
 * the form's spec; the text is printed afresh when it opens or the format changes.
 */
export function SpecEditor({ spec, subject = "spec", onChange, errors, readOnly }: SpecEditorProps) {
  const what = subjects[subject];
  const [format, setFormat] = useState<SpecFormat>("yaml");
  const [text, setText] = useState(() => printSpec(spec, format));
  const [parseError, setParseError] = useState<string | null>(null);

  const switchFormat = (next: SpecFormat) => {
    setFormat(next);
    setText(printSpec(spec, next));
    setParseError(null);
  };
  const edit = (next: string) => {
    setText(next);
    const parsed = parseSpec(next, format, what.notMapping);
    if ("error" in parsed) return setParseError(parsed.error);
    setParseError(null);
    onChange(parsed.spec);
  };

  const specErrors = what.issues(errors);

  return (
    <div>
      <div className="row" role="radiogroup" aria-label="Format">
        {(["yaml", "json"] as const).map((f) => (
          <label key={f} className={styles.checkbox}>
            <input type="radio" name="spec-format" checked={format === f} onChange={() => switchFormat(f)} />
            {f.toUpperCase()}
          </label>
        ))}
        <span className="muted">Same format as {what.file}.</span>
      </div>
      <label htmlFor="spec-text" className={`muted ${styles.editorLabel}`}>
        {what.name} as {format.toUpperCase()}
      </label>
      <textarea
        id="spec-text"
        className={styles.editor}
        spellCheck={false}
        rows={Math.max(16, text.split("\n").length + 1)}
        readOnly={readOnly}
        value={text}
        aria-invalid={parseError || specErrors.length ? true : undefined}
        aria-describedby="spec-text-status"
        onChange={(event) => edit(event.target.value)}
      />
      <div id="spec-text-status" aria-live="polite">
        {parseError ? (
          <p className="banner-error" data-testid="spec-parse-error">
            {parseError}. The form keeps the last spec that parsed.
          </p>
        ) : specErrors.length ? (
          <div className="banner-error" data-testid="spec-issues">
            {specErrors.length === 1 ? "1 problem:" : `${specErrors.length} problems:`}
            <ul className={styles.issues}>
              {specErrors.map((issue) => (
                <li key={issue.path}>
                  <code>{issue.path}</code>: {issue.message}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="banner-ok">The {what.name.toLowerCase()} is valid.</p>
        )}
      </div>
    </div>
  );
}
