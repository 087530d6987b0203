"use client";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { errorMessage } from "@/lib/errors";
import { formatTime } from "@/lib/format";
import { useTRPCClient } from "@/lib/trpc";
import styles from "./run.module.css";

interface LogLine {
  id: string;
  attempt: number;
  level: string;
  message: string;
  at: Date;
}

const maxLines = 5_000;
const pollMs = 2_000;

/**
 * The newest log lines, then every line after the last one seen, polled
 * while the run is active (and once more when it ends). Scrolls along with
 * new lines unless the reader has scrolled up.
 */
export function LogsTail({ runId, active }: { runId: string; active: boolean }) {
  const client = useTRPCClient();
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLPreElement>(null);
  const following = useRef(true);
  const lastId = useRef<string | undefined>(undefined);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const fresh = await client.runs.logs.query({ id: runId, afterId: lastId.current, limit: 1000 });
        if (stopped) return;
        setError(null);
        if (fresh.length) {
          lastId.current = fresh.at(-1)?.id;
          setLines((old) => [...old, ...fresh].slice(-maxLines));
        }
        // A full page means more lines are waiting: fetch them at once.
        if (fresh.length === 1000) return void poll();
      } catch (failure) {
        if (!stopped) setError(errorMessage(failure));
      }
      if (active && !stopped) timer = setTimeout(poll, pollMs);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, runId, active]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each batch of new lines
  useLayoutEffect(() => {
    const element = box.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [lines]);

  return (
    <section className="card" aria-labelledby="logs-title">
      <h2 id="logs-title">Logs</h2>
      {error && <p className="banner-error">Cannot load logs: {error}</p>}
      {lines.length === 0 ? (
        <p className="muted">{active ? "No log lines yet." : "This run logged nothing."}</p>
      ) : (
        <pre
          ref={box}
          className={`logs ${styles.logs}`}
          role="log"
          aria-label="Run log"
          data-testid="run-logs"
          onScroll={(event) => {
            const element = event.currentTarget;
            following.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
          }}
        >
          {lines.map((line) => (
            <div key={line.id} className={styles[`log_${line.level}`]}>
              <span className="muted">{formatTime(line.at)}</span> <span className={styles.logLevel}>{line.level}</span>
              {line.attempt > 1 ? <span className="muted"> [attempt {line.attempt}]</span> : null} {line.message}
            </div>
          ))}
        </pre>
      )}
    </section>
  );
}
