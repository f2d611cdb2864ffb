/**
 * The composite path (what webgl and any backend without our JavaScript kernels run): every
 * definition's `composite` (float32 tfjs-core ops) through the public ops, tf.grad and
 * tf.grad(tf.grad), forced on cpu, wasm and tensorflow, against the 60-digit mpmath reference.
 *
 * Composites are float32 compositions, so they cannot all meet the 4-eps bar of the JavaScript
 * kernels (float64 inside). The bounds below are measured (worst over cpu, wasm and tensorflow,
 * `npm run accuracy` prints them) with some headroom; every bound above 64 eps says why.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as act from '../src';
import { isCompositeOnly, setCompositeOnly, usesComposite } from '../src/engine/run';
import { REDUCTION_LIMIT } from '../src/engine/composite-math';
import { describeEachBackend } from './helpers/backends';
import {
  caseErrors,
  describePoint,
  errorInEps,
  evaluateOrders,
  loadReference,
  parseTruth,
  type PointError,
} from './support/accuracy';

/**
 * Worst error allowed on the composite path, in float32 eps (relative, |truth| floored at 1e-30),
 * for value, f′ and f″ alike. Measured worst (cpu / wasm / tensorflow) in the comments.
 */
const COMPOSITE_BOUNDS: Record<string, { eps: number; why?: string }> = {
  sigmoid: { eps: 4 },       // 2.0 / 2.0 / 2.8
  tanh: { eps: 8 },          // 1.7 / 1.7 / 4.2 (tfjs-node's exp)
  relu: { eps: 4 },          // 0.6
  relu6: { eps: 4 },         // 0
  leakyRelu: { eps: 4 },     // 0.6
  elu: { eps: 4 },           // 0.7 / 0.7 / 0.8
  selu: { eps: 4 },          // 1.1
  celu: { eps: 4 },          // 0.7 / 0.7 / 1.1
  gelu: {
    eps: 128,                // exact form 25 / 25 / 4.9; tanh form 45 / 45 / 92
    why:
      'two float32 effects. (1) f′ has a zero at x ≈ −0.75: at the reference point x = −0.7377, ' +
      'Φ(x) + xφ(x) (exact form) and σ(2u) + 2xσ′(2u)u′ (tanh form) cancel about 40-fold, so a ' +
      '1-ulp error of either term becomes ~25–90 eps (92 on tensorflow, whose exp is less exact). ' +
      '(2) tanh form, left tail: σ(2u) ≈ e^(2u) amplifies the float32 rounding of ' +
      'u = √(2/π)(x + 0.044715x³) by 2|u|: ≈ 45 eps at x ≈ −9.2, where f reaches the 1e-30 floor.',
  },
  softplus: { eps: 4 },      // 1.7 / 1.7 / 1.9
  softsign: { eps: 4 },      // 2.2
  swish: { eps: 32 },        // 12.7 / 12.7 / 12.7; beta = 1.5: 16.6 (z = 1.5x is rounded, e^z amplifies it)
  mish: {
    eps: 96,                 // 62 / 62 / 62
    why:
      'f″ has a zero at x ≈ 1.49: at the reference point x = 1.5 the bracket 2 + x(σ(−x) − 2tσ(x)) ' +
      'cancels about 200-fold, so its float32 rounding becomes ~62 eps (identical on every backend).',
  },
  hardSigmoid: { eps: 4 },   // 0.5
  hardSwish: { eps: 4 },     // 0.7
  hardTanh: { eps: 4 },      // 0
  logSigmoid: { eps: 4 },    // 1.6 / 1.6 / 1.9
  tanhShrink: { eps: 8 },    // 2.8 / 2.8 / 4.7
  softShrink: { eps: 4 },    // 0
  hardShrink: { eps: 4 },    // 0
  squareplus: { eps: 4 },    // 2.7
  sparsePlus: { eps: 4 },    // 0.8
  sparseSigmoid: { eps: 4 }, // 0.4
  exponential: { eps: 4 },   // 0.5 / 0.5 / 0.6
  threshold: { eps: 4 },     // 0
  lisht: { eps: 32 },        // 13.9 / 13.9 / 14.7: f″ = 2sech²(x)(1 − x·tanh x) has a zero at x ≈ 1.2
  snake: { eps: 4 },         // 2.4 / 2.4 / 3.2 (for |frequency·x| ≤ 2^17, see SKIPPED)
};

/**
 * Points left out, with the reason. Snake on wasm for |frequency·x| > 2^17 (the ±1e30 points): beyond
 * our exact Cody–Waite reduction the composite uses the backend's sin/cos, and tfjs-wasm's do no
 * large-argument reduction (sin(1e30) comes out as −0.751, the truth is −0.791). cpu and tensorflow
 * reduce exactly and are tested there too.
 */
function skipped(backend: string, e: PointError): boolean {
  if (e.id !== 'snake' || backend !== 'wasm') return false;
  const frequency = (e.params.frequency as number | undefined) ?? 1;
  return Math.abs(frequency * e.x) > REDUCTION_LIMIT;
}

const reference = loadReference();
const label = (c: { id: string; params: object }) =>
  Object.keys(c.params).length ? `${c.id} ${JSON.stringify(c.params)}` : c.id;

beforeAll(() => setCompositeOnly(true));
afterAll(() => setCompositeOnly(false));

describe('composite bounds table', () => {
  it('has one bound per activation, with a reason for every bound above 64 eps', () => {
    expect(Object.keys(COMPOSITE_BOUNDS).sort()).toEqual([...act.list()].sort());
    for (const [id, b] of Object.entries(COMPOSITE_BOUNDS)) {
      if (b.eps > 64 && !b.why) throw new Error(`${id}: bound ${b.eps} eps needs a reason`);
    }
  });

  it('every definition has a composite', () => {
    expect(act.definitions.filter((d) => !d.composite).map((d) => d.id)).toEqual([]);
  });
});

describeEachBackend((backend) => {
  it('the composite path is forced (and used by every definition)', () => {
    expect(isCompositeOnly()).toBe(true);
    expect(act.definitions.filter((d) => !usesComposite(d)).map((d) => d.id)).toEqual([]);
  });

  describe('ops, tf.grad and tf.grad(tf.grad) on the composite path', () => {
    it.each(reference.cases.map((c) => [label(c), c]))(`%s within its bound on ${backend}`, (_l, c) => {
      const bound = COMPOSITE_BOUNDS[c.id].eps;
      const bad = caseErrors(c).filter((e) => !skipped(backend, e) && !(e.errorEps <= bound));
      expect(bad.slice(0, 10).map(describePoint)).toEqual([]);
    });
  });

  describe('limits at ±Infinity on the composite path', () => {
    it.each(reference.limits.map((l) => [`${label(l)} at ${l.at}`, l]))('%s', (_l, l) => {
      const x = l.at === 'inf' ? Infinity : -Infinity;
      const [y, d1, d2] = evaluateOrders(l.id, l.params, [x]);
      const want = [l.y, l.dy, l.d2y].map(parseTruth);
      const wrong = [y[0], d1[0], d2[0]]
        .map((got, order) => ({ got, order, want: want[order] }))
        .filter(({ got, want }) => !(errorInEps(got, want) <= 4));
      expect(wrong).toEqual([]);
    });
  });

  it('passes NaN through (value, f′, f″) for every activation', () => {
    const bad: string[] = [];
    for (const id of act.list()) {
      const [y, d1, d2] = evaluateOrders(id, {}, [NaN, 1]);
      [y, d1, d2].forEach((v, order) => {
        if (!Number.isNaN(v[0]) || Number.isNaN(v[1])) bad.push(`${id} order ${order}: ${v[0]}, ${v[1]}`);
      });
    }
    expect(bad).toEqual([]);
  });

  it('refuses a third derivative with the same error as the kernel path', () => {
    const f = (x: tf.Tensor) => act.ops.mish(x);
    expect(() => tf.grad(tf.grad(tf.grad(f)))(tf.tensor1d([0.5]))).toThrow(
      "mish: third and higher derivatives are not available (a definition carries f, f' and f'').",
    );
  });

  it('leaves no tensors behind (op, tf.grad, tf.grad(tf.grad)) for every activation', () => {
    const before = tf.memory().numTensors;
    for (const id of act.list()) evaluateOrders(id, {}, [-2, -0.5, 0, 0.5, 3]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('matches the kernel path for a 2-d input (shape and values)', () => {
    const x = tf.tensor2d([[-3, -0.25], [0.75, 4]]);
    for (const def of act.definitions) {
      const composite = act.ops[def.id as 'sigmoid'](x);
      setCompositeOnly(false);
      const kernel = act.ops[def.id as 'sigmoid'](x);
      setCompositeOnly(true);
      expect(composite.shape).toEqual([2, 2]);
      const a = composite.dataSync();
      const b = kernel.dataSync();
      a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b[i]))));
      tf.dispose([composite, kernel]);
    }
    x.dispose();
  });
});
