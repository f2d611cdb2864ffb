/**
 * The float64 building blocks of src/math.ts that replace a branch or a Math call for speed: each
 * must give what the plain formula gives, over the whole float32 range and at its edges.
 */
import * as fc from 'fast-check';
import * as act from '../src';
import type { AnyDefinition } from '../src';
import { expm1NonPositive, expNonPositive, heaviside, negativePart, positivePart } from '../src/math';

/** Same number, with +0 and −0 the same and NaN equal to NaN. */
const same = (a: number, b: number) => a === b || (a !== a && b !== b);
const relativeError = (got: number, want: number) => (got === want ? 0 : Math.abs(got - want) / Math.abs(want));

const anyDouble = fc.double();
const anyFloat32 = fc.float();
const edges = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 1.4e-45, -3.4e38, 3.4e38, 1e-30, -1e-30, 2 ** 127, -(2 ** 127)];

describe('positivePart and negativePart', () => {
  it('are max(x, 0) and min(x, 0) for every double, ±∞ and NaN included', () => {
    for (const x of edges) {
      expect(same(positivePart(x), Math.max(x, 0))).toBe(true);
      expect(same(negativePart(x), Math.min(x, 0))).toBe(true);
    }
    fc.assert(
      fc.property(anyDouble, (x) => same(positivePart(x), Math.max(x, 0)) && same(negativePart(x), Math.min(x, 0))),
      { seed: 7, numRuns: 20000 },
    );
  });
});

describe('heaviside', () => {
  const step = (x: number) => (x > 0 ? 1 : x <= 0 ? 0 : NaN);
  it('is 1 for x > 0, 0 for x ≤ 0 and NaN for NaN, for every float32 and at the edges', () => {
    for (const x of edges) expect(same(heaviside(x), step(x))).toBe(true);
    expect(heaviside(2 ** 200)).toBe(1);
    expect(heaviside(-(2 ** 200))).toBe(0);
    fc.assert(fc.property(anyFloat32, (x) => same(heaviside(x), step(x))), { seed: 8, numRuns: 20000 });
  });
});

describe('the e^x table', () => {
  // Table points are −i·ln2/32; the rounding of x to the nearest point flips half-way between two.
  const step = Math.LN2 / 32;
  const tablePoints = Array.from({ length: 1849 }, (_, i) => -i * step);
  const halfWay = tablePoints.map((s) => s - step / 2);
  const nearBoundary = halfWay.flatMap((h) => [h, Math.fround(h), h * (1 + 1e-15), h * (1 - 1e-15)]);
  const structured = [...tablePoints, ...nearBoundary, -40, -40.000001, -39.99999, -1e-30, -1e-7, -0.3, -0.0108, -745, -746, -1e4];

  /** f agrees with Math's `ref` within 1e-15 relative (about 4.5 float64 ulps). */
  const agrees = (f: (x: number) => number, ref: (x: number) => number) => (x: number) => relativeError(f(x), ref(x)) < 1e-15;
  const upTo0 = (min: number) => fc.double({ min, max: 0, noNaN: true });

  it('expNonPositive is e^x within 1e-15 relative (about 4.5 float64 ulps) for every x ≤ 0', () => {
    for (const x of structured) expect(relativeError(expNonPositive(x), Math.exp(x))).toBeLessThan(1e-15);
    fc.assert(fc.property(upTo0(-745), agrees(expNonPositive, Math.exp)), { seed: 9, numRuns: 20000 });
    fc.assert(fc.property(upTo0(-41), agrees(expNonPositive, Math.exp)), { seed: 10, numRuns: 20000 });
  });

  it('expm1NonPositive is e^x − 1 within 1e-15 relative for every x ≤ 0, with no cancellation near 0', () => {
    for (const x of structured) expect(relativeError(expm1NonPositive(x), Math.expm1(x))).toBeLessThan(1e-15);
    fc.assert(fc.property(upTo0(-41), agrees(expm1NonPositive, Math.expm1)), { seed: 11, numRuns: 20000 });
    // Tiny arguments, where exp(x) − 1 would return 0 or a few bits.
    fc.assert(fc.property(fc.double({ min: -1e-3, max: -1e-300, noNaN: true }), agrees(expm1NonPositive, Math.expm1)), { seed: 12, numRuns: 5000 });
  });

  it('are e^x and e^x − 1 for x > 0 too (a learnable celu alpha can turn negative)', () => {
    for (const x of [1e-30, 1e-3, 0.5, 3, 80, 700, Infinity]) {
      expect(relativeError(expNonPositive(x), Math.exp(x))).toBeLessThan(1e-15);
      expect(relativeError(expm1NonPositive(x), Math.expm1(x))).toBeLessThan(1e-15);
    }
  });

  it('passes −∞ and NaN through as the plain formulas do', () => {
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(expm1NonPositive(-Infinity)).toBe(-1);
    expect(expNonPositive(NaN)).toBeNaN();
    expect(expm1NonPositive(NaN)).toBeNaN();
    expect(expNonPositive(0)).toBe(1);
    expect(expm1NonPositive(0)).toBe(0);
  });
});

describe('the ELU family built on them, at extreme parameter values', () => {
  const def = (id: string) => act.get(id as act.ActivationId) as AnyDefinition;
  it("elu′ is exactly 1 for x > 0 whatever alpha (alpha + (1 − alpha) is not beyond 2^53)", () => {
    for (const alpha of [1, 0.5, -3, 1e17, -1e30]) {
      for (const x of [1e-30, 0.5, 3, 1e30, Infinity]) expect(def('elu').derivative(x, { alpha })).toBe(1);
    }
  });
  it('celu″ is 0 for x > 0 even where 1/alpha overflows', () => {
    for (const alpha of [1, 1e-300, 2 ** -1070]) {
      for (const x of [1e-30, 0.5, 3, Infinity]) expect(def('celu').secondDerivative(x, { alpha })).toBe(0);
    }
  });
  it('celu with a negative alpha (a learnable one can get there) is its formula, not NaN', () => {
    const alpha = -0.5;
    for (const x of [-3, -0.25, -1e-6]) {
      const want = alpha * Math.expm1(x / alpha);
      expect(relativeError(def('celu').forward(x, { alpha }), want)).toBeLessThan(1e-15);
      expect(relativeError(def('celu').derivative(x, { alpha }), Math.exp(x / alpha))).toBeLessThan(1e-15);
    }
  });
});
