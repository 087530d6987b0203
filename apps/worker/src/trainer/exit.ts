import { OutOfMemoryError, TransientError } from "@hindcast/engine";

/** How a trainer process ends on its own; any other end is a crash. */
export const exitCodes = { done: 0, workerGone: 70 } as const;

/** What V8 prints as it aborts a process whose heap is full. */
const heapExhausted = /JavaScript heap out of memory|Reached heap limit|Allocation failed/;

/**
 * Why a trainer process ended before it reported an outcome, as an error the
 * recovery policy can classify: a full heap is out of memory (by default not
 * retried); any other death (a signal, kill -9, an abort) is transient, so the
 * run resumes from its last checkpoint while the policy allows.
 */
export function trainerExitError(code: number | null, signal: NodeJS.Signals | null, stderrTail: string): Error {
  if (heapExhausted.test(stderrTail)) {
    return new OutOfMemoryError(
      "the trainer process ran out of memory (JavaScript heap exhausted); give it more (WORKER_TRAINING_MEMORY_MB) or train a smaller model",
    );
  }
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const lastLine = stderrTail.trim().split("\n").at(-1)?.slice(0, 300);
  return new TransientError(`the trainer process ${how} before the training ended${lastLine ? ` (${lastLine})` : ""}`);
}
