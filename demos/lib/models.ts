/**
 * Keras-style models for the demos (tf.sequential + tf.layers), the same architecture for every
 * activation: dense/conv layers are linear, each followed by an activation layer from the adapter.
 * The output layer gives logits (softmax is in the loss).
 */
import * as tf from '@tensorflow/tfjs';
import { activationLayer, maxoutLayer, ShiftedActivation, type Impl } from './activations';

export type Init = 'glorotUniform' | 'heNormal' | 'largeNormal';

/** What goes after each hidden dense/conv layer. */
export type ActSpec = { id: string; impl: Impl; shift?: number } | { maxout: number };

export interface BuiltModel {
  model: tf.Sequential;
  /** The hidden dense/conv layers (their outputs are the pre-activations), in depth order. */
  linear: tf.layers.Layer[];
  /** The activation layers, in depth order. */
  acts: tf.layers.Layer[];
  label: string;
}

export function actLabel(a: ActSpec): string {
  if ('maxout' in a) return `maxout${a.maxout}`;
  if (a.shift) return `${a.id}${a.shift > 0 ? '+' : '−'}${Math.abs(a.shift)}`;
  return a.impl === 'ours' ? a.id : `${a.id} (tfjs built-in)`;
}

function initializer(init: Init, seed: number): ReturnType<typeof tf.initializers.glorotUniform> {
  switch (init) {
    case 'glorotUniform':
      return tf.initializers.glorotUniform({ seed });
    case 'heNormal':
      return tf.initializers.heNormal({ seed });
    case 'largeNormal':
      return tf.initializers.randomNormal({ mean: 0, stddev: 1, seed });
  }
}

function actFor(a: ActSpec, units: number): tf.layers.Layer {
  if ('maxout' in a) return maxoutLayer(a.maxout, units);
  if (a.shift) return new ShiftedActivation(a.id, a.shift);
  return activationLayer(a.id, a.impl);
}

/** MLP: inputs → [dense(h) → act]* → dense(classes) logits. Maxout widens each dense by its pieces. */
export function mlp(opts: { inputShape: number[]; hidden: number[]; classes: number; act: ActSpec; seed: number; init?: Init }): BuiltModel {
  const init = opts.init ?? 'glorotUniform';
  const model = tf.sequential();
  const linear: tf.layers.Layer[] = [];
  const acts: tf.layers.Layer[] = [];
  const widen = 'maxout' in opts.act ? opts.act.maxout : 1;
  if (opts.inputShape.length > 1) model.add(tf.layers.flatten({ inputShape: opts.inputShape }));
  opts.hidden.forEach((units, i) => {
    const d = tf.layers.dense({
      units: units * widen,
      kernelInitializer: initializer(init, opts.seed * 1000 + i),
      ...(i === 0 && opts.inputShape.length === 1 ? { inputShape: opts.inputShape } : {}),
    });
    model.add(d);
    linear.push(d);
    const a = actFor(opts.act, units);
    model.add(a);
    acts.push(a);
  });
  model.add(tf.layers.dense({ units: opts.classes, kernelInitializer: initializer('glorotUniform', opts.seed * 1000 + 999) }));
  return { model, linear, acts, label: actLabel(opts.act) };
}

/** Small CNN for 28×28×1: conv5×5(8) → act → maxpool2 → conv5×5(16) → act → maxpool2 → flatten → dense(classes). */
export function cnn(opts: { classes: number; act: ActSpec; seed: number; filters?: [number, number]; init?: Init }): BuiltModel {
  const [f1, f2] = opts.filters ?? [8, 16];
  const init = opts.init ?? 'glorotUniform';
  if ('maxout' in opts.act) throw new Error('the demo CNN takes element-wise activations only');
  const model = tf.sequential();
  const c1 = tf.layers.conv2d({ inputShape: [28, 28, 1], filters: f1, kernelSize: 5, kernelInitializer: initializer(init, opts.seed * 1000 + 1) });
  const a1 = actFor(opts.act, f1);
  const c2 = tf.layers.conv2d({ filters: f2, kernelSize: 5, kernelInitializer: initializer(init, opts.seed * 1000 + 2) });
  const a2 = actFor(opts.act, f2);
  model.add(c1);
  model.add(a1);
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(c2);
  model.add(a2);
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: opts.classes, kernelInitializer: initializer('glorotUniform', opts.seed * 1000 + 999) }));
  return { model, linear: [c1, c2], acts: [a1, a2], label: actLabel(opts.act) };
}

/** Copies all weights of `from` into `to` (same architecture): the twins start identical. */
export function copyWeights(from: tf.LayersModel, to: tf.LayersModel): void {
  to.setWeights(from.getWeights());
}

export function dispose(m: BuiltModel): void {
  m.model.dispose();
}
