/**
 * Probes into a model: per-layer outputs, per-layer gradient norms, dead units, mean activations.
 * They work on any tf.LayersModel and a list of its layers, so tests can check them on hand-built
 * networks with known answers.
 */
import * as tf from '@tensorflow/tfjs';
import { lossOf } from './trainer';

/** Outputs of `layers` for input `x`, each flattened to [rows, units] (units = last axis). */
export function layerOutputs(model: tf.LayersModel, layers: tf.layers.Layer[], x: tf.Tensor): { data: Float32Array; rows: number; units: number }[] {
  const probe = tf.model({ inputs: model.inputs, outputs: layers.map((l) => l.output as tf.SymbolicTensor) });
  // Tensors come out of tidy and are read outside it: tidy walks returned arrays element by element.
  const tensors = tf.tidy(() => {
    const o = probe.predict(x);
    return Array.isArray(o) ? o : [o];
  });
  const outs = tensors.map((t) => {
    const units = t.shape[t.shape.length - 1]!;
    return { data: t.dataSync() as Float32Array, rows: t.size / units, units };
  });
  tf.dispose(tensors);
  return outs;
}

/**
 * L2 norm of d(loss)/d(kernel) for each layer in `layers` (their first weight, the kernel),
 * for a batch (x, y one-hot); the loss is softmax cross-entropy of the model's logits.
 */
export function gradientNorms(model: tf.LayersModel, layers: tf.layers.Layer[], x: tf.Tensor, y: tf.Tensor): number[] {
  const vars = layers.map((l) => l.trainableWeights[0].read() as tf.Variable);
  const norms = tf.tidy(() => {
    const { grads } = tf.variableGrads(() => lossOf(model.apply(x) as tf.Tensor, y), vars);
    return tf.stack(vars.map((v) => grads[v.name].norm()));
  });
  const values = Array.from(norms.dataSync());
  norms.dispose();
  return values;
}

export { meanActivation, saturatedUnits, unitStats, type UnitStats } from './unit-stats';
