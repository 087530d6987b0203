import { notify, runEventsChannel, writeMetricPoints } from "@hindcast/db";
import type { MetricPointRecord, MetricSink } from "@hindcast/engine";
import type pg from "pg";
import { BatchBuffer } from "./batch-buffer";
import { isTransientDbError, retryTransient } from "./transient";

export interface MetricSinkOptions {
  /** Longest time a point waits in memory (default 250 ms). */
  flushIntervalMs?: number;
  /** Buffered points that start a write at once (default 5,000). */
  maxBuffered?: number;
  /** Told of every batch stored: its points and how long storing it took. */
  onStored?(points: number, seconds: number): void;
}

export interface MetricSinkStats {
  /** Points the database acknowledged, including ones it already had. */
  pointsWritten: number;
  /** Batches written. */
  flushes: number;
  /** Transient failures retried. */
  retries: number;
}

/**
 * The engine's MetricSink on PostgreSQL: write() only buffers, batches go out
 * through writeMetricPoints one at a time. A batch that fails stays buffered
 * and is sent again. That is safe even when the failure was ambiguous (the
 * commit happened, its acknowledgement was lost): writeMetricPoints skips
 * points already stored, so nothing is stored or counted twice.
 */
export class DbMetricSink implements MetricSink {
  readonly #pool: pg.Pool;
  readonly #runId: string;
  readonly #buffer: BatchBuffer<MetricPointRecord>;
  readonly #stats: MetricSinkStats = { pointsWritten: 0, flushes: 0, retries: 0 };
  readonly #onStored: MetricSinkOptions["onStored"];
  #closed = false;

  constructor(pool: pg.Pool, runId: string, options: MetricSinkOptions = {}) {
    this.#pool = pool;
    this.#runId = runId;
    this.#onStored = options.onStored;
    this.#buffer = new BatchBuffer({
      writeBatch: (batch) => this.#store(batch),
      flushIntervalMs: options.flushIntervalMs ?? 250,
      maxBuffered: options.maxBuffered ?? 5_000,
    });
  }

  get stats(): MetricSinkStats {
    return { ...this.#stats };
  }

  write(points: readonly MetricPointRecord[]): void {
    this.#buffer.add(points);
  }

  /** Resolves once every point written so far is stored; rejects with a non-transient error (the points stay buffered). */
  flush(): Promise<void> {
    return this.#buffer.flush();
  }

  /** Flushes what is left; a server still away after one more round of retries makes it reject. */
  close(): Promise<void> {
    this.#closed = true;
    return this.#buffer.close();
  }

  async #store(batch: readonly MetricPointRecord[]): Promise<void> {
    const runId = this.#runId;
    const points = batch.map(({ key, step, value, wallTime }) => ({ runId, key, step, value, wallTime }));
    const startedAt = performance.now();
    for (;;) {
      try {
        await retryTransient(() => writeMetricPoints(this.#pool, points), { onRetry: () => this.#stats.retries++ });
        break;
      } catch (error) {
        // While the sink is open a server that stays away longer than a retry round (a restart, a failover) is waited out.
        if (this.#closed || !isTransientDbError(error)) throw error;
        this.#stats.retries++;
      }
    }
    this.#stats.flushes++;
    this.#stats.pointsWritten += points.length;
    this.#onStored?.(points.length, (performance.now() - startedAt) / 1000);
    // Live charts re-read on this; a lost one only delays them to the next flush, so it is never retried.
    await notify(this.#pool, runEventsChannel, { runId, kind: "metrics" }).catch(() => {});
  }
}
