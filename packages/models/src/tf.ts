// One TensorFlow.js instance for every package: the engine, the worker and the
// browser preview import tf from here so backends and custom layers are
// registered once.
export * as tf from "@tensorflow/tfjs";
