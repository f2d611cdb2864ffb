/**
 * Keras 3 layer configs -> tfjs layer specs, one translator per Keras class (TRANSLATORS), and the
 * classes refused with a reason (REFUSED).
 *
 * Every field of every layer config is accounted for: translated, ignored because it only affects
 * training from scratch (initializers, seeds), or checked to have the value tfjs computes with.
 * Anything else is an error naming the layer and the field: an import either computes what Keras
 * computed or does not happen.
 *
 * A Keras layer becomes a chain of tfjs layers when tfjs needs more than one for it (Dense with
 * activation 'glu' -> Dense + GLU; Softmax over a non-last axis -> Permute, softmax, Permute).
 * The chain's main layer keeps the Keras name (so the weights find it); graph references to the
 * Keras layer are redirected to the chain's last layer.
 */
import { ownValue } from '../own';
import { get } from '../registry';
import { elementwiseLayer, translateActivation, type ImportOptions } from './activations';
import { fieldError, type LayerRef } from './errors';
import { CONSTRAINTS, dtypeOf, Fields, inputShapeOf, isInteger, REGULARIZERS, shapeOf, type Json, type KerasLayerEntry } from './fields';

const DATA_FORMATS = ['channels_last', 'channels_first'] as const;

/** One tfjs layer (pythonic config, including `name`). */
export interface TfjsLayerSpec {
  class_name: string;
  config: Json;
}

export interface Chain {
  layers: TfjsLayerSpec[];
}

/** Adds the activation of a Dense/Conv layer: a name in the config, or a layer after it. */
function withActivation(f: Fields, spec: TfjsLayerSpec): Chain {
  const t = translateActivation(f.ref, 'activation', f.take('activation', 'linear'), true, f.options);
  if (t.kind === 'name') {
    spec.config.activation = t.name;
    return { layers: [spec] };
  }
  spec.config.activation = 'linear';
  return { layers: [spec, { class_name: t.className, config: { ...t.config, name: `${f.ref.name}_activation`, trainable: spec.config.trainable } }] };
}

function convLike(f: Fields, className: string, rank: 1 | 2): Chain {
  const config: Json = {
    filters: f.integer('filters', 1),
    kernel_size: f.integers('kernel_size', rank, 1),
    strides: f.integers('strides', rank, 1, Array(rank).fill(1)),
    padding: f.oneOf('padding', ['valid', 'same', 'causal'], 'valid'),
    data_format: f.oneOf('data_format', DATA_FORMATS, 'channels_last'),
    dilation_rate: f.integers('dilation_rate', rank, 1, Array(rank).fill(1)),
    use_bias: f.boolean('use_bias', true),
  };
  f.equal('groups', 1, 'grouped convolutions are not supported by tfjs');
  if (config.padding === 'causal') {
    throw fieldError(f.ref, 'padding', "tfjs 4.22 cannot run causal padding in a convolution (\"The support for CAUSAL padding " +
      'mode in conv1dWithBias is not implemented yet\")', 'causal');
  }
  f.ignore('kernel_initializer', 'bias_initializer');
  f.regularizers(...REGULARIZERS);
  f.nullOnly(...CONSTRAINTS, 'lora_rank', 'quantization_config');
  return withActivation(f, { class_name: className, config });
}

function pooling(f: Fields, className: string, rank: 1 | 2): Chain {
  const pool = f.integers('pool_size', rank, 1, Array(rank).fill(2));
  const strides = f.take('strides', null) === null ? pool : f.integers('strides', rank, 1);
  const padding = f.oneOf('padding', ['valid', 'same'], 'valid');
  return {
    layers: [{
      class_name: className,
      config: { pool_size: pool, strides, padding, data_format: f.oneOf('data_format', DATA_FORMATS, 'channels_last') },
    }],
  };
}

function globalPooling(f: Fields, className: string, rank: 1 | 2): Chain {
  f.equal('keepdims', false, 'tfjs global pooling layers cannot keep the pooled dimensions');
  const dataFormat = f.oneOf('data_format', DATA_FORMATS, 'channels_last');
  if (rank === 1) {
    if (dataFormat !== 'channels_last') throw fieldError(f.ref, 'data_format', "tfjs's 1-D global pooling supports channels_last only", dataFormat);
    return { layers: [{ class_name: className, config: {} }] };
  }
  return { layers: [{ class_name: className, config: { data_format: dataFormat } }] };
}

function recurrent(f: Fields, className: 'LSTM' | 'GRU'): Chain {
  const act = (field: string, fallback: string) => {
    const t = translateActivation(f.ref, field, f.take(field, fallback), false, f.options);
    return (t as { name: string }).name;
  };
  const config: Json = {
    units: f.integer('units', 1),
    activation: act('activation', 'tanh'),
    recurrent_activation: act('recurrent_activation', 'sigmoid'),
    use_bias: f.boolean('use_bias', true),
    return_sequences: f.boolean('return_sequences', false),
    return_state: f.boolean('return_state', false),
    go_backwards: f.boolean('go_backwards', false),
    stateful: f.boolean('stateful', false),
    unroll: f.boolean('unroll', false),
    dropout: f.number('dropout', 0, { min: 0, below: 1 }),
    recurrent_dropout: f.number('recurrent_dropout', 0, { min: 0, below: 1 }),
  };
  // unit_forget_bias only initialises the bias (overwritten by the imported weights); passing it to
  // tfjs 4.22 leaks 4 tensors per layer (its initializer), so it is ignored like the initializers.
  if (className === 'LSTM') f.ignore('unit_forget_bias');
  if (className === 'GRU') {
    const resetAfter = f.take<unknown>('reset_after', true);
    if (resetAfter !== false) {
      throw fieldError(f.ref, 'reset_after', "tfjs's GRU implements reset_after=False only (Keras 3's default is True, " +
        'a different function with a second bias); build the Keras model with GRU(..., reset_after=False)', resetAfter);
    }
    config.reset_after = false;
  }
  f.equal('zero_output_for_mask', false, 'tfjs has no zero_output_for_mask');
  f.ignore('kernel_initializer', 'recurrent_initializer', 'bias_initializer', 'seed', 'use_cudnn');
  f.regularizers('kernel_regularizer', 'recurrent_regularizer', 'bias_regularizer', 'activity_regularizer');
  f.nullOnly('kernel_constraint', 'recurrent_constraint', 'bias_constraint');
  return { layers: [{ class_name: className, config }] };
}

function ours(id: string, params: Json, extra: Json = {}): Chain {
  const { className, config } = elementwiseLayer(get(id), params, extra);
  return { layers: [{ class_name: className, config }] };
}

function softmax(f: Fields, entry: KerasLayerEntry): Chain {
  const axis = f.take<unknown>('axis', -1);
  if (Array.isArray(axis) && axis.length > 1) return { layers: [{ class_name: 'Softmax', config: { axis } }] };
  const a = Array.isArray(axis) ? axis[0] : axis;
  if (typeof a !== 'number' || !Number.isInteger(a)) throw fieldError(f.ref, 'axis', 'must be an integer or a list of integers', axis);
  if (a === -1) return { layers: [{ class_name: 'Softmax', config: { axis: -1 } }] };
  const shape = inputShapeOf(entry);
  if (!shape) throw fieldError(f.ref, 'axis', 'a softmax over a non-last axis needs the input rank, which the config does not record', axis);
  const rank = shape.length;
  const k = a < 0 ? a + rank : a;
  if (k < 1 || k >= rank) throw fieldError(f.ref, 'axis', `must be a non-batch axis of the rank-${rank} input`, axis);
  if (k === rank - 1) return { layers: [{ class_name: 'Softmax', config: { axis: -1 } }] };
  // tfjs's softmax works on the last axis only: swap axis k with the last one, and back.
  const dims = Array.from({ length: rank - 1 }, (_, i) => i + 1);
  [dims[k - 1], dims[rank - 2]] = [dims[rank - 2], dims[k - 1]];
  const name = f.ref.name;
  return {
    layers: [
      { class_name: 'Permute', config: { dims, name: `${name}_permute_in` } },
      { class_name: 'Softmax', config: { axis: -1 } },
      { class_name: 'Permute', config: { dims, name: `${name}_permute_out` } },
    ],
  };
}

type Translator = (f: Fields, entry: KerasLayerEntry) => Chain;

/** Reshape's target: positive integers, with at most one -1 (inferred). */
function targetShape(f: Fields): number[] {
  const v = f.take<unknown>('target_shape');
  if (!Array.isArray(v) || v.length > 32 || !v.every((d) => isInteger(d) && (d >= 1 || d === -1)) || v.filter((d) => d === -1).length > 1) {
    throw fieldError(f.ref, 'target_shape', 'must be a list of positive integers with at most one -1', v);
  }
  return v as number[];
}

const MERGE = (className: string): Translator => () => ({ layers: [{ class_name: className, config: {} }] });

const TRANSLATORS: Record<string, Translator> = {
  Dense: (f) => {
    const config: Json = { units: f.integer('units', 1), use_bias: f.boolean('use_bias', true) };
    f.ignore('kernel_initializer', 'bias_initializer');
    f.regularizers(...REGULARIZERS);
    f.nullOnly(...CONSTRAINTS, 'lora_rank', 'lora_alpha', 'quantization_config');
    return withActivation(f, { class_name: 'Dense', config });
  },
  Conv1D: (f) => convLike(f, 'Conv1D', 1),
  Conv2D: (f) => convLike(f, 'Conv2D', 2),
  MaxPooling1D: (f) => pooling(f, 'MaxPooling1D', 1),
  MaxPooling2D: (f) => pooling(f, 'MaxPooling2D', 2),
  AveragePooling1D: (f) => pooling(f, 'AveragePooling1D', 1),
  AveragePooling2D: (f) => pooling(f, 'AveragePooling2D', 2),
  GlobalAveragePooling1D: (f) => globalPooling(f, 'GlobalAveragePooling1D', 1),
  GlobalAveragePooling2D: (f) => globalPooling(f, 'GlobalAveragePooling2D', 2),
  GlobalMaxPooling1D: (f) => globalPooling(f, 'GlobalMaxPooling1D', 1),
  GlobalMaxPooling2D: (f) => globalPooling(f, 'GlobalMaxPooling2D', 2),
  Flatten: (f) => ({ layers: [{ class_name: 'Flatten', config: { data_format: f.oneOf('data_format', DATA_FORMATS, 'channels_last') } }] }),
  Reshape: (f) => ({ layers: [{ class_name: 'Reshape', config: { target_shape: targetShape(f) } }] }),
  Dropout: (f) => {
    const noiseShape = f.take<unknown>('noise_shape', null);
    if (noiseShape !== null) shapeOf(f.ref, 'noise_shape', noiseShape);
    const seed = f.take<unknown>('seed', null);
    if (seed !== null && !isInteger(seed)) throw fieldError(f.ref, 'seed', 'must be an integer or null', seed);
    return { layers: [{ class_name: 'Dropout', config: { rate: f.number('rate', undefined, { min: 0, below: 1 }), noise_shape: noiseShape, seed } }] };
  },
  BatchNormalization: (f) => {
    const config: Json = {
      axis: f.axis('axis', -1),
      momentum: f.number('momentum', 0.99),
      epsilon: f.number('epsilon', 1e-3, { min: 0 }),
      center: f.boolean('center', true),
      scale: f.boolean('scale', true),
    };
    f.equal('renorm', false, 'batch renormalization is not supported by tfjs');
    f.ignore('beta_initializer', 'gamma_initializer', 'moving_mean_initializer', 'moving_variance_initializer',
      'synchronized', 'renorm_clipping', 'renorm_momentum');
    f.regularizers('beta_regularizer', 'gamma_regularizer');
    f.nullOnly('beta_constraint', 'gamma_constraint');
    return { layers: [{ class_name: 'BatchNormalization', config }] };
  },
  LayerNormalization: (f) => {
    const config: Json = {
      axis: f.axis('axis', -1, true),
      epsilon: f.number('epsilon', 1e-3, { min: 0 }),
      center: f.boolean('center', true),
      scale: f.boolean('scale', true),
    };
    f.equal('rms_scaling', false, 'RMS scaling is not supported by tfjs\'s LayerNormalization');
    f.ignore('beta_initializer', 'gamma_initializer');
    f.regularizers('beta_regularizer', 'gamma_regularizer');
    f.nullOnly('beta_constraint', 'gamma_constraint');
    return { layers: [{ class_name: 'LayerNormalization', config }] };
  },
  Embedding: (f) => {
    const config: Json = { input_dim: f.integer('input_dim', 1), output_dim: f.integer('output_dim', 1), mask_zero: f.boolean('mask_zero', false) };
    f.ignore('embeddings_initializer', 'input_length');
    f.regularizers('embeddings_regularizer', 'activity_regularizer');
    f.nullOnly('embeddings_constraint', 'lora_rank', 'lora_alpha', 'quantization_config');
    f.equal('sparse', false, 'sparse embeddings are not supported by tfjs');
    return { layers: [{ class_name: 'Embedding', config }] };
  },
  LSTM: (f) => recurrent(f, 'LSTM'),
  GRU: (f) => recurrent(f, 'GRU'),
  Add: MERGE('Add'),
  Multiply: MERGE('Multiply'),
  Average: MERGE('Average'),
  Maximum: MERGE('Maximum'),
  Minimum: MERGE('Minimum'),
  Concatenate: (f) => ({ layers: [{ class_name: 'Concatenate', config: { axis: f.axis('axis', -1) } }] }),
  Activation: (f) => {
    const t = translateActivation(f.ref, 'activation', f.take('activation'), true, f.options);
    if (t.kind === 'name') return { layers: [{ class_name: 'Activation', config: { activation: t.name } }] };
    return { layers: [{ class_name: t.className, config: t.config }] };
  },
  ReLU: (f) => ours('relu', {
    negativeSlope: f.number('negative_slope', 0),
    maxValue: f.take('max_value', null) === null ? null : f.number('max_value', undefined, { min: 0 }),
    threshold: f.number('threshold', 0),
  }),
  LeakyReLU: (f) => ours('leakyRelu', { alpha: f.number('negative_slope', 0.3) }),
  PReLU: (f) => {
    f.ignore('alpha_initializer');
    f.regularizers('alpha_regularizer');
    f.nullOnly('alpha_constraint');
    const shared = f.take<unknown>('shared_axes', null);
    const sharedAxes = shared === null ? null : Array.isArray(shared) ? shared : [shared];
    if (sharedAxes && !sharedAxes.every((a) => isInteger(a) && a >= 1)) {
      throw fieldError(f.ref, 'shared_axes', 'must be a positive integer, a list of them, or null', shared);
    }
    // PReLU is leaky ReLU with a learnable alpha of shape input_shape[1:], size 1 on shared axes.
    return ours('leakyRelu', { alpha: 0 }, { learnable: ['alpha'], shared_axes: sharedAxes });
  },
  ELU: (f) => ours('elu', { alpha: f.number('alpha', 1) }),
  Softmax: (f, entry) => softmax(f, entry),
};

/** Why a class cannot be imported, for the ones users meet. */
const REFUSED: Record<string, [string, string]> = {
  Lambda: ['function', 'Lambda layers hold Python code, which cannot run in tfjs; replace the Lambda with built-in layers'],
  Subtract: ['class_name', 'tfjs 4.22 has no Subtract layer'],
  Functional: ['class_name', 'nested models are not supported; build the model as one flat graph'],
  Sequential: ['class_name', 'nested models are not supported; build the model as one flat graph'],
  Model: ['class_name', 'nested models are not supported; build the model as one flat graph'],
};

export function translateLayer(entry: KerasLayerEntry, options: ImportOptions): Chain {
  const name = String(entry.config?.name ?? entry.name);
  const ref: LayerRef = { name, className: entry.class_name };
  const refused = ownValue(REFUSED, entry.class_name);
  if (entry.registered_name && entry.registered_name !== entry.class_name && !refused) {
    throw fieldError(ref, 'registered_name', `unknown custom object '${entry.registered_name}' (a Python class registered with ` +
      'keras.saving.register_keras_serializable); it has no tfjs equivalent', entry.registered_name);
  }
  if (refused) {
    const [field, why] = refused;
    throw fieldError(ref, field, why, field === 'class_name' ? entry.class_name : undefined);
  }
  const translator = ownValue(TRANSLATORS, entry.class_name);
  if (!translator) {
    throw fieldError(ref, 'class_name', `layer class '${entry.class_name}' is not supported by the import. Supported: ` +
      `${Object.keys(TRANSLATORS).sort().join(', ')}`, entry.class_name);
  }
  const f = new Fields(ref, entry.config ?? {}, options);
  const dtype = dtypeOf(ref, f.take('dtype'));
  const chain = translator(f, entry);
  f.done();
  const trainable = f.boolean('trainable', true);
  // The main layer is the one without a name yet; it gets the Keras name.
  for (const l of chain.layers) {
    l.config = { ...l.config, ...(l.config.name ? {} : f.extra), name: l.config.name ?? name, trainable, dtype };
  }
  return chain;
}
