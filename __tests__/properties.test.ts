/**
 * Laws that hold for all x, checked with fast-check on the float64 definitions and on the ops:
 * monotonicity, bounds, odd/even symmetry, f(0) = 0 for zero-centred ones, derivative sign,
 * vanishing derivatives where a definition says it saturates.
 */
import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import './helpers/backends';
import * as act from '../src';
import type { AnyDefinition } from '../src';

const defs = act.all() as AnyDefinition[];
const defaultsOf = (def: AnyDefinition): never =>
  Object.fromEntries(Object.entries(def.params as Record<string, { default: unknown }>).map(([k, s]) => [k, s.default])) as never;
const wide = fc.double({ min: -1e4, max: 1e4, noNaN: true });

beforeAll(() => tf.setBackend('cpu'));

describe.each(defs.map((d) => [d.id, d] as const))('%s laws', (id, def) => {
  const p = defaultsOf(def);
  const f = (x: number) => def.forward(x, p);

  if (def.properties.monotonic) {
    it('is non-decreasing, and its derivative is never negative', () => {
      fc.assert(fc.property(wide, wide, (a, b) => (a <= b ? f(a) <= f(b) : f(b) <= f(a))), { seed: 1, numRuns: 500 });
      fc.assert(fc.property(wide, (x) => def.derivative(x, p) >= 0), { seed: 2, numRuns: 500 });
    });
  } else {
    it('is documented as non-monotonic, and is: its derivative takes both signs', () => {
      const grid = Array.from({ length: 2001 }, (_, i) => -10 + i * 0.01);
      const d = grid.map((x) => def.derivative(x, p));
      expect(d.some((v) => v < 0) && d.some((v) => v > 0)).toBe(true);
    });
  }

  if (def.properties.bounds) {
    const [lo, hi] = def.properties.bounds;
    it(`stays within [${lo}, ${hi}], also after rounding to float32 in the op`, () => {
      fc.assert(fc.property(wide, (x) => f(x) >= lo && f(x) <= hi), { seed: 3, numRuns: 500 });
      const y = (act.ops as unknown as Record<string, (x: number[]) => tf.Tensor>)[id]([-1e30, -100, -1, 0, 1, 100, 1e30]);
      for (const v of y.dataSync()) expect(v >= Math.fround(lo) && v <= Math.fround(hi)).toBe(true);
      y.dispose();
    });
  }

  if (def.properties.symmetry === 'odd') {
    it('is odd: f(−x) = −f(x)', () => {
      fc.assert(fc.property(wide, (x) => Math.abs(f(-x) + f(x)) <= 1e-15 * Math.abs(f(x))), { seed: 4 });
    });
  }
  if (def.properties.symmetry === 'even') {
    it('is even: f(−x) = f(x)', () => {
      fc.assert(fc.property(wide, (x) => Math.abs(f(-x) - f(x)) <= 1e-15 * Math.abs(f(x))), { seed: 5 });
    });
  }

  if (def.properties.zeroCentered) {
    it('is zero at zero and takes both signs', () => {
      expect(f(0)).toBe(0);
      expect(f(-1) < 0 && f(1) > 0).toBe(true);
    });
  }

  if (def.properties.smooth) {
    it('declares no kinks', () => expect(def.kinks(p as never)).toEqual([]));
  }

  const sides = { both: [-1e30, 1e30], negative: [-1e30], positive: [1e30], none: [] }[def.properties.saturates];
  if (sides.length) {
    it(`its derivative vanishes at ${sides.join(' and ')} (saturates: ${def.properties.saturates})`, () => {
      for (const x of sides) expect(Math.abs(def.derivative(x, p))).toBeLessThan(1e-20);
    });
  }
});
