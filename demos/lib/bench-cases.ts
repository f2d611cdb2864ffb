/**
 * What the benchmark runs for each activation: our op, tfjs's built-in for the same function (from
 * the registry's `builtin` field, at our default parameters) and a plain composition of tfjs ops
 * with autodiff — what a user would write by hand. Everything per activation (composition, cost
 * class, whether tfjs composes, extra rows) is the definition's `bench` field.
 *
 * Compositions are deliberately naive but safe for the benchmark's inputs (|x| ≤ 6): no masks made
 * with tf.where inside the differentiated path, no overflow in an untaken branch.
 */
import * as tf from '@tensorflow/tfjs';
import * as act from '../../src';

import type { BenchFacts, BuiltinEquivalent, CostClass } from '../../src/definition';
import * as internal from '../../src/internal';

export type { CostClass } from '../../src/definition';
export type Fn = (x: tf.Tensor) => tf.Tensor;

export interface Impl {
  /** How it is called, for the report, e.g. `tf.elu`, `tf.layers 'mish'`, `x·tanh(softplus(x))`. */
  name: string;
  fn: Fn;
}

export interface BenchCase {
  /** Row label: the id, or e.g. 'gelu_new' for gelu with {approximate: true}. */
  key: string;
  id: string;
  params: Record<string, unknown>;
  cost: CostClass;
  /** True where tfjs needs several ops for the function (forward or gradient): the 3x / 1.5x target. */
  tfjsComposes: boolean;
  ours: Impl;
  builtin?: Impl;
  /** Undefined for a variant without a composition of its own. */
  composition?: Impl;
}

function builtinFor(b: BuiltinEquivalent | undefined, params: Record<string, unknown>): Impl | undefined {
  if (!b) return undefined;
  if (b.tfjsOp) {
    const op = (tf as unknown as Record<string, (x: tf.Tensor, ...a: unknown[]) => tf.Tensor>)[b.tfjsOp];
    if (typeof op !== 'function') return undefined;
    const extra = (b.tfjsOpParams ?? []).map((k) => params[k]);
    return { name: `tf.${b.tfjsOp}(${['x', ...extra].join(', ')})`, fn: (x) => op(x, ...extra) };
  }
  if (b.tfjsActivation) return layersActivation(b.tfjsActivation);
  return undefined;
}

/** tfjs-layers' activation object (what `activation: name` runs), without the Layer wrapper. */
function layersActivation(name: string): Impl {
  const layer = tf.layers.activation({ activation: name as 'relu' });
  const activation = (layer as unknown as { activation: { apply(x: tf.Tensor): tf.Tensor } }).activation;
  return { name: `tf.layers '${name}'`, fn: (x) => activation.apply(x) };
}

function defaults(def: act.AnyDefinition): Record<string, unknown> {
  return Object.fromEntries(Object.entries(def.params as Record<string, { default: unknown }>).map(([k, s]) => [k, s.default]));
}

const composition = (c: BenchFacts['composition']): Impl => ({ name: c.name, fn: (x) => c.fn(tf, x) });

/** Every case: one per definition, plus the variants definitions list (gelu_new: gelu with {approximate: true}). */
export function benchCases(): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const def of internal.definitions as readonly act.AnyDefinition[]) {
    const op = (act.ops as unknown as Record<string, (x: tf.Tensor, p?: object) => tf.Tensor>)[def.id];
    const base = { key: def.id, params: {}, builtin: def.builtin, composition: def.bench.composition, cost: def.bench.cost, tfjsComposes: def.bench.tfjsComposes };
    for (const v of [base, ...(def.bench.variants ?? [])]) {
      const over = v.params as Record<string, unknown>;
      const params = { ...defaults(def), ...over };
      const given = Object.keys(over).length > 0;
      cases.push({
        key: v.key,
        id: def.id,
        params,
        cost: (v.cost ?? def.bench.cost) as CostClass,
        tfjsComposes: v.tfjsComposes ?? def.bench.tfjsComposes,
        ours: { name: `act.ops.${def.id}${given ? `(x, ${JSON.stringify(over)})` : ''}`, fn: given ? (x) => op(x, over) : (x) => op(x) },
        builtin: builtinFor(v.builtin, params),
        composition: v.composition ? composition(v.composition) : undefined,
      });
    }
  }
  return cases;
}

/** Cases selected by key (all when `keys` is empty); throws on an unknown key. */
export function selectCases(keys: readonly string[] = []): BenchCase[] {
  const all = benchCases();
  if (!keys.length) return all;
  return keys.map((k) => {
    const found = all.find((c) => c.key === k || c.key.toLowerCase() === k.toLowerCase());
    if (!found) throw new Error(`unknown activation '${k}'; known: ${all.map((c) => c.key).join(', ')}`);
    return found;
  });
}
