import { type Ending, finishRun, type TerminalStatus } from "@hindcast/db";
import type { WorkerContext } from "./context";
import { retryTransient } from "./ports/transient";

/**
 * Ends a run this worker holds, retried while the database is unreachable.
 * False when the end was refused: another worker took the run over, or it had ended.
 */
export async function endHeldRun(worker: WorkerContext, runId: string, status: TerminalStatus, ending: Ending): Promise<boolean> {
  const ended = await retryTransient(() => finishRun(worker.pool, runId, worker.workerId, status, ending));
  if (!ended.ok) worker.log.warn({ runId, from: ended.from }, `run not ended ${status}: ${ended.reason}`);
  return ended.ok;
}
