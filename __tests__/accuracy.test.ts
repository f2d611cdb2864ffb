/**
 * The exact mode's bar: every value, first and second derivative within 4 float32 epsilons
 * (relative, |truth| floored at 1e-30) of 60-digit mpmath truth, on every backend, through the public
 * ops and tf.grad / tf.grad(tf.grad) (`npm run accuracy` reports the worst, 0.5 eps: correctly
 * rounded). Also the float64 scalar functions before rounding, and the limits at ±∞. The fast mode
 * has its own bar (fast.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as act from '../src';
import { describeEachBackend } from './helpers/backends';
import {
  caseErrors,
  describePoint,
  errorInEps,
  evaluateOrders,
  loadReference,
  parseTruth,
  scalarErrors,
  TOLERANCE_EPS,
} from './support/accuracy';

const reference = loadReference();

beforeAll(() => act.setPrecision('exact'));
afterAll(() => act.setPrecision('default'));
const label = (c: { id: string; params: object }) =>
  Object.keys(c.params).length ? `${c.id} ${JSON.stringify(c.params)}` : c.id;

describe('reference fixtures', () => {
  it('cover every activation of the registry', () => {
    expect([...new Set(reference.cases.map((c) => c.id))].sort()).toEqual([...act.list()].sort());
  });
  it('hold float32-exact inputs, including tails, tiny values and extremes', () => {
    for (const c of reference.cases) {
      for (const x of c.x) expect(Math.fround(x)).toBe(x);
      for (const x of [1e-30, 1e-6, 88.5, 100, 1e3, 1e4]) {
        expect(c.x).toContain(Math.fround(x));
        expect(c.x).toContain(Math.fround(-x));
      }
    }
  });
});

describe('float64 definitions before rounding', () => {
  it.each(reference.cases.map((c) => [label(c), c]))('%s is within 0.5 float32 eps of the truth', (_l, c) => {
    const bad = scalarErrors(c).filter((e) => e.errorEps > 0.5);
    expect(bad.map(describePoint)).toEqual([]);
  });
});

describeEachBackend((backend) => {
  describe('ops, tf.grad and tf.grad(tf.grad)', () => {
    it.each(reference.cases.map((c) => [label(c), c]))(`%s within ${TOLERANCE_EPS} eps on ${backend}`, (_l, c) => {
      const bad = caseErrors(c).filter((e) => !(e.errorEps <= TOLERANCE_EPS));
      expect(bad.slice(0, 10).map(describePoint)).toEqual([]);
    });
  });

  describe('limits at ±Infinity', () => {
    it.each(reference.limits.map((l) => [`${label(l)} at ${l.at}`, l]))('%s', (_l, l) => {
      const x = l.at === 'inf' ? Infinity : -Infinity;
      const [y, d1, d2] = evaluateOrders(l.id, l.params, [x]);
      const got = [y[0], d1[0], d2[0]];
      const want = [l.y, l.dy, l.d2y].map(parseTruth);
      got.forEach((g, order) => {
        if (!(errorInEps(g, want[order]) <= TOLERANCE_EPS)) {
          throw new Error(`${l.id} order ${order} at ${l.at}: got ${g}, expected ${want[order]}`);
        }
      });
    });
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    evaluateOrders('mish', {}, [1, 2, 3]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
