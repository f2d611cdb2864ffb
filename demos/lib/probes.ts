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

export interface UnitStats {
  units: number;
  /** Units passing no gradient for any row: |f'(z)| ≤ gradTol for every row (needs pre-activations). */
  dead: number;
  /** Units whose output is 0 (|y| ≤ zeroTol) for every row. */
  zeroOutput: number;
  /** Units whose output does not vary over the rows (max − min ≤ constTol). */
  constant: number;
}

/**
 * Dead-unit counts over a held batch. `pre` are pre-activations (rows × units) with the activation's
 * derivative `df` (float64, from the registry); `out` are the activation outputs (rows × units').
 * Either may be omitted (counts then NaN).
 */
export function unitStats(
  opts: {
    pre?: { data: ArrayLike<number>; rows: number; units: number };
    df?: (z: number) => number;
    out?: { data: ArrayLike<number>; rows: number; units: number };
  },
  tol = { grad: 1e-8, zero: 1e-7, constant: 1e-6 },
): UnitStats {
  const res: UnitStats = { units: opts.out?.units ?? opts.pre?.units ?? 0, dead: NaN, zeroOutput: NaN, constant: NaN };
  if (opts.pre && opts.df) {
    const { data, rows, units } = opts.pre;
    let dead = 0;
    for (let u = 0; u < units; u++) {
      let alive = false;
      for (let r = 0; r < rows && !alive; r++) if (Math.abs(opts.df(data[r * units + u])) > tol.grad) alive = true;
      if (!alive) dead++;
    }
    res.dead = dead;
  }
  if (opts.out) {
    const { data, rows, units } = opts.out;
    let zero = 0;
    let constant = 0;
    for (let u = 0; u < units; u++) {
      let lo = Infinity;
      let hi = -Infinity;
      let allZero = true;
      for (let r = 0; r < rows; r++) {
        const v = data[r * units + u];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        if (!(Math.abs(v) <= tol.zero)) allZero = false;
      }
      if (allZero) zero++;
      if (hi - lo <= tol.constant) constant++;
    }
    res.zeroOutput = zero;
    res.constant = constant;
  }
  return res;
}

/** Mean of all outputs, and mean over units of |mean over rows| (how far from zero-centred). */
export function meanActivation(out: { data: ArrayLike<number>; rows: number; units: number }): { mean: number; meanAbsUnitMean: number } {
  const { data, rows, units } = out;
  let total = 0;
  let absUnit = 0;
  for (let u = 0; u < units; u++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += data[r * units + u];
    total += s;
    absUnit += Math.abs(s / rows);
  }
  return { mean: total / (rows * units), meanAbsUnitMean: absUnit / units };
}
