/**
 * Keras 3 writes masks into the graph: a layer that received one has `mask=<tensor>` in its call
 * arguments (e.g. NotEqual(tokens, 0) from Embedding(mask_zero=True)). tfjs passes masks implicitly,
 * from the mask its input's layer computed. SetMask bridges the two: it returns its first input
 * unchanged, with its second input (or "no mask": all true) as that tensor's mask, so the next layer
 * receives exactly the mask Keras gave it.
 *
 * ZeroMaskedSteps zeroes the masked time steps of a sequence (Keras's zero_output_for_mask=True;
 * tfjs's RNNs repeat the previous output there).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { LAYER_PREFIX, registerPluginClass, splitArgs, uniqueLayerName, type BaseLayerArgs } from '../common';

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

export class SetMask extends tfl.layers.Layer {
  static className = `${LAYER_PREFIX}SetMask`;

  constructor(args: BaseLayerArgs = {}) {
    const { base } = splitArgs('SetMask layer', args, []);
    super({ ...base, name: (base.name as string) ?? uniqueLayerName('set_mask') });
    this.supportsMasking = true;
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return list(inputs)[0];
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
  }

  override computeMask(inputs: tfc.Tensor | tfc.Tensor[], masks?: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    // Layer.apply also asks, without masks, to tag its eager output; a mask made there would
    // never be disposed. The executors ask with the list of input masks, and dispose the result.
    if (masks === undefined) return null as unknown as tfc.Tensor;
    const [x, mask] = list(inputs);
    // "No mask" is all true, not null: tfjs 4.22's executor keeps the last mask it saw for layers
    // whose inputs have none, so only a mask of its own stops a stale one.
    if (!mask) return tfc.ones(x.shape.slice(0, 2), 'bool');
    return mask.dtype === 'bool' ? tfc.clone(mask) : tfc.notEqual(mask, 0);
  }
}

export class ZeroMaskedSteps extends tfl.layers.Layer {
  static className = `${LAYER_PREFIX}ZeroMaskedSteps`;

  constructor(args: BaseLayerArgs = {}) {
    const { base } = splitArgs('ZeroMaskedSteps layer', args, []);
    super({ ...base, name: (base.name as string) ?? uniqueLayerName('zero_masked_steps') });
    this.supportsMasking = true;
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[], kwargs: Record<string, unknown>): tfc.Tensor {
    const x = list(inputs)[0];
    const mask = kwargs?.mask as tfc.Tensor | tfc.Tensor[] | undefined;
    const m = mask ? list(mask)[0] : undefined;
    if (!m) return x;
    return tfc.tidy(() => tfc.mul(x, tfc.expandDims(tfc.cast(m, x.dtype), -1)));
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return inputShape as tfl.Shape;
  }

  override computeMask(_inputs: tfc.Tensor | tfc.Tensor[], mask?: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    const m = mask ? list(mask)[0] : null;  // undefined from Layer.apply's tagging: see SetMask
    return (m ? tfc.clone(m) : null) as tfc.Tensor;  // tfjs's typing has no null, its code does
  }
}

export function registerMaskLayers(): void {
  for (const cls of [SetMask, ZeroMaskedSteps]) registerPluginClass(cls as never);
}
