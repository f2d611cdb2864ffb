/**
 * Keras-style models for the demos (tf.sequential + tf.layers), the same architecture for every
 * activation: dense/conv layers are linear, each followed by an activation layer from the adapter.
 * The output layer gives logits (softmax is in the loss). Dense layers are act.layers.dense: tfjs's
 * Dense with 'linear' computes a gradient for its input in every step, which the first layer of
 * an MLP (its input is data) does not need; ours skips it (about 20 % of an MNIST MLP's step).
 */
import * as tf from '@tensorflow/tfjs';
import * as act from '../../src';
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
    const d = act.layers.dense({
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
  model.add(act.layers.dense({ units: opts.classes, kernelInitializer: initializer('glorotUniform', opts.seed * 1000 + 999) }));
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
  model.add(act.layers.dense({ units: opts.classes, kernelInitializer: initializer('glorotUniform', opts.seed * 1000 + 999) }));
  return { model, linear: [c1, c2], acts: [a1, a2], label: actLabel(opts.act) };
}

/** The comparison demo's CNN, as a one-line description. */
export const STRIDED_CNN = 'conv5×5/2(32) → act → conv3×3/2(64) → act → dense(128) → act → dense(10)';

/**
 * The comparison demo's CNN for 28×28×1 (STRIDED_CNN): strided convolutions instead of pooling,
 * and a hidden dense layer. On 8,000 digits it passes 97 % in 3 epochs with relu or gelu (Adam,
 * 4e-3 halved every epoch), where `cnn`, whose 8/16 filters feed a linear classifier, stays near
 * 96 %. Per digit it costs about two thirds of `cnn` (a 128-digit step, 1.3 × a 64-digit step of
 * `cnn` on tfjs-node).
 */
export function stridedCnn(opts: { classes: number; act: ActSpec; seed: number }): BuiltModel {
  if ('maxout' in opts.act) throw new Error('the demo CNN takes element-wise activations only');
  const init = (k: number) => initializer('glorotUniform', opts.seed * 1000 + k);
  const model = tf.sequential();
  const c1 = tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 5, strides: 2, kernelInitializer: init(1) });
  const c2 = tf.layers.conv2d({ filters: 64, kernelSize: 3, strides: 2, kernelInitializer: init(2) });
  const d = act.layers.dense({ units: 128, kernelInitializer: init(3) });
  const acts = [actFor(opts.act, 32), actFor(opts.act, 64), actFor(opts.act, 128)];
  model.add(c1);
  model.add(acts[0]);
  model.add(c2);
  model.add(acts[1]);
  model.add(tf.layers.flatten());
  model.add(d);
  model.add(acts[2]);
  model.add(act.layers.dense({ units: opts.classes, kernelInitializer: init(999) }));
  return { model, linear: [c1, c2, d], acts, label: actLabel(opts.act) };
}

/** Copies all weights of `from` into `to` (same architecture): the twins start identical. */
export function copyWeights(from: tf.LayersModel, to: tf.LayersModel): void {
  to.setWeights(from.getWeights());
}

export function dispose(m: BuiltModel): void {
  m.model.dispose();
}
