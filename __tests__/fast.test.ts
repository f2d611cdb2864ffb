/**
 * The fast precision mode: every definition's float32 forms, as each backend runs them (TensorFlow
 * ops on tensorflow, the fused kernels where a backend has them, float64 JavaScript on cpu, where
 * that is also the fastest), and as the composite of tfjs-core ops that any other backend runs
 * (forced here on cpu, wasm and tensorflow). Through the public ops, tf.grad and tf.grad(tf.grad),
 * value, f′ and f″ must be backward stable within 4 eps (__tests__/support/stability.ts) against
 * 60-digit mpmath truth at the reference points, and against the float64 definitions on a dense grid.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as act from '../src';
import type { AnyDefinition } from '../src/definition';
import { resolveDefinitionParams } from '../src/engine/op';
import { isCompositeOnly, setCompositeOnly, usesComposite } from '../src/engine/run';
import { describeEachBackend } from './helpers/backends';
import { evaluateOrders, loadReference, parseTruth, type ReferenceCase } from './support/accuracy';
import { backwardBar, centralDifference } from './support/stability';
import * as internal from '../src/internal';

const reference = loadReference();
const label = (c: { id: string; params: object }) =>
  Object.keys(c.params).length ? `${c.id} ${JSON.stringify(c.params)}` : c.id;

/** Dense float32 grid: every 0.01 in [−30, 30], and ±10^k for k in [−30, 30] in quarter steps. */
const GRID: number[] = (() => {
  const xs = new Set<number>();
  for (let i = -3000; i <= 3000; i++) xs.add(Math.fround(i / 100));
  for (let e = -30; e <= 30; e += 0.25) {
    xs.add(Math.fround(10 ** e));
    xs.add(Math.fround(-(10 ** e)));
  }
  return [...xs];
})();

const ORDER_NAMES = ['f', "f'", "f''"];

/** Points where a result breaks the bar, described (at most `limit`). */
function violations(c: ReferenceCase, limit = 8): string[] {
  const def = act.get(c.id) as AnyDefinition;
  const p = resolveDefinitionParams(def, c.params);
  const g = [(x: number) => def.forward(x, p), (x: number) => def.derivative(x, p), (x: number) => def.secondDerivative(x, p)];
  const next = [g[1], g[2], centralDifference(g[2])];
  const truths = [c.y, c.dy, c.d2y];
  const xs = [...c.x, ...GRID];
  const results = evaluateOrders(c.id, c.params, xs);
  const bad: string[] = [];
  for (const order of [0, 1, 2] as const) {
    xs.forEach((x, i) => {
      if (bad.length >= limit) return;
      const fixture = i < c.x.length ? truths[order][i] : undefined;
      if (fixture === null) return;  // at a kink: a convention, tested in gradients.test.ts
      const truth = fixture === undefined ? g[order](x) : parseTruth(fixture);
      const got = results[order][i];
      const rounded = Math.fround(truth);
      const bar = backwardBar(g[order], x, next[order]);
      const ok = Number.isFinite(rounded)
        ? Math.abs(got - truth) <= bar
        : Object.is(got, rounded) || (Number.isNaN(got) && Number.isNaN(truth));
      if (!ok) {
        bad.push(`${ORDER_NAMES[order]}(${x}) = ${got}, truth ${truth}, ` +
          `error ${Math.abs(got - truth).toExponential(2)} > bar ${bar.toExponential(2)}`);
      }
    });
  }
  return bad;
}

describe.each(['fast kernels', 'composite'])('%s', (path) => {
  const composite = path === 'composite';
  beforeAll(() => {
    act.setPrecision('fast');
    setCompositeOnly(composite);
  });
  afterAll(() => {
    act.setPrecision('default');
    setCompositeOnly(false);
  });

  describeEachBackend((backend) => {
    it(`runs ${composite ? 'the composite for every definition' : 'our kernels, not the composite'}`, () => {
      expect(isCompositeOnly()).toBe(composite);
      expect(internal.definitions.filter((d) => usesComposite(d) !== composite).map((d) => d.id)).toEqual([]);
      expect(act.getPrecision()).toBe('fast');
    });

    it.each(reference.cases.map((c) => [label(c), c]))(`%s: f, f′, f″ backward stable within 4 eps on ${backend}`, (_l, c) => {
      expect(violations(c)).toEqual([]);
    });

    it.each(reference.limits.map((l) => [`${label(l)} at ${l.at}`, l]))('%s: the limits', (_l, l) => {
      const x = l.at === 'inf' ? Infinity : -Infinity;
      const [y, d1, d2] = evaluateOrders(l.id, l.params, [x]);
      const want = [l.y, l.dy, l.d2y].map(parseTruth);
      const wrong = [y[0], d1[0], d2[0]]
        .map((got, order) => ({ got, order, want: want[order] }))
        .filter(({ got, want }) => !(Object.is(got, want) || Math.abs(got - want) <= 4 * 2 ** -23 * Math.abs(want) || (Number.isNaN(got) && Number.isNaN(want))));
      expect(wrong).toEqual([]);
    });

    it('passes NaN through (value, f′, f″) for every activation', () => {
      const bad: string[] = [];
      for (const c of reference.cases) {
        const [y, d1, d2] = evaluateOrders(c.id, c.params, [NaN, 1]);
        [y, d1, d2].forEach((v, order) => {
          if (!Number.isNaN(v[0]) || Number.isNaN(v[1])) bad.push(`${label(c)} order ${order}: ${v[0]}, ${v[1]}`);
        });
      }
      expect(bad).toEqual([]);
    });

    it('refuses a third derivative with the same error as the exact path', () => {
      const f = (x: tf.Tensor) => act.ops.mish(x);
      expect(() => tf.grad(tf.grad(tf.grad(f)))(tf.tensor1d([0.5]))).toThrow(
        "mish: third and higher derivatives are not available (a definition carries f, f' and f'').",
      );
    });

    it('leaves no tensors behind (op, tf.grad, tf.grad(tf.grad)) for every activation', () => {
      const before = tf.memory().numTensors;
      for (const c of reference.cases) evaluateOrders(c.id, c.params, [-2, -0.5, 0, 0.5, 3]);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('keeps shapes and matches the exact path on a 2-d input, with a non-trivial dy', () => {
      const x = tf.tensor2d([[-3, -0.25], [0.75, 4]]);
      const dy = tf.tensor2d([[0.5, -2], [3, 0.25]]);
      for (const def of internal.definitions) {
        const op = (t: tf.Tensor) => act.ops[def.id as 'sigmoid'](t);
        const [fast, fastGrad] = [op(x), tf.grad(op)(x, dy)];
        act.setPrecision('exact');
        setCompositeOnly(false);
        const [exact, exactGrad] = [op(x), tf.grad(op)(x, dy)];
        act.setPrecision('fast');
        setCompositeOnly(composite);
        for (const [a, b] of [[fast, exact], [fastGrad, exactGrad]]) {
          expect(a.shape).toEqual([2, 2]);
          const av = a.dataSync();
          const bv = b.dataSync();
          av.forEach((v, i) => expect(Math.abs(v - bv[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(bv[i]))));
        }
        tf.dispose([fast, fastGrad, exact, exactGrad]);
      }
      tf.dispose([x, dy]);
    });
  });
});
