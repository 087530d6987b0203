import { DivergenceError } from "./recovery";
import { MetricKey, type Tracker } from "./tracker";

/** What a callback may do to the training it watches. */
export interface TrainingControl {
  readonly tracker: Tracker;
  learningRate: number;
  stop(reason: string): void;
  /** Snapshot the weights now; `best` marks the best monitored value so far. */
  checkpoint(tag: "periodic" | "best"): Promise<void>;
  /** Put back the weights of the best checkpoint. */
  restoreBest(): void;
}

export interface Callback {
  readonly name: string;
  onBatchEnd?(control: TrainingControl, loss: number, batch: number): void;
  onEpochEnd?(control: TrainingControl, epoch: number): void | Promise<void>;
}

type Monitor = typeof MetricKey.valLoss | typeof MetricKey.epochTrainLoss;

function monitored(control: TrainingControl, monitor: Monitor): number | undefined {
  return control.tracker.get(monitor) ?? control.tracker.get(MetricKey.epochTrainLoss);
}

/** Fails fast with a divergence error the moment a batch loss is NaN or infinite. */
export class NaNGuard implements Callback {
  readonly name = "NaNGuard";

  onBatchEnd(control: TrainingControl, loss: number, batch: number): void {
    if (!Number.isFinite(loss)) {
      throw new DivergenceError(`loss is ${loss} at epoch ${control.tracker.epoch + 1} batch ${batch + 1}`, {
        epoch: control.tracker.epoch,
        batch,
        step: control.tracker.step,
      });
    }
  }
}

/** Stops when the monitored loss has not improved by `minDelta` for `patience` epochs; can restore the best weights. */
export class EarlyStopping implements Callback {
  readonly name = "EarlyStopping";
  private best = Number.POSITIVE_INFINITY;
  private wait = 0;

  constructor(
    private readonly options: {
      patience: number;
      minDelta?: number;
      monitor?: Monitor;
      restoreBest?: boolean;
      /** Never stop before this many epochs have run (a small dataset's minimum of optimizer steps). */
      minEpochs?: number;
    },
  ) {}

  onEpochEnd(control: TrainingControl, epoch: number): void {
    const value = monitored(control, this.options.monitor ?? MetricKey.valLoss);
    if (value === undefined) return;
    if (value < this.best - (this.options.minDelta ?? 0)) {
      this.best = value;
      this.wait = 0;
      return;
    }
    this.wait++;
    if (this.wait >= this.options.patience && epoch + 1 >= (this.options.minEpochs ?? 0)) {
      if (this.options.restoreBest ?? true) control.restoreBest();
      control.stop(
        `no improvement in ${this.options.monitor ?? MetricKey.valLoss} for ${this.wait} epochs (best ${this.best.toPrecision(4)}, epoch ${epoch + 1})`,
      );
    }
  }
}

/** Checkpoints every `every` epochs and whenever the monitored loss reaches a new best. */
export class Checkpointer implements Callback {
  readonly name = "Checkpointer";
  private best = Number.POSITIVE_INFINITY;

  constructor(private readonly options: { every: number; monitor?: Monitor }) {}

  async onEpochEnd(control: TrainingControl, epoch: number): Promise<void> {
    const value = monitored(control, this.options.monitor ?? MetricKey.valLoss);
    if (value !== undefined && value < this.best) {
      this.best = value;
      await control.checkpoint("best");
    } else if ((epoch + 1) % this.options.every === 0) {
      await control.checkpoint("periodic");
    }
  }
}

/** Multiplies the learning rate by `factor` after `patience` epochs without improvement. */
export class ReduceLROnPlateau implements Callback {
  readonly name = "ReduceLROnPlateau";
  private best = Number.POSITIVE_INFINITY;
  private wait = 0;

  constructor(private readonly options: { factor: number; patience: number; minLearningRate?: number; monitor?: Monitor }) {}

  onEpochEnd(control: TrainingControl): void {
    const value = monitored(control, this.options.monitor ?? MetricKey.valLoss);
    if (value === undefined) return;
    if (value < this.best) {
      this.best = value;
      this.wait = 0;
      return;
    }
    if (++this.wait >= this.options.patience) {
      control.learningRate = Math.max(this.options.minLearningRate ?? 0, control.learningRate * this.options.factor);
      this.wait = 0;
    }
  }
}

/** A trial's loss at a rung of its sweep's early-stopping rule. */
export interface RungValue {
  /** The rung's index (0: the first). */
  rung: number;
  /** Epochs done. */
  epoch: number;
  value: number;
}

/**
 * Reports the monitored loss when the epochs done reach a rung (a sweep's
 * ASHA rungs) and waits for the report, so training does not run on past a
 * rung before its decision; a trial told to stop is cancelled by its worker.
 */
export class RungReporter implements Callback {
  readonly name = "RungReporter";

  constructor(
    private readonly rungs: readonly number[],
    private readonly report: (value: RungValue) => Promise<void>,
  ) {}

  async onEpochEnd(control: TrainingControl, epoch: number): Promise<void> {
    const rung = this.rungs.indexOf(epoch + 1);
    if (rung >= 0) await this.report({ rung, epoch: epoch + 1, value: monitored(control, MetricKey.valLoss) ?? Number.NaN });
  }
}
