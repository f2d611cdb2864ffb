/**
 * `act.layers`: a layer factory for every element-wise activation (generated from the registry),
 * the structured activations (Maxout, GLU, Softmin, Sparsemax, RReLU), and Dense with the fast
 * training path for every activation.
 */
import type { AnyDefinition } from '../definition';
import { definitions } from '../definitions';
import { registerPluginClass, type BaseLayerArgs } from './common';
import { Dense, registerDenseLayer, type DenseArgs } from './dense';
import { layerClassFor, type ElementwiseLayer } from './elementwise';
import { registerActivationNames } from './names';
import {
  GroupedConv2D, GroupNormalization, LayerScale, MultiHeadAttention, Normalization, registerKerasLayers, RMSNormalization,
  type GroupedConv2DArgs, type GroupNormalizationArgs, type LayerScaleArgs, type MultiHeadAttentionArgs, type NormalizationArgs,
  type RMSNormalizationArgs,
} from './keras';
import { GLU, Maxout, registerStructuredLayers, RReLU, Softmin, Sparsemax, type MaxoutArgs, type RReLUArgs } from './structured';

export type { LayerArgsFor } from './args';
/** The element-wise layers' factories (generated, one documented member per activation). */
export type { ElementwiseLayerFactories } from '../generated/api';
import type { ElementwiseLayerFactories } from '../generated/api';

export interface StructuredLayerFactories {
  /** Maxout: dense form with `pieces`, or weight-free over channel groups without it. */
  maxout(args: MaxoutArgs): Maxout;
  /** Gated linear unit a ⊙ σ(b) over halves of `axis` (default −1). */
  glu(args?: BaseLayerArgs & { axis?: number }): GLU;
  /** softmax(−x) along `axis` (default −1). */
  softmin(args?: BaseLayerArgs & { axis?: number }): Softmin;
  /** Sparse probability projection along `axis` (default −1). */
  sparsemax(args?: BaseLayerArgs & { axis?: number }): Sparsemax;
  /** Randomized leaky ReLU with slopes in [lower, upper] while training. */
  rrelu(args?: RReLUArgs): RReLU;
  /**
   * tf.layers.dense (same arguments, weights and config) that trains every activation through the
   * plain matMul + bias + activation path tfjs's Dense reserves for 'relu'/'elu'.
   */
  dense(args: DenseArgs): Dense;
}

/** Keras 3 layers that tfjs lacks, with Keras's weights (what the Keras import uses). */
export interface KerasLayerFactories {
  /** Multi-head attention over axis 1 of [batch, sequence, features] inputs [query, value(, key)(, mask)]. */
  multiHeadAttention(args: MultiHeadAttentionArgs): MultiHeadAttention;
  /** (x − mean) / √variance per feature, with given or imported statistics. */
  normalization(args?: NormalizationArgs): Normalization;
  groupNormalization(args?: GroupNormalizationArgs): GroupNormalization;
  rmsNormalization(args?: RMSNormalizationArgs): RMSNormalization;
  /** x · gamma, gamma learned per feature (ConvNeXt, CaiT). */
  layerScale(args: LayerScaleArgs): LayerScale;
  /** Conv2D with `groups` (channels_last). */
  groupedConv2d(args: GroupedConv2DArgs): GroupedConv2D;
}

export type LayerFactories = ElementwiseLayerFactories & StructuredLayerFactories & KerasLayerFactories;

export const layers: LayerFactories = Object.freeze({
  ...Object.fromEntries(
    (definitions as readonly AnyDefinition[]).map((def) => {
      const factory = (args?: Record<string, unknown>) => new (layerClassFor(def) as unknown as new (a?: object) => ElementwiseLayer)(args);
      return [def.id, factory];
    }),
  ),
  maxout: (args: MaxoutArgs) => new Maxout(args),
  glu: (args?: BaseLayerArgs & { axis?: number }) => new GLU(args),
  softmin: (args?: BaseLayerArgs & { axis?: number }) => new Softmin(args),
  sparsemax: (args?: BaseLayerArgs & { axis?: number }) => new Sparsemax(args),
  rrelu: (args?: RReLUArgs) => new RReLU(args),
  dense: (args: DenseArgs) => new Dense(args),
  multiHeadAttention: (args: MultiHeadAttentionArgs) => new MultiHeadAttention(args),
  normalization: (args?: NormalizationArgs) => new Normalization(args),
  groupNormalization: (args?: GroupNormalizationArgs) => new GroupNormalization(args),
  rmsNormalization: (args?: RMSNormalizationArgs) => new RMSNormalization(args),
  layerScale: (args: LayerScaleArgs) => new LayerScale(args),
  groupedConv2d: (args: GroupedConv2DArgs) => new GroupedConv2D(args),
}) as unknown as LayerFactories;

/** Registers every layer class and activation name with tfjs's serialization (idempotent). */
export function registerLayers(): void {
  // Every call checks the registry again: a class put over ours after import is noticed and refused.
  for (const def of definitions as readonly AnyDefinition[]) registerPluginClass(layerClassFor(def) as never);
  registerStructuredLayers();
  registerKerasLayers();
  registerDenseLayer();
  registerActivationNames();
}

export { layerClassFor, type ElementwiseLayer, type LearnableArgs } from './elementwise';
export { GLU, Maxout, RReLU, Softmin, Sparsemax, glu, softmin, sparsemax, rrelu, maxOverGroups } from './structured';
export { name, useOurActivationsFor, activationNamesOf, TFJS_ACTIVATION_NAMES, NAME_PREFIX, isOurActivationName } from './names';
export { LAYER_PREFIX } from './common';
export { Dense, type DenseArgs } from './dense';
export {
  MultiHeadAttention, Normalization, GroupNormalization, RMSNormalization, LayerScale, GroupedConv2D, KerasOp, SetMask, ZeroMaskedSteps,
} from './keras';
