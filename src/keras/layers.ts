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
import { get, toCamelCase, toSnakeCase } from '../registry';
import { kerasParamName } from './functions';
import { customLayerTranslator } from './custom';
import { LAYER_PREFIX } from '../layers/common';
import { KERAS_OPS } from '../layers/keras/op';
import { definitionFor, elementwiseLayer, translateActivation, type ImportOptions } from './activations';
import { fieldError, type LayerRef } from './errors';
import { CONSTRAINTS, dtypeOf, Fields, inputShapeOf, isInteger, isObject, REGULARIZERS, shapeOf, type Json, type KerasLayerEntry } from './fields';

const DATA_FORMATS = ['channels_last', 'channels_first'] as const;

/** One tfjs layer (pythonic config, including `name`). */
export interface TfjsLayerSpec {
  class_name: string;
  config: Json;
}

export interface Chain {
  layers: TfjsLayerSpec[];
  /** Which of the call's tensors the first layer takes, in order (default: the first argument's). */
  inputs?: number[];
  /** Nested objects whose saved variables the main layer takes, in order ('' = its own); default all. */
  weightParts?: string[];
  /** Call arguments (kwargs) the translation has used. */
  kwargs?: string[];
  /** Translated from the call's arguments (a keras.ops node): one call only. */
  perCall?: boolean;
}

/** A reference to output `index` of call `node` of a layer. */
export interface TensorRef {
  layer: string;
  node: number;
  index: number;
}

/** One call of a layer: its arguments with tensors replaced by {input: i} (i into `tensors`). */
export interface ParsedCall {
  args: unknown[];
  kwargs: Json;
  tensors: TensorRef[];
}

/** Layers whose result depends on the mask tfjs passes them. */
export const MASK_CONSUMERS = new Set(['LSTM', 'GRU', 'SimpleRNN', 'Bidirectional', 'TimeDistributed', 'GlobalAveragePooling1D', 'MultiHeadAttention']);

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
  const groups = f.take<unknown>('groups', 1);
  if (config.padding === 'causal') {
    throw fieldError(f.ref, 'padding', "tfjs 4.22 cannot run causal padding in a convolution (\"The support for CAUSAL padding " +
      'mode in conv1dWithBias is not implemented yet")', 'causal');
  }
  f.ignore('kernel_initializer', 'bias_initializer');
  f.regularizers(...REGULARIZERS);
  f.nullOnly(...CONSTRAINTS, 'lora_rank', 'quantization_config');
  if (groups !== 1) {
    // tfjs's convolutions have no groups: one convolution per channel group, concatenated.
    if (rank !== 2) throw fieldError(f.ref, 'groups', 'grouped convolutions are imported for Conv2D only', groups);
    if (config.data_format !== 'channels_last') throw fieldError(f.ref, 'groups', 'grouped convolutions are imported with channels_last only', groups);
    const { data_format: _df, ...rest } = config;
    const chain = withActivation(f, { class_name: `${LAYER_PREFIX}GroupedConv2D`, config: { ...rest, groups } });
    const { activation, ...conv } = chain.layers[0].config;
    chain.layers[0].config = conv;
    if (activation !== 'linear') chain.layers.splice(1, 0, { class_name: 'Activation', config: { activation, name: `${f.ref.name}_activation` } });
    return chain;
  }
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

function globalPooling(f: Fields, className: string, rank: 1 | 2, entry: KerasLayerEntry, call?: ParsedCall): Chain {
  const keepdims = f.boolean('keepdims', false);
  const dataFormat = f.oneOf('data_format', DATA_FORMATS, 'channels_last');
  let chain: Chain;
  if (rank === 1) {
    if (dataFormat !== 'channels_last') throw fieldError(f.ref, 'data_format', "tfjs's 1-D global pooling supports channels_last only", dataFormat);
    const mask = call?.kwargs.mask;
    if (className === 'GlobalAveragePooling1D' && mask !== null && mask !== undefined) {
      throw fieldError(f.ref, 'inbound_nodes.kwargs.mask', "tfjs's GlobalAveragePooling1D ignores masks, so a masked average cannot be imported yet", mask);
    }
    chain = { layers: [{ class_name: className, config: {} }] };
  } else {
    chain = { layers: [{ class_name: className, config: { data_format: dataFormat } }] };
  }
  if (!keepdims) return chain;
  // keepdims=True: tfjs's pooling drops the pooled axes; a Reshape puts them back as size 1.
  const shape = inputShapeOf(entry);
  const channels = shape?.[dataFormat === 'channels_last' ? shape.length - 1 : 1];
  if (typeof channels !== 'number') throw fieldError(f.ref, 'keepdims', 'needs the number of channels, which the config does not record', true);
  const ones = Array<number>(rank).fill(1);
  const target = dataFormat === 'channels_last' ? [...ones, channels] : [channels, ...ones];
  chain.layers.push({ class_name: 'Reshape', config: { target_shape: target, name: `${f.ref.name}_keepdims` } });
  return chain;
}

function recurrent(f: Fields, className: 'LSTM' | 'GRU' | 'SimpleRNN'): Chain {
  const act = (field: string, fallback: string) => {
    const t = translateActivation(f.ref, field, f.take(field, fallback), false, f.options);
    return (t as { name: string }).name;
  };
  const config: Json = {
    units: f.integer('units', 1),
    activation: act('activation', 'tanh'),
    ...(className === 'SimpleRNN' ? {} : { recurrent_activation: act('recurrent_activation', 'sigmoid') }),
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
  // zero_output_for_mask: Keras outputs zeros at masked steps, tfjs repeats the last output there.
  const zero = f.take<unknown>('zero_output_for_mask', false) === true && config.return_sequences === true;
  f.ignore('kernel_initializer', 'recurrent_initializer', 'bias_initializer', 'seed', 'use_cudnn');
  f.regularizers('kernel_regularizer', 'recurrent_regularizer', 'bias_regularizer', 'activity_regularizer');
  f.nullOnly('kernel_constraint', 'recurrent_constraint', 'bias_constraint');
  const layers: TfjsLayerSpec[] = [{ class_name: className, config }];
  if (zero) {
    if (config.return_state === true) throw fieldError(f.ref, 'zero_output_for_mask', 'zeroing masked steps is imported without return_state only', true);
    layers.push({ class_name: `${LAYER_PREFIX}ZeroMaskedSteps`, config: { name: `${f.ref.name}_zero_masked` } });
  }
  return { layers };
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


/** A wrapped layer's config (Bidirectional, TimeDistributed) translated on its own: one tfjs layer (plus mask zeroing). */
function wrapped(f: Fields, key: string): Chain {
  const inner = f.take<unknown>(key);
  if (!isObject(inner) || typeof inner.class_name !== 'string') throw fieldError(f.ref, key, 'must be a layer config', inner);
  return translateLayer(inner as unknown as KerasLayerEntry, f.options);
}

function bidirectional(f: Fields): Chain {
  const forward = wrapped(f, 'layer');
  const backward = f.take<Json | null>('backward_layer', null);
  const fwd = f.cfg.layer as Json;
  // tfjs builds the backward layer from the forward one's config; Keras saves both.
  if (isObject(backward) && isObject(backward.config) && isObject(fwd.config)) {
    const strip = (c: Json) => JSON.stringify({ ...c, name: undefined, go_backwards: undefined, dtype: undefined,
      kernel_initializer: undefined, recurrent_initializer: undefined, bias_initializer: undefined });
    if (backward.class_name !== fwd.class_name || strip(backward.config) !== strip(fwd.config) || backward.config.go_backwards === fwd.config.go_backwards) {
      throw fieldError(f.ref, 'backward_layer', 'tfjs builds the backward layer as the forward one running backwards; this one differs', backward.class_name);
    }
  }
  const mergeMode = f.take('merge_mode', 'concat');
  const [rnn, ...after] = forward.layers;
  const { name: _n, ...config } = rnn.config;
  const layers: TfjsLayerSpec[] = [{ class_name: 'Bidirectional', config: { layer: { class_name: rnn.class_name, config }, merge_mode: mergeMode } }];
  for (const l of after) layers.push({ ...l, config: { ...l.config, name: `${f.ref.name}_zero_masked` } });
  return { layers, weightParts: ['forward_layer', 'backward_layer'] };
}

function timeDistributed(f: Fields): Chain {
  const inner = wrapped(f, 'layer');
  if (inner.layers.length !== 1) throw fieldError(f.ref, 'layer', 'the wrapped layer becomes several tfjs layers, which TimeDistributed cannot hold', (f.cfg.layer as Json).class_name);
  const { name: _n, ...config } = inner.layers[0].config;
  return { layers: [{ class_name: 'TimeDistributed', config: { layer: { class_name: inner.layers[0].class_name, config } } }] };
}

function multiHeadAttention(f: Fields, entry: KerasLayerEntry, call?: ParsedCall): Chain {
  const config: Json = {
    num_heads: f.take('num_heads'),
    key_dim: f.take('key_dim'),
    value_dim: f.take('value_dim', null),
    use_bias: f.take('use_bias', true),
    output_shape: f.take('output_shape', null),
    dropout: f.number('dropout', 0),
  };
  f.equal('use_gate', false, 'gated attention is not imported yet');
  f.nullOnly('sliding_window');
  const shapes = (entry.build_config as { shapes_dict?: Record<string, unknown[]> } | null | undefined)?.shapes_dict;
  const rank = shapes?.query_shape?.length;
  if (rank !== undefined && rank !== 3) throw fieldError(f.ref, 'build_config', 'attention is imported for rank-3 inputs ([batch, sequence, features]) only', shapes?.query_shape);
  const axes = f.take<unknown>('attention_axes', null);
  if (axes !== null && JSON.stringify(axes) !== '[1]' && JSON.stringify(axes) !== '[-2]') throw fieldError(f.ref, 'attention_axes', 'attention over axis 1 (the sequence) is imported only', axes);
  f.ignore('seed', 'kernel_initializer', 'bias_initializer', 'flash_attention');
  f.regularizers(...REGULARIZERS);
  f.nullOnly(...CONSTRAINTS);
  if (!call) return { layers: [{ class_name: `${LAYER_PREFIX}MultiHeadAttention`, config }] };
  const slot = (v: unknown) => (isObject(v) && typeof v.input === 'number' ? v.input : null);
  const [q, v] = call.args.map(slot);
  const k = slot(call.kwargs.key ?? call.args[2]);
  const mask = slot(call.kwargs.attention_mask ?? call.args[3]);
  if (q === null || v === null) throw fieldError(f.ref, 'inbound_nodes', 'query and value must be tensors', call.args.length);
  for (const key of ['query_mask', 'value_mask', 'key_mask']) {
    if (call.kwargs[key] !== undefined && call.kwargs[key] !== null) throw fieldError(f.ref, `inbound_nodes.kwargs.${key}`, 'explicit attention masks per input are not imported yet', call.kwargs[key]);
  }
  if (call.kwargs.return_attention_scores === true) throw fieldError(f.ref, 'inbound_nodes.kwargs.return_attention_scores', 'returning the attention scores is not imported yet', true);
  config.use_causal_mask = call.kwargs.use_causal_mask === true;
  config.with_key = k !== null;
  config.with_attention_mask = mask !== null;
  return {
    layers: [{ class_name: `${LAYER_PREFIX}MultiHeadAttention`, config }],
    inputs: [q, v, ...(k !== null ? [k] : []), ...(mask !== null ? [mask] : [])],
    weightParts: ['query_dense', 'key_dense', 'value_dense', 'output_dense'],
    kwargs: ['key', 'attention_mask', 'use_causal_mask', 'return_attention_scores', 'query_mask', 'value_mask', 'key_mask'],
    perCall: true,
  };
}

const DTYPES: Record<string, string> = { float16: 'float32', float32: 'float32', float64: 'float32', bfloat16: 'float32', int8: 'int32', int16: 'int32', int32: 'int32', int64: 'int32', uint8: 'int32', bool: 'bool' };

/**
 * A keras.ops node (or a layer computed as one, like Subtract): a KerasOp layer taking all of the
 * call's tensors. Activation ops run this plugin's definitions.
 */
function kerasOp(f: Fields, entry: KerasLayerEntry, call: ParsedCall | undefined, isLayer = false): Chain {
  const op = toSnakeCase(entry.class_name);
  if (!call) throw fieldError(f.ref, 'inbound_nodes', 'a keras.ops node needs its call', entry.class_name);
  const options: Json = {};
  for (const k of Object.keys(f.cfg)) if (k !== 'name') options[k] = f.take(k);  // 'dtype' is Cast's target here
  let args = call.args;
  if (isLayer) args = (Array.isArray(call.args[0]) ? call.args[0] : call.args) as unknown[];
  const inputs = call.tensors.map((_, i) => i);
  const layer = (config: Json): Chain => ({ layers: [{ class_name: `${LAYER_PREFIX}KerasOp`, config }], inputs, perCall: true, kwargs: Object.keys(call.kwargs) });
  for (const [k, v] of Object.entries(call.kwargs)) {
    if (v !== null && v !== undefined) throw fieldError(f.ref, `inbound_nodes.kwargs.${k}`, 'keyword arguments of keras.ops calls are not imported', v);
  }
  if (op === 'cast') {
    const dtype = ownValue(DTYPES, options.dtype);
    if (!dtype) throw fieldError(f.ref, 'dtype', 'tfjs has float32, int32 and bool tensors only', options.dtype);
    options.dtype = dtype;
  }
  if (ownValue(KERAS_OPS, op)) return layer({ op, args, options });
  const def = definitionFor(op);
  if (def && String(entry.module).endsWith('.nn')) {
    const params: Json = {};
    // Keras's argument names are the parameters' `names.keras` (negative_slope, default_value), else snake_case.
    const ours = (k: string) => Object.keys(def.params).find((p) => kerasParamName(def, p) === k) ?? toCamelCase(k);
    for (const [k, v] of Object.entries(options)) params[ours(k)] = v;
    return layer({ op: 'activation', args, options: {}, activation: def.id, params });
  }
  if (op === 'sparsemax') translateActivation(f.ref, 'class_name', 'sparsemax', false, f.options);
  throw fieldError(f.ref, 'class_name', `keras.ops '${entry.class_name}' is not supported by the import. Supported: ` +
    `${[...Object.keys(KERAS_OPS), 'and the activations'].join(', ')}`, entry.class_name);
}

function depthwise(f: Fields): Chain {
  const config: Json = {
    kernel_size: f.take('kernel_size'),
    depth_multiplier: f.take('depth_multiplier', 1),
    strides: f.take('strides', [1, 1]),
    padding: f.take('padding', 'valid'),
    data_format: f.take('data_format', 'channels_last'),
    dilation_rate: f.take('dilation_rate', [1, 1]),
    use_bias: f.take('use_bias', true),
  };
  f.ignore('depthwise_initializer', 'bias_initializer');
  f.regularizers('depthwise_regularizer', 'bias_regularizer', 'activity_regularizer');
  f.nullOnly('depthwise_constraint', 'bias_constraint');
  return withActivation(f, { class_name: 'DepthwiseConv2D', config });
}

function separable(f: Fields): Chain {
  const config: Json = {
    filters: f.take('filters'),
    kernel_size: f.take('kernel_size'),
    depth_multiplier: f.take('depth_multiplier', 1),
    strides: f.take('strides', [1, 1]),
    padding: f.take('padding', 'valid'),
    data_format: f.take('data_format', 'channels_last'),
    dilation_rate: f.take('dilation_rate', [1, 1]),
    use_bias: f.take('use_bias', true),
  };
  f.ignore('depthwise_initializer', 'pointwise_initializer', 'bias_initializer');
  f.regularizers('depthwise_regularizer', 'pointwise_regularizer', 'bias_regularizer', 'activity_regularizer');
  f.nullOnly('depthwise_constraint', 'pointwise_constraint', 'bias_constraint');
  return withActivation(f, { class_name: 'SeparableConv2D', config });
}

function transpose(f: Fields): Chain {
  const config: Json = {
    filters: f.take('filters'),
    kernel_size: f.take('kernel_size'),
    strides: f.take('strides', [1, 1]),
    padding: f.take('padding', 'valid'),
    data_format: f.take('data_format', 'channels_last'),
    dilation_rate: f.take('dilation_rate', [1, 1]),
    use_bias: f.take('use_bias', true),
  };
  if (JSON.stringify(config.dilation_rate) !== '[1,1]') throw fieldError(f.ref, 'dilation_rate', "tfjs's Conv2DTranspose has no dilation", config.dilation_rate);
  f.nullOnly('output_padding');
  f.ignore('kernel_initializer', 'bias_initializer');
  f.regularizers(...REGULARIZERS);
  f.nullOnly(...CONSTRAINTS);
  return withActivation(f, { class_name: 'Conv2DTranspose', config });
}

/** Rescaling: tfjs's layer for numbers; per-channel lists as two element-wise ops (x * scale, then + offset). */
function rescaling(f: Fields): Chain {
  const scale = f.take<unknown>('scale', 1);
  const offset = f.take<unknown>('offset', 0);
  if (typeof scale === 'number' && typeof offset === 'number') return { layers: [{ class_name: 'Rescaling', config: { scale, offset } }] };
  const op = (name: string | undefined, operation: string, value: unknown): TfjsLayerSpec => ({
    class_name: `${LAYER_PREFIX}KerasOp`, config: { ...(name ? { name } : {}), op: operation, args: [{ input: 0 }, value], options: {} },
  });
  return { layers: [op(`${f.ref.name}_scale`, 'multiply', scale), op(undefined, 'add', offset)] };
}

function normalization(f: Fields): Chain {
  const axis = f.take<unknown>('axis', -1);
  f.ignore('mean', 'variance');
  const mean = f.cfg.mean ?? null;
  const variance = f.cfg.variance ?? null;
  return {
    layers: [{
      class_name: `${LAYER_PREFIX}Normalization`,
      config: { axis: axis === null ? [] : axis, mean, variance, invert: f.take('invert', false) },
    }],
  };
}

type Translator = (f: Fields, entry: KerasLayerEntry, call?: ParsedCall) => Chain;

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
  GlobalAveragePooling1D: (f, e, c) => globalPooling(f, 'GlobalAveragePooling1D', 1, e, c),
  GlobalAveragePooling2D: (f, e, c) => globalPooling(f, 'GlobalAveragePooling2D', 2, e, c),
  GlobalMaxPooling1D: (f, e, c) => globalPooling(f, 'GlobalMaxPooling1D', 1, e, c),
  GlobalMaxPooling2D: (f, e, c) => globalPooling(f, 'GlobalMaxPooling2D', 2, e, c),
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
  SimpleRNN: (f) => recurrent(f, 'SimpleRNN'),
  Bidirectional: (f) => bidirectional(f),
  TimeDistributed: (f) => timeDistributed(f),
  MultiHeadAttention: (f, e, c) => multiHeadAttention(f, e, c),
  DepthwiseConv2D: (f) => depthwise(f),
  SeparableConv2D: (f) => separable(f),
  Conv2DTranspose: (f) => transpose(f),
  ZeroPadding2D: (f) => ({ layers: [{ class_name: 'ZeroPadding2D', config: { padding: f.take('padding', [[1, 1], [1, 1]]), data_format: f.take('data_format', 'channels_last') } }] }),
  Cropping2D: (f) => ({ layers: [{ class_name: 'Cropping2D', config: { cropping: f.take('cropping', [[0, 0], [0, 0]]), data_format: f.take('data_format', 'channels_last') } }] }),
  UpSampling2D: (f) => {
    const config = { size: f.take('size', [2, 2]), data_format: f.take('data_format', 'channels_last'), interpolation: f.take('interpolation', 'nearest') };
    if (config.interpolation === 'nearest') return { layers: [{ class_name: 'UpSampling2D', config }] };
    // tfjs's bilinear UpSampling2D samples at corner-aligned points, Keras's at half-pixel centers.
    if (config.interpolation !== 'bilinear' || config.data_format !== 'channels_last') {
      throw fieldError(f.ref, 'interpolation', "is imported for 'nearest', and 'bilinear' with channels_last", config.interpolation);
    }
    return { layers: [{ class_name: `${LAYER_PREFIX}KerasOp`, config: { op: 'upsample_bilinear', args: [{ input: 0 }], options: { size: config.size } } }] };
  },
  Permute: (f) => ({ layers: [{ class_name: 'Permute', config: { dims: f.take('dims') } }] }),
  RepeatVector: (f) => ({ layers: [{ class_name: 'RepeatVector', config: { n: f.take('n') } }] }),
  Masking: (f) => ({ layers: [{ class_name: 'Masking', config: { mask_value: f.number('mask_value', 0) } }] }),
  Rescaling: (f) => rescaling(f),
  Normalization: (f) => normalization(f),
  GroupNormalization: (f) => {
    const config: Json = { groups: f.take('groups', 32), axis: f.take('axis', -1), epsilon: f.number('epsilon', 1e-3), center: f.take('center', true), scale: f.take('scale', true) };
    f.ignore('beta_initializer', 'gamma_initializer');
    f.regularizers('beta_regularizer', 'gamma_regularizer');
    f.nullOnly('beta_constraint', 'gamma_constraint');
    return { layers: [{ class_name: `${LAYER_PREFIX}GroupNormalization`, config }] };
  },
  RMSNormalization: (f) => ({ layers: [{ class_name: `${LAYER_PREFIX}RMSNormalization`, config: { axis: f.take('axis', -1), epsilon: f.number('epsilon', 1e-6) } }] }),
  LayerScale: (f) => ({ layers: [{ class_name: `${LAYER_PREFIX}LayerScale`, config: { projection_dim: f.take('projection_dim'), init_values: f.number('init_values', 1e-6) } }] }),
  Subtract: (f, entry, call) => kerasOp(f, { ...entry, class_name: 'Subtract' }, call, true),
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
};

export function translateLayer(entry: KerasLayerEntry, options: ImportOptions, call?: ParsedCall): Chain {
  const name = String(entry.config?.name ?? entry.name);
  const ref: LayerRef = { name, className: entry.class_name };
  // keras.ops nodes ('Add' from `x + y`) are operations, never the layers of the same name.
  if (typeof entry.module === 'string' && entry.module.startsWith('keras.src.ops')) {
    const f = new Fields(ref, entry.config ?? {}, options);
    const chain = kerasOp(f, entry, call);
    f.done();
    for (const l of chain.layers) l.config = { ...l.config, name, trainable: false, dtype: 'float32' };
    return chain;
  }
  const refused = ownValue(REFUSED, entry.class_name);
  const ours = customLayerTranslator(entry.registered_name);
  if (entry.registered_name && entry.registered_name !== entry.class_name && !refused && !ours) {
    throw fieldError(ref, 'registered_name', `unknown custom object '${entry.registered_name}' (a Python class registered with ` +
      'keras.saving.register_keras_serializable); it has no tfjs equivalent', entry.registered_name);
  }
  if (refused) {
    const [field, why] = refused;
    throw fieldError(ref, field, why, field === 'class_name' ? entry.class_name : undefined);
  }
  const translator: Translator | undefined = ours ?? ownValue(TRANSLATORS, entry.class_name);
  if (!translator) {
    throw fieldError(ref, 'class_name', `layer class '${entry.class_name}' is not supported by the import. Supported: ` +
      `${Object.keys(TRANSLATORS).sort().join(', ')}`, entry.class_name);
  }
  const f = new Fields(ref, entry.config ?? {}, options);
  const dtype = dtypeOf(ref, f.take('dtype'));
  const chain = translator(f, entry, call);
  f.done();
  if (call) checkCall(ref, call, chain);
  const trainable = f.boolean('trainable', true);
  // The main layer is the one without a name yet; it gets the Keras name.
  for (const l of chain.layers) {
    l.config = { ...l.config, ...(l.config.name ? {} : f.extra), name: l.config.name ?? name, trainable, dtype };
  }
  return chain;
}

/** The call's arguments must all have been translated: one positional argument, known kwargs. */
export function checkCall(ref: LayerRef, call: ParsedCall, chain: Chain): void {
  if (!chain.inputs && call.args.length !== 1) {
    throw fieldError(ref, 'inbound_nodes', 'a layer can be imported only when called with exactly one positional argument (its input ' +
      'tensor or list of tensors)', call.args.length);
  }
  for (const [k, v] of Object.entries(call.kwargs)) {
    if (k === 'mask' || v === null || v === undefined || chain.kwargs?.includes(k)) continue;
    if (k === 'training' && v === false) continue;  // inference
    throw fieldError(ref, `inbound_nodes.kwargs.${k}`, 'call arguments are not supported by the import', v);
  }
}
