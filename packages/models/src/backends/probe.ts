import * as tf from "@tensorflow/tfjs";
import { buildModel, type ModelShape } from "../build";
import { isStatistical, type ModelSpec, type TrainingSpec } from "../specs";

/** One Adam step of `spec` on random data: what a backend must run to count. */
export function trainingStepProbe(spec: ModelSpec, shape: ModelShape): () => Promise<void> {
  return async () => {
    const model = buildModel(spec, shape, 1);
    const optimizer = tf.train.adam(1e-3);
    try {
      const loss = tf.tidy(() => {
        const x = tf.randomNormal([4, shape.lookback, shape.features]);
        const y = tf.randomNormal([4, shape.horizon]);
        return optimizer.minimize(() => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar, true) as tf.Scalar;
      });
      const value = (await loss.data())[0] as number;
      loss.dispose();
      if (!Number.isFinite(value)) throw new Error(`training step gave a non-finite loss (${value})`);
    } finally {
      model.dispose();
      optimizer.dispose();
    }
  };
}

/** The probe for the model a training spec will build; a statistical model needs none (no probe). */
export function probeForSpec(spec: TrainingSpec): (() => Promise<void>) | undefined {
  if (isStatistical(spec.model)) return undefined;
  return trainingStepProbe(spec.model, {
    lookback: spec.window.lookback,
    features: 1 + spec.data.features.length,
    horizon: spec.window.horizon,
  });
}
