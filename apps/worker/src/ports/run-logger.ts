import { type LogLineInput, writeLogLines } from "@hindcast/db";
import type pg from "pg";
import type { Logger } from "pino";
import { BatchBuffer } from "./batch-buffer";
import { retryTransient } from "./transient";

type Level = "info" | "warn" | "error";

/**
 * A run's log: every line goes to pino (with the run id) and, in bulk, to
 * "LogLine" rows that the dashboard shows. Storing is best effort: a batch
 * that still fails after transient retries is reported through pino and
 * dropped; the caller never sees an error.
 */
export class RunLogger {
  readonly #pool: pg.Pool;
  readonly #runId: string;
  readonly #attempt: number;
  readonly #log: Logger;
  readonly #buffer = new BatchBuffer<LogLineInput>({ writeBatch: (rows) => this.#store(rows), flushIntervalMs: 500, maxBuffered: 200 });

  constructor(pool: pg.Pool, runId: string, attempt: number, logger: Logger) {
    this.#pool = pool;
    this.#runId = runId;
    this.#attempt = attempt;
    this.#log = logger.child({ runId, attempt });
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.#write("info", message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.#write("warn", message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.#write("error", message, fields);
  }

  /** Stores the lines buffered so far (for lines that must survive a crash right after). */
  flush(): Promise<void> {
    return this.#buffer.flush();
  }

  /** Stores the lines still buffered. */
  close(): Promise<void> {
    return this.#buffer.close();
  }

  #write(level: Level, message: string, fields: Record<string, unknown> | undefined): void {
    this.#log[level](fields ?? {}, message);
    this.#buffer.add([{ level: level.toUpperCase() as Uppercase<Level>, message, fields, at: new Date() }]);
  }

  async #store(rows: readonly LogLineInput[]): Promise<void> {
    try {
      await retryTransient(() => writeLogLines(this.#pool, this.#runId, this.#attempt, rows));
    } catch (error) {
      this.#log.error({ err: error, lines: rows.length }, "could not store log lines; they are only in this log");
    }
  }
}
