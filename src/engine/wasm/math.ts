/**
 * Float32 transcendental functions on four lanes, as IR subtrees: no calls, so they inline into a
 * kernel and share subexpressions with it. Each keeps the properties the definitions' float32
 * forms rely on (src/engine/expr.ts): no overflow where the result is finite, relative accuracy in
 * the tails down to 2^−126 (below that, results may flush to 0 as on FTZ hardware: the bar's floor),
 * NaN in gives NaN out.
 *
 * exp: x = k·ln2 + r, k = round(x·log2 e) by the 1.5·2²³ addition (k as a float and, from the same
 * bits, as an integer), e^r by a degree-6 polynomial, 2^k put into the exponent field with an integer
 * shift. log: exponent and mantissa by bit masks (subnormals scaled by 2²³ first), the mantissa
 * folded into [√½, √2), then Cephes logf's polynomial. sin/cos: Cody–Waite reduction by π/2 and
 * Cephes sinf/cosf polynomials. Which of these a kernel needs, and at which argument ranges, is
 * decided per use (an argument known to be ≤ 0 needs no overflow handling).
 */
import {
  type Node, type V, v, add, sub, mul, div, neg, abs, select, eq, ne, lt, gt, ge, and, or, xor,
  iadd, isub, ishl, ishrU, imin, imax, ieq, i2f, f2i, iconst, poly, clamp, pmax, nearest, withSignOf, fixup, SIGN_BIT,
} from './ir';

const LOG2E = 1.4426950408889634;
const LN2_HI = 0.693359375;
const LN2_LO = -2.12194440e-4;
/** 1.5·2²³: adding it rounds to an integer held in the low mantissa bits. */
const MAGIC = 12582912;
const MAGIC_BITS = 0x4b400000;

/**
 * e^r = 1 + r + r²·P(r) on |r| ≤ ln2/2: P of degree 4 fitted here for float32 (relative error
 * 3.1e-9 in exact arithmetic, 0.76 ulp evaluated in float32; Cephes's degree 5 buys nothing more).
 */
const EXP_P = [0.4999999403953552, 0.1666652113199234, 0.04166838899254799, 0.00836874544620514, 0.0013814539415761828];

/** True if the value is known to be ≤ 0 (or NaN) from its form: then e^value cannot overflow. */
function nonPositive(n: Node): boolean {
  if (n.op === 'fconst') return !(n.imm! > 0);
  if (n.op === 'or' && n.args.includes(SIGN_BIT)) return true;  // −|a|
  if (n.op === 'neg') return nonNegative(n.args[0]);
  if (n.op === 'mul') return (nonPositive(n.args[0]) && nonNegative(n.args[1])) || (nonNegative(n.args[0]) && nonPositive(n.args[1]));
  if (n.op === 'add') return nonPositive(n.args[0]) && nonPositive(n.args[1]);
  if (n.op === 'sub') return nonPositive(n.args[0]) && nonNegative(n.args[1]);
  if (n.op === 'div') return (nonPositive(n.args[0]) && nonNegative(n.args[1])) || (nonNegative(n.args[0]) && nonPositive(n.args[1]));
  if (n.op === 'min' || n.op === 'pmin') return nonPositive(n.args[0]) || nonPositive(n.args[1]);
  return false;
}
function nonNegative(n: Node): boolean {
  if (n.op === 'fconst') return !(n.imm! < 0);
  if (n.op === 'abs') return true;
  if (n.op === 'neg') return nonPositive(n.args[0]);
  if (n.op === 'mul') return (nonNegative(n.args[0]) && nonNegative(n.args[1])) || (nonPositive(n.args[0]) && nonPositive(n.args[1]));
  if (n.op === 'add') return nonNegative(n.args[0]) && nonNegative(n.args[1]);
  if (n.op === 'sub') return nonNegative(n.args[0]) && nonPositive(n.args[1]);
  return false;
}

/**
 * s = hi + lo (lo a small correction, or absent) as k·ln2 + r: k (a float, and k + 127 as i32 bits,
 * in [0, 255] since s is clamped to [−88, 88.8]) and e^r − 1. With hi = −z_h² exact (erfc), hi − k·C1
 * is exact too, so e^s keeps the digits of hi + lo. Without lo, r = s − k·ln2 in one step: its
 * error, below |s|·eps/2, is what rounding s itself costs, which backward stability allows
 * (measured: no worst ratio to the bar moved by more than 0.11; two steps cost 2 operations more).
 */
function reduce(hi: Node, lo?: Node, clamped = false) {
  // Finite, so r is (an argument ≤ 0 needs no upper bound).
  const hc = clamped ? hi : lo ? clamp(hi, -104, 88.8) : nonPositive(hi) ? pmax(hi, -88) : clamp(hi, -88, 88.8);
  const s = lo ? clamp(add(hc, lo), -88, 88.8) : hc;
  const t = add(mul(s, LOG2E), MAGIC);
  const k = sub(t, MAGIC);
  const field = isub(t, MAGIC_BITS - 127);
  let r: Node;
  if (lo) r = sub(add(sub(hc, mul(k, LN2_HI)), lo), mul(k, LN2_LO));
  else r = sub(hc, mul(k, Math.LN2));
  const em1r = add(mul(poly(r, EXP_P), mul(r, r)), r);
  return { k, field, em1r };
}

/** 2^min(k, 127) from the field k + 127; k = −127 gives 0 (results below 2^−126 flush, as on FTZ hardware). */
const pow2 = (field: Node, capped: boolean): Node => ishl(capped ? imin(field, 254) : field, 23);

/**
 * e^(hi + lo). Results below 2^−126 may flush to 0 (only there: the backward-stability bar's floor
 * covers them, as it does on backends that flush subnormals). An argument that may be positive is
 * scaled as 2e^r·2^(k−1), so that k = 128 needs no case of its own; that flushes results below
 * 2^−125.5 (no form multiplies e^x there by more than 2^13).
 */
export function expHiLo(hi: V, lo?: Node): Node {
  const h = v(hi);
  const { field, em1r } = reduce(h, lo);
  if (nonPositive(h) && !lo) {
    const e = mul(add(em1r, 1), pow2(field, false));
    inUnitInterval.add(e);
    return e;
  }
  const two = add(add(em1r, em1r), 2);  // 2e^r, exactly 2(e^r − 1) + 2
  return mul(two, ishl(imax(isub(field, 1), 0), 23));
}

export const exp = (a: V): Node => expHiLo(a);

/** e^x − 1 without cancellation: 2^k·(e^r − 1) + (2^k − 1), exact for k = 0. */
export function expm1(a: V): Node {
  const x = v(a);
  // Below −17.5, e^x − 1 is −1 in float32 (and 2^k stays normal).
  const { k, field, em1r } = reduce(nonPositive(x) ? pmax(x, -17.5) : clamp(x, -17.5, 88.8), undefined, true);
  const s = pow2(field, !nonPositive(x));
  // k = 128: 2^128·e^r − 1 = 2^127·(2(e^r − 1) + 1) + (2^127 − 1).
  const m = nonPositive(x) ? em1r : select(gt(k, 127.5), add(add(em1r, em1r), 1), em1r);
  return add(mul(s, m), sub(s, 1));
}

const LOG_P = [
  3.3333331174e-1, -2.4999993993e-1, 2.0000714765e-1, -1.6668057665e-1, 1.4249322787e-1,
  -1.2420140846e-1, 1.1676998740e-1, -1.1514610310e-1, 7.0376836292e-2,
];

/** Values known to lie in [0, 1] (or be NaN): e^a for a ≤ 0. */
const inUnitInterval = new WeakSet<Node>();

/** log(x) for x in [1, 2] (or NaN): no zero, negative, subnormal or infinite argument to handle. */
function logNear1(x: Node): Node {
  return logCore(x, false);
}

export function log(a: V): Node {
  return logCore(v(a), true);
}

function logCore(x: Node, general: boolean): Node {
  const tiny = lt(x, 1.1754943508222875e-38);  // subnormal (0 and negatives are fixed below)
  const xs = general ? select(tiny, mul(x, 8388608), x) : x;
  const e0 = isub(ishrU(xs, 23), 126);
  const m0 = or(and(xs, iconst(0x007fffff)), iconst(0x3f000000));  // mantissa in [0.5, 1)
  const low = lt(m0, Math.SQRT1_2);
  const e0f = i2f(iadd(e0, low));  // mask lanes are −1: e − 1 there
  const e = general ? add(e0f, select(tiny, v(-23), v(0))) : e0f;
  const m = add(sub(m0, 1), and(m0, low));  // m0 < √½ ? 2m0 − 1 : m0 − 1, exactly
  const z = mul(m, m);
  let y = mul(mul(poly(m, LOG_P), m), z);
  y = add(y, mul(e, LN2_LO));
  y = sub(y, mul(z, 0.5));
  let res = add(add(m, y), mul(e, LN2_HI));
  if (!general) return res;
  res = select(eq(x, Infinity), v(Infinity), res);
  res = select(or(lt(x, 0), ne(x, x)), v(NaN), res);
  return select(eq(x, 0), v(-Infinity), res);
}

/** log(1 + x) = log(u)·x/(u − 1), u = 1 + x: the rounding of u cancels. */
export function log1p(a: V): Node {
  const x = v(a);
  const u = add(x, 1);
  const d = sub(u, 1);
  if (inUnitInterval.has(x)) return select(eq(d, 0), x, mul(logNear1(u), div(x, d)));  // softplus's log1p(e^−|x|)
  const res = mul(log(u), div(x, d));
  return select(eq(d, 0), x, select(eq(u, Infinity), v(Infinity), res));
}

/** t = e^−|x| and s = 1/(1 + t): σ(|x|) = s, σ(−|x|) = t·s (never overflows). */
function sigmoidParts(x: Node): { t: Node; s: Node } {
  const t = exp(neg(abs(x)));
  return { t, s: div(1, add(t, 1)) };
}

export function sigmoid(a: V): Node {
  const x = v(a);
  const { t, s } = sigmoidParts(x);
  return select(ge(x, 0), s, mul(t, s));
}

/** σ(x)·σ(−x) = t·s², whatever the sign of x: relative-accurate in both tails. */
export function sigmoidPrime(a: V): Node {
  const { t, s } = sigmoidParts(v(a));
  return mul(mul(t, s), s);
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
/** π/2 in three parts, the first two with 8 significant bits: k times them is exact for |k| < 2^16. */
const PIO2_1 = 1.5703125;
const PIO2_2 = 4.84466552734375e-4;
const PIO2_3 = -6.397578377557687e-7;

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
