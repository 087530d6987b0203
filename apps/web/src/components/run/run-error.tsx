import Link from "next/link";
import { formatDuration, formatParam } from "@/lib/format";
import styles from "./run.module.css";
import type { RunDetail } from "./types";

interface RecoveryDecision {
  errorClass: string;
  action: string;
  attempt: number;
  delayMs: number;
  lrScale: number;
  reason: string;
}

/** The `error` column as the worker writes it; every field optional, since old or foreign rows may lack some. */
interface RunError {
  class?: string;
  message?: string;
  stage?: string;
  recovery?: RecoveryDecision[];
  failedRuns?: string[];
}

/** Why a run failed, where, and what the recovery policy tried first. */
export function RunErrorPanel({ run }: { run: RunDetail }) {
  if (!run.error && run.status !== "FAILED") return null;
  const error = (run.error ?? {}) as RunError;
  const decisions = Array.isArray(error.recovery) ? error.recovery : [];
  return (
    <section className={`card ${styles.errorCard}`} role="alert" aria-labelledby="error-title">
      <h2 id="error-title">
        Failed{error.stage ? ` in ${error.stage}` : ""}
        {error.class && <span className={`chip ${styles.errorClass}`}>{error.class}</span>}
      </h2>
      <pre className={styles.errorMessage}>{error.message ?? run.message ?? "No message was recorded."}</pre>
      {error.failedRuns && error.failedRuns.length > 0 && (
        <p>
          Failed child runs:{" "}
          {error.failedRuns.map((id) => (
            <Link key={id} href={`/runs/${id}`} className={styles.childLink}>
              {id.slice(0, 8)}
            </Link>
          ))}
        </p>
      )}
      {decisions.length > 0 && (
        <>
          <h3>Recovery decisions</h3>
          <div className={styles.scroll}>
            <table>
              <thead>
                <tr>
                  <th className="num">Attempt</th>
                  <th>Error class</th>
                  <th>Action</th>
                  <th className="num">Delay</th>
                  <th className="num">LR scale</th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                {decisions.map((d) => (
                  <tr key={`${d.attempt}-${d.errorClass}-${d.action}`}>
                    <td className="num">{d.attempt}</td>
                    <td>{d.errorClass}</td>
                    <td>
                      <strong className={d.action === "fail" ? "error" : styles.warnText}>{d.action}</strong>
                    </td>
                    <td className="num">{formatDuration(d.delayMs / 1000)}</td>
                    <td className="num">{formatParam(d.lrScale)}</td>
                    <td className={styles.wrap}>{d.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
