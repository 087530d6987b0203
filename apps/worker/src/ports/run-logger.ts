import type pg from "pg";
import type { Logger } from "pino";
import { BatchBuffer } from "./batch-buffer.js";
import { retryTransient } from "./transient.js";

type Level = "info" | "warn" | "error";

interface LogRow {
  /** The "LogLevel" enum value. */
  level: Uppercase<Level>;
  message: string;
  fields: Record<string, unknown> | undefined;
  at: Date;
}

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
  readonly #buffer = new BatchBuffer<LogRow>({ writeBatch: (rows) => this.#store(rows), flushIntervalMs: 500, maxBuffered: 200 });

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

  async #store(rows: readonly LogRow[]): Promise<void> {
    try {
      await retryTransient(() =>
        this.#pool.query(
          `INSERT INTO "LogLine" ("runId", "attempt", "level", "message", "fields", "at")
           SELECT $1::uuid, $2::int, l.level, l.message, l.fields, l.at
             FROM unnest($3::"LogLevel"[], $4::text[], $5::jsonb[], $6::timestamptz[]) AS l(level, message, fields, at)`,
          [
            this.#runId,
            this.#attempt,
            rows.map((row) => row.level),
            rows.map((row) => row.message),
            rows.map((row) => (row.fields === undefined ? null : JSON.stringify(row.fields))),
            rows.map((row) => row.at),
          ],
        ),
      );
    } catch (error) {
      this.#log.error({ err: error, lines: rows.length }, "could not store log lines; they are only in this log");
    }
  }
}
