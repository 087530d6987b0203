"use client";
import { useEffect, useRef, useState } from "react";
import styles from "./tokens.module.css";

/** A token just created: shown once, with copy and how to use it. */
export function NewTokenBox({ name, token, onDone }: { name: string; token: string; onDone(): void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<boolean>();
  const origin = typeof window === "undefined" ? "" : window.location.origin;

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token);
      setCopied(true);
    } catch {
      // No clipboard permission (or an insecure origin): the text is selected for Ctrl-C instead.
      input.current?.select();
      setCopied(false);
    }
  };

  return (
    <section className={styles.secret} aria-label="New API token" data-testid="new-token">
      <strong>Token “{name}” created. Copy it now: it is shown only this once and cannot be recovered.</strong>
      <div className={styles.secretRow}>
        <input aria-label="API token" ref={input} readOnly value={token} onFocus={(event) => event.target.select()} />
        <button type="button" onClick={copy}>
          Copy
        </button>
      </div>
      <p role="status" className="muted">
        {copied === true ? "Copied to the clipboard." : copied === false ? "Copying failed: the token is selected, press Ctrl-C." : ""}
      </p>
      <p>Use it from the CLI or any HTTP client:</p>
      <pre className={styles.usage}>
        {`hindcast --server ${origin} login --token ${token}\n\ncurl -H "Authorization: Bearer ${token}" ${origin}/api/trpc/users.me`}
      </pre>
      <div className="form-actions">
        <button type="button" className="primary" onClick={onDone}>
          I have copied it
        </button>
      </div>
    </section>
  );
}
