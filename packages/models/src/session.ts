import * as tf from "@tensorflow/tfjs";
import { seededRandom, shuffledIndices } from "./random";
import type { TrainSpec } from "./specs";
import type { WindowSet } from "./windows";

export interface WeightsSnapshot {
  values: Float32Array[];
  shapes: number[][];
}

/**
 * The tensors and optimizer of one model's training. Steps are driven from
 * outside (the engine's loop) one batch at a time, so the caller can check
 * cancellation, track metrics and report progress between batches.
 */
export class TrainingSession {
  private optimizer: AdjustableOptimizer;
  private trainX: tf.Tensor | undefined;
  private trainY: tf.Tensor | undefined;
  private epochX: tf.Tensor | undefined;
  private epochY: tf.Tensor | undefined;
  private validationX: tf.Tensor | undefined;
  private validationY: tf.Tensor | undefined;
  private count = 0;
  private readonly random: () => number;

  constructor(
    readonly model: tf.LayersModel,
    private readonly spec: Pick<TrainSpec, "optimizer" | "learningRate" | "batchSize" | "seed">,
  ) {
    this.optimizer = createOptimizer(spec.optimizer, spec.learningRate);
    this.random = seededRandom(spec.seed);
  }

  get learningRate(): number {
    return this.optimizer.learningRate;
  }

  set learningRate(value: number) {
    this.optimizer.learningRate = value;
  }

  get samples(): number {
    return this.count;
  }

  get batchSize(): number {
    return this.spec.batchSize;
  }

  get batchesPerEpoch(): number {
    return Math.ceil(this.count / this.spec.batchSize);
  }

  setData(train: WindowSet, validation?: WindowSet): void {
    this.disposeData();
    this.count = train.count;
    this.trainX = tf.tensor3d(train.x, [train.count, train.lookback, train.features]);
    this.trainY = tf.tensor2d(train.y, [train.count, train.horizon]);
    if (validation && validation.count > 0) {
      this.validationX = tf.tensor3d(validation.x, [validation.count, validation.lookback, validation.features]);
      this.validationY = tf.tensor2d(validation.y, [validation.count, validation.horizon]);
    }
  }

  /** Shuffles the training windows for a new epoch (seeded). */
  startEpoch(): void {
    if (!this.trainX || !this.trainY) throw new Error("setData before training");
    this.epochX?.dispose();
    this.epochY?.dispose();
    const order = tf.tensor1d(shuffledIndices(this.count, this.random), "int32");
    this.epochX = tf.gather(this.trainX, order);
    this.epochY = tf.gather(this.trainY, order);
    order.dispose();
  }

  /**
   * One optimisation step on batch `index` of the current epoch; resolves to its loss.
   * Reads are asynchronous everywhere: WebGPU cannot read a GPU buffer synchronously
   * (TF.js' dataSync there goes through a canvas and gave zeros on SwiftShader).
   */
  async trainBatch(index: number): Promise<number> {
    const x = this.epochX as tf.Tensor;
    const y = this.epochY as tf.Tensor;
    const start = index * this.spec.batchSize;
    const size = Math.min(this.spec.batchSize, this.count - start);
    const loss = tf.tidy(() => {
      const xb = x.slice(start, size);
      const yb = y.slice(start, size);
      return this.optimizer.minimize(
        () => tf.losses.meanSquaredError(yb, this.model.apply(xb, { training: true }) as tf.Tensor) as tf.Scalar,
        true,
      ) as tf.Scalar;
    });
    const value = (await loss.data())[0] as number;
    loss.dispose();
    return value;
  }

  /** Mean squared error on the validation windows; null when there are none. */
  async validationLoss(): Promise<number | null> {
    if (!this.validationX || !this.validationY) return null;
    const x = this.validationX;
    const y = this.validationY;
    const loss = tf.tidy(() => tf.losses.meanSquaredError(y, this.model.predict(x, { batchSize: 1024 }) as tf.Tensor) as tf.Scalar);
    const value = (await loss.data())[0] as number;
    loss.dispose();
    return value;
  }

  async snapshot(): Promise<WeightsSnapshot> {
    const weights = this.model.getWeights();
    const values = await Promise.all(weights.map(async (w) => (await w.data()).slice() as Float32Array));
    return { values, shapes: weights.map((w) => w.shape) };
  }

  /**
   * Puts weights back and starts the optimizer afresh: its moments are not in
   * the snapshot, and after a divergence they hold NaN.
   */
  restore(snapshot: WeightsSnapshot): void {
    const tensors = snapshot.values.map((v, i) => tf.tensor(v, snapshot.shapes[i]));
    this.model.setWeights(tensors);
    tf.dispose(tensors);
    const learningRate = this.optimizer.learningRate;
    this.optimizer.dispose();
    this.optimizer = createOptimizer(this.spec.optimizer, learningRate);
  }

  dispose(): void {
    this.disposeData();
    this.optimizer.dispose();
  }

  private disposeData(): void {
    tf.dispose(
      [this.trainX, this.trainY, this.epochX, this.epochY, this.validationX, this.validationY].filter(
        (t): t is tf.Tensor => t !== undefined,
      ),
    );
    this.trainX = this.trainY = this.epochX = this.epochY = this.validationX = this.validationY = undefined;
  }
}

/**
 * TF.js optimizers read `learningRate` on every step but declare it protected;
 * exposing it lets callbacks (ReduceLROnPlateau) and recovery change it mid-run.
 */
type AdjustableOptimizer = tf.Optimizer & { learningRate: number };

function createOptimizer(kind: TrainSpec["optimizer"], learningRate: number): AdjustableOptimizer {
  const optimizers = { adam: tf.train.adam, sgd: tf.train.sgd, rmsprop: tf.train.rmsprop };
  return optimizers[kind](learningRate) as unknown as AdjustableOptimizer;
}
