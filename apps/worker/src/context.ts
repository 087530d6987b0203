import type { CancellationSource } from "@hindcast/engine";
import type { BackendChoice } from "@hindcast/models";
import type pg from "pg";
import type { Logger } from "pino";
import type { WorkerConfig } from "./config";

export interface LocalRun {
  source: CancellationSource;
  /**
   * Set when the worker stops. "release": the run goes back to the queue instead of ending
   * CANCELLED. "abandon": this worker was declared dead and the reaper gave the run to the
   * others, so the run and its queue job are left as they are.
   */
  stopping?: "release" | "abandon";
  task: string;
}

/** What every job handler of one worker process shares. */
export interface WorkerContext {
  pool: pg.Pool;
  workerId: string;
  backend: BackendChoice;
  config: WorkerConfig;
  log: Logger;
  running: Map<string, LocalRun>;
  /** Runs this worker handed back to the queue as it stopped. */
  handedBack: number;
}

/** The reasons a stopping worker cancels its runs with: the stage timeline shows them as what ended the attempt. */
export const shutdownReason = "handed back at shutdown";
export const declaredDeadReason = "its worker was declared dead";
