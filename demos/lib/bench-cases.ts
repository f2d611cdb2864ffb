/**
 * What the benchmark runs for each activation: our op, tfjs's built-in for the same function (from
 * the registry's `builtin` field, at our default parameters) and a plain composition of tfjs ops
 * with autodiff — what a user would write by hand.
 *
 * Compositions are deliberately naive but safe for the benchmark's inputs (|x| ≤ 6): no masks made
 * with tf.where inside the differentiated path, no overflow in an untaken branch.
 */
import * as tf from '@tensorflow/tfjs';
import * as act from '../../src';

export type Fn = (x: tf.Tensor) => tf.Tensor;

/** What bounds an activation's cost per element in a JavaScript loop (used for the "limit" targets). */
export type CostClass = 'cheap' | 'exp' | 'other';

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
  /** Undefined only for a definition added without a hand-written composition here. */
  composition?: Impl;
}

// Shorthands for the compositions.
const c = (v: number) => tf.scalar(v);
const clip01 = (x: tf.Tensor) => tf.clipByValue(x, 0, 1);
const softplusNaive = (x: tf.Tensor) => tf.log1p(tf.exp(x));
const sigmoidNaive = (x: tf.Tensor) => tf.div(c(1), tf.add(c(1), tf.exp(tf.neg(x))));
const negPart = (x: tf.Tensor) => tf.minimum(x, c(0));

/** Compositions at our default parameters (the benchmark always runs the defaults). */
const COMPOSITIONS: Record<string, Impl> = {
  sigmoid: { name: '1/(1+exp(−x))', fn: sigmoidNaive },
  tanh: { name: '(e^2x−1)/(e^2x+1)', fn: (x) => { const e = tf.exp(tf.mul(c(2), x)); return tf.div(tf.sub(e, c(1)), tf.add(e, c(1))); } },
  relu: { name: 'maximum(x, 0)', fn: (x) => tf.maximum(x, c(0)) },
  relu6: { name: 'clipByValue(x, 0, 6)', fn: (x) => tf.clipByValue(x, 0, 6) },
  leakyRelu: { name: 'maximum(x, 0.2x)', fn: (x) => tf.maximum(x, tf.mul(c(0.2), x)) },
  elu: { name: 'relu(x) + expm1(min(x, 0))', fn: (x) => tf.add(tf.relu(x), tf.expm1(negPart(x))) },
  selu: {
    name: 'λ(relu(x) + α·expm1(min(x, 0)))',
    fn: (x) => tf.mul(c(1.0507009873554805), tf.add(tf.relu(x), tf.mul(c(1.6732632423543772), tf.expm1(negPart(x))))),
  },
  celu: { name: 'relu(x) + expm1(min(x, 0))  (α = 1)', fn: (x) => tf.add(tf.relu(x), tf.expm1(negPart(x))) },
  gelu: { name: '0.5x(1 + erf(x/√2))', fn: (x) => tf.mul(tf.mul(c(0.5), x), tf.add(c(1), tf.erf(tf.mul(x, c(Math.SQRT1_2))))) },
  gelu_new: {
    name: '0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))',
    fn: (x) =>
      tf.mul(tf.mul(c(0.5), x), tf.add(c(1), tf.tanh(tf.mul(c(Math.sqrt(2 / Math.PI)), tf.add(x, tf.mul(c(0.044715), tf.mul(x, tf.square(x)))))))),
  },
  softplus: { name: 'log1p(exp(x))', fn: softplusNaive },
  softsign: { name: 'x/(1 + |x|)', fn: (x) => tf.div(x, tf.add(c(1), tf.abs(x))) },
  swish: { name: 'x·sigmoid(x)', fn: (x) => tf.mul(x, tf.sigmoid(x)) },
  mish: { name: 'x·tanh(softplus(x))', fn: (x) => tf.mul(x, tf.tanh(tf.softplus(x))) },
  hardSigmoid: { name: 'clip(x/6 + 1/2, 0, 1)', fn: (x) => clip01(tf.add(tf.mul(x, c(1 / 6)), c(0.5))) },
  hardSwish: { name: 'x·clip(x/6 + 1/2, 0, 1)', fn: (x) => tf.mul(x, clip01(tf.add(tf.mul(x, c(1 / 6)), c(0.5)))) },
  hardTanh: { name: 'clipByValue(x, −1, 1)', fn: (x) => tf.clipByValue(x, -1, 1) },
  logSigmoid: { name: '−log1p(exp(−x))', fn: (x) => tf.neg(softplusNaive(tf.neg(x))) },
  tanhShrink: { name: 'x − tanh(x)', fn: (x) => tf.sub(x, tf.tanh(x)) },
  softShrink: { name: 'relu(x − λ) − relu(−x − λ)', fn: (x) => tf.sub(tf.relu(tf.sub(x, c(0.5))), tf.relu(tf.sub(tf.neg(x), c(0.5)))) },
  hardShrink: { name: 'x·step(|x| − λ)', fn: (x) => tf.mul(x, tf.step(tf.sub(tf.abs(x), c(0.5)))) },
  squareplus: { name: '(x + √(x² + b))/2', fn: (x) => tf.mul(c(0.5), tf.add(x, tf.sqrt(tf.add(tf.square(x), c(4))))) },
  sparsePlus: {
    name: '(clip(x, −1, 1) + 1)²/4 + relu(x − 1)',
    fn: (x) => tf.add(tf.mul(c(0.25), tf.square(tf.add(tf.clipByValue(x, -1, 1), c(1)))), tf.relu(tf.sub(x, c(1)))),
  },
  sparseSigmoid: { name: '(clip(x, −1, 1) + 1)/2', fn: (x) => tf.mul(c(0.5), tf.add(tf.clipByValue(x, -1, 1), c(1))) },
  exponential: { name: 'exp(x)', fn: (x) => tf.exp(x) },
  threshold: { name: 'x·step(x)  (threshold 0, value 0)', fn: (x) => tf.mul(x, tf.step(x)) },
  lisht: { name: 'x·tanh(x)', fn: (x) => tf.mul(x, tf.tanh(x)) },
  snake: { name: 'x + sin²(x)  (a = 1)', fn: (x) => tf.add(x, tf.square(tf.sin(x))) },
};

/** Cost class per id; ids not listed are 'other' (not held to a limit target). */
const COST: Record<string, CostClass> = {
  relu: 'cheap', relu6: 'cheap', leakyRelu: 'cheap', hardSigmoid: 'cheap', hardSwish: 'cheap',
  hardTanh: 'cheap', softShrink: 'cheap', hardShrink: 'cheap', sparsePlus: 'cheap',
  sparseSigmoid: 'cheap', threshold: 'cheap', softsign: 'cheap',
  sigmoid: 'exp', tanh: 'exp', elu: 'exp', selu: 'exp', celu: 'exp', softplus: 'exp', swish: 'exp',
  mish: 'exp', logSigmoid: 'exp', exponential: 'exp', tanhShrink: 'exp', lisht: 'exp', gelu_new: 'exp',
};

/**
 * Where tfjs itself needs several ops (forward or gradient) for the function: the issue's
 * "at least 3x on cpu, 1.5x on wasm and tensorflow" target. Single-kernel tfjs ops whose gradient is
 * also one or two kernels (sigmoid, tanh, relu, relu6, elu, exp, softplus) are not in it.
 */
const TFJS_COMPOSES = new Set(['gelu', 'gelu_new', 'mish', 'swish', 'softsign', 'selu', 'leakyRelu', 'logSigmoid']);

function builtinFor(key: string, def: act.AnyDefinition, params: Record<string, unknown>): Impl | undefined {
  if (key === 'gelu_new') return layersActivation('gelu_new');
  const b = def.builtin;
  if (!b) return undefined;
  if (b.tfjsOp) {
    const op = (tf as unknown as Record<string, (x: tf.Tensor, ...a: unknown[]) => tf.Tensor>)[b.tfjsOp];
    if (typeof op !== 'function') return undefined;
    if (b.tfjsOp === 'leakyRelu') return { name: `tf.leakyRelu(x, ${params.alpha})`, fn: (x) => op(x, params.alpha) };
    return { name: `tf.${b.tfjsOp}`, fn: (x) => op(x) };
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

/** Every case: one per definition, plus 'gelu_new' (gelu with {approximate: true}). */
export function benchCases(): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const def of act.definitions as readonly act.AnyDefinition[]) {
    const variants: Array<[string, Record<string, unknown>]> = [[def.id, {}]];
    if (def.id === 'gelu') variants.push(['gelu_new', { approximate: true }]);
    for (const [key, over] of variants) {
      const params = { ...defaults(def), ...over };
      const op = (act.ops as unknown as Record<string, (x: tf.Tensor, p?: object) => tf.Tensor>)[def.id];
      const composition = COMPOSITIONS[key];
      cases.push({
        key,
        id: def.id,
        params,
        cost: COST[key] ?? 'other',
        tfjsComposes: TFJS_COMPOSES.has(key),
        ours: { name: `act.ops.${def.id}${Object.keys(over).length ? `(x, ${JSON.stringify(over)})` : ''}`, fn: Object.keys(over).length ? (x) => op(x, over) : (x) => op(x) },
        builtin: builtinFor(key, def, params),
        // A new definition without a hand-written composition is still benchmarked (ours vs built-in).
        composition,
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
