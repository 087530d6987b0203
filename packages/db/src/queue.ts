import { Logger as GraphileLogger, type Logger, runMigrations } from "graphile-worker";
import { logger } from "./logger";
import { type MigrateResult, migrate } from "./migrator";
import { createPool } from "./pool";

/** Task identifiers: a worker takes only the tasks its capabilities allow. */
export const QueueTask = {
  trainAny: "train_any",
  trainGpu: "train_gpu",
  aggregate: "aggregate_run",
  /** Removes the runs marked deleted, with their artifact bytes (one job per deletion; purges share the work). */
  purge: "purge_runs",
  /** Starts a sweep's next trials and ends the sweep when its budget is spent (one job per wake-up; steps are idempotent). */
  sweepStep: "sweep_step",
} as const;

/** Retries of a job are our recovery policy's business; this only bounds crash-resumes. */
export const maxJobAttempts = 25;

/** graphile-worker's own log lines, through pino. */
export const queueLogger: Logger = new GraphileLogger((scope) => (level, message, meta) => {
  const method = level === "error" ? "error" : level === "warning" ? "warn" : "debug";
  logger[method]({ queue: scope, ...meta }, message);
});

/**
 * Installs or upgrades graphile-worker's schema (its own migrations, in its own schema).
 * On our own pool, ended before this returns: a pool graphile-worker makes is
 * ended without waiting and loses its error listener first, so a server that
 * stops just after (an embedded one at exit) would kill the process through
 * its idle connection.
 */
export async function installQueue(url: string): Promise<void> {
  const pool = createPool({ connectionString: url, max: 1 });
  try {
    await runMigrations({ pgPool: pool, logger: queueLogger });
  } finally {
    await pool.end();
  }
}

/** Our migrations, then the queue's: what every process runs before using the database. */
export async function prepareDatabase(url: string): Promise<MigrateResult> {
  const result = await migrate(url);
  await installQueue(url);
  return result;
}
