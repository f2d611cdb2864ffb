/** Model round trips used by several test files. */
import * as tf from '@tensorflow/tfjs';

/** Saves a model to memory (tf.io.withSaveHandler) and loads it back (tf.io.fromMemory). */
export async function roundTripMemory(model: tf.LayersModel): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tf.loadLayersModel(tf.io.fromMemory(artifacts!));
}

/** The JSON topology a model saves (snake_case, as written to model.json). */
export async function savedTopology(model: tf.LayersModel): Promise<string> {
  let topology = '';
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      topology = JSON.stringify(a.modelTopology);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return topology;
}
