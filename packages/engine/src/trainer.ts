import type { TrainingSession, WeightsSnapshot } from "@hindcast/models";
import type { Callback, TrainingControl } from "./callbacks";
import { type CancellationToken, CancelledError } from "./cancellation";
import { type Clock, systemClock } from "./ports";
import type { ProgressBridge } from "./progress";
import { MetricKey, type Tracker } from "./tracker";
import { yieldToEventLoop } from "./yield";

export interface Checkpoint {
  /** Last completed epoch (0-based); -1 for the weights before training. */
  epoch: number;
  step: number;
  tag: "initial" | "periodic" | "best";
  weights: WeightsSnapshot;
  learningRate: number;
  valLoss?: number;
}

export interface TrainingLoopOptions {
  session: TrainingSession;
  tracker: Tracker;
  epochs: number;
  token: CancellationToken;
  callbacks?: readonly Callback[];
  progress?: ProgressBridge;
  /** Persists a checkpoint (artifact store); the loop keeps its own copy for rollback. */
  onCheckpoint?: (checkpoint: Checkpoint) => Promise<void> | void;
  clock?: Clock;
  /**
   * Persist a checkpoint (onCheckpoint) at most this often; every checkpoint is still kept in
   * memory for rollback and early stopping. Default 0: persist all of them.
   */
  persistEveryMs?: number;
  /** How often the loop lets other events (cancel requests) run; default 25 ms. */
  yieldEveryMs?: number;
}

export interface TrainingLoopResult {
  epochsRun: number;
  step: number;
  stopReason?: string;
}

/**
 * The engine's own training loop (not a black-box fit): epochs x batches, with
 * a cancellation check before every batch, the tracker and callbacks after it,
 * and progress reports throttled by the bridge.
 */
export class TrainingLoop {
  /** Set when run() starts (the initial weights) unless a resume set it before. */
  lastCheckpoint: Checkpoint | undefined;
  bestCheckpoint: Checkpoint | undefined;
  private stopReason: string | undefined;
  /** Checkpoint saves run one after another, in the background of training. */
  private saving: Promise<void> = Promise.resolve();
  private savesInFlight = 0;
  private saveError: unknown;
  private lastPersistedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: TrainingLoopOptions) {}

  /** Puts the weights and step of a checkpoint back; training continues after its epoch. */
  restore(checkpoint: Checkpoint): void {
    this.options.session.restore(checkpoint.weights);
    this.options.tracker.step = checkpoint.step;
  }

  async run(startEpoch = 0): Promise<TrainingLoopResult> {
    const { session, tracker, token, progress, epochs } = this.options;
    const callbacks = this.options.callbacks ?? [];
    const batchCallbacks = callbacks.filter((c) => c.onBatchEnd);
    const clock = this.options.clock ?? systemClock;
    const yieldEvery = this.options.yieldEveryMs ?? 25;
    const control = this.control();
    this.lastCheckpoint ??= await this.snapshot("initial", -1);
    const batches = session.batchesPerEpoch;
    this.stopReason = undefined;
    let lastYield = clock.now();
    let epochsRun = 0;

    try {
      for (let epoch = startEpoch; epoch < epochs && this.stopReason === undefined; epoch++) {
        tracker.epochStart(epoch);
        session.startEpoch();
        for (let batch = 0; batch < batches; batch++) {
          if (token.cancelled) throw new CancelledError(token.reason);
          const loss = await session.trainBatch(batch);
          tracker.batchEnd(loss);
          for (const callback of batchCallbacks) callback.onBatchEnd?.(control, loss, batch);
          progress?.batchEnd(epoch, batch, Math.min(session.batchSize, session.samples - batch * session.batchSize));
          if (clock.now() - lastYield >= yieldEvery) {
            await yieldToEventLoop();
            lastYield = clock.now();
          }
        }
        tracker.log(MetricKey.epochTrainLoss, tracker.epochTrainLoss);
        const validation = await session.validationLoss();
        if (validation !== null) tracker.log(MetricKey.valLoss, validation);
        tracker.log(MetricKey.learningRate, session.learningRate);
        for (const callback of callbacks) await callback.onEpochEnd?.(control, epoch);
        tracker.handOver();
        progress?.epochEnd(epoch);
        epochsRun++;
        // Backpressure: training waits only when a second checkpoint would queue behind a slow one.
        if (this.savesInFlight > 1) await this.saving;
        await yieldToEventLoop();
        lastYield = clock.now();
      }
    } finally {
      // Cancelled or failed: the metrics of the batches that did run are kept.
      tracker.handOver();
      await this.saving;
    }
    if (this.saveError !== undefined) throw this.saveError;
    return { epochsRun, step: tracker.step, stopReason: this.stopReason };
  }

  private control(): TrainingControl {
    const { session, tracker } = this.options;
    return {
      tracker,
      get learningRate() {
        return session.learningRate;
      },
      set learningRate(value: number) {
        session.learningRate = value;
      },
      stop: (reason) => {
        this.stopReason = reason;
      },
      checkpoint: async (tag) => {
        const checkpoint = await this.snapshot(tag, tracker.epoch);
        this.lastCheckpoint = checkpoint;
        if (tag === "best") this.bestCheckpoint = checkpoint;
        const onCheckpoint = this.options.onCheckpoint;
        const now = (this.options.clock ?? systemClock).now();
        if (!onCheckpoint || now - this.lastPersistedAt < (this.options.persistEveryMs ?? 0)) return;
        this.lastPersistedAt = now;
        this.savesInFlight++;
        // Kept off the rejection path so a failed save never goes unhandled; run() rethrows it.
        this.saving = this.saving
          .then(() => (this.saveError === undefined ? onCheckpoint(checkpoint) : undefined))
          .catch((error: unknown) => {
            this.saveError ??= error;
          })
          .finally(() => {
            this.savesInFlight--;
          });
      },
      restoreBest: () => {
        if (this.bestCheckpoint) session.restore(this.bestCheckpoint.weights);
      },
    };
  }

  private async snapshot(tag: Checkpoint["tag"], epoch: number): Promise<Checkpoint> {
    const valLoss = this.options.tracker.get(MetricKey.valLoss);
    return {
      epoch,
      step: this.options.tracker.step,
      tag,
      weights: await this.options.session.snapshot(),
      learningRate: this.options.session.learningRate,
      ...(valLoss === undefined ? {} : { valLoss }),
    };
  }
}
