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
import { definitionOfKerasLayer, toCamelCase, toSnakeCase } from '../registry';
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

/** The input index of a call argument that is one tensor, else null. */
const slotOf = (v: unknown): number | null => (isObject(v) && typeof v.input === 'number' ? v.input : null);

/** Layers whose result depends on the mask tfjs passes them. */
export const MASK_CONSUMERS = new Set(['LSTM', 'GRU', 'SimpleRNN', 'Bidirectional', 'TimeDistributed', 'GlobalAveragePooling1D']);

/** This plugin's layers take no regularizers (they only act in training): refuse the ones the config has. */
function noExtras(f: Fields, className: string): void {
  const [field] = Object.keys(f.extra);
  if (field !== undefined) throw fieldError(f.ref, field, `this layer is imported as ${className}, which takes no regularizers`, f.cfg[field]);
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
  const groups = f.integer('groups', 1, 1);
  f.ignore('kernel_initializer', 'bias_initializer');
  f.regularizers(...REGULARIZERS);
  f.constraints(...CONSTRAINTS);
  f.nullOnly('lora_rank', 'quantization_config');
  if (config.padding === 'causal' && rank !== 1) throw fieldError(f.ref, 'padding', "'causal' is Conv1D's only", 'causal');
  // tfjs's convolutions have no groups, tfjs 4.22 throws on causal padding, and its Conv1D returns
  // channels_first results channels_last: our layer computes all three.
  if (groups === 1 && config.padding !== 'causal' && (rank === 2 || config.data_format === 'channels_last')) return withActivation(f, { class_name: className, config });
  noExtras(f, `${LAYER_PREFIX}GroupedConv${rank}D`);
  const chain = withActivation(f, { class_name: `${LAYER_PREFIX}GroupedConv${rank}D`, config: { ...config, groups } });
  const { activation, ...conv } = chain.layers[0].config;
  chain.layers[0].config = conv;
  if (activation !== 'linear') chain.layers.splice(1, 0, { class_name: 'Activation', config: { activation, name: `${f.ref.name}_activation` } });
  return chain;
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
    const mask = call?.kwargs.mask;
    const masked = className === 'GlobalAveragePooling1D' && isObject(mask) && typeof mask.input === 'number';
    if (masked || dataFormat !== 'channels_last') {
      // tfjs's 1-D global pooling ignores masks and knows channels_last only: Keras's computation as an op.
      const x = call ? slotOf(call.args[0]) : 0;
      const axis = dataFormat === 'channels_last' ? 1 : 2;
      const op = masked ? 'masked_mean' : className === 'GlobalAveragePooling1D' ? 'mean' : 'max';
      return {
        layers: [{ class_name: `${LAYER_PREFIX}KerasOp`, config: { op, args: masked ? [{ input: 0 }, { input: 1 }] : [{ input: 0 }], options: { axis, keepdims } } }],
        ...(call && x !== null ? { inputs: masked ? [x, (mask as { input: number }).input] : [x] } : {}),
        ...(masked ? { kwargs: ['mask'] } : {}),
      };
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
  // reset_after=True (Keras 3's default) is this plugin's GRU: tfjs's GRUCell implements False only.
  const resetAfter = className === 'GRU' && f.boolean('reset_after', true);
  if (className === 'GRU' && !resetAfter) config.reset_after = false;
  // zero_output_for_mask: Keras outputs zeros at masked steps, tfjs repeats the last output there.
  const zero = f.take<unknown>('zero_output_for_mask', false) === true && config.return_sequences === true;
  f.ignore('kernel_initializer', 'recurrent_initializer', 'bias_initializer', 'seed', 'use_cudnn');
  f.regularizers('kernel_regularizer', 'recurrent_regularizer', 'bias_regularizer', 'activity_regularizer');
  f.constraints('kernel_constraint', 'recurrent_constraint', 'bias_constraint');
  if (resetAfter) noExtras(f, `${LAYER_PREFIX}GRU`);
  const layers: TfjsLayerSpec[] = [{ class_name: resetAfter ? `${LAYER_PREFIX}GRU` : className, config }];
  if (zero) {
    if (config.return_state === true) throw fieldError(f.ref, 'zero_output_for_mask', 'zeroing masked steps is imported without return_state only', true);
    layers.push({ class_name: `${LAYER_PREFIX}ZeroMaskedSteps`, config: { name: `${f.ref.name}_zero_masked` } });
  }
  return { layers };
}

/** This plugin's layer for the definition Keras's layer class `kerasClass` computes. */
function ours(kerasClass: string, params: Json, extra: Json = {}): Chain {
  const { className, config } = elementwiseLayer(definitionOfKerasLayer(kerasClass), params, extra);
  return { layers: [{ class_name: className, config }] };
}

function softmax(f: Fields, entry: KerasLayerEntry, call?: ParsedCall): Chain {
  const axis = f.take<unknown>('axis', -1);
  const mask = call ? slotOf(call.kwargs.mask) : null;
  const x = call ? slotOf(call.args[0]) : null;
  if (mask !== null && x !== null) {
    // Called with a mask (Keras records it): Keras's masked softmax, the mask an input of its own.
    const axes = Array.isArray(axis) ? axis : [axis];
    if (!axes.length || !axes.every(isInteger)) throw fieldError(f.ref, 'axis', 'must be an integer or a list of integers', axis);
    return {
      layers: [{ class_name: `${LAYER_PREFIX}KerasOp`, config: { op: 'masked_softmax', args: [{ input: 0 }, { input: 1 }], options: { axis: axes } } }],
      inputs: [x, mask],
      kwargs: ['mask'],
    };
  }
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

/** The kwargs through which graph.ts hands MultiHeadAttention the masks Keras gives it implicitly. */
export const IMPLICIT_MASKS = { query: 'keras_query_mask', value: 'keras_value_mask', key: 'keras_key_mask' } as const;
/**
 * Infix of the KerasOp layers graph.ts adds to compute those masks (`<attention layer>_keras_mask_<n>`):
 * the Keras export leaves them out, as Keras computes them itself.
 */
export const IMPLICIT_MASK_LAYER = '_keras_mask_';

function multiHeadAttention(f: Fields, entry: KerasLayerEntry, call?: ParsedCall): Chain {
  const valueDim = f.take<unknown>('value_dim', null);
  const outputShape = f.take<unknown>('output_shape', null);
  const window = f.take<unknown>('sliding_window', null);
  const config: Json = {
    num_heads: f.integer('num_heads', 1),
    key_dim: f.integer('key_dim', 1),
    value_dim: valueDim === null ? null : f.integer('value_dim', 1),
    use_bias: f.boolean('use_bias', true),
    output_shape: outputShape === null ? null : isInteger(outputShape) ? [outputShape] : shapeOf(f.ref, 'output_shape', outputShape),
    dropout: f.number('dropout', 0, { min: 0, below: 1 }),
    use_gate: f.boolean('use_gate', false),
    sliding_window: window === null ? null : f.integer('sliding_window', 1),
  };
  if (Array.isArray(config.output_shape) && config.output_shape.includes(null)) throw fieldError(f.ref, 'output_shape', 'must be positive integers', outputShape);
  const shapes = (entry.build_config as { shapes_dict?: Record<string, unknown[]> } | null | undefined)?.shapes_dict;
  const rank = shapes?.query_shape?.length ?? inputShapeOf(entry)?.length;
  const axes = f.take<unknown>('attention_axes', null);
  if (axes !== null) {
    const list = isInteger(axes) ? [axes] : axes;
    if (!Array.isArray(list) || list.length === 0 || !list.every(isInteger)) throw fieldError(f.ref, 'attention_axes', 'must be an integer or a list of integers', axes);
    if (rank === undefined) throw fieldError(f.ref, 'attention_axes', 'needs the input rank, which the config does not record', axes);
    // Keras counts negative axes from the end of the input (rank + axis; it saves them normalised once built).
    const norm = list.map((a) => (a < 0 ? rank + a : a));
    if (!norm.every((a) => a >= 1 && a <= rank - 2) || new Set(norm).size !== norm.length) {
      throw fieldError(f.ref, 'attention_axes', `must be distinct position axes (1 to ${rank - 2}) of the rank-${rank} inputs`, axes);
    }
    config.attention_axes = norm;
  } else {
    config.attention_axes = null;
  }
  f.ignore('seed', 'kernel_initializer', 'bias_initializer', 'flash_attention');
  f.regularizers(...REGULARIZERS);
  f.constraints(...CONSTRAINTS);
  noExtras(f, `${LAYER_PREFIX}MultiHeadAttention`);
  const parts = ['query_dense', 'key_dense', ...(config.use_gate === true ? ['_gate_dense'] : []), 'value_dense', 'output_dense'];
  if (!call) return { layers: [{ class_name: `${LAYER_PREFIX}MultiHeadAttention`, config }], weightParts: parts };
  const [q, v] = call.args.map(slotOf);
  const k = slotOf(call.kwargs.key ?? call.args[2]);
  const attentionMask = slotOf(call.kwargs.attention_mask ?? call.args[3]);
  if (q === null || v === null) throw fieldError(f.ref, 'inbound_nodes', 'query and value must be tensors', call.args.length);
  if (call.args.length > 4) throw fieldError(f.ref, 'inbound_nodes', 'MultiHeadAttention is imported with query, value, key and attention_mask as positional arguments', call.args.length);
  const flag = (name: string) => {
    const value = call.kwargs[name];
    if (value !== undefined && value !== null && typeof value !== 'boolean') throw fieldError(f.ref, `inbound_nodes.kwargs.${name}`, 'must be true or false', value);
    return value === true;
  };
  config.use_causal_mask = flag('use_causal_mask');
  config.return_attention_scores = flag('return_attention_scores');
  const tensorKwarg = (name: string) => {
    const value = call.kwargs[name];
    if (value === undefined || value === null) return null;
    const i = slotOf(value);
    if (i === null) throw fieldError(f.ref, `inbound_nodes.kwargs.${name}`, 'must be a tensor', value);
    return i;
  };
  // Keras's call() replaces query_mask with the query's own mask (get_keras_mask(query)), so a
  // query_mask passed explicitly has no effect; value_mask and key_mask passed explicitly win.
  tensorKwarg('query_mask');
  const queryMask = tensorKwarg(IMPLICIT_MASKS.query);
  const valueMask = tensorKwarg('value_mask') ?? tensorKwarg(IMPLICIT_MASKS.value);
  const keyMask = tensorKwarg('key_mask') ?? (k === null ? null : tensorKwarg(IMPLICIT_MASKS.key));
  for (const [name, value] of [['attention_mask', attentionMask], ['query_mask', queryMask], ['value_mask', valueMask], ['key_mask', keyMask]] as const) {
    config[`with_${name}`] = value !== null;
  }
  config.with_key = k !== null;
  // Keras's dot-product path (rank-3 inputs, no dropout, no scores) averages a row whose keys are
  // all masked; its einsum path zeroes it.
  config.zero_masked_rows = Number(config.dropout) > 0 || config.return_attention_scores === true || (rank !== undefined && rank !== 3);
  const extra = [attentionMask, queryMask, valueMask, keyMask].filter((i): i is number => i !== null);
  return {
    layers: [{ class_name: `${LAYER_PREFIX}MultiHeadAttention`, config }],
    inputs: [q, v, ...(k !== null ? [k] : []), ...extra],
    weightParts: parts,
    kwargs: ['key', 'attention_mask', 'use_causal_mask', 'return_attention_scores', 'query_mask', 'value_mask', 'key_mask', ...Object.values(IMPLICIT_MASKS)],
    perCall: true,
  };
}

const DTYPES: Record<string, string> = { float16: 'float32', float32: 'float32', float64: 'float32', bfloat16: 'float32', int8: 'int32', int16: 'int32', int32: 'int32', int64: 'int32', uint8: 'int32', bool: 'bool' };

/** keras.ops that record constant keyword arguments. */
const OP_KWARGS: Record<string, string[]> = { pad: ['constant_values'] };

const containsInput = (v: unknown): boolean => (Array.isArray(v) ? v.some(containsInput) : isObject(v) && (typeof v.input === 'number' || Object.values(v).some(containsInput)));

/** A GetItem key (`x[:, 1:3]`, `x[..., None, 0]`): integers, {slice}, {newaxis}, {ellipsis}; tensors refused. */
function itemKey(f: Fields, key: unknown): unknown[] {
  const list = Array.isArray(key) ? key : [key];
  return list.map((k) => {
    if (k === null) return { newaxis: true };
    if (isInteger(k)) return k;
    if (isObject(k) && k.class_name === '__ellipsis__') return { ellipsis: true };
    if (isObject(k) && k.class_name === '__slice__' && isObject(k.config)) {
      const c = k.config;
      const part = (v: unknown) => (v === null || v === undefined ? null : isInteger(v) ? v : undefined);
      const slice = [part(c.start), part(c.stop), part(c.step)];
      if (!slice.includes(undefined) && slice[2] !== 0) return { slice };
    }
    throw fieldError(f.ref, 'inbound_nodes.args', 'indexing is imported with integers, slices of integers, None and ... ' +
      '(tensors as indices are not: use ops.take)', k);
  });
}

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
    if (v === null || v === undefined) continue;
    // The few ops that record a constant keyword argument (ops.pad's constant_values) take it as an option.
    if (ownValue(OP_KWARGS, op)?.includes(k) && !containsInput(v)) options[k] = v;
    else throw fieldError(f.ref, `inbound_nodes.kwargs.${k}`, 'keyword arguments of keras.ops calls are not imported', v);
  }
  if (typeof options.dtype === 'string' || op === 'cast') {
    const dtype = ownValue(DTYPES, options.dtype);
    if (!dtype) throw fieldError(f.ref, 'dtype', 'tfjs has float32, int32 and bool tensors only', options.dtype);
    options.dtype = dtype;
  }
  if (options.sparse === true || options.synchronized === true) {
    throw fieldError(f.ref, options.sparse === true ? 'sparse' : 'synchronized', 'has no tfjs equivalent', true);
  }
  if (op === 'get_item') {
    // x[key]: the key as plain data (tfjs's loader would rename its '__slice__' class names).
    options.key = itemKey(f, args[1]);
    args = [args[0]];
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
  f.constraints('depthwise_constraint', 'bias_constraint');
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
  f.constraints('depthwise_constraint', 'pointwise_constraint', 'bias_constraint');
  if (config.data_format !== 'channels_first') return withActivation(f, { class_name: 'SeparableConv2D', config });
  // tfjs 4.22's SeparableConv2D fails on channels_first (its bias is added to the transposed result):
  // run it channels_last between two Permutes, the activation after them.
  const chain = withActivation(f, { class_name: 'SeparableConv2D', config: { ...config, data_format: 'channels_last' } });
  chain.layers.unshift({ class_name: 'Permute', config: { dims: [2, 3, 1], name: `${f.ref.name}_channels_last` } });
  chain.layers.splice(2, 0, { class_name: 'Permute', config: { dims: [3, 1, 2], name: `${f.ref.name}_channels_first` } });
  return chain;
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
  f.constraints(...CONSTRAINTS);
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
    f.constraints(...CONSTRAINTS);
    f.nullOnly('lora_rank', 'lora_alpha', 'quantization_config');
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
    f.constraints('beta_constraint', 'gamma_constraint');
    return { layers: [{ class_name: 'BatchNormalization', config }] };
  },
  LayerNormalization: (f) => {
    const config: Json = {
      axis: f.axis('axis', -1, true),
      epsilon: f.number('epsilon', 1e-3, { min: 0 }),
      center: f.boolean('center', true),
      scale: f.boolean('scale', true),
    };
    f.ignore('beta_initializer', 'gamma_initializer');
    f.regularizers('beta_regularizer', 'gamma_regularizer');
    f.constraints('beta_constraint', 'gamma_constraint');
    if (!f.boolean('rms_scaling', false)) return { layers: [{ class_name: 'LayerNormalization', config }] };
    // Keras 3's deprecated rms_scaling: x / sqrt(variance + epsilon) · gamma (not centred, no beta).
    noExtras(f, `${LAYER_PREFIX}RMSNormalization`);
    return { layers: [{ class_name: `${LAYER_PREFIX}RMSNormalization`, config: { axis: config.axis, epsilon: config.epsilon, centered: true } }] };
  },
  Embedding: (f) => {
    const config: Json = { input_dim: f.integer('input_dim', 1), output_dim: f.integer('output_dim', 1), mask_zero: f.boolean('mask_zero', false) };
    f.ignore('embeddings_initializer', 'input_length');
    f.regularizers('embeddings_regularizer', 'activity_regularizer');
    f.constraints('embeddings_constraint');
    f.nullOnly('lora_rank', 'lora_alpha', 'quantization_config');
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
    if (config.interpolation !== 'bilinear') throw fieldError(f.ref, 'interpolation', "is imported for 'nearest' and 'bilinear'", config.interpolation);
    const first = config.data_format === 'channels_first';
    return { layers: [{ class_name: `${LAYER_PREFIX}KerasOp`, config: { op: 'upsample_bilinear', args: [{ input: 0 }], options: { size: config.size, channels_first: first } } }] };
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
    f.constraints('beta_constraint', 'gamma_constraint');
    noExtras(f, `${LAYER_PREFIX}GroupNormalization`);
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
  ReLU: (f) => ours('ReLU', {
    negativeSlope: f.number('negative_slope', 0),
    maxValue: f.take('max_value', null) === null ? null : f.number('max_value', undefined, { min: 0 }),
    threshold: f.number('threshold', 0),
  }),
  LeakyReLU: (f) => ours('LeakyReLU', { alpha: f.number('negative_slope', 0.3) }),
  PReLU: (f) => {
    f.ignore('alpha_initializer');
    f.regularizers('alpha_regularizer');
    f.constraints('alpha_constraint');
    const shared = f.take<unknown>('shared_axes', null);
    const sharedAxes = shared === null ? null : Array.isArray(shared) ? shared : [shared];
    if (sharedAxes && !sharedAxes.every((a) => isInteger(a) && a >= 1)) {
      throw fieldError(f.ref, 'shared_axes', 'must be a positive integer, a list of them, or null', shared);
    }
    // PReLU is leaky ReLU with a learnable alpha of shape input_shape[1:], size 1 on shared axes.
    return ours('PReLU', { alpha: 0 }, { learnable: ['alpha'], shared_axes: sharedAxes });
  },
  ELU: (f) => ours('ELU', { alpha: f.number('alpha', 1) }),
  Softmax: (f, entry, call) => softmax(f, entry, call),
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
