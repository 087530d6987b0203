import { type RunStatus, runStatuses, terminalStatuses } from "@hindcast/contracts";

export { type RunStatus, runStatuses, terminalStatuses };

/** A status a run ends in. */
export type TerminalStatus = Extract<RunStatus, "SUCCEEDED" | "FAILED" | "CANCELLED" | "STOPPED">;

/**
 * Every way a run's status may change, by operation: the function that does
 * it (in the module of the same name) may move a run from any status in
 * `from` to one in `to`, and to nothing else. Its UPDATE filters on `from`,
 * so a change this table does not list changes nothing and is reported as
 * refused (see Transition).
 */
export const runTransitions = {
  /** A new run (insertRun): there is no status before. */
  enqueue: { from: [], to: ["QUEUED"] },
  /**
   * A worker takes the run from the queue. RUNNING -> RUNNING is a take-over:
   * its worker died (the reaper unlocked its job) or crashed before ending it.
   */
  claim: { from: ["QUEUED", "RUNNING"], to: ["RUNNING"] },
  /** A run claimed after its cancel was asked while no worker held it ends without starting. */
  "cancel-unclaimed": { from: ["CANCELLING"], to: ["CANCELLED"] },
  /** Cancelled before any worker took it: it leaves the queue. */
  "cancel-queued": { from: ["QUEUED"], to: ["CANCELLED"] },
  /** The worker that holds it is told, and ends it with finish. */
  "cancel-running": { from: ["RUNNING"], to: ["CANCELLING"] },
  /** The worker that holds the run ends it; one whose cancel came as it ended keeps the end it reached. */
  finish: { from: ["RUNNING", "CANCELLING"], to: terminalStatuses },
  /** A stopping worker hands the run back to the queue, to resume from its last checkpoint. */
  release: { from: ["RUNNING"], to: ["QUEUED"] },
  /** The aggregate step ends a parallel retrodiction once its last child has ended. */
  "end-parent": { from: ["RUNNING", "CANCELLING"], to: terminalStatuses },
} as const satisfies Record<string, { from: readonly RunStatus[]; to: readonly RunStatus[] }>;

export type RunOperation = keyof typeof runTransitions;

/** The statuses `operation` may move a run from. */
export const allowedFrom = (operation: RunOperation): readonly RunStatus[] => runTransitions[operation].from;

/** A status change that did not happen: the run was in a status the operation does not leave, held by another worker, or missing. */
export interface Refused {
  ok: false;
  operation: RunOperation;
  runId: string;
  /** The run's status when it was refused; undefined when there is no such run. */
  from: RunStatus | undefined;
  reason: string;
}

/** What a status-changing function did: the run moved to `to` (with the row it returned), or the refusal. */
export type Transition<Row = unknown> = { ok: true; to: RunStatus; row: Row } | Refused;
