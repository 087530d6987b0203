import { trackedMetricKeys } from "@hindcast/contracts";
import type { Clock, MetricPointRecord, MetricSink } from "./ports";

/** Metric keys every training reports (the metric catalog's). */
export const MetricKey = trackedMetricKeys;

/**
 * Collects a training's metrics (seed: the experiment manager's tracker).
 * Batch losses and tracked metrics go to the MetricSink in batches; untracked
 * metrics are seen by callbacks only; epoch metrics are cleared every epoch.
 */
export class Tracker {
  /** Global step (batches trained so far, across epochs and resumed attempts). */
  step: number;
  epoch = 0;
  private readonly epochMetrics = new Map<string, number>();
  private pending: MetricPointRecord[] = [];
  private epochLossSum = 0;
  private epochBatches = 0;

  constructor(
    private readonly sink: MetricSink,
    private readonly options: { startStep?: number; clock?: Clock; flushEvery?: number } = {},
  ) {
    this.step = options.startStep ?? 0;
  }

  epochStart(epoch: number): void {
    this.epoch = epoch;
    this.epochMetrics.clear();
    this.epochLossSum = 0;
    this.epochBatches = 0;
  }

  /** Hot path: one push per batch; handed to the sink every `flushEvery` batches. */
  batchEnd(loss: number): void {
    this.step++;
    this.epochLossSum += loss;
    this.epochBatches++;
    this.pending.push({ key: MetricKey.trainLoss, step: this.step, value: loss, wallTime: new Date() });
    if (this.pending.length >= (this.options.flushEvery ?? 64)) this.handOver();
  }

  /** A metric of this epoch; `tracked: false` keeps it from the sink (visible to callbacks only). */
  log(key: string, value: number, options: { tracked?: boolean } = {}): void {
    this.epochMetrics.set(key, value);
    if (options.tracked !== false) this.pending.push({ key, step: this.step, value, wallTime: new Date() });
  }

  get(key: string): number | undefined {
    return this.epochMetrics.get(key);
  }

  /** Mean training loss over this epoch's batches. */
  get epochTrainLoss(): number {
    return this.epochBatches ? this.epochLossSum / this.epochBatches : Number.NaN;
  }

  /** Everything logged this epoch. */
  metrics(): ReadonlyMap<string, number> {
    return this.epochMetrics;
  }

  /** Hands buffered points to the sink (which batches its own writes). */
  handOver(): void {
    if (this.pending.length === 0) return;
    const points = this.pending;
    this.pending = [];
    this.sink.write(points);
  }
}
