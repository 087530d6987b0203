export interface BatchBufferOptions<T> {
  /** Stores one batch. A rejection keeps the batch, ahead of newer items, for the next try. */
  writeBatch: (batch: T[]) => Promise<void>;
  /** Longest time an item waits before a background write starts. */
  flushIntervalMs: number;
  /** Pending items that start a background write at once. */
  maxBuffered: number;
}

/**
 * Collects items without I/O and writes them in batches, one batch at a time.
 * The error of a failed batch is held and pauses background writes until
 * flush() rethrows it; the flush after that tries the kept items again.
 */
export class BatchBuffer<T> {
  readonly #options: BatchBufferOptions<T>;
  #pending: T[] = [];
  #draining: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  // Boxed: anything, undefined included, can be thrown.
  #failure: { error: unknown } | undefined;

  constructor(options: BatchBufferOptions<T>) {
    this.#options = options;
  }

  add(items: readonly T[]): void {
    // A loop, not push(...items): spreading a large batch overflows the call stack.
    for (const item of items) this.#pending.push(item);
    if (this.#pending.length >= this.#options.maxBuffered) this.#drainInBackground();
    else this.#timer ??= setTimeout(() => this.#onTimer(), this.#options.flushIntervalMs).unref();
  }

  /** Resolves once every item added so far is written; rejects with the error of a failed batch. */
  async flush(): Promise<void> {
    for (;;) {
      const failure = this.#failure;
      if (failure) {
        this.#failure = undefined;
        throw failure.error;
      }
      if (this.#pending.length === 0 && this.#draining === undefined) return;
      await this.#drain();
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  #onTimer(): void {
    this.#timer = undefined;
    this.#drainInBackground();
  }

  #drainInBackground(): void {
    if (!this.#failure) void this.#drain();
  }

  #drain(): Promise<void> {
    this.#draining ??= this.#drainLoop().finally(() => {
      this.#draining = undefined;
    });
    return this.#draining;
  }

  async #drainLoop(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        await this.#options.writeBatch(batch);
      } catch (error) {
        this.#pending = batch.concat(this.#pending);
        this.#failure = { error };
        return;
      }
    }
  }
}
