/**
 * tfjs layers -> Keras 3 layers, one exporter per tfjs class (EXPORTERS). Each reads every field of
 * the tfjs config (TfjsFields refuses the ones it does not know), writes Keras 3's config for the
 * same computation, and says where the layer's weights go in model.weights.h5 (Keras's variable
 * layout: the layer's own `vars`, then nested objects such as an RNN's `cell`).
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { AnyDefinition } from '../../definition';
import { definitionOfTfjsLayer, get } from '../../registry';
import { ownValue } from '../../own';
import { LAYER_PREFIX } from '../../layers/common';
import { PYTHON_MODULE } from '../../engine/generate/keras-python';
import { activationField, activationLayer, KERAS_PACKAGE, kerasParams, type ActivationLayer } from './activations';
import { kerasFunctionOf } from '../functions';
import { IMPLICIT_MASK_LAYER } from '../layers';
import { exportFieldError, exportLayerError, type ExportRef } from './errors';
import { FLOAT32_POLICY, isObject, kerasObject, kerasSnakeCase, TfjsFields, type Json } from './json';

export type Shape = Array<number | null>;

/** A tfjs weight as model.weights.h5 stores it. */
export interface WeightVar {
  name: string;
  variable: tfl.LayerVariable;
  /** How Keras stores it, where not float32 (Normalization's sample count). */
  dtype?: 'int64';
}

/** One saved object of model.weights.h5: its variables, then nested objects (Keras's order). */
export interface WeightTree {
  /** The `name` attribute of its `vars` group. */
  name: string;
  vars: WeightVar[];
  children: Array<[string, WeightTree]>;
}

/** A tfjs layer in Keras. */
export interface KerasLayer {
  module: string | null;
  className: string;
  registeredName: string | null;
  /** Class-specific config (name, trainable and dtype are added by the model). */
  config: Json;
  /** A keras.ops node: no weights, not one of model.layers, config holds only `name` and its arguments. */
  op?: boolean;
  /** Where the layer's weights go (default: all of them, in tfjs's order, as its own variables). */
  weights?: WeightTree;
  /** Custom objects it needs from the generated Python module. */
  custom: string[];
  /** Write build_config (layers with weights, and this plugin's). */
  build: boolean;
  /** Its build_config where it is not {input_shape} (MultiHeadAttention's shapes_dict). */
  buildConfig?: Json;
  /** How Keras records a call with these tensors (default: one argument, a tensor or a list of them). */
  call?: (tensors: Json[]) => { args: unknown[]; kwargs: Json };
  /** Inputs of the tfjs layer that the Keras call leaves out (Keras computes them itself): layers only they read are not exported. */
  dropInputs?: number[];
}

export interface LayerContext {
  ref: ExportRef;
  layer: tfl.layers.Layer;
  f: TfjsFields;
  /** Keras ops nodes are allowed (Functional models). */
  functional: boolean;
  /** Shapes of the layer's inputs (first call). */
  inputShapes: Shape[];
  /** The model has a mask source (Masking, Embedding with mask_zero). */
  masked: boolean;
  /** A ZeroMaskedSteps follows it (the import's form of Keras's zero_output_for_mask). */
  zeroOutputForMask?: boolean;
  /** The layers that make the inputs of the first call (through linear Activation copies), where known. */
  inputLayers?: Array<{ className: string; name: string } | null>;
}

type Exporter = (c: LayerContext) => Omit<KerasLayer, 'custom' | 'build'> & { custom?: string[]; build?: boolean };

const own = (c: LayerContext, name = c.layer.name): WeightTree => ({
  name,
  vars: c.layer.weights.map((w) => ({ name: w.originalName, variable: w })),
  children: [],
});

const keras = (className: string, config: Json, extra: Partial<KerasLayer> = {}) =>
  ({ module: 'keras.layers', className, registeredName: null, config, ...extra });

/** The fields of Keras's convolutions that tfjs has under the same names. */
function convolution(c: LayerContext, className: string, rank: 1 | 2, kernelFields: string[]): ReturnType<Exporter> {
  const { f } = c;
  const config: Json = {};
  if (className !== 'DepthwiseConv2D') config.filters = f.take('filters');
  config.kernel_size = f.take('kernel_size');
  config.strides = f.take('strides', Array(rank).fill(1));
  config.padding = f.take('padding', 'valid');
  config.data_format = f.take('data_format', 'channels_last');
  config.dilation_rate = f.take('dilation_rate', Array(rank).fill(1));
  if (className === 'Conv1D' || className === 'Conv2D') config.groups = 1;
  if (className === 'DepthwiseConv2D' || className === 'SeparableConv2D') {
    // tfjs 4.22's SeparableConv2D leaves depth_multiplier out of its config: the layer has it.
    config.depth_multiplier = f.take('depth_multiplier', (c.layer as unknown as { depthMultiplier?: number }).depthMultiplier ?? 1);
  }
  const act = activationField(c.ref, 'activation', f.take('activation', 'linear'));
  config.activation = act.value;
  config.use_bias = f.take('use_bias', true);
  for (const k of kernelFields) config[`${k}_initializer`] = f.initializer(`${k}_initializer`);
  config.bias_initializer = f.initializer('bias_initializer');
  for (const k of kernelFields) config[`${k}_regularizer`] = f.regularizer(`${k}_regularizer`);
  config.bias_regularizer = f.regularizer('bias_regularizer');
  config.activity_regularizer = f.regularizer('activity_regularizer');
  f.nullOnly(...kernelFields.map((k) => `${k}_constraint`), 'bias_constraint');
  if (className === 'Conv2DTranspose') config.output_padding = null;
  return { ...keras(className, config), custom: act.custom ? [act.custom] : [] };
}

/** tfjs camelCases string values of a loaded model.json ('channels_first' comes back 'channelsFirst'). */
const dataFormat = (v: unknown) => String(v).replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);

/**
 * This plugin's GroupedConv1D/2D (the import's form of Keras's grouped, causal and channels_first
 * Conv1D, and grouped Conv2D): Keras's Conv1D/Conv2D with `groups`, the same kernel layout
 * [...kernel_size, in_channels / groups, filters]. No activation: the import puts one after it.
 */
function groupedConv(c: LayerContext, className: 'Conv1D' | 'Conv2D', rank: 1 | 2): ReturnType<Exporter> {
  const { f } = c;
  return keras(className, {
    filters: f.take('filters'), kernel_size: f.take('kernel_size'), strides: f.take('strides', Array(rank).fill(1)), padding: f.take('padding', 'valid'),
    data_format: dataFormat(f.take('data_format', 'channels_last')), dilation_rate: f.take('dilation_rate', Array(rank).fill(1)), groups: f.take('groups', 1),
    activation: 'linear', use_bias: f.take('use_bias', true), kernel_initializer: kerasObject('keras.initializers', 'GlorotUniform', { seed: null }),
    bias_initializer: kerasObject('keras.initializers', 'Zeros', {}), kernel_regularizer: null, bias_regularizer: null,
    activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
  });
}

function pooling(c: LayerContext, className: string, rank: 1 | 2): ReturnType<Exporter> {
  const { f } = c;
  const pool = f.take('pool_size', Array(rank).fill(2));
  return keras(className, {
    pool_size: pool, padding: f.take('padding', 'valid'), strides: f.take('strides', null) ?? pool,
    data_format: f.take('data_format', 'channels_last'),
  });
}

function globalPooling(c: LayerContext, className: string): ReturnType<Exporter> {
  return keras(className, { data_format: c.f.take('data_format', 'channels_last'), keepdims: false });
}

/** The config Keras's RNN layers share, and the weights of their `cell`. */
function recurrent(c: LayerContext, className: 'LSTM' | 'GRU' | 'SimpleRNN', resetAfter = false): ReturnType<Exporter> {
  const { f } = c;
  const custom: string[] = [];
  const act = (field: string, fallback: string) => {
    const a = activationField(c.ref, field, f.take(field, fallback));
    if (a.custom) custom.push(a.custom);
    return a.value;
  };
  const config: Json = {
    return_sequences: f.take('return_sequences', false),
    return_state: f.take('return_state', false),
    go_backwards: f.take('go_backwards', false),
    stateful: f.take('stateful', false),
    unroll: f.take('unroll', false),
    zero_output_for_mask: c.zeroOutputForMask === true,
    units: f.take('units'),
    activation: act('activation', 'tanh'),
  };
  if (className !== 'SimpleRNN') config.recurrent_activation = act('recurrent_activation', 'hard_sigmoid');
  config.use_bias = f.take('use_bias', true);
  // This plugin's GRU keeps no initializers (its weights are always loaded): Keras's defaults.
  const defaults: Record<string, Json> = {
    kernel: kerasObject('keras.initializers', 'GlorotUniform', { seed: null }),
    recurrent: kerasObject('keras.initializers', 'Orthogonal', { seed: null, gain: 1 }),
    bias: kerasObject('keras.initializers', 'Zeros', {}),
  };
  for (const k of ['kernel', 'recurrent', 'bias']) config[`${k}_initializer`] = f.initializer(`${k}_initializer`) ?? (resetAfter ? defaults[k] : null);
  if (className === 'LSTM') config.unit_forget_bias = f.take('unit_forget_bias', true);
  for (const k of ['kernel', 'recurrent', 'bias', 'activity']) config[`${k}_regularizer`] = f.regularizer(`${k}_regularizer`);
  f.nullOnly('kernel_constraint', 'recurrent_constraint', 'bias_constraint');
  config.dropout = f.take('dropout', 0);
  config.recurrent_dropout = f.take('recurrent_dropout', 0);
  if (className === 'GRU' && !resetAfter) {
    const value = f.take('reset_after', false);
    if (value !== false) throw exportFieldError(c.ref, 'reset_after', "tfjs's GRU computes reset_after=false only", value);
  }
  // reset_after=true is this plugin's GRU (Keras 3's default), with the same [2, 3·units] bias.
  if (className === 'GRU') config.reset_after = resetAfter;
  if (className !== 'SimpleRNN') config.seed = null;
  f.ignore('input_length', 'input_dim', 'implementation');
  // Keras keeps an RNN's variables in its cell ('lstm_cell', ...); the layer's own group is empty.
  const cell = { ...own(c, kerasSnakeCase(`${className}Cell`)) };
  return { ...keras(className, config), weights: { name: c.layer.name, vars: [], children: [['cell', cell]] }, custom };
}

/** A wrapped layer's config (Bidirectional, TimeDistributed), exported like a layer of its own. */
function inner(c: LayerContext, value: unknown, name: string, inputShape: Shape): { entry: Json; layer: KerasLayer } {
  if (!isObject(value) || typeof value.class_name !== 'string' || !isObject(value.config)) {
    throw exportFieldError(c.ref, 'layer', 'must be a layer config', value);
  }
  const className = value.class_name;
  const exporter = ownValue(EXPORTERS, className);
  const ref = { name, className };
  if (!exporter) throw exportFieldError(c.ref, 'layer', `the wrapped layer class '${className}' is not exported`, className);
  const f = new TfjsFields(ref, value.config);
  const out = exporter({ ...c, ref, f, functional: false });
  f.done();
  if (out.op || out.module === PYTHON_MODULE) throw exportFieldError(c.ref, 'layer', `the wrapped '${className}' has no Keras layer of its own`, className);
  const layer: KerasLayer = { custom: [], build: false, ...out };
  const entry = kerasObject(out.module, out.className, { name, trainable: value.config.trainable ?? true, dtype: FLOAT32_POLICY, ...out.config });
  entry.build_config = { input_shape: inputShape };
  return { entry, layer };
}

function bidirectional(c: LayerContext): ReturnType<Exporter> {
  const { f } = c;
  const config = f.take<Json>('layer');
  const forwardName = `forward_${String(config?.config && (config.config as Json).name)}`;
  const backwardName = `backward_${String(config?.config && (config.config as Json).name)}`;
  const fwd = inner(c, config, forwardName, c.inputShapes[0]);
  const backwardConfig = { ...(config as Json), config: { ...((config as Json).config as Json), go_backwards: !((config as Json).config as Json).go_backwards } };
  const bwd = inner(c, backwardConfig, backwardName, c.inputShapes[0]);
  const mergeMode = f.take('merge_mode', 'concat');
  // Keras's Bidirectional zeroes the masked steps of sequences it returns; tfjs repeats the last output there.
  const sequences = ((config as Json).config as Json).return_sequences === true;
  if (sequences && c.masked && !c.zeroOutputForMask) {
    throw exportFieldError(c.ref, 'layer', "returns sequences in a model with masks, where Keras's Bidirectional outputs zeros at masked " +
      'steps and tfjs repeats the last output', (config as Json).class_name);
  }
  for (const e of [fwd.entry, bwd.entry]) (e.config as Json).zero_output_for_mask = sequences;
  // tfjs's weights: the forward layer's, then the backward layer's (each kernel, recurrent kernel, bias).
  const weights = c.layer.weights;
  const half = weights.length / 2;
  const cellTree = (vars: tfl.LayerVariable[], cls: string): WeightTree => ({
    name: kerasSnakeCase(`${cls}Cell`), vars: vars.map((w) => ({ name: w.originalName, variable: w })), children: [],
  });
  const cls = fwd.layer.className;
  return {
    ...keras('Bidirectional', { merge_mode: mergeMode, layer: fwd.entry, backward_layer: bwd.entry }),
    weights: {
      name: c.layer.name, vars: [], children: [
        ['backward_layer', { name: backwardName, vars: [], children: [['cell', cellTree(weights.slice(half), cls)]] }],
        ['forward_layer', { name: forwardName, vars: [], children: [['cell', cellTree(weights.slice(0, half), cls)]] }],
      ],
    },
    custom: [...fwd.layer.custom, ...bwd.layer.custom],
  };
}

function timeDistributed(c: LayerContext): ReturnType<Exporter> {
  const value = c.f.take<Json>('layer');
  const name = String((value?.config as Json | undefined)?.name ?? `${c.layer.name}_inner`);
  const shape = c.inputShapes[0];
  const wrapped = inner(c, value, name, [shape[0], ...shape.slice(2)]);
  return {
    ...keras('TimeDistributed', { layer: wrapped.entry }),
    weights: { name: c.layer.name, vars: [], children: [['layer', own(c, name)]] },
    custom: wrapped.layer.custom,
  };
}

/** An element-wise activation (definition at params) as Keras's layer, op node or our custom layer. */
function elementwise(c: LayerContext, def: AnyDefinition, params: Record<string, number | boolean | null>, learnable: readonly string[] = [],
  sharedAxes: readonly number[] | null = null): ReturnType<Exporter> {
  const a: ActivationLayer = activationLayer(def, params, learnable, sharedAxes, c.functional);
  return {
    module: a.module, className: a.className, registeredName: a.registeredName, config: a.config, op: a.op,
    custom: a.custom ? [a.custom] : [], build: !a.op && (learnable.length > 0 || a.module === PYTHON_MODULE),
  };
}

const custom = (c: LayerContext, className: string, config: Json): ReturnType<Exporter> => {
  const registered = `${KERAS_PACKAGE}>${className}`;
  return { module: PYTHON_MODULE, className, registeredName: registered, config, custom: [registered], build: true };
};

const axisLayer = (className: string): Exporter => (c) => custom(c, className, { axis: c.f.take('axis', -1) });

const MERGE = (className: string): Exporter => () => keras(className, {});

export const EXPORTERS: Record<string, Exporter> = {
  Dense: (c) => {
    const { f } = c;
    const act = activationField(c.ref, 'activation', f.take('activation', 'linear'));
    const config: Json = {
      units: f.take('units'), activation: act.value, use_bias: f.take('use_bias', true),
      kernel_initializer: f.initializer('kernel_initializer'), bias_initializer: f.initializer('bias_initializer'),
      kernel_regularizer: f.regularizer('kernel_regularizer'), bias_regularizer: f.regularizer('bias_regularizer'),
      kernel_constraint: null, bias_constraint: null, quantization_config: null,
    };
    const activity = f.regularizer('activity_regularizer');
    if (activity) config.activity_regularizer = activity;
    f.nullOnly('kernel_constraint', 'bias_constraint');
    return { ...keras('Dense', config), custom: act.custom ? [act.custom] : [] };
  },
  Conv1D: (c) => convolution(c, 'Conv1D', 1, ['kernel']),
  Conv2D: (c) => convolution(c, 'Conv2D', 2, ['kernel']),
  DepthwiseConv2D: (c) => convolution(c, 'DepthwiseConv2D', 2, ['depthwise']),
  SeparableConv2D: (c) => convolution(c, 'SeparableConv2D', 2, ['depthwise', 'pointwise']),
  Conv2DTranspose: (c) => convolution(c, 'Conv2DTranspose', 2, ['kernel']),
  MaxPooling1D: (c) => pooling(c, 'MaxPooling1D', 1),
  MaxPooling2D: (c) => pooling(c, 'MaxPooling2D', 2),
  AveragePooling1D: (c) => pooling(c, 'AveragePooling1D', 1),
  AveragePooling2D: (c) => pooling(c, 'AveragePooling2D', 2),
  GlobalAveragePooling1D: (c) => globalPooling(c, 'GlobalAveragePooling1D'),
  GlobalAveragePooling2D: (c) => globalPooling(c, 'GlobalAveragePooling2D'),
  GlobalMaxPooling1D: (c) => globalPooling(c, 'GlobalMaxPooling1D'),
  GlobalMaxPooling2D: (c) => globalPooling(c, 'GlobalMaxPooling2D'),
  Flatten: (c) => keras('Flatten', { data_format: c.f.take('data_format', 'channels_last') }),
  Reshape: (c) => keras('Reshape', { target_shape: c.f.take('target_shape') }),
  Permute: (c) => keras('Permute', { dims: c.f.take('dims') }),
  RepeatVector: (c) => keras('RepeatVector', { n: c.f.take('n') }),
  Dropout: (c) => keras('Dropout', { rate: c.f.take('rate'), seed: c.f.take('seed', null), noise_shape: c.f.take('noise_shape', null) }),
  ZeroPadding2D: (c) => keras('ZeroPadding2D', { padding: c.f.take('padding', [[1, 1], [1, 1]]), data_format: c.f.take('data_format', 'channels_last') }),
  Cropping2D: (c) => keras('Cropping2D', { cropping: c.f.take('cropping', [[0, 0], [0, 0]]), data_format: c.f.take('data_format', 'channels_last') }),
  UpSampling2D: (c) => {
    const interpolation = c.f.take('interpolation', 'nearest');
    // tfjs's bilinear samples corner-aligned points, Keras's half-pixel centers: a different function.
    if (interpolation !== 'nearest') throw exportFieldError(c.ref, 'interpolation', "tfjs's bilinear UpSampling2D samples at corner-aligned points, Keras's at half-pixel centers", interpolation);
    return keras('UpSampling2D', { size: c.f.take('size', [2, 2]), data_format: c.f.take('data_format', 'channels_last'), interpolation });
  },
  BatchNormalization: (c) => {
    const { f } = c;
    const config: Json = {
      axis: f.take('axis', -1), momentum: f.take('momentum', 0.99), epsilon: f.take('epsilon', 1e-3), center: f.take('center', true), scale: f.take('scale', true),
    };
    for (const k of ['beta', 'gamma', 'moving_mean', 'moving_variance']) config[`${k}_initializer`] = f.initializer(`${k}_initializer`);
    for (const k of ['beta', 'gamma']) config[`${k}_regularizer`] = f.regularizer(`${k}_regularizer`);
    f.nullOnly('beta_constraint', 'gamma_constraint');
    Object.assign(config, { beta_constraint: null, gamma_constraint: null, synchronized: false, renorm: false, renorm_clipping: null, renorm_momentum: 0.99 });
    return keras('BatchNormalization', config);
  },
  LayerNormalization: (c) => {
    const { f } = c;
    const config: Json = { axis: f.take('axis', -1), epsilon: f.take('epsilon', 1e-3), center: f.take('center', true), scale: f.take('scale', true), rms_scaling: false };
    for (const k of ['beta', 'gamma']) config[`${k}_initializer`] = f.initializer(`${k}_initializer`);
    for (const k of ['beta', 'gamma']) config[`${k}_regularizer`] = f.regularizer(`${k}_regularizer`);
    f.nullOnly('beta_constraint', 'gamma_constraint');
    return keras('LayerNormalization', { ...config, beta_constraint: null, gamma_constraint: null });
  },
  Embedding: (c) => {
    const { f } = c;
    const config: Json = {
      input_dim: f.take('input_dim'), output_dim: f.take('output_dim'), embeddings_initializer: f.initializer('embeddings_initializer'),
      embeddings_regularizer: f.regularizer('embeddings_regularizer'), activity_regularizer: f.regularizer('activity_regularizer'),
      embeddings_constraint: null, mask_zero: f.take('mask_zero', false) ?? false, quantization_config: null,
    };
    f.nullOnly('embeddings_constraint');
    f.ignore('input_length');
    return keras('Embedding', config);
  },
  LSTM: (c) => recurrent(c, 'LSTM'),
  GRU: (c) => recurrent(c, 'GRU'),
  SimpleRNN: (c) => recurrent(c, 'SimpleRNN'),
  Bidirectional: (c) => bidirectional(c),
  TimeDistributed: (c) => timeDistributed(c),
  Add: MERGE('Add'),
  Multiply: MERGE('Multiply'),
  Average: MERGE('Average'),
  Maximum: MERGE('Maximum'),
  Minimum: MERGE('Minimum'),
  Concatenate: (c) => keras('Concatenate', { axis: c.f.take('axis', -1) }),
  Activation: (c) => {
    const act = activationField(c.ref, 'activation', c.f.take('activation'));
    return { ...keras('Activation', { activation: act.value }), custom: act.custom ? [act.custom] : [] };
  },
  ReLU: (c) => {
    const maxValue = c.f.take<number | null>('max_value', null);
    return elementwise(c, definitionOfTfjsLayer('ReLU'), { negativeSlope: 0, maxValue: maxValue ?? null, threshold: 0 });
  },
  LeakyReLU: (c) => elementwise(c, definitionOfTfjsLayer('LeakyReLU'), { alpha: c.f.take<number>('alpha', 0.3) }),
  ELU: (c) => elementwise(c, definitionOfTfjsLayer('ELU'), { alpha: c.f.take<number>('alpha', 1) }),
  ThresholdedReLU: (c) => elementwise(c, definitionOfTfjsLayer('ThresholdedReLU'), { threshold: c.f.take<number>('theta', 1), value: 0 }),
  PReLU: (c) => {
    const { f } = c;
    const config = {
      alpha_initializer: f.initializer('alpha_initializer'), alpha_regularizer: f.regularizer('alpha_regularizer'),
      alpha_constraint: null, shared_axes: f.take('shared_axes', null),
    };
    f.nullOnly('alpha_constraint');
    return keras('PReLU', config);
  },
  Softmax: (c) => keras('Softmax', { axis: c.f.take('axis', -1) }),
  Rescaling: (c) => keras('Rescaling', { scale: c.f.take('scale'), offset: c.f.take('offset', 0) }),
  Masking: (c) => keras('Masking', { mask_value: c.f.take('mask_value', 0) }),
  [`${LAYER_PREFIX}Dense`]: (c) => EXPORTERS.Dense(c),
  [`${LAYER_PREFIX}GLU`]: (c) => {
    const axis = c.f.take<number>('axis', -1);
    // Keras's own glu as a keras.ops node (Keras's Activation('glu') reports the wrong output shape).
    if (c.functional) return { module: 'keras.src.ops.nn', className: 'Glu', registeredName: 'Glu', config: { axis }, op: true };
    return custom(c, 'GLU', { axis });
  },
  [`${LAYER_PREFIX}Softmin`]: axisLayer('Softmin'),
  [`${LAYER_PREFIX}Sparsemax`]: axisLayer('Sparsemax'),
  [`${LAYER_PREFIX}Maxout`]: (c) => {
    const { f } = c;
    return custom(c, 'Maxout', {
      units: f.take('units'), pieces: f.take('pieces', null), axis: f.take('axis', -1), use_bias: f.take('use_bias', true),
      kernel_initializer: f.take('kernel_initializer', 'glorotUniform'), bias_initializer: f.take('bias_initializer', 'zeros'),
    });
  },
  [`${LAYER_PREFIX}RReLU`]: (c) => custom(c, 'RReLU', { lower: c.f.take('lower', 1 / 8), upper: c.f.take('upper', 1 / 3), seed: c.f.take('seed', null) }),
  // The Keras layers tfjs lacks, which the import brings in as this plugin's: back to Keras's own.
  [`${LAYER_PREFIX}Normalization`]: (c) => {
    const { f } = c;
    const mean = f.take('mean', null);
    const config = { axis: ([] as unknown[]).concat(f.take('axis', -1)), invert: f.take('invert', false), mean, variance: f.take('variance', null) };
    if (mean !== null) return keras('Normalization', config);
    // Adapted statistics are variables: mean, variance, and Keras's int64 sample count.
    const [m, v, count] = c.layer.weights;
    return {
      ...keras('Normalization', config),
      weights: { name: c.layer.name, vars: [{ name: m.originalName, variable: m }, { name: v.originalName, variable: v }, { name: count.originalName, variable: count, dtype: 'int64' }], children: [] },
    };
  },
  [`${LAYER_PREFIX}GroupNormalization`]: (c) => {
    const { f } = c;
    return keras('GroupNormalization', {
      groups: f.take('groups', 32), axis: f.take('axis', -1), epsilon: f.take('epsilon', 1e-3), center: f.take('center', true), scale: f.take('scale', true),
      beta_initializer: kerasObject('keras.initializers', 'Zeros', {}), gamma_initializer: kerasObject('keras.initializers', 'Ones', {}),
      beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
    });
  },
  [`${LAYER_PREFIX}RMSNormalization`]: (c) => {
    const { f } = c;
    const axis = f.take('axis', -1);
    const epsilon = f.take('epsilon', 1e-6);
    if (f.take<unknown>('centered', false) !== true) return keras('RMSNormalization', { axis, epsilon });
    // x / sqrt(variance + epsilon) · gamma: Keras's LayerNormalization(rms_scaling=True), whose one weight is gamma.
    return keras('LayerNormalization', {
      axis, epsilon, center: false, scale: true, rms_scaling: true,
      beta_initializer: kerasObject('keras.initializers', 'Zeros', {}), gamma_initializer: kerasObject('keras.initializers', 'Ones', {}),
      beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
    });
  },
  [`${LAYER_PREFIX}LayerScale`]: (c) => ({
    // ConvNeXt's layer, which Keras registers under its bare name in keras.applications.
    module: 'keras.src.applications.convnext', className: 'LayerScale', registeredName: 'LayerScale',
    config: { init_values: c.f.take('init_values', 1e-6), projection_dim: c.f.take('projection_dim') },
  }),
  [`${LAYER_PREFIX}MultiHeadAttention`]: (c) => multiHeadAttention(c),
  [`${LAYER_PREFIX}KerasOp`]: (c) => kerasOp(c),
  [`${LAYER_PREFIX}GroupedConv1D`]: (c) => groupedConv(c, 'Conv1D', 1),
  [`${LAYER_PREFIX}GroupedConv2D`]: (c) => groupedConv(c, 'Conv2D', 2),
  [`${LAYER_PREFIX}GRU`]: (c) => recurrent(c, 'GRU', true),
};

/**
 * This plugin's MultiHeadAttention as Keras's: the projections in Keras's EinsumDense sub-layers, the
 * call's options (key, attention_mask, use_causal_mask, return_attention_scores) as Keras records
 * them. Masks of the query, value and key: Keras takes the query's only from the mask the query
 * tensor carries, and fills the value's and key's from theirs unless they are given. The import's
 * mask layers (IMPLICIT_MASK_LAYER), which compute exactly those, are left out for Keras to
 * compute; other value and key masks are passed as value_mask and key_mask.
 */
function multiHeadAttention(c: LayerContext): ReturnType<Exporter> {
  const { f } = c;
  const flag = (k: string) => f.take<unknown>(k, false) === true;
  const [withKey, withMask, causal, withQueryMask, withValueMask, withKeyMask, useGate, scores] =
    ['with_key', 'with_attention_mask', 'use_causal_mask', 'with_query_mask', 'with_value_mask', 'with_key_mask', 'use_gate', 'return_attention_scores'].map(flag);
  const useBias = f.take('use_bias', true);
  const dropout = f.take<number>('dropout', 0);
  const [query, value, key] = c.inputShapes;
  const rank = query.length;
  // Keras saves the axes it attends over once built: all position axes by default.
  const axes = f.take<number[] | null>('attention_axes', null) ?? Array.from({ length: rank - 2 }, (_, i) => i + 1);
  // Inputs: query, value, [key], [attention mask], [query mask], [value mask], [key mask].
  let slot = withKey ? 3 : 2;
  const attentionMask = withMask ? slot++ : null;
  const [queryMask, valueMask, keyMask] = [withQueryMask, withValueMask, withKeyMask].map((on) => (on ? slot++ : null));
  const implicit = (i: number | null) => {
    const source = i === null ? null : c.inputLayers?.[i];
    return !!source && source.className === `${LAYER_PREFIX}KerasOp` && source.name.includes(IMPLICIT_MASK_LAYER);
  };
  if (queryMask !== null && !implicit(queryMask)) {
    throw exportFieldError(c.ref, 'with_query_mask', "Keras's MultiHeadAttention takes the query's mask only from the query tensor itself " +
      '(a query_mask argument is replaced by it); only the mask the import computed for it is exported', true);
  }
  // Rows whose keys are all masked: Keras zeroes their weights on its einsum path (dropout, scores,
  // rank > 3) and averages the values on its dot-product path, whatever the layer's zero_masked_rows
  // (the import sets it to match). Every other row is the same function (docs/keras-export.md).
  f.ignore('zero_masked_rows');
  const config: Json = {
    num_heads: f.take('num_heads'), key_dim: f.take('key_dim'), value_dim: f.take('value_dim', null) ?? f.take('key_dim'), dropout,
    use_bias: useBias, use_gate: useGate, output_shape: f.take('output_shape', null), attention_axes: axes, sliding_window: f.take('sliding_window', null),
    kernel_initializer: kerasObject('keras.initializers', 'GlorotUniform', { seed: null }),
    bias_initializer: kerasObject('keras.initializers', 'Zeros', {}), kernel_regularizer: null, bias_regularizer: null,
    activity_regularizer: null, kernel_constraint: null, bias_constraint: null, seed: null,
  };
  // Keras keeps each projection in its own EinsumDense: query, key, [gate], value, attention_output.
  const w = c.layer.weights;
  const per = useBias ? 2 : 1;
  const dense = (i: number, name: string): WeightTree => ({ name, vars: w.slice(i * per, (i + 1) * per).map((v) => ({ name: v.originalName, variable: v })), children: [] });
  const parts: Array<[string, string]> = [['query_dense', 'query'], ['key_dense', 'key'], ...(useGate ? [['_gate_dense', 'gate'] as [string, string]] : []),
    ['value_dense', 'value'], ['output_dense', 'attention_output']];
  const dropInputs = [queryMask, valueMask, keyMask].filter((i): i is number => i !== null && implicit(i));
  return {
    ...keras('MultiHeadAttention', config),
    buildConfig: { shapes_dict: { query_shape: query, value_shape: value, ...(withKey ? { key_shape: key } : {}) } },
    weights: { name: c.layer.name, vars: [], children: parts.map(([child, name], i) => [child, dense(i, name)]) },
    dropInputs,
    // call(query, value, key=…, value_mask=…, key_mask=…, attention_mask=…, return_attention_scores=…, use_causal_mask=…), as Keras records it.
    call: (t) => ({
      args: [t[0], t[1]],
      kwargs: {
        ...(withKey ? { key: t[2] } : {}),
        ...(valueMask !== null && !implicit(valueMask) ? { value_mask: t[valueMask] } : {}),
        ...(keyMask !== null && !implicit(keyMask) ? { key_mask: t[keyMask] } : {}),
        ...(attentionMask !== null ? { attention_mask: t[attentionMask] } : {}),
        ...(scores ? { return_attention_scores: true } : {}),
        ...(causal ? { use_causal_mask: true } : {}),
      },
    }),
  };
}

/** keras.ops modules other than keras.src.ops.numpy, by op (snake_case class name). */
const OP_MODULES: Record<string, string> = {
  rsqrt: 'math', erf: 'math', logsumexp: 'math', top_k: 'math', cast: 'core', slice: 'core', stop_gradient: 'core', unstack: 'core',
  softmax: 'nn', log_softmax: 'nn', glu: 'nn', moments: 'nn', normalize: 'nn', one_hot: 'nn', norm: 'linalg',
};
/** Options the import keeps of a keras.ops call's keyword arguments (ops.pad's constant_values): keyword arguments again. */
const OP_KWARGS: Record<string, string[]> = { pad: ['constant_values'] };
/** The import's ops for Keras's implicit masks (graph.ts), which no keras.ops call computes. */
const MASK_OPS = new Set(['masking_mask', 'mask_or', 'concat_mask']);

/** A GetItem key the import keeps as plain data -> Keras's (`__slice__`, `__ellipsis__`, None). */
const itemKey = (key: unknown[]): unknown[] => key.map((k) => {
  if (isObject(k) && Array.isArray(k.slice)) return { class_name: '__slice__', config: { start: k.slice[0], stop: k.slice[1], step: k.slice[2] } };
  if (isObject(k) && 'ellipsis' in k) return { class_name: '__ellipsis__', config: {} };
  if (isObject(k) && 'newaxis' in k) return null;
  return k;
});
/** Class names that are not the op's name in PascalCase. */
const OP_CLASSES: Record<string, string> = { abs: 'Absolute' };
const pascalOp = (op: string) => ownValue(OP_CLASSES, op) ?? op.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('');

/**
 * A keras.ops node the import made a KerasOp layer of: the same node again, its tensors back in their
 * argument positions and its constants as Keras's `__tensor__` objects; an activation op as Keras's
 * op for the definition's Keras function.
 */
function kerasOp(c: LayerContext): ReturnType<Exporter> {
  const layer = c.layer as unknown as { op: string; args: unknown[]; options: Json; activation: string | null; params: Json | null };
  c.f.ignore(...Object.keys(c.f.cfg));
  const fill = (v: unknown, t: Json[]): unknown => {
    if (Array.isArray(v)) return v.map((x) => fill(x, t));
    if (isObject(v) && typeof v.input === 'number') return t[v.input];
    if (isObject(v) && 'constant' in v) return { class_name: '__tensor__', config: { value: v.constant, dtype: v.dtype ?? 'float32' } };
    return v;
  };
  const call = (t: Json[]) => ({ args: fill(layer.args, t) as unknown[], kwargs: {} });
  if (layer.op === 'upsample_bilinear') {
    // Keras's bilinear UpSampling2D (half-pixel centers), which the import computes this way.
    const format = layer.options.channels_first === true ? 'channels_first' : 'channels_last';
    return { ...keras('UpSampling2D', { size: layer.options.size, data_format: format, interpolation: 'bilinear' }) };
  }
  if (layer.op === 'masked_softmax') {
    // Keras's Softmax called with a mask (what the import computes this way).
    const axes = ([] as number[]).concat(layer.options.axis as number[]);
    return { ...keras('Softmax', { axis: axes.length === 1 ? axes[0] : axes }), call: (t) => ({ args: [t[0]], kwargs: { mask: t[1] } }) };
  }
  if (layer.op === 'masked_mean') {
    // Keras's GlobalAveragePooling1D called with a mask.
    const format = layer.options.axis === 2 ? 'channels_first' : 'channels_last';
    return { ...keras('GlobalAveragePooling1D', { data_format: format, keepdims: layer.options.keepdims === true }), call: (t) => ({ args: [t[0]], kwargs: { mask: t[1] } }) };
  }
  if (MASK_OPS.has(layer.op)) {
    throw exportLayerError(c.ref, `computes a mask Keras propagates itself (op '${layer.op}'), which no keras.ops call computes; ` +
      'it is exported only as an input of a MultiHeadAttention the import made');
  }
  if (layer.op === 'activation') {
    // The op's arguments are what Keras recorded (relu's op takes none; gelu's records approximate).
    const def = get(String(layer.activation));
    const f = kerasFunctionOf(def);
    if (!f) throw exportLayerError(c.ref, `${def.id} has no Keras op`);
    const className = pascalOp(f.name);
    return { module: 'keras.src.ops.nn', className, registeredName: className, config: kerasParams(def, (layer.params ?? {}) as never), op: true, call };
  }
  const className = pascalOp(layer.op);
  const module = `keras.src.ops.${ownValue(OP_MODULES, layer.op) ?? 'numpy'}`;
  const config: Json = { ...layer.options };
  const kwargs: Json = {};
  for (const k of ownValue(OP_KWARGS, layer.op) ?? []) {
    if (k in config) kwargs[k] = config[k];
    delete config[k];
  }
  if (layer.op === 'get_item') {
    // x[key]: the key is the call's second argument.
    delete config.key;
    const key = itemKey(layer.options.key as unknown[]);
    return { module, className, registeredName: className, config, op: true, call: (t) => ({ args: [...(fill(layer.args, t) as unknown[]), key], kwargs }) };
  }
  return { module, className, registeredName: className, config, op: true, call: (t) => ({ ...call(t), kwargs }) };
}

/** This plugin's element-wise layers, exported from the layer itself (definition, parameters, learnable ones). */
export function elementwiseExporter(c: LayerContext): ReturnType<Exporter> {
  const layer = c.layer as unknown as { definition: AnyDefinition; params: Record<string, number | boolean | null>; learnable: string[]; sharedAxes: number[] | null };
  c.f.ignore(...Object.keys(c.f.cfg));
  return elementwise(c, layer.definition, { ...layer.params }, layer.learnable, layer.sharedAxes);
}

/** The exporter for a tfjs layer, or an error naming what is exported. */
export function exporterFor(ref: ExportRef, layer: tfl.layers.Layer): Exporter {
  if ((layer as unknown as { definition?: unknown }).definition && ref.className.startsWith(LAYER_PREFIX)) return elementwiseExporter;
  const e = ownValue(EXPORTERS, ref.className);
  if (e) return e;
  if (ref.className === 'Sequential' || ref.className === 'Model' || ref.className === 'Functional') {
    throw exportLayerError(ref, 'nested models are not exported yet; build the model from their layers');
  }
  throw exportLayerError(ref, `layer class '${ref.className}' is not exported. Exported: ${Object.keys(EXPORTERS).sort().join(', ')}, ` +
    `and this plugin's element-wise activation layers`);
}
