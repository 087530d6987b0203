import * as tf from "@tensorflow/tfjs";

/**
 * Left zero-padding along time, so a following "valid" Conv1D is causal.
 * TF.js has neither causal Conv1D padding nor a ZeroPadding1D layer.
 */
export class CausalPadding1D extends tf.layers.Layer {
  static className = "CausalPadding1D";
  private readonly size: number;

  constructor(config: { size: number; name?: string }) {
    super(config);
    this.size = config.size;
  }

  override computeOutputShape(inputShape: tf.Shape): tf.Shape {
    const [batch, steps, channels] = inputShape as [number | null, number | null, number];
    return [batch, steps === null ? null : steps + this.size, channels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return tf.pad(x, [
      [0, 0],
      [this.size, 0],
      [0, 0],
    ]);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size };
  }
}
tf.serialization.registerClass(CausalPadding1D);
