import { recordStageEvent, writeRunProgress } from "@hindcast/db";
import type { ProgressSnapshot, RunStore, StageEventRecord } from "@hindcast/engine";
import type pg from "pg";
import { retryTransient } from "./transient";

export interface RunStoreStats {
  stageEvents: number;
  /** Progress UPDATEs sent; coalesced snapshots never reach the database. */
  progressStatements: number;
  progressFailures: number;
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
    await retryTransient(() => recordStageEvent(this.#pool, this.#runId, event));
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
      await writeRunProgress(this.#pool, this.#runId, progress);
    } catch {
      this.#stats.progressFailures++;
    }
  }
}
