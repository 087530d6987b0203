import { type Clock, type ProgressSnapshot, systemClock } from "./ports";

export interface TrainingPlan {
  totalEpochs: number;
  batchesPerEpoch: number;
  batchSize: number;
  itemsPerEpoch: number;
  /** 0-based epoch a resumed training starts at; the epochs before it count as done. */
  startEpoch?: number;
}

/** Time constant of the samples/s average: a sample from 10 s ago weighs 1/e of a new one. */
const rateTimeConstantMs = 10_000;

/**
 * Turns the trainer's per-batch calls into throttled ProgressSnapshots.
 *
 * Samples/s is an exponential moving average weighted by time, not by batch: each interval between
 * two batch ends contributes its rate with weight 1 - exp(-interval / 10 s), so the figure tracks the
 * last ~10 s whatever the batch duration, and the batches finishing within the same clock tick count
 * together in the next interval instead of dividing by zero.
 */
export class ProgressBridge {
  readonly #emit: (progress: ProgressSnapshot) => void;
  readonly #clock: Clock;
  readonly #minIntervalMs: number;

  #phase = "pending";
  /** Set by phase() and finish(); undefined while training, when the message names epoch and batch. */
  #message: string | undefined = "";
  #training = false;
  #totalEpochs = 0;
  #batchesPerEpoch = 0;
  #itemsPerEpoch = 0;
  #epoch = 0;
  #batch = -1;
  #itemsDone = 0;
  #percent = 0;
  #samplesPerMs: number | null = null;
  #unratedSamples = 0;
  #ratedAt = 0;
  #emittedAt = Number.NEGATIVE_INFINITY;

  constructor(options: { emit: (progress: ProgressSnapshot) => void; clock?: Clock; minIntervalMs?: number }) {
    this.#emit = options.emit;
    this.#clock = options.clock ?? systemClock;
    this.#minIntervalMs = options.minIntervalMs ?? 250;
  }

  /** Emits immediately. */
  phase(name: string, message = name): void {
    this.#phase = name;
    this.#message = message;
    this.#emitNow();
  }

  /** Emits immediately. */
  startTraining(plan: TrainingPlan): void {
    const startEpoch = plan.startEpoch ?? 0;
    if (!(plan.totalEpochs >= 1 && plan.batchesPerEpoch >= 1))
      throw new RangeError("progress plan: totalEpochs and batchesPerEpoch must be at least 1");
    this.#training = true;
    this.#phase = "training";
    this.#message = undefined;
    this.#totalEpochs = plan.totalEpochs;
    this.#batchesPerEpoch = plan.batchesPerEpoch;
    this.#itemsPerEpoch = plan.itemsPerEpoch;
    this.#epoch = startEpoch;
    this.#batch = -1;
    this.#itemsDone = startEpoch * plan.itemsPerEpoch;
    this.#percent = Math.min(100, (startEpoch / plan.totalEpochs) * 100);
    this.#samplesPerMs = null;
    this.#unratedSamples = 0;
    this.#ratedAt = this.#clock.now();
    this.#emitNow(this.#ratedAt);
  }

  /** Hot path: O(1), one clock read, allocates only when it emits. */
  batchEnd(epoch: number, batch: number, samples: number): void {
    if (!this.#training) throw new Error("ProgressBridge.batchEnd() before startTraining()");
    const now = this.#clock.now();
    this.#epoch = epoch;
    this.#batch = batch;
    this.#message = undefined;
    this.#itemsDone += samples;
    this.#advancePercent((epoch + (batch + 1) / this.#batchesPerEpoch) / this.#totalEpochs);

    this.#unratedSamples += samples;
    const interval = now - this.#ratedAt;
    if (interval > 0) {
      const rate = this.#unratedSamples / interval;
      const weight = this.#samplesPerMs === null ? 1 : 1 - Math.exp(-interval / rateTimeConstantMs);
      this.#samplesPerMs = this.#samplesPerMs === null ? rate : this.#samplesPerMs + weight * (rate - this.#samplesPerMs);
      this.#unratedSamples = 0;
      this.#ratedAt = now;
    }

    if (now - this.#emittedAt >= this.#minIntervalMs) this.#emitNow(now);
  }

  /** Emits immediately. */
  epochEnd(epoch: number): void {
    this.#epoch = epoch;
    this.#batch = this.#batchesPerEpoch - 1;
    this.#message = undefined;
    this.#itemsDone = (epoch + 1) * this.#itemsPerEpoch;
    this.#advancePercent((epoch + 1) / this.#totalEpochs);
    this.#emitNow();
  }

  /** Percent 100; emits immediately. */
  finish(message = "Finished"): void {
    this.#phase = "finished";
    this.#message = message;
    this.#percent = 100;
    this.#emitNow();
  }

  snapshot(): ProgressSnapshot {
    const itemsTotal = this.#totalEpochs * this.#itemsPerEpoch;
    const samplesPerSecond = this.#samplesPerMs === null ? null : this.#samplesPerMs * 1000;
    const remainingItems = Math.max(0, itemsTotal - this.#itemsDone);
    return {
      phase: this.#phase,
      epoch: this.#training ? this.#epoch + 1 : 0,
      totalEpochs: this.#totalEpochs,
      batch: this.#training ? this.#batch + 1 : 0,
      totalBatches: this.#batchesPerEpoch,
      step: this.#training ? this.#epoch * this.#batchesPerEpoch + this.#batch + 1 : 0,
      totalSteps: this.#totalEpochs * this.#batchesPerEpoch,
      itemsDone: this.#itemsDone,
      itemsTotal,
      percent: this.#percent,
      etaSeconds: this.#percent === 100 ? 0 : samplesPerSecond ? remainingItems / samplesPerSecond : null,
      samplesPerSecond,
      message: this.#message ?? `Epoch ${this.#epoch + 1}/${this.#totalEpochs} · Batch ${this.#batch + 1}/${this.#batchesPerEpoch}`,
    };
  }

  /** Never decreases, never exceeds 100. */
  #advancePercent(fraction: number): void {
    this.#percent = Math.max(this.#percent, Math.min(100, fraction * 100));
  }

  #emitNow(now = this.#clock.now()): void {
    this.#emittedAt = now;
    this.#emit(this.snapshot());
  }
}
