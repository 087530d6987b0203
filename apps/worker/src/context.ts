import type { ArtifactStorage } from "@hindcast/artifact-store";
import type { CancellationSource } from "@hindcast/engine";
import type { BackendChoice } from "@hindcast/models";
import type { WorkerMetrics } from "@hindcast/observability";
import type pg from "pg";
import type { Logger } from "pino";
import type { WorkerConfig } from "./config";
import type { TrainerProcesses } from "./trainer/host";

export interface LocalRun {
  source: CancellationSource;
  /**
   * Set when the worker stops. "release": the run goes back to the queue instead of ending
   * CANCELLED. "abandon": this worker was declared dead and the reaper gave the run to the
   * others, so the run and its queue job are left as they are.
   */
  stopping?: "release" | "abandon";
  task: string;
  /** Why its sweep's early-stopping rule stopped it: the run ends STOPPED, not CANCELLED. */
  stoppedBySweep?: string;
  /** Samples trained so far and samples/s, from the training's latest progress. */
  samples?: { done: number; perSecond: number };
}

/** What every job handler of one worker process shares. */
export interface WorkerContext {
  pool: pg.Pool;
  workerId: string;
  backend: BackendChoice;
  config: WorkerConfig;
  /** Where this worker's runs keep their artifacts, and how it reads anyone's (by URI scheme). */
  artifacts: ArtifactStorage;
  log: Logger;
  running: Map<string, LocalRun>;
  /** Runs this worker handed back to the queue as it stopped. */
  handedBack: number;
  /** Where trainings run: a process each, with spares started ahead. */
  trainers: TrainerProcesses;
  /** Prometheus instruments of this worker (served when WORKER_METRICS_PORT is set). */
  metrics: WorkerMetrics;
}

/** The reasons a stopping worker cancels its runs with: the stage timeline shows them as what ended the attempt. */
export const shutdownReason = "handed back at shutdown";
export const declaredDeadReason = "its worker was declared dead";
