const defaultReason = "cancelled";

export class CancelledError extends Error {
  override readonly name = "CancelledError";

  constructor(readonly reason: string = defaultReason) {
    super(`Cancelled: ${reason}`);
  }
}

type Listener = (reason: string) => void;

// Lets CancellationSource trip a token without giving the token a public cancel method.
let trip: (token: CancellationToken, reason: string) => void;

/** Read-only view of a cancellation: stages and the trainer poll or subscribe to it. */
export class CancellationToken {
  /** A token that never trips. */
  static readonly none = new CancellationToken();

  #cancelled = false;
  #reason: string | undefined;
  readonly #listeners = new Set<Listener>();

  static {
    trip = (token, reason) => token.#trip(reason);
  }

  /** A stored flag, cheap enough to read every batch. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  get reason(): string | undefined {
    return this.#reason;
  }

  throwIfCancelled(): void {
    if (this.#cancelled) throw new CancelledError(this.#reason);
  }

  /** Calls `fn` once on cancel (on a microtask when already cancelled); returns an unsubscribe function. */
  onCancel(fn: Listener): () => void {
    const reason = this.#reason;
    if (reason !== undefined) {
      queueMicrotask(() => fn(reason));
      return () => {};
    }
    if (this === CancellationToken.none) return () => {};
    this.#listeners.add(fn);
    return () => {
      this.#listeners.delete(fn);
    };
  }

  #trip(reason: string): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#reason = reason;
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    const errors: unknown[] = [];
    for (const listener of listeners) {
      try {
        listener(reason);
      } catch (error) {
        errors.push(error);
      }
    }
    // Every listener runs even when one throws; the failures surface together afterwards.
    if (errors.length > 0) throw new AggregateError(errors, "a cancellation listener failed");
  }
}

export class CancellationSource {
  readonly token = new CancellationToken();

  /** Idempotent: the first reason wins. */
  cancel(reason = defaultReason): void {
    trip(this.token, reason);
  }
}

/**
 * Waits for a timer that `start` sets up (it calls `wake` when due and returns a function that
 * stops it); rejects with CancelledError, stopping the timer, if the token trips first.
 */
export function cancellableWait(start: (wake: () => void) => () => void, token: CancellationToken = CancellationToken.none): Promise<void> {
  return new Promise((resolve, reject) => {
    token.throwIfCancelled();
    let stop = () => {};
    // Subscribe before starting, so a timer that wakes synchronously can still unsubscribe.
    const unsubscribe = token.onCancel((reason) => {
      stop();
      reject(new CancelledError(reason));
    });
    stop = start(() => {
      unsubscribe();
      resolve();
    });
  });
}
