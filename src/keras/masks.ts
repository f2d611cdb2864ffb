/**
 * Keras's implicit masks, worked out on the flattened graph.
 *
 * Keras 3 records a mask in the graph only for layers whose call() takes a `mask` argument (graph.ts
 * turns those into SetMask layers). MultiHeadAttention takes `query_mask`, `value_mask` and
 * `key_mask` instead, and Keras fills them at run time from the masks its inputs carry, which the
 * saved config never names. This module follows Keras's propagation (Layer.__call__ and each
 * class's compute_mask, Keras 3.15) to find those masks, as expressions over graph tensors that
 * graph.ts then computes with KerasOp layers.
 *
 * One more Keras behaviour: MultiHeadAttention removes the masks of its query, value and key while
 * it runs (`set_keras_mask(query, None)`), so another layer reading the same tensor sees the mask
 * only if it runs first. When the order is not fixed by the graph, the result depends on Keras's
 * scheduling, and the import refuses the model.
 */
import { fieldError } from './errors';
import { isObject, type KerasLayerEntry } from './fields';
import type { ParsedCall, TensorRef } from './layers';

/** A boolean [batch, ...] mask, as Keras computes it. */
export type MaskExpr =
  | { ref: TensorRef }
  | { notZero: TensorRef }
  | { masking: TensorRef; value: number }
  | { or: MaskExpr[] }
  | { concat: TensorRef[]; masks: Array<MaskExpr | null>; axis: number };

export interface MaskLayer {
  name: string;
  entry: KerasLayerEntry;
  calls: ParsedCall[];
  input?: boolean;
}

/** Layers whose compute_mask passes the incoming mask on (supports_masking, Layer's default). */
const PASS_THROUGH = new Set(['Dense', 'Dropout', 'BatchNormalization', 'LayerNormalization', 'TimeDistributed', 'GroupNormalization',
  'Activation', 'ReLU', 'LeakyReLU', 'PReLU', 'ELU', 'Softmax', 'Rescaling', 'Normalization']);
/** Layers that drop the mask (supports_masking false, or compute_mask returning None). */
const DROP = new Set(['Conv1D', 'Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose', 'MaxPooling1D', 'MaxPooling2D',
  'AveragePooling1D', 'AveragePooling2D', 'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D',
  'Flatten', 'Reshape', 'ZeroPadding2D', 'Cropping2D', 'UpSampling2D', 'Permute', 'RepeatVector', 'RMSNormalization']);
const MERGE = new Set(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']);
const RNN = new Set(['LSTM', 'GRU', 'SimpleRNN', 'Bidirectional']);

const key = (layer: string, node: number) => `${layer}\u0000${node}`;
const slot = (v: unknown): number | null => (isObject(v) && typeof v.input === 'number' ? v.input : null);

export class KerasMasks {
  private readonly byName = new Map<string, MaskLayer>();
  private readonly memo = new Map<string, MaskExpr | null>();
  /** For each tensor, the attention calls that remove its mask while they run. */
  private readonly clearedBy = new Map<string, Array<[string, number]>>();
  private readonly reaches = new Map<string, Set<string>>();

  constructor(layers: MaskLayer[]) {
    for (const l of layers) this.byName.set(l.name, l);
    for (const l of layers) {
      if (l.entry.class_name !== 'MultiHeadAttention' || l.entry.module?.startsWith('keras.src.ops')) continue;
      l.calls.forEach((call, n) => {
        for (const t of attentionInputs(call)) {
          const k = key(t.layer, t.node) + `\u0000${t.index}`;
          this.clearedBy.set(k, [...(this.clearedBy.get(k) ?? []), [l.name, n]]);
        }
      });
    }
  }

  /** The mask of tensor `t` as the call `node` of layer `consumer` receives it. */
  maskOf(t: TensorRef, consumer: string, node: number): MaskExpr | null {
    const base = this.created(t);
    if (!base) return null;
    for (const [m, n] of this.clearedBy.get(key(t.layer, t.node) + `\u0000${t.index}`) ?? []) {
      if (m === consumer && n === node) continue;
      if (this.dependsOn(consumer, node, m, n)) return null;  // the attention ran first and removed it
      if (!this.dependsOn(m, n, consumer, node)) {
        const c = this.byName.get(consumer)!;
        throw fieldError({ name: consumer, className: c.entry.class_name }, 'inbound_nodes', `reads the masked output of '${t.layer}' ` +
          `that MultiHeadAttention '${m}' also reads; Keras removes that mask when the attention runs, and nothing in the graph ` +
          'orders the two, so Keras\'s result depends on its scheduling', undefined);
      }
    }
    return base;
  }

  /** The mask Keras attaches to `t` when the layer that outputs it runs. */
  private created(t: TensorRef): MaskExpr | null {
    const k = key(t.layer, t.node) + `\u0000${t.index}`;
    if (this.memo.has(k)) return this.memo.get(k)!;
    this.memo.set(k, null);  // a cycle cannot happen (checked graph); this guards the recursion anyway
    const value = this.compute(t);
    this.memo.set(k, value);
    return value;
  }

  private compute(t: TensorRef): MaskExpr | null {
    const layer = this.byName.get(t.layer);
    if (!layer || layer.input) return null;
    const call = layer.calls[t.node];
    const { entry } = layer;
    const cls = entry.class_name;
    if (typeof entry.module === 'string' && entry.module.startsWith('keras.src.ops')) return null;  // keras.ops keep no mask
    const cfg = entry.config ?? {};
    const first = call.args[0];
    const firstTensor = slot(Array.isArray(first) ? first[0] : first);
    // Layer.__call__'s previous_mask: the mask argument if the call has one, else the first argument's mask(s).
    const previous = (): MaskExpr | null => {
      const m = slot(call.kwargs.mask);
      if (m !== null) return { ref: call.tensors[m] };
      return firstTensor === null ? null : this.maskOf(call.tensors[firstTensor], layer.name, t.node);
    };
    const listMasks = (): Array<MaskExpr | null> => (Array.isArray(first) ? first : [first]).map((v) => {
      const i = slot(v);
      return i === null ? null : this.maskOf(call.tensors[i], layer.name, t.node);
    });
    if (cls === 'Embedding') return cfg.mask_zero === true && firstTensor !== null ? { notZero: call.tensors[firstTensor] } : null;
    if (cls === 'Masking' && firstTensor !== null) return { masking: call.tensors[firstTensor], value: Number(cfg.mask_value ?? 0) };
    if (cls === 'MultiHeadAttention') return t.index === 0 && firstTensor !== null ? this.maskOf(call.tensors[firstTensor], layer.name, t.node) : null;
    if (PASS_THROUGH.has(cls)) return t.index === 0 ? previous() : null;
    if (DROP.has(cls)) return null;
    if (RNN.has(cls)) {
      const inner = cls === 'Bidirectional' && isObject(cfg.layer) && isObject(cfg.layer.config) ? cfg.layer.config : cfg;
      const sequences = inner.return_sequences === true;
      const outputs = cls === 'Bidirectional' && cfg.merge_mode === null ? 2 : 1;
      return sequences && t.index < outputs ? previous() : null;
    }
    if (MERGE.has(cls)) {
      const masks = listMasks();
      return masks.length > 0 && masks.every((m) => m !== null) ? { or: masks as MaskExpr[] } : null;
    }
    if (cls === 'Concatenate') {
      const masks = listMasks();
      if (masks.every((m) => m === null)) return null;
      const inputs = (Array.isArray(first) ? first : [first]).map((v) => call.tensors[slot(v)!]);
      return { concat: inputs, masks, axis: Number(cfg.axis ?? -1) };
    }
    if (previous() === null) return null;
    throw fieldError({ name: layer.name, className: cls }, 'class_name', 'passes a Keras mask on to a MultiHeadAttention, and how Keras ' +
      `propagates masks through ${cls} is not imported`, cls);
  }

  /** Whether call `n` of layer `a` reads (through any path) an output of call `m` of layer `b`. */
  private dependsOn(a: string, n: number, b: string, m: number): boolean {
    return this.upstream(a, n).has(key(b, m));
  }

  private upstream(layer: string, node: number): Set<string> {
    const k = key(layer, node);
    const known = this.reaches.get(k);
    if (known) return known;
    const seen = new Set<string>();
    const stack: TensorRef[] = [...(this.byName.get(layer)?.calls[node]?.tensors ?? [])];
    while (stack.length > 0) {
      const t = stack.pop()!;
      const id = key(t.layer, t.node);
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(this.byName.get(t.layer)?.calls[t.node]?.tensors ?? []));
    }
    this.reaches.set(k, seen);
    return seen;
  }
}

/** The query, value and key tensors of a MultiHeadAttention call. */
export function attentionInputs(call: ParsedCall): TensorRef[] {
  const out: TensorRef[] = [];
  for (const v of [call.args[0], call.args[1], call.kwargs.key ?? call.args[2]]) {
    const i = slot(v);
    if (i !== null) out.push(call.tensors[i]);
  }
  return out;
}
