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

/**
 * Last-value normalisation (NLinear, Zeng et al. 2023; a simple form of
 * RevIN): subtracts each channel's last value from its whole window, so the
 * network sees shapes, not levels, and a level it never saw in training (a
 * trend's new high) looks like the ones it did. AddLastValue puts the
 * target's last value back on the forecast.
 */
export class SubtractLastValue extends tf.layers.Layer {
  static className = "SubtractLastValue";

  override computeOutputShape(inputShape: tf.Shape): tf.Shape {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const steps = x.shape[1] as number;
    return tf.tidy(() => x.sub(x.slice([0, steps - 1, 0], [-1, 1, -1])));
  }
}
tf.serialization.registerClass(SubtractLastValue);

/** Inputs [forecast (batch x horizon), history (batch x lookback x features)]: forecast + the target's last value. */
export class AddLastValue extends tf.layers.Layer {
  static className = "AddLastValue";

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (inputShape as tf.Shape[])[0] as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [forecast, history] = inputs as tf.Tensor[];
    const steps = (history as tf.Tensor).shape[1] as number;
    return tf.tidy(() => (forecast as tf.Tensor).add((history as tf.Tensor).slice([0, steps - 1, 0], [-1, 1, 1]).reshape([-1, 1])));
  }
}
tf.serialization.registerClass(AddLastValue);
