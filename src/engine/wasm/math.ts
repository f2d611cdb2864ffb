/**
 * Float32 transcendental functions on four lanes, as IR subtrees: no calls, so they inline into a
 * kernel and share subexpressions with it. Each keeps the properties the definitions' float32
 * forms rely on (src/engine/expr.ts): no overflow where the result is finite, relative accuracy in
 * the tails (subnormal results included: wasm does not flush them), NaN in gives NaN out.
 *
 * exp: x = k·ln2 + r (Cody–Waite: ln2 in two parts, the first with 9 significant bits so k·C1 is
 * exact), k = round(x·log2 e) by the 1.5·2²³ addition (k as a float and, from the same bits, as an
 * integer), e^r by a polynomial, and 2^k put into the exponent field in two halves so that subnormal
 * results and overflow to +Infinity need no branch.
 * log: exponent and mantissa by bit masks (subnormals scaled by 2²³ first), the mantissa folded into
 * [√½, √2), then Cephes logf's polynomial.
 */
import {
  type Node, type V, v, add, sub, mul, div, neg, abs, select, eq, ne, lt, gt, ge, and, or, xor,
  iadd, isub, ishl, ishrS, ishrU, imin, ieq, i2f, f2i, iconst, poly, clamp, pmax, nearest, withSignOf, fixup,
} from './ir';

const LOG2E = 1.4426950408889634;
const LN2_HI = 0.693359375;
const LN2_LO = -2.12194440e-4;
/** 1.5·2²³: adding it rounds to an integer held in the low mantissa bits. */
const MAGIC = 12582912;
const MAGIC_BITS = 0x4b400000;

/** e^r = 1 + r + r²·P(r) on |r| ≤ ln2/2 (Cephes expf), P from the constant term up. */
const EXP_P = [5.0000001201e-1, 1.6666665459e-1, 4.1665795894e-2, 8.3334519073e-3, 1.3981999507e-3, 1.9875691500e-4];

/** k = round(s·log2 e) and e^r − 1 for s = hi + lo (lo small or absent), hi clamped to [lower, upper]. */
function reduce(hi: Node, lo: Node | undefined, lower: number, upper: number) {
  const hc = clamp(hi, lower, upper);
  const s = lo ? add(hc, lo) : hc;
  const t = add(mul(s, LOG2E), MAGIC);
  const k = sub(t, MAGIC);
  const ki = isub(t, MAGIC_BITS);
  let r = sub(hc, mul(k, LN2_HI));
  if (lo) r = add(r, lo);
  r = sub(r, mul(k, LN2_LO));
  const em1r = add(mul(poly(r, EXP_P), mul(r, r)), r);
  return { k, ki, em1r };
}

/** 2^k as float32 bits, k in [−126, 127]. */
const pow2 = (ki: Node): Node => ishl(iadd(ki, 127), 23);

/** e^(hi + lo), for lo a small correction to hi (or absent). */
export function expHiLo(hi: V, lo?: Node): Node {
  const { ki, em1r } = reduce(v(hi), lo, -104, 88.8);
  const k1 = ishrS(ki, 1);
  return mul(mul(add(em1r, 1), pow2(k1)), pow2(isub(ki, k1)));
}

export const exp = (a: V): Node => expHiLo(a);

/** e^x − 1 without cancellation: 2^k·(e^r − 1) + (2^k − 1), exact for k = 0. */
export function expm1(a: V): Node {
  const x = v(a);
  const { k, ki, em1r } = reduce(x, undefined, -104, 88.8);
  const s = select(lt(k, -126), v(0), pow2(imin(ki, 127)));
  const small = add(mul(s, em1r), sub(s, 1));
  // k = 128 (x in (88.38, 88.8]): 2^k overflows on its own; scale in two halves as in exp.
  const k1 = ishrS(ki, 1);
  const big = mul(mul(add(em1r, 1), pow2(k1)), pow2(isub(ki, k1)));
  return select(ge(k, 128), big, small);
}

const LOG_P = [
  3.3333331174e-1, -2.4999993993e-1, 2.0000714765e-1, -1.6668057665e-1, 1.4249322787e-1,
  -1.2420140846e-1, 1.1676998740e-1, -1.1514610310e-1, 7.0376836292e-2,
];

export function log(a: V): Node {
  const x = v(a);
  const tiny = lt(x, 1.1754943508222875e-38);  // subnormal (0 and negatives are fixed below)
  const xs = select(tiny, mul(x, 8388608), x);
  const e0 = isub(ishrU(xs, 23), 126);
  const m0 = or(and(xs, iconst(0x007fffff)), iconst(0x3f000000));  // mantissa in [0.5, 1)
  const low = lt(m0, Math.SQRT1_2);
  const e = add(i2f(iadd(e0, low)), select(tiny, v(-23), v(0)));  // mask lanes are −1: e − 1 there
  const m = add(sub(m0, 1), and(m0, low));  // m0 < √½ ? 2m0 − 1 : m0 − 1, exactly
  const z = mul(m, m);
  let y = mul(mul(poly(m, LOG_P), m), z);
  y = add(y, mul(e, LN2_LO));
  y = sub(y, mul(z, 0.5));
  let res = add(add(m, y), mul(e, LN2_HI));
  res = select(eq(x, Infinity), v(Infinity), res);
  res = select(or(lt(x, 0), ne(x, x)), v(NaN), res);
  return select(eq(x, 0), v(-Infinity), res);
}

/** log(1 + x) = log(u)·x/(u − 1), u = 1 + x: the rounding of u cancels. */
export function log1p(a: V): Node {
  const x = v(a);
  const u = add(x, 1);
  const d = sub(u, 1);
  const res = mul(log(u), div(x, d));
  return select(eq(d, 0), x, select(eq(u, Infinity), v(Infinity), res));
}

/** σ(x) from t = e^−|x| (never overflows): 1/(1 + t) for x ≥ 0, t/(1 + t) below. */
export function sigmoid(a: V): Node {
  const x = v(a);
  const t = exp(neg(abs(x)));
  const s = div(1, add(t, 1));
  return select(ge(x, 0), s, mul(t, s));
}

/** tanh(x) = −e/(2 + e), e = expm1(−2|x|), with x's sign. */
export function tanh(a: V): Node {
  const x = v(a);
  const e = expm1(mul(abs(x), -2));
  return withSignOf(div(neg(e), add(e, 2)), x);
}

/** log(1 + e^x) = max(x, 0) + log1p(e^−|x|). */
export function softplus(a: V): Node {
  const x = v(a);
  return add(pmax(x, 0), log1p(exp(neg(abs(x)))));
}

/** cosh(x) = e^(|x| − ln 2) + e^−|x|/2: finite up to |x| ≈ 89.4, as cosh is. */
export function cosh(a: V): Node {
  const ax = abs(v(a));
  const big = expHiLo(ax, v(-Math.LN2));
  return add(big, mul(exp(neg(ax)), 0.5));
}

/** x = hi + lo, hi with 12 significant bits so that hi² is exact in float32. */
function split(x: Node): { hi: Node; lo: Node } {
  const hi = and(x, iconst(0xfffff000 | 0));
  return { hi, lo: sub(x, hi) };
}

/**
 * erfc(z) by Numerical Recipes' erfcc (fractional error below 1.2e-7): t = 1/(1 + |z|/2),
 * erfc(|z|) = t·exp(−z² + P(t)), erfc(−z) = 2 − erfc(z). −z² goes to exp as hi + lo (the rounding
 * of z² alone would cost z²·eps relative in the tail).
 */
const ERFC_P = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
export function erfc(a: V): Node {
  const z = v(a);
  const az = clamp(abs(z), 0, 20);
  const t = div(1, add(mul(az, 0.5), 1));
  const { hi, lo } = split(az);
  const tail = mul(t, expHiLo(neg(mul(hi, hi)), sub(poly(t, ERFC_P), mul(lo, add(az, hi)))));
  return select(ge(z, 0), tail, sub(2, tail));
}

/** sin r and cos r on |r| ≤ π/4 (Cephes sinf/cosf). */
const SIN_P = [-1.6666654611e-1, 8.3321608736e-3, -1.9515295891e-4];
const COS_P = [4.166664568298827e-2, -1.388731625493765e-3, 2.443315711809948e-5];
/** π/2 in three parts, the first two short enough that k times them is exact for |k| < 2^15. */
const PIO2_1 = 1.5703125;
const PIO2_2 = 4.837512969970703125e-4;
const PIO2_3 = 7.54978995489188216e-8;

/** sin(u + q·π/2) for q = 0 (sin) or 1 (cos): u reduced by the nearest multiple k of π/2. */
function sinQuadrant(a: V, q: number): Node {
  const u = v(a);
  const k = nearest(mul(u, 2 / Math.PI));
  const r = sub(sub(sub(u, mul(k, PIO2_1)), mul(k, PIO2_2)), mul(k, PIO2_3));
  const quadrant = iadd(f2i(k), q);
  const z = mul(r, r);
  const s = add(mul(mul(poly(z, SIN_P), z), r), r);
  const c = add(sub(1, mul(z, 0.5)), mul(mul(z, z), poly(z, COS_P)));
  const odd = ieq(and(quadrant, iconst(1)), 1);
  const fast = xor(select(odd, c, s), ishl(and(quadrant, iconst(2)), 30));
  // The reduction is exact while k·PIO2_1 is (|u| < 2^16); larger arguments (rare) need the digits
  // of π/2 far beyond float32's, so they are lanes for Math.sin/Math.cos (float64, exact reduction).
  return fixup(fast, u, gt(abs(u), SIN_LIMIT), q === 0 ? 'sin' : 'cos');
}
const SIN_LIMIT = 65536;

export const sin = (a: V): Node => sinQuadrant(a, 0);
export const cos = (a: V): Node => sinQuadrant(a, 1);

/** −1, 0 or 1 (±0 and NaN as they are). */
export const sign = (a: V): Node => {
  const x = v(a);
  return select(gt(x, 0), v(1), select(lt(x, 0), v(-1), x));
};
