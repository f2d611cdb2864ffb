/**
 * MultiHeadAttention (Vaswani et al., 2017) with Keras 3's weights and semantics, which tfjs lacks.
 *
 * Weights, in Keras's order and shapes (so a Keras model's variables load as they are):
 *   query kernel [E_q, heads, key_dim], query bias [heads, key_dim],
 *   key kernel [E_k, heads, key_dim],   key bias [heads, key_dim],
 *   with `useGate`: gate kernel [E_q, heads, value_dim], gate bias [heads, value_dim],
 *   value kernel [E_v, heads, value_dim], value bias [heads, value_dim],
 *   output kernel [heads, value_dim, ...output_shape], output bias [...output_shape]
 * (no biases with useBias false). Inputs: [query, value], then the key if `withKey`, an attention
 * mask if `withAttentionMask`, and the [batch, ...] masks of the query, value and key inputs if
 * `withQueryMask`/`withValueMask`/`withKeyMask` (Keras's implicit masks, made explicit by the
 * import). Inputs are [batch, ...positions, features]; attention runs over `attentionAxes` (default:
 * every position axis), the other position axes act as batch axes, as in Keras's einsum
 * equations. Masks combine as Keras's _compute_attention_mask does. With `returnAttentionScores`
 * the layer has a second output, the attention weights [batch, ...other axes, heads, ...query
 * positions, ...key positions]. Dropout is inference's identity.
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
  /** Output dimensions after the position axes (default: the query's last dimension). */
  outputShape?: number[] | null;
  /** Each query position attends only to key positions up to its own (decoder self-attention). */
  useCausalMask?: boolean;
  /** Each query position attends only to key positions less than this far from it. */
  slidingWindow?: number | null;
  /** A third input is the key (otherwise the value is the key). */
  withKey?: boolean;
  /** An input is a mask broadcastable to [batch, ...query positions, ...key positions]: 1/true where attention is allowed. */
  withAttentionMask?: boolean;
  /** Inputs are [batch, ...positions] masks of the query, value, key (true: a real position). */
  withQueryMask?: boolean;
  withValueMask?: boolean;
  withKeyMask?: boolean;
  /** Position axes (1 ... rank − 2) attention runs over; default all. */
  attentionAxes?: number[] | null;
  /** Gated attention: the heads' outputs times sigmoid(query · gate kernel + gate bias). */
  useGate?: boolean;
  /** A second output: the attention weights. */
  returnAttentionScores?: boolean;
  /**
   * Rows with every key masked give zeros (Keras's einsum path: with dropout, attention scores or
   * inputs of rank > 3) rather than a uniform average (its dot-product path). Default true.
   */
  zeroMaskedRows?: boolean;
  /** Training-time dropout on the attention weights (inference ignores it). */
  dropout?: number;
}

const OWNER = 'MultiHeadAttention layer';
type Shape = Array<number | null>;
const FLAGS = ['useCausalMask', 'withKey', 'withAttentionMask', 'withQueryMask', 'withValueMask', 'withKeyMask', 'useGate', 'returnAttentionScores'] as const;
const prod = (a: number[]) => a.reduce((x, y) => x * y, 1);

export class MultiHeadAttention extends tfl.layers.Layer {
  static className = `${LAYER_PREFIX}MultiHeadAttention`;
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly useBias: boolean;
  readonly outputDimensions: number[] | null;
  readonly useCausalMask: boolean;
  readonly slidingWindow: number | null;
  readonly withKey: boolean;
  readonly withAttentionMask: boolean;
  readonly withQueryMask: boolean;
  readonly withValueMask: boolean;
  readonly withKeyMask: boolean;
  readonly attentionAxes: number[] | null;
  readonly useGate: boolean;
  readonly returnAttentionScores: boolean;
  readonly zeroMaskedRows: boolean;
  readonly dropout: number;
  private w: Record<string, tfl.LayerVariable | undefined> = {};

  constructor(args: MultiHeadAttentionArgs) {
    const { base, rest } = splitArgs(OWNER, args, [
      'numHeads', 'keyDim', 'valueDim', 'useBias', 'outputShape', 'slidingWindow', 'attentionAxes', 'zeroMaskedRows', 'dropout', ...FLAGS,
    ]);
    super({ ...base, name: (base.name as string) ?? uniqueLayerName('multi_head_attention') });
    this.numHeads = checkInteger(OWNER, 'numHeads', rest.numHeads, 1);
    this.keyDim = checkInteger(OWNER, 'keyDim', rest.keyDim, 1);
    this.valueDim = rest.valueDim == null ? this.keyDim : checkInteger(OWNER, 'valueDim', rest.valueDim, 1);
    this.useBias = rest.useBias === undefined ? true : Boolean(rest.useBias);
    const out = rest.outputShape as number[] | number | null | undefined;
    this.outputDimensions = out == null ? null : ([] as number[]).concat(out).map((d) => checkInteger(OWNER, 'outputShape', d, 1));
    this.slidingWindow = rest.slidingWindow == null ? null : checkInteger(OWNER, 'slidingWindow', rest.slidingWindow, 1);
    const axes = rest.attentionAxes as number[] | number | null | undefined;
    this.attentionAxes = axes == null ? null : ([] as number[]).concat(axes).map((a) => checkInteger(OWNER, 'attentionAxes', a, 1));
    if (this.attentionAxes && (this.attentionAxes.length === 0 || new Set(this.attentionAxes).size !== this.attentionAxes.length)) {
      throw new Error(`${OWNER}: \`attentionAxes\` must be distinct position axes. Received: attentionAxes=${formatValue(axes)}`);
    }
    [this.useCausalMask, this.withKey, this.withAttentionMask, this.withQueryMask, this.withValueMask, this.withKeyMask, this.useGate,
      this.returnAttentionScores] = FLAGS.map((k) => Boolean(rest[k]));
    this.zeroMaskedRows = rest.zeroMaskedRows === undefined ? true : Boolean(rest.zeroMaskedRows);
    this.dropout = rest.dropout === undefined ? 0 : Number(rest.dropout);
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new Error(`${OWNER}: \`dropout\` must be in [0, 1). Received: dropout=${formatValue(rest.dropout)}`);
  }

  private get inputCount(): number {
    return 2 + [this.withKey, this.withAttentionMask, this.withQueryMask, this.withValueMask, this.withKeyMask].filter(Boolean).length;
  }

  private shapes(inputShape: tfl.Shape | tfl.Shape[]): { query: Shape; value: Shape; key: Shape } {
    const list = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    if (list.length !== this.inputCount) throw new Error(`${OWNER}: expects ${this.inputCount} inputs. Received: ${list.length} inputs`);
    const [query, value] = list;
    const key = this.withKey ? list[2] : value;
    for (const s of [query, value, key]) {
      if (s.length < 3 || s.length !== query.length) {
        throw new Error(`${OWNER}: query, value and key must have one rank >= 3 ([batch, ...positions, features]). Received shape [${s}]`);
      }
    }
    for (const a of this.axes(query.length)) if (a > query.length - 2) throw new Error(`${OWNER}: attention axis ${a} is not a position axis of rank-${query.length} inputs`);
    return { query, value, key };
  }

  /** The position axes attention runs over, for inputs of rank r. */
  private axes(r: number): number[] {
    return this.attentionAxes ?? Array.from({ length: r - 2 }, (_, i) => i + 1);
  }

  private outputDims(query: Shape): number[] {
    return this.outputDimensions ?? [query[query.length - 1] as number];
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
    dense('query', query[query.length - 1], [n, h], [n, h]);
    dense('key', key[key.length - 1], [n, h], [n, h]);
    if (this.useGate) dense('gate', query[query.length - 1], [n, hv], [n, hv]);
    dense('value', value[value.length - 1], [n, hv], [n, hv]);
    const out = this.outputDims(query);
    claimWeight(this.name, 'output/kernel', [n, hv, ...out]);
    this.w.outputKernel = this.addWeight('output/kernel', [n, hv, ...out], 'float32', glorot());
    if (this.useBias) claimWeight(this.name, 'output/bias', out);
    if (this.useBias) this.w.outputBias = this.addWeight('output/bias', out, 'float32', zeros());
    this.built = true;
  }

  /** x [..., E] · kernel [E, ...dims] + bias -> [..., ...dims]. */
  private project(x: tfc.Tensor, name: string): tfc.Tensor {
    const kernel = this.w[`${name}Kernel`]!.read();
    const e = x.shape[x.rank - 1];
    const dims = kernel.shape.slice(1);
    let y = tfc.matMul(tfc.reshape(x, [-1, e]), tfc.reshape(kernel, [e, -1]));
    const bias = this.w[`${name}Bias`];
    if (bias) y = tfc.add(y, tfc.reshape(bias.read(), [-1]));
    return tfc.reshape(y, [...x.shape.slice(0, -1), ...dims]);
  }

  /**
   * The combined mask (or null), as Keras builds it: query mask [B, T, 1] & value and key masks
   * [B, 1, S] & causal and sliding-window [1, T, S] (T, S: axis 1 of the query and value), then the
   * attention mask & that; finally expanded at the heads axis (Keras's _masked_softmax) and
   * broadcast to the scores' shape.
   */
  private mask(xs: tfc.Tensor[], query: tfc.Tensor, value: tfc.Tensor, scoresShape: number[], axes: number): tfc.Tensor | null {
    let k = 2 + Number(this.withKey);
    const next = (on: boolean) => (on ? tfc.cast(xs[k++], 'bool') : null);
    const given = next(this.withAttentionMask);
    const [qm, vm, km] = [next(this.withQueryMask), next(this.withValueMask), next(this.withKeyMask)];
    let auto: tfc.Tensor | null = null;
    const and = (m: tfc.Tensor) => (auto = auto ? tfc.logicalAnd(auto, m) : m);
    if (qm) and(tfc.expandDims(qm, -1));
    if (vm) and(tfc.expandDims(vm, -2));
    if (km) and(tfc.expandDims(km, -2));
    const [t, s] = [query.shape[1] as number, value.shape[1] as number];
    const rows = () => tfc.reshape(tfc.range(0, t, 1, 'int32'), [1, t, 1]);
    const cols = () => tfc.reshape(tfc.range(0, s, 1, 'int32'), [1, 1, s]);
    if (this.useCausalMask) and(tfc.greaterEqual(rows(), cols()));
    if (this.slidingWindow !== null) and(tfc.less(tfc.abs(tfc.sub(rows(), cols())), this.slidingWindow));
    let mask: tfc.Tensor | null = given && auto ? tfc.logicalAnd(given, auto) : given ?? auto;
    if (!mask) return null;
    while (mask.rank < scoresShape.length) mask = tfc.expandDims(mask, -2 * axes - 1);
    return tfc.broadcastTo(mask, scoresShape);
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor | tfc.Tensor[] {
    return tfc.tidy(() => {
      const xs = Array.isArray(inputs) ? inputs : [inputs];
      const [query, value] = xs;
      const key = this.withKey ? xs[2] : value;
      const r = query.rank;
      const axes = this.axes(r);
      const others = Array.from({ length: r - 2 }, (_, i) => i + 1).filter((a) => !axes.includes(a));
      // Projected [B, ...positions, N, H] -> [B, ...other axes, N, ...attention axes, H] -> [B', N, L, H].
      const perm = [0, ...others, r - 1, ...axes, r];
      const flat = (x: tfc.Tensor) => {
        const moved = tfc.transpose(x, perm);
        const d = moved.shape;
        return tfc.reshape(moved, [prod(d.slice(0, 1 + others.length)), this.numHeads, prod(d.slice(2 + others.length, -1)), d[d.length - 1]]);
      };
      const q = flat(tfc.mul(this.project(query, 'query'), 1 / Math.sqrt(this.keyDim)));
      const k = flat(this.project(key, 'key'));
      const vProjected = this.project(value, 'value');
      const v = flat(vProjected);
      let scores = tfc.matMul(q, k, false, true); // [B', N, T, S]
      const batchDims = [query.shape[0], ...others.map((a) => query.shape[a])];
      const qDims = axes.map((a) => query.shape[a]);
      const kDims = axes.map((a) => key.shape[a]);
      // Keras's layout of the scores: [B, ...other axes, N, ...query positions, ...key positions].
      const kerasShape = [...batchDims, this.numHeads, ...qDims, ...kDims];
      const full = this.mask(xs, query, value, kerasShape, axes.length);
      const mask = full ? tfc.reshape(full, scores.shape) : null;
      if (mask) scores = tfc.where(mask, scores, tfc.fill(scores.shape, -1e9));
      let p = tfc.softmax(scores);
      // Keras's einsum path zeroes masked weights (a fully masked row gives zeros, not an average).
      if (mask && this.zeroMaskedRows) p = tfc.where(mask, p, tfc.zerosLike(p));
      const moved = [...batchDims, this.numHeads, ...qDims, this.valueDim];
      const inverse = perm.map((_, i) => perm.indexOf(i));
      let context = tfc.transpose(tfc.reshape(tfc.matMul(p, v), moved), inverse); // [B, ...positions, N, Hv]
      if (this.useGate) context = tfc.mul(context, tfc.sigmoid(this.project(query, 'gate')));
      const kernel = this.w.outputKernel!.read();
      const out = kernel.shape.slice(2);
      const nv = this.numHeads * this.valueDim;
      let y = tfc.matMul(tfc.reshape(context, [-1, nv]), tfc.reshape(kernel, [nv, -1]));
      if (this.w.outputBias) y = tfc.add(y, tfc.reshape(this.w.outputBias.read(), [-1]));
      const output = tfc.reshape(y, [...query.shape.slice(0, -1), ...out]);
      return this.returnAttentionScores ? [output, tfc.reshape(p, kerasShape)] : output;
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    const { query, key } = this.shapes(inputShape);
    const output = [...query.slice(0, -1), ...this.outputDims(query)];
    if (!this.returnAttentionScores) return output;
    const axes = this.axes(query.length);
    const others = Array.from({ length: query.length - 2 }, (_, i) => i + 1).filter((a) => !axes.includes(a));
    return [output, [query[0], ...others.map((a) => query[a]), this.numHeads, ...axes.map((a) => query[a]), ...axes.map((a) => key[a])]];
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return {
      numHeads: this.numHeads, keyDim: this.keyDim, valueDim: this.valueDim, useBias: this.useBias, outputShape: this.outputDimensions,
      useCausalMask: this.useCausalMask, slidingWindow: this.slidingWindow, withKey: this.withKey, withAttentionMask: this.withAttentionMask,
      withQueryMask: this.withQueryMask, withValueMask: this.withValueMask, withKeyMask: this.withKeyMask, attentionAxes: this.attentionAxes,
      useGate: this.useGate, returnAttentionScores: this.returnAttentionScores, zeroMaskedRows: this.zeroMaskedRows, dropout: this.dropout,
      ...super.getConfig(),
    };
  }
}

export function registerAttentionLayers(): void {
  registerPluginClass(MultiHeadAttention as never);
}
