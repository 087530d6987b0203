import type { CancellationSource } from "@hindcast/engine";
import type { BackendChoice } from "@hindcast/models";
import type pg from "pg";
import type { Logger } from "pino";
import type { WorkerConfig } from "./config.js";

export interface LocalRun {
  source: CancellationSource;
  /** Set when the worker stops: the run goes back to the queue instead of ending CANCELLED. */
  releasing: boolean;
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
}

export const shutdownReason = "worker shutting down";
