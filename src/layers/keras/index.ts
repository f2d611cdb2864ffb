/**
 * Layers that Keras 3 has and tfjs 4.22 lacks, with Keras's weights and semantics: what the Keras
 * import translates to (and usable on their own): MultiHeadAttention, Normalization,
 * GroupNormalization, RMSNormalization, LayerScale, grouped Conv2D, GRU with reset_after, keras.ops calls, and the
 * mask bridges.
 */
import { registerAttentionLayers } from './attention';
import { registerConvLayers } from './conv';
import { registerMaskLayers } from './mask';
import { registerNormalizationLayers } from './normalization';
import { registerKerasOpLayer } from './op';
import { registerRecurrentLayers } from './recurrent';

export { MultiHeadAttention, type MultiHeadAttentionArgs } from './attention';
export { GroupedConv1D, GroupedConv2D, type GroupedConvArgs, type GroupedConv2DArgs } from './conv';
export { SetMask, ZeroMaskedSteps } from './mask';
export { Normalization, GroupNormalization, RMSNormalization, LayerScale, type NormalizationArgs, type GroupNormalizationArgs, type RMSNormalizationArgs, type LayerScaleArgs } from './normalization';
export { KerasOp, KERAS_OPS, type KerasOpArgs } from './op';
export { GRU, type GRUArgs } from './recurrent';

export function registerKerasLayers(): void {
  registerAttentionLayers();
  registerConvLayers();
  registerMaskLayers();
  registerNormalizationLayers();
  registerKerasOpLayer();
  registerRecurrentLayers();
}
