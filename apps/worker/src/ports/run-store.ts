import { type RunEvent, runEventsChannel } from "@hindcast/db";
import type { ProgressSnapshot, RunStore, StageEventRecord } from "@hindcast/engine";
import type pg from "pg";
import { retryTransient } from "./transient.js";

export interface RunStoreStats {
  stageEvents: number;
  /** Progress UPDATEs sent; coalesced snapshots never reach the database. */
  progressStatements: number;
  progressFailures: number;
}

/** NOTIFY payloads must stay under 8000 bytes; the full message is in the Run row. */
const maxNotifiedMessageChars = 500;

/** JSON for pg_notify inside a statement, checked like notify() checks it. */
function runEventPayload(event: RunEvent): string {
  return JSON.stringify(runEventsChannel.schema.parse(event));
}

/**
 * The engine's RunStore on PostgreSQL: every change is one statement that also
 * NOTIFYs run_events, so watchers hear of exactly what was committed.
 */
export class DbRunStore implements RunStore {
  readonly #pool: pg.Pool;
  readonly #runId: string;
  readonly #stats: RunStoreStats = { stageEvents: 0, progressStatements: 0, progressFailures: 0 };
  /** The newest snapshot not yet sent. */
  #nextProgress: ProgressSnapshot | undefined;
  #sendingProgress: Promise<void> | undefined;

  constructor(pool: pg.Pool, runId: string) {
    this.#pool = pool;
    this.#runId = runId;
  }

  get stats(): RunStoreStats {
    return { ...this.#stats };
  }

  /** Retried for up to a minute: the engine fails the run when a stage's start cannot be recorded. */
  async recordStageEvent(event: StageEventRecord): Promise<void> {
    const values = [
      this.#runId,
      event.attempt,
      event.stage,
      event.kind,
      event.durationMs === undefined ? null : Math.round(event.durationMs),
      event.message ?? null,
      event.details === undefined ? null : JSON.stringify(event.details),
      event.at,
      runEventsChannel.name,
      runEventPayload({ runId: this.#runId, kind: "stage" }),
    ];
    await retryTransient(() =>
      this.#pool.query(
        `WITH inserted AS (
           INSERT INTO "StageEvent" ("runId", "attempt", "stage", "kind", "durationMs", "message", "details", "at")
           VALUES ($1, $2, $3, $4::"StageEventKind", $5, $6, $7::jsonb, $8)
           RETURNING 1
         )
         SELECT pg_notify($9, $10) FROM inserted`,
        values,
      ),
    );
    this.#stats.stageEvents++;
  }

  /**
   * Best effort, never rejects: a failed update is counted and superseded by the next.
   * While one update is in flight, newer snapshots replace each other and only the last is sent after it.
   */
  updateProgress(progress: ProgressSnapshot): Promise<void> {
    this.#nextProgress = progress;
    this.#sendingProgress ??= this.#sendProgress();
    return this.#sendingProgress;
  }

  async #sendProgress(): Promise<void> {
    // Never empty on entry, so the first await comes before the finally that clears #sendingProgress.
    try {
      for (let next = this.#nextProgress; next; next = this.#nextProgress) {
        this.#nextProgress = undefined;
        await this.#writeProgress(next);
      }
    } finally {
      this.#sendingProgress = undefined;
    }
  }

  async #writeProgress(progress: ProgressSnapshot): Promise<void> {
    this.#stats.progressStatements++;
    try {
      await this.#pool.query(
        `WITH updated AS (
           UPDATE "Run" SET "phase" = $2, "step" = $3, "totalSteps" = $4, "itemsDone" = $5, "itemsTotal" = $6,
                            "percent" = $7, "etaSeconds" = $8, "samplesPerSecond" = $9, "message" = $10, "updatedAt" = now()
            WHERE "id" = $1
           RETURNING 1
         )
         SELECT pg_notify($11, $12) FROM updated`,
        [
          this.#runId,
          progress.phase,
          progress.step,
          progress.totalSteps,
          progress.itemsDone,
          progress.itemsTotal,
          progress.percent,
          progress.etaSeconds,
          progress.samplesPerSecond,
          progress.message,
          runEventsChannel.name,
          runEventPayload({
            runId: this.#runId,
            kind: "progress",
            percent: progress.percent,
            message: progress.message.slice(0, maxNotifiedMessageChars),
          }),
        ],
      );
    } catch {
      this.#stats.progressFailures++;
    }
  }
}
