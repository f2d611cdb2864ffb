/**
 * The primitives of float32 expressions (src/engine/expr.ts) as tfjs-core op compositions, for the
 * tfjs-ops generator: the path of any backend without fused kernels of ours.
 *
 * Built only from exp, log, sqrt, sin, cos, abs, comparisons, where and + − × ÷, so that a result is
 * as accurate as the backend's exp and log. We deliberately do not call tfjs's expm1, log1p, tanh,
 * sigmoid, softplus or erf: a backend may compute them as exp(x) − 1, log(1 + x), (1 − e)/(1 + e) or
 * Abramowitz–Stegun 7.1.26 (1.5e-7 absolute), which lose every digit near 0 or in a tail.
 *
 * Rules kept by every helper: no `1 − y` cancellation in a tail, and both sides of every `where`
 * are finite for finite input (arguments of exp/log clamped), so an untaken branch never makes NaN.
 */
import * as tfc from '@tensorflow/tfjs-core';

type T = tfc.Tensor;

/** e^(−|x|) ∈ [0, 1]. */
const expNegAbs = (x: T): T => tfc.exp(tfc.neg(tfc.abs(x)));

/**
 * e^x − 1 by Kahan's trick: with u = fl(e^x), (u − 1)·x / log(u) is accurate to a few ulp even when
 * u − 1 cancels; x itself where u rounds to 1, and the limits where u is 0 or ∞.
 */
export function expm1(x: T): T {
  const xk = tfc.clipByValue(x, -80, 88);  // e^-80 < 2^-115: expm1 is −1 in float32 below
  const u = tfc.exp(xk);
  const um1 = tfc.sub(u, 1);
  const logU = tfc.log(u);
  const safeLog = tfc.where(tfc.equal(logU, 0), 1, logU);
  const kahan = tfc.mul(um1, tfc.div(xk, safeLog));
  const small = tfc.where(tfc.equal(um1, 0), xk, kahan);
  return tfc.where(tfc.greater(x, 88), Infinity, tfc.maximum(small, -1));
}

/** log(1 + x) by Goldberg's trick: log(u)·x/(u − 1) with u = fl(1 + x); x itself where u rounds to 1. */
export function log1p(x: T): T {
  const u = tfc.add(x, 1);
  const d = tfc.sub(u, 1);
  const safeD = tfc.where(tfc.equal(d, 0), 1, d);
  return tfc.where(tfc.equal(d, 0), x, tfc.mul(tfc.log(u), tfc.div(x, safeD)));
}

/** σ(z) = 1/(1 + e^−z), relative-accurate on both sides. */
export function sigmoid(z: T): T {
  const e = expNegAbs(z);
  const r = tfc.div(1, tfc.add(e, 1));
  return tfc.where(tfc.greaterEqual(z, 0), r, tfc.mul(e, r));
}

/** tanh(x) = sign(x)·(−m)/(2 + m) with m = expm1(−2|x|): relative-accurate near 0 and saturating. */
export function tanh(x: T): T {
  const m = expm1(tfc.mul(tfc.abs(x), -2));
  const t = tfc.div(tfc.neg(m), tfc.add(m, 2));
  return tfc.where(tfc.less(x, 0), tfc.neg(t), t);
}

/** softplus(z) = max(z, 0) + log1p(e^−|z|). */
export const softplus = (z: T): T => tfc.add(tfc.relu(z), log1p(expNegAbs(z)));

/** cosh(x) = (e^|x| + e^−|x|)/2 (overflows to ∞ beyond |x| ≈ 89, as it should). */
export function cosh(x: T): T {
  const a = tfc.abs(x);
  return tfc.mul(tfc.add(tfc.exp(a), tfc.exp(tfc.neg(a))), 0.5);
}

/** Numerical Recipes' erfcc coefficients: erfc(z) = t·e^(−z² + P(t)), fractional error < 1.2e-7. */
const ERFC_P = [
  -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587,
  -0.82215223, 0.17087277,
];

/** Horner evaluation of Σ c[i] t^i. */
export function polynomial(t: T, c: readonly number[]): T {
  let acc: T = tfc.fill(t.shape, c[c.length - 1]);
  for (let i = c.length - 2; i >= 0; i--) acc = tfc.add(tfc.mul(acc, t), c[i]);
  return acc;
}

/** erfc(x), relative-accurate in the right tail (0 beyond x ≈ 10, 2 below x ≈ −4). */
export function erfc(x: T): T {
  const a = tfc.minimum(tfc.abs(x), 20);
  const t = tfc.div(1, tfc.add(tfc.mul(a, 0.5), 1));
  const tail = tfc.mul(t, tfc.exp(tfc.add(tfc.neg(tfc.mul(a, a)), polynomial(t, ERFC_P))));
  return tfc.where(tfc.less(x, 0), tfc.sub(2, tail), tail);
}

/** Math.sign's rule: −1, 0 or 1 (and ±0 kept); not tfc.sign, which is 0 for −1e-10 on wasm. */
export const sign = (x: T): T => tfc.where(tfc.greater(x, 0), 1, tfc.where(tfc.less(x, 0), -1, x));

/**
 * π/4 in six pieces for Cody–Waite reduction: five of 6 significant bits (so m·piece is exact for
 * integer |m| ≤ 2^18) and a float32 remainder; together 54 bits of π/4.
 */
const QUARTER_PI_PIECES: number[] = (() => {
  const pieces: number[] = [];
  let rest = Math.PI / 4;
  let scale = 64;
  for (let i = 0; i < 5; i++, scale *= 64) {
    const piece = Math.round(rest * scale) / scale;
    pieces.push(piece);
    rest -= piece;
  }
  pieces.push(Math.fround(rest));
  return pieces;
})();

/** |u| up to which reduceHalfPi is exact enough (m ≤ 2^18); beyond it we use tfc.sin/cos. */
const REDUCTION_LIMIT = 2 ** 17;

/**
 * w = u + offset·π/4 − k·π/2 ∈ [−π/4, π/4] with integer-valued k, for |u| ≤ REDUCTION_LIMIT
 * (clamped). Computed as u − m·π/4, m = 2k − offset, piece by piece (Cody–Waite), so w keeps its
 * digits near the zeros of sin/cos; the backend's sin/cos are not used (tfjs-wasm's have 1e-7
 * absolute error, e.g. sin(1e-10) = 1.7e-7).
 */
function reduceHalfPi(u: T, offset: 0 | 1): { w: T; k: T } {
  const uc = tfc.clipByValue(u, -REDUCTION_LIMIT, REDUCTION_LIMIT);
  const k = tfc.round(tfc.add(tfc.mul(uc, 2 / Math.PI), offset / 2));
  const m = tfc.sub(tfc.mul(k, 2), offset);
  let w = uc;
  for (const piece of QUARTER_PI_PIECES) w = tfc.sub(w, tfc.mul(m, piece));
  return { w, k };
}

/** k mod n for integer-valued k (floor convention, so in [0, n)). */
const modInt = (k: T, n: number): T => tfc.sub(k, tfc.mul(tfc.floor(tfc.div(k, n)), n));

/** sin(w) for |w| ≤ π/4 (Cephes sinf minimax polynomial, ~1 ulp). */
function sinReduced(w: T): T {
  const w2 = tfc.mul(w, w);
  return tfc.add(w, tfc.mul(tfc.mul(w, w2), polynomial(w2, [-1.6666654611e-1, 8.3321608736e-3, -1.9515295891e-4])));
}

/** cos(w) for |w| ≤ π/4 (Cephes cosf minimax polynomial, ~1 ulp). */
function cosReduced(w: T): T {
  const w2 = tfc.mul(w, w);
  const tail = tfc.mul(tfc.mul(w2, w2), polynomial(w2, [4.166664568298827e-2, -1.388731625493765e-3, 2.443315711809948e-5]));
  return tfc.add(tfc.sub(1, tfc.mul(w2, 0.5)), tail);
}

/**
 * sin(u) and cos(u), to a few ulp for |u| ≤ 2^17 by exact reduction (backends' own may have 1e-7
 * absolute error: tfjs-wasm's sin(1e-10) is 1.7e-7); beyond, the backend's.
 */
function sinCos(u: T, which: 'sin' | 'cos'): T {
  const { w, k } = reduceHalfPi(u, 0);
  const q = modInt(which === 'sin' ? k : tfc.add(k, 1), 4);
  const c = cosReduced(w);
  const s = sinReduced(w);
  const reduced = tfc.where(
    tfc.equal(q, 0), s, tfc.where(tfc.equal(q, 1), c, tfc.where(tfc.equal(q, 2), tfc.neg(s), tfc.neg(c))),
  );
  return tfc.where(tfc.lessEqual(tfc.abs(u), REDUCTION_LIMIT), reduced, which === 'sin' ? tfc.sin(u) : tfc.cos(u));
}

export const sin = (u: T): T => sinCos(u, 'sin');
export const cos = (u: T): T => sinCos(u, 'cos');
