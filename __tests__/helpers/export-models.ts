/**
 * The models the Keras export is tested with, built from the registry: every element-wise activation
 * as a layer (at its defaults, at other parameters, with every numeric parameter learned) and as an
 * activation name, in a Functional model (Keras's layers, strings and keras.ops nodes) and a Sequential
 * one (where Keras has no ops nodes); the structured layers; and most tfjs layers. Weights are set
 * from a seeded generator, so every backend builds the same model.
 */
import * as tf from '@tensorflow/tfjs';
import * as act from '../../src';
import type { AnyDefinition, ParamSpec } from '../../src';
import { mulberry32 } from '../../demos/lib/rng';

/** A seeded generator of uniforms in [0, 1) (mulberry32, the demos' generator). */
export const uniforms = mulberry32;

/** Standard normals (Box-Muller) from a seeded generator. */
export function normals(n: number, seed: number): number[] {
  const u = uniforms(seed);
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u()));
}

/** Parameters away from the defaults (within each parameter's range; booleans flipped). */
export function otherParams(def: AnyDefinition): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const [k, s] of Object.entries(def.params as Record<string, ParamSpec>)) {
    if (s.type === 'boolean') out[k] = !s.default;
    else out[k] = s.default === null ? 2 : s.default === 0 ? 0.25 : (s.default as number) * 1.5;
  }
  return out;
}

const numericParams = (def: AnyDefinition) => Object.entries(def.params as Record<string, ParamSpec>).filter(([, s]) => s.type === 'number').map(([k]) => k);

/**
 * Every weight set from the seed: kernels uniform in ±1/√fan-in, every other weight its value
 * times 1 ± 10 % (plus ±0.1 where it is 0), so learned parameters keep their range and differ per element.
 */
export function setWeights(model: tf.LayersModel, seed: number): void {
  const u = uniforms(seed);
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const values = layer.getWeights().map((w, i) => {
      const name = layer.weights[i].originalName;
      const data = w.dataSync();
      const isKernel = /(kernel|embeddings)$/.test(name);
      // A sample count (Normalization's) is a whole number.
      if (/count$/.test(name)) return tf.tensor(Float32Array.from(data, () => Math.floor(100 * u())), w.shape);
      const fanIn = w.shape.slice(0, -1).reduce((a, b) => a * b, 1) || 1;
      const next = Float32Array.from(data, (v) => (isKernel ? (2 * u() - 1) / Math.sqrt(fanIn) : v * (1 + 0.2 * (u() - 0.5)) + (v === 0 ? 0.2 * (u() - 0.5) : 0)));
      return tf.tensor(next, w.shape);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}

export interface ExportCase {
  name: string;
  build: () => tf.LayersModel;
  /** Input tensors' specs: shape without batch, dtype, and for ints the range. */
  inputs: Array<{ shape: number[]; dtype: 'float32' | 'int32'; max?: number; /** 0/1 with the first column 1 (an attention mask) */ mask?: boolean }>;
  /** Train one SGD step in tfjs and Keras (models without randomness in training). */
  train: boolean;
  /** tfjs backends that cannot train it, with the error tfjs gives (the test checks it still does). */
  untrainable?: Record<string, string>;
  /** The Keras backends it is checked on (default: tensorflow and jax). */
  kerasBackends?: Array<'tensorflow' | 'jax'>;
}

const defs = () => act.all();
const sym = (x: tf.SymbolicTensor | tf.SymbolicTensor[] | tf.Tensor | tf.Tensor[]) => x as tf.SymbolicTensor;

/** Every element-wise activation as layers and names, side by side, in a Functional model. */
function activationsFunctional(): tf.LayersModel {
  const input = tf.input({ shape: [6], name: 'x' });
  const h = sym(tf.layers.dense({ units: 8, name: 'proj' }).apply(input));
  const branches: tf.SymbolicTensor[] = [];
  defs().forEach((def, i) => {
    const layers = act.layers as unknown as Record<string, (a: object) => tf.layers.Layer>;
    branches.push(sym(layers[def.id]({ name: `${def.id}_default` }).apply(h)));
    if (Object.keys(def.params).length > 0) branches.push(sym(layers[def.id]({ ...otherParams(def), name: `${def.id}_params` }).apply(h)));
    const numeric = numericParams(def);
    if (numeric.length > 0) {
      branches.push(sym(layers[def.id]({ ...otherParams(def), learnable: numeric, sharedAxes: i % 2 ? [1] : null, name: `${def.id}_learned` }).apply(h)));
    }
    branches.push(sym(tf.layers.dense({ units: 3, activation: act.name(def.id as never), name: `${def.id}_name` }).apply(h)));
  });
  const all = sym(tf.layers.concatenate({ name: 'all' }).apply(branches));
  const out = sym(tf.layers.dense({ units: 3, name: 'head' }).apply(all));
  return tf.model({ inputs: input, outputs: out, name: 'activations_functional' });
}

/** The element-wise layers with parameters, at other parameters and learned, in a Sequential model. */
function activationsSequential(): tf.LayersModel {
  const model = tf.sequential({ name: 'activations_sequential' });
  model.add(tf.layers.dense({ units: 6, inputShape: [5], name: 'proj' }));
  const layers = act.layers as unknown as Record<string, (a: object) => tf.layers.Layer>;
  for (const def of defs()) {
    if (Object.keys(def.params).length === 0) continue;
    const numeric = numericParams(def);
    model.add(layers[def.id]({ ...otherParams(def), name: `${def.id}_params` }));
    if (numeric.length > 0) model.add(layers[def.id]({ ...otherParams(def), learnable: numeric, name: `${def.id}_learned` }));
    model.add(tf.layers.dense({ units: 6, name: `${def.id}_mix` }));
  }
  model.add(tf.layers.dense({ units: 2, name: 'head' }));
  return model;
}

/** Maxout (both forms), GLU, Softmin, RReLU (fixed slope range, so training is deterministic), Sparsemax. */
function structuredSequential(): tf.LayersModel {
  const model = tf.sequential({ name: 'structured_sequential' });
  model.add(tf.layers.dense({ units: 12, inputShape: [5], name: 'proj' }));
  model.add(act.layers.maxout({ units: 4, pieces: 3, name: 'maxout_dense' }));
  model.add(tf.layers.dense({ units: 8, name: 'd1' }));
  model.add(act.layers.glu({ name: 'glu' }));
  model.add(act.layers.softmin({ name: 'softmin' }));
  model.add(tf.layers.dense({ units: 6, name: 'd2' }));
  model.add(act.layers.maxout({ units: 3, name: 'maxout_groups' }));
  model.add(act.layers.rrelu({ lower: 0.2, upper: 0.2, seed: 1, name: 'rrelu' }));
  model.add(tf.layers.dense({ units: 5, name: 'd3' }));
  model.add(act.layers.sparsemax({ name: 'sparsemax' }));
  return model;
}

/** The structured layers over a non-last axis, and GLU as Keras's own keras.ops node. */
function structuredFunctional(): tf.LayersModel {
  const input = tf.input({ shape: [4, 6], name: 'x' });
  const h = sym(tf.layers.dense({ units: 6, name: 'proj' }).apply(input));
  const glu = sym(act.layers.glu({ name: 'glu_last' }).apply(h));
  const glu1 = sym(act.layers.glu({ axis: 1, name: 'glu_axis1' }).apply(h));
  const sm = sym(act.layers.sparsemax({ axis: 1, name: 'sparsemax_axis1' }).apply(h));
  const so = sym(act.layers.softmin({ axis: 1, name: 'softmin_axis1' }).apply(h));
  const mo = sym(act.layers.maxout({ units: 2, axis: 1, name: 'maxout_axis1' }).apply(h));
  const flat = [glu, glu1, sm, so, mo].map((t, i) => sym(tf.layers.flatten({ name: `flat${i}` }).apply(t)));
  const out = sym(tf.layers.dense({ units: 3, name: 'head' }).apply(sym(tf.layers.concatenate({ name: 'all' }).apply(flat))));
  return tf.model({ inputs: input, outputs: out, name: 'structured_functional' });
}

/** Most tfjs layers, with this plugin's activation names (tfjs's own come back as ours). */
function layersFunctional(): tf.LayersModel {
  const image = tf.input({ shape: [8, 8, 3], name: 'image' });
  const tokens = tf.input({ shape: [5], dtype: 'int32', name: 'tokens' });
  const relu = act.name('relu');
  let x = sym(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: relu, name: 'conv' }).apply(image));
  x = sym(tf.layers.batchNormalization({ name: 'bn' }).apply(x));
  x = sym(tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(x));
  x = sym(tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 'depthwise' }).apply(x));
  x = sym(tf.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'valid', activation: act.name('swish'), name: 'separable' }).apply(x));
  x = sym(tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', name: 'transpose' }).apply(x));
  x = sym(tf.layers.zeroPadding2d({ padding: 1, name: 'pad' }).apply(x));
  x = sym(tf.layers.cropping2D({ cropping: [[1, 0], [0, 1]], name: 'crop' }).apply(x));
  x = sym(tf.layers.averagePooling2d({ poolSize: 2, strides: 1, name: 'avg' }).apply(x));
  const imageA = sym(tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x));
  const imageM = sym(tf.layers.globalMaxPooling2d({ name: 'gmp' }).apply(x));
  let t = sym(tf.layers.embedding({ inputDim: 10, outputDim: 4, name: 'embed' }).apply(tokens));
  t = sym(tf.layers.conv1d({ filters: 4, kernelSize: 2, padding: 'same', activation: act.name('gelu'), name: 'conv1d' }).apply(t));
  const sigmoid = act.name('sigmoid');
  const tanh = act.name('tanh');
  t = sym(tf.layers.lstm({ units: 3, returnSequences: true, activation: tanh, recurrentActivation: sigmoid, name: 'lstm' }).apply(t));
  t = sym(tf.layers.gru({ units: 3, returnSequences: true, activation: tanh, recurrentActivation: sigmoid, name: 'gru' }).apply(t));
  t = sym(tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 2, returnSequences: true, activation: tanh }) as never, name: 'birnn' }).apply(t));
  t = sym(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: act.name('mish') }), name: 'per_step' }).apply(t));
  t = sym(tf.layers.maxPooling1d({ poolSize: 2, name: 'pool1d' }).apply(t));
  t = sym(tf.layers.averagePooling1d({ poolSize: 1, name: 'avg1d' }).apply(t));
  const seqA = sym(tf.layers.globalAveragePooling1d({ name: 'gap1d' }).apply(t));
  const seqM = sym(tf.layers.globalMaxPooling1d({ name: 'gmp1d' }).apply(t));
  const seqF = sym(tf.layers.flatten({ name: 'flatten' }).apply(t));
  const a = sym(tf.layers.dense({ units: 3, name: 'a' }).apply(sym(tf.layers.concatenate({ name: 'image_features' }).apply([imageA, imageM]))));
  const b = sym(tf.layers.dense({ units: 3, name: 'b' }).apply(sym(tf.layers.concatenate({ name: 'seq_features' }).apply([seqA, seqM, seqF]))));
  const merged = [
    tf.layers.add({ name: 'add' }), tf.layers.multiply({ name: 'multiply' }), tf.layers.average({ name: 'average' }),
    tf.layers.maximum({ name: 'maximum' }), tf.layers.minimum({ name: 'minimum' }),
  ].map((l) => sym(l.apply([a, b])));
  let m = sym(tf.layers.concatenate({ axis: -1, name: 'merged' }).apply(merged));
  m = sym(tf.layers.layerNormalization({ name: 'ln' }).apply(m));
  m = sym(tf.layers.dropout({ rate: 0, name: 'dropout' }).apply(m));
  m = sym(tf.layers.reshape({ targetShape: [5, 3], name: 'reshape' }).apply(m));
  m = sym(tf.layers.permute({ dims: [2, 1], name: 'permute' }).apply(m));
  m = sym(tf.layers.flatten({ name: 'flatten2' }).apply(m));
  m = sym(tf.layers.repeatVector({ n: 2, name: 'repeat' }).apply(m));
  m = sym(tf.layers.flatten({ name: 'flatten3' }).apply(m));
  m = sym(tf.layers.rescaling({ scale: 0.5, offset: 0.1, name: 'rescale' }).apply(m));
  m = sym(tf.layers.activation({ activation: act.name('hardSwish'), name: 'activation' }).apply(m));
  const out = sym(tf.layers.dense({ units: 2, activation: 'linear', name: 'head' }).apply(m));
  return tf.model({ inputs: [image, tokens], outputs: out, name: 'layers_functional' });
}

/** tfjs's own activation layers and names, which come back from Keras as this plugin's implementations. */
function tfjsActivations(): tf.LayersModel {
  const input = tf.input({ shape: [6], name: 'x' });
  const h = sym(tf.layers.dense({ units: 6, activation: 'relu', name: 'dense_relu' }).apply(input));
  const parts = [
    tf.layers.reLU({ maxValue: 0.8, name: 'relu_layer' }), tf.layers.leakyReLU({ alpha: 0.3, name: 'leaky' }), tf.layers.prelu({ sharedAxes: [1], name: 'prelu' }),
    tf.layers.elu({ name: 'elu' }), tf.layers.softmax({ name: 'softmax' }),
  ].map((l) => sym(l.apply(h)));
  for (const name of ['sigmoid', 'tanh', 'elu', 'selu', 'softplus', 'softsign', 'relu6', 'swish', 'mish', 'gelu', 'softmax', 'linear']) {
    parts.push(sym(tf.layers.dense({ units: 3, activation: name as never, name: `tfjs_${name}` }).apply(h)));
  }
  const out = sym(tf.layers.dense({ units: 2, name: 'head' }).apply(sym(tf.layers.concatenate({ name: 'all' }).apply(parts))));
  return tf.model({ inputs: input, outputs: out, name: 'tfjs_activations' });
}

/** Self-attention (causal) and cross-attention with a separate key, an attention mask, no biases and an output shape. */
function attention(): tf.LayersModel {
  const tokens = tf.input({ shape: [5, 8], name: 'tokens' });
  const context = tf.input({ shape: [4, 8], name: 'context' });
  const mask = tf.input({ shape: [5, 4], name: 'mask' });
  const self = sym(act.layers.multiHeadAttention({ numHeads: 2, keyDim: 4, valueDim: 3, useCausalMask: true, name: 'self' }).apply([tokens, tokens]));
  const cross = sym(act.layers.multiHeadAttention({ numHeads: 3, keyDim: 2, useBias: false, outputShape: [6], withKey: true, withAttentionMask: true, name: 'cross' })
    .apply([self, context, context, mask]));
  const out = sym(tf.layers.dense({ units: 2, name: 'head' }).apply(sym(tf.layers.flatten({ name: 'flatten' }).apply(cross))));
  return tf.model({ inputs: [tokens, context, mask], outputs: out, name: 'attention' });
}

/** The Keras layers tfjs lacks, which the import brings in as this plugin's layers. */
function kerasLayers(): tf.LayersModel {
  const image = tf.input({ shape: [4, 4, 6], name: 'image' });
  let x = sym(act.layers.normalization({ name: 'adapted' }).apply(image));
  x = sym(act.layers.groupNormalization({ groups: 3, name: 'group_norm' }).apply(x));
  x = sym(act.layers.groupedConv2d({ filters: 6, kernelSize: 3, groups: 2, padding: 'same', name: 'grouped' }).apply(x));
  x = sym(act.layers.layerScale({ projectionDim: 6, initValues: 0.5, name: 'layer_scale' }).apply(x));
  x = sym(act.layers.rmsNormalization({ name: 'rms' }).apply(x));
  x = sym(act.layers.normalization({ mean: [0.1, 0.2, 0.3, 0.1, 0.2, 0.3], variance: [1, 2, 3, 1, 2, 3], name: 'given' }).apply(x));
  x = sym(tf.layers.flatten({ name: 'flatten' }).apply(x));
  const out = sym(tf.layers.dense({ units: 3, name: 'head' }).apply(x));
  return tf.model({ inputs: image, outputs: out, name: 'keras_layers' });
}

/**
 * Layers tfjs cannot train the way Keras does: ThresholdedReLU (tfjs has no gradient for it) and
 * UpSampling2D (tfjs 4.22's cpu and wasm kernels get its gradient wrong for batches of more than one),
 * and a Dropout that is random in training.
 */
function inferenceOnly(): tf.LayersModel {
  const image = tf.input({ shape: [4, 4, 2], name: 'image' });
  let x = sym(tf.layers.upSampling2d({ size: [2, 3], name: 'up' }).apply(image));
  x = sym(tf.layers.thresholdedReLU({ theta: 0.2, name: 'thresholded' }).apply(x));
  x = sym(tf.layers.dropout({ rate: 0.5, name: 'dropout' }).apply(x));
  x = sym(tf.layers.flatten({ name: 'flatten' }).apply(x));
  const out = sym(tf.layers.dense({ units: 3, name: 'head' }).apply(x));
  return tf.model({ inputs: image, outputs: out, name: 'inference_only' });
}

export const EXPORT_CASES: ExportCase[] = [
  { name: 'activations_functional', build: activationsFunctional, inputs: [{ shape: [6], dtype: 'float32' }], train: true },
  { name: 'activations_sequential', build: activationsSequential, inputs: [{ shape: [5], dtype: 'float32' }], train: true },
  { name: 'structured_sequential', build: structuredSequential, inputs: [{ shape: [5], dtype: 'float32' }], train: true },
  { name: 'structured_functional', build: structuredFunctional, inputs: [{ shape: [4, 6], dtype: 'float32' }], train: true },
  // TensorFlow only: on JAX, Keras compiles each of its random initializers (Orthogonal, VarianceScaling)
  // per shape while loading, over a minute for this model; its layers hold nothing backend-specific.
  { name: 'layers_functional', build: layersFunctional, inputs: [{ shape: [8, 8, 3], dtype: 'float32' }, { shape: [5], dtype: 'int32', max: 10 }], train: true, kerasBackends: ['tensorflow'],
    untrainable: { wasm: "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'" } },
  { name: 'tfjs_activations', build: tfjsActivations, inputs: [{ shape: [6], dtype: 'float32' }], train: true },
  { name: 'keras_layers', build: kerasLayers, inputs: [{ shape: [4, 4, 6], dtype: 'float32' }], train: true, kerasBackends: ['tensorflow'],
    untrainable: { wasm: "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'" } },
  { name: 'attention', build: attention, train: true, kerasBackends: ['tensorflow'],
    inputs: [{ shape: [5, 8], dtype: 'float32' }, { shape: [4, 8], dtype: 'float32' }, { shape: [5, 4], dtype: 'float32', mask: true }] },
  { name: 'inference_only', build: inferenceOnly, inputs: [{ shape: [4, 4, 2], dtype: 'float32' }], train: false },
];

export const BATCH = 4;

/** The case's inputs and training targets (seeded). */
export function caseData(c: ExportCase, model: tf.LayersModel): { xs: tf.Tensor[]; y: tf.Tensor } {
  const xs = c.inputs.map((spec, i) => {
    const n = BATCH * spec.shape.reduce((a, b) => a * b, 1);
    if (spec.mask) {
      const u = uniforms(100 + i);
      const last = spec.shape[spec.shape.length - 1];
      return tf.tensor(Array.from({ length: n }, (_, k) => (k % last === 0 || u() < 0.7 ? 1 : 0)), [BATCH, ...spec.shape], spec.dtype);
    }
    if (spec.dtype === 'int32') {
      const u = uniforms(100 + i);
      return tf.tensor(Array.from({ length: n }, () => Math.floor(u() * (spec.max ?? 2))), [BATCH, ...spec.shape], 'int32');
    }
    return tf.tensor(normals(n, 100 + i), [BATCH, ...spec.shape], 'float32');
  });
  const outShape = (model.outputs[0].shape as number[]).slice(1);
  const y = tf.tensor(normals(BATCH * outShape.reduce((a, b) => a * b, 1), 7).map((v) => v * 0.5), [BATCH, ...outShape]);
  return { xs, y };
}

/** A fresh model of a case with its seeded weights. */
export function buildCase(c: ExportCase): tf.LayersModel {
  const model = c.build();
  setWeights(model, 12345);
  return model;
}
