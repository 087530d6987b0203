"use client";
import { useState } from "react";
import styles from "./new-training.module.css";
import { parseSpec, printSpec, type SpecFormat } from "./spec-text";
import type { FieldErrors } from "./validation";

export interface SpecEditorProps {
  spec: unknown;
  /** Called with every edit that parses; the form shows the same draft. */
  onChange(spec: Record<string, unknown>): void;
  /** Validation errors of the whole input; the ones under "spec." are listed here. */
  errors: FieldErrors;
  readOnly: boolean;
}

/**
 * The whole spec as YAML or JSON (the file format `hindcast train start`
 * reads). It is the source while it is open: each edit that parses replaces
 * the form's spec; the text is printed afresh when it opens or the format changes.
 */
export function SpecEditor({ spec, onChange, errors, readOnly }: SpecEditorProps) {
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
    const parsed = parseSpec(next, format);
    if ("error" in parsed) return setParseError(parsed.error);
    setParseError(null);
    onChange(parsed.spec);
  };

  const specErrors = Object.entries(errors)
    .filter(([path]) => path === "spec" || path.startsWith("spec."))
    .map(([path, message]) => ({ path: path.replace(/^spec\.?/, "") || "(spec)", message }));

  return (
    <div>
      <div className="row" role="radiogroup" aria-label="Format">
        {(["yaml", "json"] as const).map((f) => (
          <label key={f} className={styles.checkbox}>
            <input type="radio" name="spec-format" checked={format === f} onChange={() => switchFormat(f)} />
            {f.toUpperCase()}
          </label>
        ))}
        <span className="muted">Same format as a spec file for `hindcast train start`.</span>
      </div>
      <label htmlFor="spec-text" className={`muted ${styles.editorLabel}`}>
        Spec as {format.toUpperCase()}
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
          <p className="banner-ok">The spec is valid.</p>
        )}
      </div>
    </div>
  );
}
