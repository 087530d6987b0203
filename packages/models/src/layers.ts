import * as tf from "@tensorflow/tfjs";

/**
 * Delays a sequence by `shift` steps along time (zeros come in at the start),
 * so output t sees input t - shift: the building block of our causal dilated
 * convolutions. TF.js has no causal Conv1D padding, and its conv gradients
 * reject dilation rates above 1, so a dilated causal convolution is written
 * as a sum of time-shifted per-step linear maps (see build.ts).
 */
export class CausalShift1D extends tf.layers.Layer {
  static className = "CausalShift1D";
  private readonly shift: number;

  constructor(config: { shift: number; name?: string }) {
    super(config);
    this.shift = config.shift;
  }

  override computeOutputShape(inputShape: tf.Shape): tf.Shape {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (this.shift === 0) return x;
    const steps = x.shape[1] as number;
    return tf.tidy(() =>
      tf
        .pad(x, [
          [0, 0],
          [this.shift, 0],
          [0, 0],
        ])
        .slice([0, 0, 0], [-1, steps, -1]),
    );
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), shift: this.shift };
  }
}
tf.serialization.registerClass(CausalShift1D);
