/**
 * The hand-derived derivatives of every definition: against finite differences of the forward
 * function (float64), second derivatives against differences of the first, parameter derivatives,
 * kink conventions, and the gradient kernels under tf.grad with arbitrary upstream gradients.
 */
import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import * as act from '../src';
import type { AnyDefinition, Kink } from '../src';
import { setCompositeOnly } from '../src/engine/run';
import { describeEachBackend } from './helpers/backends';

// The exact kernels (float64 loops), which fast.test.ts does not cover.
beforeAll(() => act.setPrecision('exact'));
afterAll(() => act.setPrecision('default'));

const defs = act.all() as AnyDefinition[];
type P = Record<string, number | boolean | null>;

const defaultsOf = (def: AnyDefinition): P =>
  Object.fromEntries(Object.entries(def.params as Record<string, { default: number | boolean | null }>).map(([k, s]) => [k, s.default]));

/** Parameter sets to test: defaults, and each numeric parameter moved a little (keeping constraints). */
function paramSets(def: AnyDefinition): P[] {
  const base = defaultsOf(def);
  const sets = [base];
  for (const [key, spec] of Object.entries(def.params as Record<string, { type: string; default: unknown }>)) {
    if (spec.type === 'number' && typeof spec.default === 'number') sets.push({ ...base, [key]: spec.default + 0.37 });
    if (spec.type === 'boolean') sets.push({ ...base, [key]: !spec.default });
    if (spec.type === 'number' && spec.default === null) sets.push({ ...base, [key]: 4.5 });
  }
  return sets.filter((p) => def.check?.(p) === undefined);
}

/** True if x is within `h` of a kink of the given order. */
const nearKink = (kinks: Kink[], x: number, h: number, order: number) =>
  kinks.some((k) => Math.abs(x - k.at) <= 2 * h && k.orders.some((o) => o <= order));

/** Central difference of g at x with step h, and its tolerance (truncation + rounding). */
function centralDifference(g: (x: number) => number, x: number, h: number): number {
  return (g(x + h) - g(x - h)) / (2 * h);
}

const closeTo = (got: number, want: number, rel: number) => Math.abs(got - want) <= rel * Math.max(1, Math.abs(want));

describe.each(defs.map((d) => [d.id, d] as const))('%s derivatives (float64)', (id, def) => {
  const xs = fc.double({ min: -20, max: 20, noNaN: true });

  it.each(paramSets(def).map((p) => [JSON.stringify(p), p]))("f' matches finite differences of f, params %s", (_s, p) => {
    const kinks = def.kinks(p);
    fc.assert(
      fc.property(xs, (x) => {
        const h = 1e-5 * Math.max(1, Math.abs(x));
        if (nearKink(kinks, x, h, 1)) return true;
        const fd = centralDifference((t) => def.forward(t, p), x, h);
        const d = def.derivative(x, p);
        if (!closeTo(d, fd, 1e-5)) throw new Error(`${id}'(${x}) = ${d}, finite difference ${fd}`);
        return true;
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it.each(paramSets(def).map((p) => [JSON.stringify(p), p]))("f'' matches finite differences of f', params %s", (_s, p) => {
    const kinks = def.kinks(p);
    fc.assert(
      fc.property(xs, (x) => {
        const h = 1e-5 * Math.max(1, Math.abs(x));
        if (nearKink(kinks, x, h, 2)) return true;
        const fd = centralDifference((t) => def.derivative(t, p), x, h);
        const d2 = def.secondDerivative(x, p);
        if (!closeTo(d2, fd, 1e-5)) throw new Error(`${id}''(${x}) = ${d2}, finite difference ${fd}`);
        return true;
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  const numeric = Object.entries(def.params as Record<string, { type: string; default: unknown }>)
    .filter(([, s]) => s.type === 'number')
    .map(([k]) => k);
  if (numeric.length > 0) {
    it.each(numeric)('d f / d %s matches finite differences over the parameter', (key) => {
      expect(def.paramDerivatives[key]).toBeDefined();
      const base = paramSets(def).find((p) => typeof p[key] === 'number' && p[key] !== 0) ?? defaultsOf(def);
      const a = base[key] as number;
      fc.assert(
        fc.property(xs, (x) => {
          const h = 1e-6 * Math.max(1, Math.abs(a));
          const at = (v: number) => def.forward(x, { ...base, [key]: v });
          // A parameter that moves a kink (threshold, maxValue, minVal...) has no derivative there.
          const kinksMoved = def.kinks({ ...base, [key]: a + h }).concat(def.kinks({ ...base, [key]: a - h }));
          if (nearKink(kinksMoved, x, 1e-3, 0)) return true;
          const fd = centralDifference(at, a, h);
          const d = def.paramDerivatives[key]!(x, base);
          if (!closeTo(d, fd, 1e-5)) throw new Error(`d ${id}/d ${key} at x=${x}: ${d}, finite difference ${fd}`);
          return true;
        }),
        { numRuns: 200, seed: 3 },
      );
    });
  }

  it.each(paramSets(def).map((p) => [JSON.stringify(p), p]))('kink conventions hold exactly as documented, params %s', (_s, p) => {
    for (const kink of def.kinks(p)) {
      const delta = 1e-9 * Math.max(1, Math.abs(kink.at));
      const fns = [def.forward, def.derivative, def.secondDerivative];
      for (const order of kink.orders) {
        const f = (t: number) => fns[order].call(def, t, p);
        const left = f(kink.at - delta);
        const right = f(kink.at + delta);
        const want = kink.side === 'left' ? left : kink.side === 'right' ? right : (left + right) / 2;
        const got = f(kink.at);
        if (!closeTo(got, want, 1e-6)) {
          throw new Error(`${id} order ${order} at kink ${kink.at}: got ${got}, ${kink.side} limit ${want}`);
        }
      }
    }
  });
});

describeEachBackend(() => {
  describe.each(defs.map((d) => [d.id, d] as const))('%s gradient kernels', (id, def) => {
    const op = (act.ops as unknown as Record<string, (x: tf.Tensor, p?: object) => tf.Tensor>)[id];
    const p = defaultsOf(def);
    const xs = [-7.3, -2.9, -1.1, -0.45, 0.3, 0.8, 1.7, 2.2, 4.6, 9.1];
    const dys = [0.5, -2, 3, 0.25, -1, 1.5, 2, -0.75, 4, -3];

    it('tf.grad with an upstream gradient dy returns dy * f\'(x)', () => {
      const x = tf.tensor1d(xs);
      const dy = tf.tensor1d(dys);
      const g = tf.grad((t: tf.Tensor) => op(t))(x, dy);
      const got = g.dataSync();
      xs.forEach((v, i) => expect(got[i]).toBeCloseTo(Math.fround(dys[i] * def.derivative(Math.fround(v), p)), 5));
      tf.dispose([x, dy, g]);
    });

    it('second order through a weighted first gradient: d/dx sum(w * f\'(x)) = w * f\'\'(x)', () => {
      const x = tf.tensor1d(xs);
      const w = tf.tensor1d(dys);
      const g2 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(w, tf.grad((u: tf.Tensor) => op(u))(t))))(x);
      const got = g2.dataSync();
      xs.forEach((v, i) => expect(got[i]).toBeCloseTo(Math.fround(dys[i] * def.secondDerivative(Math.fround(v), p)), 4));
      tf.dispose([x, w, g2]);
    });

    it('a third derivative throws a clear error', () => {
      const x = tf.tensor1d(xs);
      const f3 = tf.grad(tf.grad(tf.grad((t: tf.Tensor) => op(t))));
      expect(() => f3(x)).toThrow(`${id}: third and higher derivatives are not available`);
      x.dispose();
    });
  });
});

/** Tensors alive after `attempts` calls of `f` that each throw `message`, inside and outside tf.tidy. */
function leakedByFailures(f: () => unknown, message: string, attempts = 100): number {
  const before = tf.memory().numTensors;
  for (let i = 0; i < attempts; i++) {
    expect(i % 2 === 0 ? () => f() : () => tf.tidy(() => f() as tf.Tensor)).toThrow(message);
  }
  return tf.memory().numTensors - before;
}

describeEachBackend((backend) => {
  describe('failing gradients leave no tensor behind', () => {
    const x = () => tf.tensor1d([-1.5, -0.2, 0.4, 2]);

    it.each(['mish', 'gelu', 'leakyRelu'])('100 third derivatives of %s (native kernels)', (id) => {
      const op = (act.ops as unknown as Record<string, (t: tf.Tensor) => tf.Tensor>)[id];
      const input = x();
      const f3 = tf.grad(tf.grad(tf.grad((t: tf.Tensor) => op(t))));
      expect(leakedByFailures(() => f3(input), 'third and higher derivatives are not available')).toBe(0);
      input.dispose();
    });

    it('100 third derivatives on the composite path (what webgl runs)', () => {
      setCompositeOnly(true);
      try {
        const input = x();
        const f3 = tf.grad(tf.grad(tf.grad((t: tf.Tensor) => act.ops.mish(t))));
        expect(leakedByFailures(() => f3(input), 'third and higher derivatives are not available')).toBe(0);
        input.dispose();
      } finally {
        setCompositeOnly(false);
      }
    });

    it(`100 second derivatives through a learnable parameter (${backend})`, () => {
      const layer = act.layers.leakyRelu({ learnable: ['alpha'], alpha: 0.25 });
      const input = tf.tensor2d([[-1.5, 0.4]]);
      layer.apply(input);
      const f2 = tf.grad(tf.grad((t: tf.Tensor) => layer.apply(t) as tf.Tensor));
      expect(leakedByFailures(() => f2(input), 'second derivatives through learnable parameters are not available')).toBe(0);
      input.dispose();
      layer.dispose();
    });
  });
});
