/**
 * `act.layers.dense`: tf.layers.dense (same arguments, weights and config) that trains through the
 * path tfjs reserves for 'relu', for every activation.
 *
 * Why tfjs's Dense trains faster with 'relu' than with anything else: its call() asks for the fused
 * matMul kernel with the activation mapped by class name to 'relu' | 'elu' | 'linear' (anything else
 * counts as 'linear'). While gradients are recorded, tfjs fuses only 'linear', so
 *   - 'relu'/'elu' run as plain matMul + add + activation, whose gradients tfjs computes lazily,
 *     only for inputs that need one;
 *   - every other activation (ours, tfjs's gelu/mish/..., and 'linear' itself) runs the fused kernel
 *     under customGrad, whose backward pass always computes d(input) = dy·Wᵀ — wasted in the first
 *     layer, whose input is data: one extra [batch × units]·[units × inputs] matMul per step.
 * This class always takes the plain path. (A plugin activation cannot get it inside tf's Dense:
 * calling ours 'relu' or 'elu' would make inference run tfjs's fused relu/elu instead of ours.)
 */
import * as tfc from '@tensorflow/tfjs-core';
// Loaded for its side effect (registering Dense) before tfjsDenseClass() runs: `tfl` below is used
// only in types, and TypeScript drops such an import.
import '@tensorflow/tfjs-layers';
import type * as tfl from '@tensorflow/tfjs-layers';
import { classNameMap, LAYER_PREFIX, oneTensor, registerPluginClass, uniqueLayerName } from './common';

/** The arguments of tf.layers.dense. */
export type DenseArgs = Parameters<typeof tfl.layers.dense>[0];
/** tfjs-layers' Dense (its class is not exported by the package, only its type through the factory). */
type TfDense = ReturnType<typeof tfl.layers.dense>;

/** The fields of tfjs's Dense that call() needs (private in its typings). */
interface DenseFields {
  kernel: tfl.LayerVariable;
  bias: tfl.LayerVariable | null;
  activation: { apply(x: tfc.Tensor): tfc.Tensor } | null;
}

/** tfjs registers Dense for deserialization when tfjs-layers loads; take the class from there. */
function tfjsDenseClass(): new (args: DenseArgs) => TfDense {
  const entry = classNameMap().Dense as [new (args: DenseArgs) => TfDense] | undefined;
  if (!entry) throw new Error('tfjs-activations: tfjs-layers has not registered its Dense layer class');
  return entry[0];
}

/** tf.layers.dense computing matMul + bias + activation as separate ops, for every activation. */
export class Dense extends tfjsDenseClass() {
  static className = `${LAYER_PREFIX}Dense`;

  constructor(args: DenseArgs) {
    super({ ...args, name: args?.name ?? uniqueLayerName('dense') });
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[], kwargs: Parameters<tfl.layers.Layer['call']>[1]): tfc.Tensor {
    return tfc.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const { kernel, bias, activation } = this as unknown as DenseFields;
      const x = oneTensor('Dense layer', inputs);
      const w = kernel.read();
      const units = w.shape[1] as number;
      const flat = x.rank === 2 ? x : tfc.reshape(x, [-1, x.shape[x.rank - 1] as number]);
      let y = tfc.matMul(flat, w);
      if (bias) y = tfc.add(y, bias.read());
      if (activation) y = activation.apply(y);
      return x.rank === 2 ? y : tfc.reshape(y, [...x.shape.slice(0, -1), units]);
    });
  }
}

Object.defineProperty(Dense, 'name', { value: 'Dense' });

export function registerDenseLayer(): void {
  registerPluginClass(Dense as never);
}
