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
import { isCompositeOnly, setCompositeOnly, usesComposite } from '../src/engine/run';
import { describeEachBackend } from './helpers/backends';
import { evaluateOrders, loadReference, parseTruth, type ReferenceCase } from './support/accuracy';
import { casePoints, violations as barViolations } from './support/fast-bar';
import * as internal from '../src/internal';

const reference = loadReference();
const label = (c: { id: string; params: object }) =>
  Object.keys(c.params).length ? `${c.id} ${JSON.stringify(c.params)}` : c.id;

/** Points where the active backend breaks the bar for a case. */
const violations = (c: ReferenceCase): string[] => barViolations(c, evaluateOrders(c.id, c.params, casePoints(c)));

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
