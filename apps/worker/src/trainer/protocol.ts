import type { PipelineName } from "@hindcast/contracts";
import type { ErrorClass, MetricPointRecord, ProgressSnapshot, ResultSummary, RungValue, StageEventRecord } from "@hindcast/engine";
import type { Dataset, TrainingSpec } from "@hindcast/models";

/*
 * The messages between a worker and the trainer process it starts for one
 * training attempt (apps/worker/src/trainer/child.ts). Both ends are this
 * package at one version, started together, so the shapes are TypeScript types;
 * they travel by Node's "advanced" IPC serialization (structured clone: Dates,
 * typed arrays and Maps arrive as themselves).
 */

export interface StartMessage {
  kind: "start";
  runId: string;
  attempt: number;
  pipeline: Exclude<PipelineName, "parallel-retrodiction">;
  spec: TrainingSpec;
  /** The backend the worker picked at startup; the trainer activates it again in its own process. */
  backend: string;
  /** The encoded checkpoint to resume the main training from. */
  resumeFrom: Uint8Array | null;
  checkpointIntervalMs: number;
  /** How often system/* metrics are sampled (ms). */
  systemMetricsIntervalMs: number;
  /** A sweep trial's rungs (epochs done) at which it reports its loss (reachRung); empty for other runs. */
  rungs: number[];
}

export interface CancelMessage {
  kind: "cancel";
  reason: string;
}

/** Calls the trainer makes into the worker and awaits, by method. */
export interface TrainerCalls {
  recordStageEvent: { args: StageEventRecord; result: undefined };
  flushMetrics: { args: undefined; result: undefined };
  loadDataset: { args: string; result: Dataset };
  putArtifact: {
    args: { name: string; data: Uint8Array | string; meta: { kind: string; contentType: string } };
    result: { uri: string; sizeBytes: number };
  };
  getArtifact: { args: string; result: Uint8Array };
  /** A checkpoint was stored at `uri`: record it (after every metric point up to its step). */
  checkpoint: {
    args: { uri: string; epoch: number; step: number; tag: string; valLoss: number | null; learningRate: number };
    result: undefined;
  };
  /** A sweep trial reached a rung: the worker records it and, when the trial is not promoted, cancels it as stopped. */
  reachRung: { args: RungValue; result: undefined };
}
export type CallMethod = keyof TrainerCalls;

export type CallMessage = { [M in CallMethod]: { kind: "call"; id: number; method: M; args: TrainerCalls[M]["args"] } }[CallMethod];

export type ReplyMessage = { kind: "reply"; id: number } & ({ ok: true; value: unknown } | { ok: false; error: TransferredError });

/** An error as it crosses the process boundary: its class decided where it was thrown. */
export interface TransferredError {
  name: string;
  /** One line for the run's failure, as errorMessage gives it. */
  message: string;
  errorClass: ErrorClass;
  /** A user error's own parts (UserFacingError), to rebuild it. */
  user?: { message: string; fix: string; path: string | undefined };
}

/** How the attempt's pipeline ended, with what the run's end needs of its state. */
export type TrainerOutcome =
  | { status: "succeeded"; durationMs: number; message: string | null; resultSummary: ResultSummary | undefined; stopReason: string | null }
  | { status: "cancelled"; stage: string; reason: string; durationMs: number }
  | { status: "failed"; stage: string; error: TransferredError; durationMs: number };

export type TrainerMessage =
  /** Its modules (TF.js) are loaded: from now on a cancel is the pipeline's to handle. */
  | { kind: "ready" }
  | CallMessage
  | ReplyMessage
  | { kind: "progress"; snapshot: ProgressSnapshot }
  | { kind: "metrics"; points: MetricPointRecord[] }
  | { kind: "log"; level: "info" | "warn" | "error"; message: string }
  | { kind: "outcome"; outcome: TrainerOutcome };

export type WorkerMessage = StartMessage | CancelMessage | ReplyMessage;
