import { setTimeout as sleep } from "node:timers/promises";
import { classifyError, errorMessage } from "@hindcast/engine";

/** Lost-connection SQLSTATEs that the engine's classifyError does not count as transient: it covers the rest. */
const connectionLostCodes = new Set(["57P02", "08000", "08003"]);
/** What pg throws, without a code, when the server closes the socket under a query. */
const connectionLostMessage = /Connection terminated|Client has encountered a connection error/;

/** True for errors worth retrying the same statement over: the server is restarting, unreachable or full. */
export function isTransientDbError(error: unknown): boolean {
  if (classifyError(error) === "transient") return true;
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return (typeof code === "string" && connectionLostCodes.has(code)) || connectionLostMessage.test(errorMessage(error));
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
