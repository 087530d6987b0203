import * as tf from "@tensorflow/tfjs";
import "./layers";

/** A model as plain data: topology JSON plus one binary weights buffer. */
export interface SavedModel {
  topology: string;
  weights: Uint8Array;
}

export async function saveModel(model: tf.LayersModel): Promise<SavedModel> {
  let saved: SavedModel | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData as ArrayBuffer;
      saved = {
        topology: JSON.stringify({ modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs }),
        weights: new Uint8Array(weightData.slice(0)),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  if (!saved) throw new Error("model.save produced no artifacts");
  return saved;
}

export async function loadModel(saved: SavedModel): Promise<tf.LayersModel> {
  const { modelTopology, weightSpecs } = JSON.parse(saved.topology) as { modelTopology: object; weightSpecs: tf.io.WeightsManifestEntry[] };
  const buffer = saved.weights.buffer.slice(saved.weights.byteOffset, saved.weights.byteOffset + saved.weights.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData: buffer }));
}
