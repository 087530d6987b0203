import { setTimeout as sleep } from "node:timers/promises";
import { isDatabaseUnavailable } from "@hindcast/db";
import { classifyError } from "@hindcast/engine";

/** True for errors worth retrying the same statement over: the server is restarting, unreachable or full, or the transaction lost a race. */
export function isTransientDbError(error: unknown): boolean {
  return isDatabaseUnavailable(error) || classifyError(error) === "transient";
}

export interface RetryOptions {
  /** Give up (rethrow) once this long has passed since the first try. */
  maxWaitMs?: number;
  baseMs?: number;
  maxDelayMs?: number;
  onRetry?: (error: unknown, retry: number, delayMs: number) => void;
}

/** Runs `fn`, retrying transient database errors with capped exponential backoff; other errors are rethrown at once. */
export async function retryTransient<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { maxWaitMs = 60_000, baseMs = 100, maxDelayMs = 2_000, onRetry } = options;
  const deadline = performance.now() + maxWaitMs;
  for (let retry = 1; ; retry++) {
    try {
      return await fn();
    } catch (error) {
      const remainingMs = deadline - performance.now();
      if (!isTransientDbError(error) || remainingMs <= 0) throw error;
      const delayMs = Math.min(maxDelayMs, baseMs * 2 ** (retry - 1), remainingMs);
      onRetry?.(error, retry, delayMs);
      await sleep(delayMs);
    }
  }
}
