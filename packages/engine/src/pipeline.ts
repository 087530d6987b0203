import { CancellationToken, CancelledError } from "./cancellation";
import { type Clock, type RunStore, type StageEventKind, type StageEventRecord, systemClock } from "./ports";
import { errorMessage, errorName } from "./recovery";

export interface StageContext {
  /** The names of the pipeline's stages, in order (what a stage plans for may depend on those after it). */
  stages: readonly string[];
  attempt: number;
  token: CancellationToken;
  clock: Clock;
}

export interface Stage<C> {
  name: string;
  execute(ctx: C, run: StageContext): Promise<void>;
  /** Undoes what execute did, even partly (it also runs for the stage that failed). */
  rollback?(ctx: C, run: StageContext): Promise<void>;
  /** Releases what execute acquired; runs after every started stage, whatever the outcome. */
  cleanup?(ctx: C, run: StageContext): Promise<void>;
}

export type PipelineOutcome =
  | { status: "succeeded"; durationMs: number }
  | { status: "cancelled"; stage: string; reason: string; durationMs: number }
  | { status: "failed"; stage: string; error: unknown; durationMs: number };

export interface PipelineOptions {
  store: RunStore;
  clock?: Clock;
  /** Told about the store failures that do not end the run: those of every record but STARTED. */
  onRecordError?: (error: unknown, event: StageEventRecord) => void;
}

// There is no CLEANUP_FAILED kind: a failed cleanup is a CLEANED_UP event with details.failed.
const undoKinds = {
  rollback: { done: "ROLLED_BACK", failed: "ROLLBACK_FAILED" },
  cleanup: { done: "CLEANED_UP", failed: "CLEANED_UP" },
} as const satisfies Record<string, { done: StageEventKind; failed: StageEventKind }>;

/**
 * Runs stages in order. On failure or cancellation, rolls back every executed stage (the failing
 * one included) in reverse; then cleans up every started stage in reverse, whatever the outcome.
 */
export class Pipeline<C> {
  readonly #store: RunStore;
  readonly #clock: Clock;
  readonly #onRecordError: (error: unknown, event: StageEventRecord) => void;

  constructor(
    readonly name: string,
    readonly stages: readonly Stage<C>[],
    options: PipelineOptions,
  ) {
    const names = stages.map((stage) => stage.name);
    const duplicates = [...new Set(names.filter((stageName, index) => names.indexOf(stageName) !== index))];
    if (duplicates.length > 0) throw new Error(`pipeline "${name}" has duplicate stage names: ${duplicates.join(", ")}`);
    this.#store = options.store;
    this.#clock = options.clock ?? systemClock;
    this.#onRecordError = options.onRecordError ?? (() => {});
  }

  async execute(ctx: C, options: { token?: CancellationToken; attempt?: number; startAt?: string } = {}): Promise<PipelineOutcome> {
    const token = options.token ?? CancellationToken.none;
    const attempt = options.attempt ?? 1;
    const first = options.startAt === undefined ? 0 : this.stages.findIndex((stage) => stage.name === options.startAt);
    if (first === -1) throw new Error(`pipeline "${this.name}" has no stage "${options.startAt}" to start at`);

    const startedAt = this.#clock.now();
    const run: StageContext = { stages: this.stages.map((stage) => stage.name), attempt, token, clock: this.#clock };
    const started: Stage<C>[] = [];
    let stopped: { stage: string; error: unknown } | undefined;
    for (const stage of this.stages.slice(first)) {
      if (token.cancelled) {
        stopped = { stage: stage.name, error: new CancelledError(token.reason) };
        break;
      }
      try {
        // The one record that may fail the run: without it, the stage's work would go unrecorded.
        await this.#store.recordStageEvent(stageEvent(stage.name, "STARTED", attempt));
      } catch (error) {
        stopped = { stage: stage.name, error };
        break;
      }
      started.push(stage);
      const stageStart = this.#clock.now();
      try {
        await stage.execute(ctx, run);
        await this.#recordBestEffort(stageEvent(stage.name, "SUCCEEDED", attempt, { durationMs: this.#clock.now() - stageStart }));
      } catch (error) {
        await this.#recordBestEffort(
          stageEvent(stage.name, "FAILED", attempt, { durationMs: this.#clock.now() - stageStart, ...describe(error) }),
        );
        stopped = { stage: stage.name, error };
        break;
      }
    }

    // Rollback and cleanup must finish even when the run was cancelled, so they get a token that never trips.
    const undoRun: StageContext = { ...run, token: CancellationToken.none };
    if (stopped) await this.#undo(started, "rollback", ctx, undoRun);
    await this.#undo(started, "cleanup", ctx, undoRun);

    const durationMs = this.#clock.now() - startedAt;
    if (!stopped) return { status: "succeeded", durationMs };
    if (stopped.error instanceof CancelledError)
      return { status: "cancelled", stage: stopped.stage, reason: stopped.error.reason, durationMs };
    return { status: "failed", stage: stopped.stage, error: stopped.error, durationMs };
  }

  /** Runs `step` for the stages in reverse; a stage whose step throws is recorded and does not stop the others. */
  async #undo(stages: readonly Stage<C>[], step: keyof typeof undoKinds, ctx: C, run: StageContext): Promise<void> {
    const { done, failed } = undoKinds[step];
    for (const stage of [...stages].reverse()) {
      const fn = stage[step];
      if (!fn) continue;
      const start = this.#clock.now();
      try {
        await fn.call(stage, ctx, run);
        await this.#recordBestEffort(stageEvent(stage.name, done, run.attempt, { durationMs: this.#clock.now() - start }));
      } catch (error) {
        const { message, details } = describe(error);
        await this.#recordBestEffort(
          stageEvent(stage.name, failed, run.attempt, {
            durationMs: this.#clock.now() - start,
            message,
            details: { ...details, failed: true },
          }),
        );
      }
    }
  }

  /**
   * Store failures after STARTED neither fail a run nor hide its outcome: the work is done (or
   * undone) whether or not the event was saved. They go to `onRecordError` instead.
   */
  async #recordBestEffort(event: StageEventRecord): Promise<void> {
    try {
      await this.#store.recordStageEvent(event);
    } catch (error) {
      this.#onRecordError(error, event);
    }
  }
}

function stageEvent(stage: string, kind: StageEventKind, attempt: number, extra: Partial<StageEventRecord> = {}): StageEventRecord {
  return { stage, kind, attempt, at: new Date(), ...extra };
}

/** A cancelled stage's message is the cancellation's reason ("cancelled by ana@example.com", "handed back at shutdown"). */
function describe(error: unknown): { message: string; details: { errorName: string } } {
  const message = error instanceof CancelledError && error.reason ? error.reason : errorMessage(error);
  return { message, details: { errorName: errorName(error) } };
}
