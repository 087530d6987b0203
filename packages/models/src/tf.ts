// One TensorFlow.js instance for every package: the engine, the worker and the
// browser preview import tf from here so backends and custom layers are
// registered once.
import * as tf from "@tensorflow/tfjs";

// Production mode: no development warnings (such as the banner urging tfjs-node,
// which is optional here by design) in worker logs and test output.
tf.enableProdMode();

export { tf };
