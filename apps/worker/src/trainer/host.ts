import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { projectRoot } from "@hindcast/db";
import type { CancellationToken, MetricPointRecord, ProgressSnapshot } from "@hindcast/engine";
import { trainerExitError } from "./exit";
import type { CallMessage, StartMessage, TrainerCalls, TrainerMessage, TrainerOutcome, WorkerMessage } from "./protocol";
import { transferError } from "./transfer";

const childMain = fileURLToPath(new URL("./child.ts", import.meta.url));
/** Enough of a dying process's stderr to say why it died. */
const stderrTailBytes = 8_192;

export type CallHandlers = { [M in keyof TrainerCalls]: (args: TrainerCalls[M]["args"]) => Promise<TrainerCalls[M]["result"]> };

export interface TrainerHandlers extends CallHandlers {
  progress(snapshot: ProgressSnapshot): void;
  metrics(points: MetricPointRecord[]): void;
  log(level: "info" | "warn" | "error", message: string): void;
}

export interface TrainerOptions {
  /** V8 heap limit of the trainer process (--max-old-space-size); Node's default when absent. */
  memoryMb?: number;
  /** Called with the trainer's pid once it runs (tests and `kill -9` find it so). */
  onStarted?(pid: number): void;
}

/** The attempt's outcome as the trainer reported it, or the error its process died with before it could. */
export type TrainerResult = { kind: "outcome"; outcome: TrainerOutcome } | { kind: "exited"; error: Error };

/**
 * Runs one training attempt in a trainer process of its own (child.ts) and
 * serves its calls with `handlers` on this process's event loop, which stays
 * free for heartbeats, the queue and cancellation however heavy the training.
 *
 * A child process, not a worker thread: @tensorflow/tfjs-node's native addon
 * does not load in worker threads in some versions, and a process can be
 * killed, run out of memory or crash without taking the worker with it.
 */
export function runTrainer(
  start: StartMessage,
  handlers: TrainerHandlers,
  token: CancellationToken,
  options: TrainerOptions = {},
): Promise<TrainerResult> {
  const child = fork(childMain, [], {
    cwd: projectRoot,
    execArgv: ["--import", "tsx", ...(options.memoryMb ? [`--max-old-space-size=${options.memoryMb}`] : [])],
    serialization: "advanced",
    stdio: ["ignore", "inherit", "pipe", "ipc"],
  });
  let stderrTail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk.toString("utf8")).slice(-stderrTailBytes);
  });
  if (child.pid !== undefined) options.onStarted?.(child.pid);

  const post = (message: WorkerMessage) => {
    if (child.connected) child.send(message);
  };
  const serve = async (message: CallMessage) => {
    try {
      const handler = handlers[message.method] as (args: unknown) => Promise<unknown>;
      post({ kind: "reply", id: message.id, ok: true, value: await handler(message.args) });
    } catch (error) {
      post({ kind: "reply", id: message.id, ok: false, error: transferError(error) });
    }
  };

  let outcome: TrainerOutcome | undefined;
  child.on("message", (message: TrainerMessage) => {
    switch (message.kind) {
      case "call":
        void serve(message);
        break;
      case "progress":
        handlers.progress(message.snapshot);
        break;
      case "metrics":
        handlers.metrics(message.points);
        break;
      case "log":
        handlers.log(message.level, message.message);
        break;
      case "outcome":
        outcome = message.outcome;
        break;
    }
  });
  const stopListening = token.onCancel((reason) => post({ kind: "cancel", reason }));
  return new Promise((resolve) => {
    child.once("error", (error) => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      stderrTail += `\n${error.message}`;
    });
    // "close", not "exit": by then every message the trainer sent has been handled, its outcome included.
    child.once("close", (code, signal) => {
      stopListening();
      resolve(outcome ? { kind: "outcome", outcome } : { kind: "exited", error: trainerExitError(code, signal, stderrTail) });
    });
    post(start);
  });
}
