/**
 * MultiHeadAttention (Vaswani et al., 2017) with Keras 3's weights and semantics, which tfjs lacks.
 *
 * Weights, in Keras's order and shapes (so a Keras model's variables load as they are):
 *   query kernel [E_q, heads, key_dim], query bias [heads, key_dim],
 *   key kernel [E_k, heads, key_dim],   key bias [heads, key_dim],
 *   value kernel [E_v, heads, value_dim], value bias [heads, value_dim],
 *   output kernel [heads, value_dim, ...output_shape], output bias [...output_shape]
 * (no biases with useBias false). Inputs: [query, value], then the key if `withKey`, then a
 * [batch, T, S] attention mask if `withAttentionMask`. Attention runs over axis 1 of rank-3 inputs
 * (Keras's default attention_axes); dropout is inference's identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { formatValue } from '../../params';
import { claimWeight, LAYER_PREFIX, registerPluginClass, splitArgs, uniqueLayerName, type BaseLayerArgs } from '../common';
import { checkInteger } from '../structured/shared';

export interface MultiHeadAttentionArgs extends BaseLayerArgs {
  numHeads: number;
  keyDim: number;
  /** Defaults to keyDim. */
  valueDim?: number | null;
  useBias?: boolean;
  /** Output dimensions after the batch and sequence axes (default: the query's last dimension). */
  outputShape?: number[] | null;
  /** Each query position attends only to key positions up to its own (decoder self-attention). */
  useCausalMask?: boolean;
  /** A third input is the key (otherwise the value is the key). */
  withKey?: boolean;
  /** A last input is a [batch, T, S] mask: 1/true where attention is allowed. */
  withAttentionMask?: boolean;
  /** Training-time dropout on the attention weights (inference ignores it). */
  dropout?: number;
}

const OWNER = 'MultiHeadAttention layer';
type Shape = Array<number | null>;

export class MultiHeadAttention extends tfl.layers.Layer {
  static className = `${LAYER_PREFIX}MultiHeadAttention`;
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly useBias: boolean;
  readonly outputDimensions: number[] | null;
  readonly useCausalMask: boolean;
  readonly withKey: boolean;
  readonly withAttentionMask: boolean;
  readonly dropout: number;
  private w: Record<string, tfl.LayerVariable | undefined> = {};

  constructor(args: MultiHeadAttentionArgs) {
    const { base, rest } = splitArgs(OWNER, args, [
      'numHeads', 'keyDim', 'valueDim', 'useBias', 'outputShape', 'useCausalMask', 'withKey', 'withAttentionMask', 'dropout',
    ]);
    super({ ...base, name: (base.name as string) ?? uniqueLayerName('multi_head_attention') });
    this.numHeads = checkInteger(OWNER, 'numHeads', rest.numHeads, 1);
    this.keyDim = checkInteger(OWNER, 'keyDim', rest.keyDim, 1);
    this.valueDim = rest.valueDim == null ? this.keyDim : checkInteger(OWNER, 'valueDim', rest.valueDim, 1);
    this.useBias = rest.useBias === undefined ? true : Boolean(rest.useBias);
    const out = rest.outputShape as number[] | number | null | undefined;
    this.outputDimensions = out == null ? null : ([] as number[]).concat(out).map((d) => checkInteger(OWNER, 'outputShape', d, 1));
    this.useCausalMask = Boolean(rest.useCausalMask);
    this.withKey = Boolean(rest.withKey);
    this.withAttentionMask = Boolean(rest.withAttentionMask);
    this.dropout = rest.dropout === undefined ? 0 : Number(rest.dropout);
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new Error(`${OWNER}: \`dropout\` must be in [0, 1). Received: dropout=${formatValue(rest.dropout)}`);
  }

  private shapes(inputShape: tfl.Shape | tfl.Shape[]): { query: Shape; value: Shape; key: Shape } {
    const list = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    const expected = 2 + Number(this.withKey) + Number(this.withAttentionMask);
    if (list.length !== expected) throw new Error(`${OWNER}: expects ${expected} inputs. Received: ${list.length} inputs`);
    for (const s of list.slice(0, 2 + Number(this.withKey))) {
      if (s.length !== 3) throw new Error(`${OWNER}: query, value and key must have rank 3 ([batch, sequence, features]). Received shape [${s}]`);
    }
    return { query: list[0], value: list[1], key: this.withKey ? list[2] : list[1] };
  }

  private outputDims(query: Shape): number[] {
    return this.outputDimensions ?? [query[2] as number];
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const { query, value, key } = this.shapes(inputShape);
    const [n, h, hv] = [this.numHeads, this.keyDim, this.valueDim];
    const glorot = () => tfl.initializers.glorotUniform({});
    const zeros = () => tfl.initializers.zeros();
    const dense = (name: string, inDim: Shape[number], dims: number[], biasDims: number[]) => {
      if (inDim === null) throw new Error(`${OWNER}: the feature axis of every input must have a known size`);
      claimWeight(this.name, `${name}/kernel`, [inDim, ...dims]);
      this.w[`${name}Kernel`] = this.addWeight(`${name}/kernel`, [inDim, ...dims], 'float32', glorot());
      if (this.useBias) claimWeight(this.name, `${name}/bias`, biasDims);
      if (this.useBias) this.w[`${name}Bias`] = this.addWeight(`${name}/bias`, biasDims, 'float32', zeros());
    };
    dense('query', query[2], [n, h], [n, h]);
    dense('key', key[2], [n, h], [n, h]);
    dense('value', value[2], [n, hv], [n, hv]);
    const out = this.outputDims(query);
    claimWeight(this.name, 'output/kernel', [n, hv, ...out]);
    this.w.outputKernel = this.addWeight('output/kernel', [n, hv, ...out], 'float32', glorot());
    if (this.useBias) claimWeight(this.name, 'output/bias', out);
    if (this.useBias) this.w.outputBias = this.addWeight('output/bias', out, 'float32', zeros());
    this.built = true;
  }

  /** x [B, L, E] · kernel [E, ...dims] + bias -> [B, L, ...dims]. */
  private project(x: tfc.Tensor, name: string): tfc.Tensor {
    const kernel = this.w[`${name}Kernel`]!.read();
    const [b, l, e] = x.shape;
    const dims = kernel.shape.slice(1);
    let y = tfc.matMul(tfc.reshape(x, [b * l, e]), tfc.reshape(kernel, [e, -1]));
    const bias = this.w[`${name}Bias`];
    if (bias) y = tfc.add(y, tfc.reshape(bias.read(), [-1]));
    return tfc.reshape(y, [b, l, ...dims]);
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.tidy(() => {
      const xs = Array.isArray(inputs) ? inputs : [inputs];
      const [query, value] = xs;
      const key = this.withKey ? xs[2] : value;
      const given = this.withAttentionMask ? xs[xs.length - 1] : null;
      const [b, t] = query.shape as [number, number];
      const s = value.shape[1] as number;
      // [B, L, N, H] -> [B, N, L, H]
      const heads = (x: tfc.Tensor) => tfc.transpose(x, [0, 2, 1, 3]);
      const q = heads(tfc.mul(this.project(query, 'query'), 1 / Math.sqrt(this.keyDim)));
      const k = heads(this.project(key, 'key'));
      const v = heads(this.project(value, 'value'));
      let scores = tfc.matMul(q, k, false, true); // [B, N, T, S]
      let mask: tfc.Tensor | null = null;
      if (given) mask = tfc.expandDims(tfc.cast(given, 'bool'), 1);
      if (this.useCausalMask) {
        // Keras: allowed where row index >= column index.
        const rows = tfc.reshape(tfc.range(0, t), [t, 1]);
        const cols = tfc.reshape(tfc.range(0, s), [1, s]);
        const causal = tfc.greaterEqual(rows, cols);
        mask = mask ? tfc.logicalAnd(mask, causal) : causal;
      }
      if (mask) scores = tfc.where(tfc.broadcastTo(mask, scores.shape), scores, tfc.fill(scores.shape, -1e9));
      let p = tfc.softmax(scores);
      // Keras zeroes masked weights too (a fully masked row gives zeros, not a uniform average).
      if (mask) p = tfc.where(tfc.broadcastTo(mask, p.shape), p, tfc.zerosLike(p));
      const context = tfc.transpose(tfc.matMul(p, v), [0, 2, 1, 3]); // [B, T, N, Hv]
      const kernel = this.w.outputKernel!.read();
      const out = kernel.shape.slice(2);
      let y = tfc.matMul(tfc.reshape(context, [b * t, this.numHeads * this.valueDim]), tfc.reshape(kernel, [this.numHeads * this.valueDim, -1]));
      if (this.w.outputBias) y = tfc.add(y, tfc.reshape(this.w.outputBias.read(), [-1]));
      return tfc.reshape(y, [b, t, ...out]);
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const { query } = this.shapes(inputShape);
    return [query[0], query[1], ...this.outputDims(query)];
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return {
      numHeads: this.numHeads, keyDim: this.keyDim, valueDim: this.valueDim, useBias: this.useBias, outputShape: this.outputDimensions,
      useCausalMask: this.useCausalMask, withKey: this.withKey, withAttentionMask: this.withAttentionMask, dropout: this.dropout,
      ...super.getConfig(),
    };
  }
}

export function registerAttentionLayers(): void {
  registerPluginClass(MultiHeadAttention as never);
}
