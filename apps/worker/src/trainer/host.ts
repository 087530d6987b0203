import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { projectRoot } from "@hindcast/db";
import type { CancellationToken, MetricPointRecord, ProgressSnapshot } from "@hindcast/engine";
import { trainerExitError } from "./exit";
import type { CallMessage, StartMessage, TrainerCalls, TrainerMessage, TrainerOutcome, WorkerMessage } from "./protocol";
import { transferError } from "./transfer";

const childMain = fileURLToPath(new URL("./child.ts", import.meta.url));
/** Enough of a dying process's stderr to say why it died. */
const stderrTailBytes = 8_192;

/** Trainers that said they are ready: their modules are loaded (a spare says so long before it is taken). */
const loaded = new WeakSet<ChildProcess>();

export type CallHandlers = { [M in keyof TrainerCalls]: (args: TrainerCalls[M]["args"]) => Promise<TrainerCalls[M]["result"]> };

export interface TrainerHandlers extends CallHandlers {
  progress(snapshot: ProgressSnapshot): void;
  metrics(points: MetricPointRecord[]): void;
  log(level: "info" | "warn" | "error", message: string): void;
}

export interface TrainerOptions {
  /** V8 heap limit of each trainer process (--max-old-space-size); Node's default when absent. */
  memoryMb?: number;
  /** Trainer processes kept started and idle, so that a training does not wait ~2 s for TF.js to load. */
  spares: number;
}

/** The attempt's outcome as the trainer reported it, or the error its process died with before it could. */
export type TrainerResult = { kind: "outcome"; outcome: TrainerOutcome } | { kind: "exited"; error: Error };

/**
 * The trainer processes of one worker. Each training attempt runs in a process
 * of its own (child.ts), whose calls are served with the attempt's handlers on
 * this process's event loop, which stays free for heartbeats, the queue and
 * cancellation however heavy the training. `spares` processes are kept
 * started ahead: loading TF.js takes a trainer about two seconds of a core,
 * which a run would otherwise wait at its start. A spare taken is replaced
 * when its training ends, not while it trains, so that loading the next one
 * does not take a core from the trainings running.
 *
 * Child processes, not worker threads: @tensorflow/tfjs-node's native addon
 * does not load in worker threads in some versions, and a process can be
 * killed, run out of memory or crash without taking the worker with it.
 */
export class TrainerProcesses {
  readonly #options: TrainerOptions;
  readonly #spares: ChildProcess[] = [];
  #closed = false;

  constructor(options: TrainerOptions) {
    this.#options = options;
    this.#refill();
  }

  /** Runs one attempt; `onStarted` hears the trainer's pid. */
  run(start: StartMessage, handlers: TrainerHandlers, token: CancellationToken, onStarted?: (pid: number) => void): Promise<TrainerResult> {
    const child = this.#take();
    if (child.pid !== undefined) onStarted?.(child.pid);
    return serveAttempt(child, start, handlers, token).finally(() => this.#refill());
  }

  /** Stops the idle spares; trainers running attempts end with them. */
  close(): void {
    this.#closed = true;
    for (const spare of this.#spares.splice(0)) spare.kill("SIGKILL");
  }

  #take(): ChildProcess {
    for (let spare = this.#spares.shift(); spare; spare = this.#spares.shift()) {
      if (spare.connected && spare.exitCode === null && spare.signalCode === null) return spare;
    }
    return this.#fork();
  }

  #refill(): void {
    while (!this.#closed && this.#spares.length < this.#options.spares) this.#spares.push(this.#fork());
  }

  #fork(): ChildProcess {
    const child = fork(childMain, [], {
      cwd: projectRoot,
      execArgv: ["--import", "tsx", ...(this.#options.memoryMb ? [`--max-old-space-size=${this.#options.memoryMb}`] : [])],
      serialization: "advanced",
      stdio: ["ignore", "inherit", "pipe", "ipc"],
    });
    // An idle spare must not keep the worker alive, nor die unheard.
    child.unref();
    child.channel?.unref();
    child.on("error", () => {});
    child.on("message", (message: TrainerMessage) => {
      if (message.kind === "ready") loaded.add(child);
    });
    return child;
  }
}

function serveAttempt(
  child: ChildProcess,
  start: StartMessage,
  handlers: TrainerHandlers,
  token: CancellationToken,
): Promise<TrainerResult> {
  child.ref();
  child.channel?.ref();
  let stderrTail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk.toString("utf8")).slice(-stderrTailBytes);
  });

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
  const startedAt = performance.now();
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
  const stopListening = token.onCancel((reason) => {
    // Still loading TF.js, it has done nothing to clean up: stopping it beats waiting for it.
    if (!loaded.has(child)) {
      outcome = { status: "cancelled", stage: "trainer", reason, durationMs: performance.now() - startedAt };
      child.kill("SIGKILL");
    } else post({ kind: "cancel", reason });
  });
  return new Promise((resolve) => {
    const died = (code: number | null, signal: NodeJS.Signals | null) => {
      stopListening();
      resolve(outcome ? { kind: "outcome", outcome } : { kind: "exited", error: trainerExitError(code, signal, stderrTail) });
    };
    // A spare that died while idle: its exit has passed already.
    if (child.exitCode !== null || child.signalCode !== null) return died(child.exitCode, child.signalCode);
    child.once("error", (error) => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      stderrTail += `\n${error.message}`;
    });
    // "close", not "exit": by then every message the trainer sent has been handled, its outcome included.
    child.once("close", died);
    post(start);
  });
}
