import { type Clock, type ProgressSnapshot, systemClock } from "./ports";

/** One training: the main fit, or a retrodiction window's refit. */
export interface TrainingPart {
  epochs: number;
  batchesPerEpoch: number;
  batchSize: number;
  /** Samples (training windows) one epoch goes through. */
  itemsPerEpoch: number;
}

/**
 * What a run does once its data is loaded and its backend picked: the main
 * training (null when nothing is trained by steps, as for a classical model),
 * then each retrodiction window, refitted first (null: no refit) and predicted
 * with its baselines fitted.
 */
export interface RunPlan {
  training: TrainingPart | null;
  windows: readonly (TrainingPart | null)[];
}

/** Percent reached once the plan is known (data loaded, backend picked), and the percent left for saving the results. */
export const setupPercent = 3;
export const savePercent = 3;
/** Until the first window is timed, a window's prediction and baseline fits count as this long. */
const windowPriorMs = 1_000;
/** Time constant of the samples/s average: a sample from 10 s ago weighs 1/e of a new one. */
const rateTimeConstantMs = 10_000;

const stepsOf = (part: TrainingPart | null) => (part ? part.epochs * part.batchesPerEpoch : 0);
const itemsOf = (part: TrainingPart | null) => (part ? part.epochs * part.itemsPerEpoch : 0);

interface ActivePart {
  part: TrainingPart;
  /** Null for the main training. */
  window: number | null;
  stepsBefore: number;
  itemsBefore: number;
}

/**
 * A run's progress over all of its stages, as throttled ProgressSnapshots.
 *
 * Steps are the optimizer steps of the main training and of every refit, counted
 * the way the metrics are (step n is the n-th batch trained), so "Step a/b" ends
 * at the last train_loss step and the summary's step count.
 *
 * Percent is time-weighted and never decreases: 0 .. setupPercent until the plan
 * is known, then the work (training samples at the measured samples/s, and each
 * window's prediction at the measured time per window) up to 100 - savePercent,
 * then saving; it reaches 100 only at finish().
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
  #message = "";
  #plan: RunPlan | undefined;
  #refitSteps: number[] = [];
  #refitItems: number[] = [];
  /** Steps and samples the main training really took (early stopping ends it sooner than planned). */
  #mainEnded: { steps: number; items: number } | undefined;
  #active: ActivePart | undefined;
  #training = false;
  #epoch = 0;
  #batch = -1;
  #step = 0;
  #itemsDone = 0;
  #windowsDone = 0;
  #evaluatingSince: number | undefined;
  #windowMsTotal = 0;
  #windowsTimed = 0;
  #finished = false;
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
    this.#training = false;
    this.#emitNow();
  }

  /** Sets the plan, or revises it (a linear model's refits turn out least-squares or SGD only after its training). Emits immediately. */
  plan(plan: RunPlan): void {
    this.#plan = plan;
    this.#refitSteps = plan.windows.map(stepsOf);
    this.#refitItems = plan.windows.map(itemsOf);
    this.#emitNow();
  }

  /**
   * Starts the main training (no window) or a window's refit, `startEpoch` epochs in
   * (a resumed training; the epochs before it count as done). Emits immediately.
   */
  startTraining(options: { window?: number; startEpoch?: number } = {}): void {
    const plan = this.#plan;
    if (!plan) throw new Error("ProgressBridge.startTraining() before plan()");
    const window = options.window ?? null;
    const part = window === null ? plan.training : plan.windows[window];
    if (!part) throw new RangeError(`progress plan: no ${window === null ? "main training" : `refit for window ${window + 1}`}`);
    if (!(part.epochs >= 1 && part.batchesPerEpoch >= 1))
      throw new RangeError("progress plan: epochs and batchesPerEpoch must be at least 1");
    const startEpoch = options.startEpoch ?? 0;
    const before = window === null ? { steps: 0, items: 0 } : this.#doneBeforeRefit(window);
    this.#active = { part, window, stepsBefore: before.steps, itemsBefore: before.items };
    this.#training = true;
    this.#phase = window === null ? "training" : "retrodict";
    this.#epoch = startEpoch;
    this.#batch = -1;
    this.#step = before.steps + startEpoch * part.batchesPerEpoch;
    this.#itemsDone = before.items + startEpoch * part.itemsPerEpoch;
    // Time between trainings (a window's prediction) is no training time.
    this.#unratedSamples = 0;
    this.#ratedAt = this.#clock.now();
    this.#emitNow(this.#ratedAt);
  }

  /** Hot path: O(1), one clock read, allocates only when it emits. */
  batchEnd(epoch: number, batch: number, samples: number): void {
    const active = this.#active;
    if (!this.#training || !active) throw new Error("ProgressBridge.batchEnd() before startTraining()");
    const now = this.#clock.now();
    const { part } = active;
    this.#epoch = epoch;
    this.#batch = batch;
    this.#step = active.stepsBefore + epoch * part.batchesPerEpoch + batch + 1;
    this.#itemsDone = active.itemsBefore + epoch * part.itemsPerEpoch + Math.min(part.itemsPerEpoch, (batch + 1) * part.batchSize);

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
    const active = this.#active;
    if (!active) throw new Error("ProgressBridge.epochEnd() before startTraining()");
    this.#epoch = epoch;
    this.#batch = active.part.batchesPerEpoch - 1;
    this.#step = active.stepsBefore + (epoch + 1) * active.part.batchesPerEpoch;
    this.#itemsDone = active.itemsBefore + (epoch + 1) * active.part.itemsPerEpoch;
    this.#emitNow();
  }

  /** The training under way is over; a main training stopped early leaves the total with the steps it took. Emits immediately. */
  endTraining(): void {
    const active = this.#active;
    if (!active) return;
    this.#training = false;
    if (active.window === null) this.#mainEnded = { steps: this.#step, items: this.#itemsDone };
    // A refit is part of its window, whose prediction is timed from here.
    else this.#evaluatingSince = this.#clock.now();
    this.#emitNow();
  }

  /** A window starts: its refit, if any, then its prediction. Emits immediately. */
  startWindow(message: string): void {
    this.phase("retrodict", message);
    this.#evaluatingSince = this.#clock.now();
  }

  /** Window `index` is predicted and scored; its time (after any refit) sets the expected time of the windows left. */
  windowDone(index: number): void {
    if (this.#evaluatingSince !== undefined) {
      this.#windowMsTotal += this.#clock.now() - this.#evaluatingSince;
      this.#windowsTimed++;
      this.#evaluatingSince = undefined;
    }
    this.#windowsDone = Math.max(this.#windowsDone, index + 1);
  }

  /** Saving the results: everything else is done. Emits immediately. */
  saving(message: string): void {
    this.#percent = Math.max(this.#percent, 100 - savePercent);
    this.phase("persist", message);
  }

  /** Percent 100; emits immediately. */
  finish(message = "Finished"): void {
    this.#finished = true;
    this.phase("finished", message);
  }

  snapshot(): ProgressSnapshot {
    const part = this.#active?.part;
    const samplesPerSecond = this.#samplesPerMs === null ? null : this.#samplesPerMs * 1000;
    this.#percent = Math.max(this.#percent, this.#percentNow());
    return {
      phase: this.#phase,
      epoch: part ? this.#epoch + 1 : 0,
      totalEpochs: part?.epochs ?? 0,
      batch: part ? this.#batch + 1 : 0,
      totalBatches: part?.batchesPerEpoch ?? 0,
      step: this.#step,
      totalSteps: this.#totalSteps(),
      itemsDone: this.#itemsDone,
      itemsTotal: this.#itemsTotal(),
      percent: this.#percent,
      etaSeconds: this.#etaSeconds(),
      samplesPerSecond,
      message: this.#training && part ? this.#trainingMessage(part) : this.#message,
    };
  }

  #trainingMessage(part: TrainingPart): string {
    const epoch = `${this.#epoch + 1}/${part.epochs} · Batch ${this.#batch + 1}/${part.batchesPerEpoch}`;
    const window = this.#active?.window ?? null;
    return window === null ? `Epoch ${epoch}` : `Window ${window + 1}/${this.#plan?.windows.length} · Refit epoch ${epoch}`;
  }

  #mainSteps(): number {
    return this.#mainEnded?.steps ?? stepsOf(this.#plan?.training ?? null);
  }

  #mainItems(): number {
    return this.#mainEnded?.items ?? itemsOf(this.#plan?.training ?? null);
  }

  #doneBeforeRefit(window: number): { steps: number; items: number } {
    let steps = this.#mainSteps();
    let items = this.#mainItems();
    for (let i = 0; i < window; i++) {
      steps += this.#refitSteps[i] as number;
      items += this.#refitItems[i] as number;
    }
    return { steps, items };
  }

  #totalSteps(): number {
    return this.#mainSteps() + this.#refitSteps.reduce((sum, steps) => sum + steps, 0);
  }

  #itemsTotal(): number {
    return this.#mainItems() + this.#refitItems.reduce((sum, items) => sum + items, 0);
  }

  #windowMs(): number {
    return this.#windowsTimed > 0 ? this.#windowMsTotal / this.#windowsTimed : windowPriorMs;
  }

  /**
   * Done work over all work, in expected milliseconds. Before a batch is timed, training
   * and windows cannot be weighed against each other: a run with both counts nothing done yet.
   */
  #workFraction(): number {
    const items = this.#itemsTotal();
    const windows = this.#plan?.windows.length ?? 0;
    if (items === 0) return windows === 0 ? 0 : this.#windowsDone / windows;
    if (windows === 0) return this.#itemsDone / items;
    if (this.#samplesPerMs === null) return 0;
    const windowMs = this.#windowMs();
    const done = this.#itemsDone / this.#samplesPerMs + this.#windowsDone * windowMs;
    return done / (items / this.#samplesPerMs + windows * windowMs);
  }

  #percentNow(): number {
    if (this.#finished) return 100;
    if (!this.#plan) return 0;
    return setupPercent + (100 - setupPercent - savePercent) * Math.min(1, this.#workFraction());
  }

  #etaSeconds(): number | null {
    if (this.#finished) return 0;
    if (!this.#plan) return null;
    const itemsLeft = Math.max(0, this.#itemsTotal() - this.#itemsDone);
    if (itemsLeft > 0 && this.#samplesPerMs === null) return null;
    const trainingMs = itemsLeft > 0 ? itemsLeft / (this.#samplesPerMs as number) : 0;
    const windowsLeft = Math.max(0, this.#plan.windows.length - this.#windowsDone);
    return (trainingMs + windowsLeft * this.#windowMs()) / 1000;
  }

  #emitNow(now = this.#clock.now()): void {
    this.#emittedAt = now;
    this.#emit(this.snapshot());
  }
}
