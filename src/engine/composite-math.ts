/**
 * Float32 tensor building blocks for the definitions' `composite` (the path for backends without
 * our JavaScript kernels, e.g. webgl). Tensor twins of src/math.ts.
 *
 * Built only from exp, log, sqrt, sin, cos, abs, comparisons, where and + − × ÷, so that a
 * composite is as accurate as the backend's exp and log. We deliberately do not call tfjs's
 * expm1, log1p, tanh or erf: on webgl they are exp(x) − 1, log(1 + x), (1 − e)/(1 + e) and
 * Abramowitz–Stegun 7.1.26 (1.5e-7 absolute), which lose every digit near 0 or in the tails.
 *
 * Rules kept by every helper: no `1 − y` cancellation in a tail, and both sides of every `where`
 * are finite for finite input (arguments of exp/log clamped), so an untaken branch never makes NaN.
 * NaN inputs are passed through centrally by the engine (src/engine/run.ts).
 */
import * as tfc from '@tensorflow/tfjs-core';

type T = tfc.Tensor;

/** Largest float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** x with ±Infinity replaced by ±FLOAT32_MAX: finite × 0 = 0 where a factor vanishes at ±∞. */
export const finite = (x: T): T => tfc.clipByValue(x, -FLOAT32_MAX, FLOAT32_MAX);

/** e^(−|x|) ∈ [0, 1]. */
export const expNegAbs = (x: T): T => tfc.exp(tfc.neg(tfc.abs(x)));

/**
 * e^x − 1 for x ≤ 0 (larger x are clamped to 0), by Kahan's trick: with u = fl(e^x),
 * (u − 1)·x / log(u) is accurate to a few ulp even when u − 1 cancels.
 */
export function expm1NonPositive(x: T): T {
  const xk = tfc.clipByValue(x, -80, 0);  // e^-80 < 2^-115: expm1 is −1 in float32 below
  const u = tfc.exp(xk);
  const um1 = tfc.sub(u, 1);
  const logU = tfc.minimum(tfc.log(u), -1e-30);  // never 0: u < 1 ⇒ log u ≤ −5.9e-8
  const kahan = tfc.mul(um1, tfc.div(xk, logU));
  return tfc.maximum(tfc.where(tfc.equal(um1, 0), xk, kahan), -1);
}

/** log(1 + x) for x ∈ [0, 1], by Goldberg's trick: log(u)·x/(u − 1) with u = fl(1 + x). */
export function log1pUnit(x: T): T {
  const u = tfc.add(x, 1);
  const d = tfc.sub(u, 1);
  const ratio = tfc.div(x, tfc.maximum(d, 1e-30));
  return tfc.where(tfc.equal(d, 0), x, tfc.mul(tfc.log(u), ratio));
}

/** σ(z) = 1/(1 + e^−z), relative-accurate on both sides. */
export function sigmoid(z: T): T {
  const e = expNegAbs(z);
  const r = tfc.div(1, tfc.add(e, 1));
  return tfc.where(tfc.greaterEqual(z, 0), r, tfc.mul(e, r));
}

/** σ′(z) = e/(1 + e)² with e = e^−|z| (never σ(1 − σ), which is 0 in the tails). */
export function sigmoidPrime(z: T): T {
  const e = expNegAbs(z);
  const d = tfc.add(e, 1);
  return tfc.div(e, tfc.mul(d, d));
}

/**
 * factor·σ′(z) = (h·factor)·h/(1 + h²)² with h = e^(−|z|/2): when the product is a normal float32,
 * no intermediate is subnormal (backends that flush subnormals to zero, like tfjs-node, would
 * otherwise return 0 for σ′(z) ≈ 1e-38 times a large factor).
 */
export function sigmoidPrimeTimes(z: T, factor: T | number): T {
  const h = tfc.exp(tfc.mul(tfc.abs(z), -0.5));
  const d = tfc.add(tfc.mul(h, h), 1);
  return tfc.div(tfc.mul(tfc.mul(h, factor), h), tfc.mul(d, d));
}

/** sech²(x) = 4e/(1 + e)² with e = e^−2|x|. */
export function sech2(x: T): T {
  const e = tfc.exp(tfc.mul(tfc.abs(x), -2));
  const d = tfc.add(e, 1);
  return tfc.div(tfc.mul(e, 4), tfc.mul(d, d));
}

/** tanh(x) = sign(x)·(−m)/(2 + m) with m = expm1(−2|x|): relative-accurate near 0 and saturating. */
export function tanh(x: T): T {
  const m = expm1NonPositive(tfc.mul(tfc.abs(x), -2));
  const t = tfc.div(tfc.neg(m), tfc.add(m, 2));
  return tfc.where(tfc.less(x, 0), tfc.neg(t), t);
}

/** softplus(z) = max(z, 0) + log1p(e^−|z|). */
export function softplus(z: T): T {
  return tfc.add(tfc.relu(z), log1pUnit(expNegAbs(z)));
}

/**
 * x² of |x| ≤ 64 split as hi + lo, hi = xh² exact (xh = x rounded to 1/64: ≤ 12 significant bits),
 * lo = (x − xh)(x + xh) small. exp(−(hi + lo)/2) = exp(−hi/2)·exp(−lo/2) then has no error from
 * rounding x² (which would cost |x²|/2 ulp in the Gaussian tail).
 */
function splitSquare(x: T): { hi: T; lo: T } {
  const xh = tfc.div(tfc.round(tfc.mul(x, 64)), 64);
  return { hi: tfc.mul(xh, xh), lo: tfc.mul(tfc.sub(x, xh), tfc.add(x, xh)) };
}

/** e^(−x²/2) for |x| ≤ 64, without the rounding error of x². */
function gaussian(x: T): T {
  const { hi, lo } = splitSquare(x);
  return tfc.mul(tfc.exp(tfc.mul(hi, -0.5)), tfc.exp(tfc.mul(lo, -0.5)));
}

const INV_SQRT_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;
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

/**
 * Standard normal pieces for gelu, relative-accurate in both tails:
 * cdf = Φ(x), pdf = φ(x), and twoMinusSquare = 2 − x² (no cancellation near √2).
 * Inputs are clamped to |x| ≤ 20 (Φ(−20) and φ(20) are 0 in float32).
 */
export function normal(x: T): { cdf: T; pdf: T; twoMinusSquare: T } {
  const xc = tfc.clipByValue(x, -20, 20);
  const a = tfc.abs(xc);
  const g = gaussian(a);  // e^(−x²/2)
  const z = tfc.mul(a, INV_SQRT_2);
  const t = tfc.div(1, tfc.add(tfc.mul(z, 0.5), 1));
  const tail = tfc.mul(tfc.mul(tfc.mul(t, 0.5), g), tfc.exp(polynomial(t, ERFC_P)));  // Φ(−|x|)
  const cdf = tfc.where(tfc.less(xc, 0), tail, tfc.sub(1, tail));
  const { hi, lo } = splitSquare(xc);
  return { cdf, pdf: tfc.mul(g, INV_SQRT_2PI), twoMinusSquare: tfc.sub(tfc.sub(2, hi), lo) };
}

/**
 * Coefficients of x − tanh(x) = Σ c[k] x^(2k+3) from tanh′ = 1 − tanh² (tanh = Σ a_k x^(2k+1),
 * (2k+1)·a_k = [k = 0] − Σ_{i+j=k−1} a_i a_j), so c[k] = −a_{k+1}.
 */
export function tanhShrinkSeries(terms: number): number[] {
  const a: number[] = [1];
  for (let k = 1; k <= terms; k++) {
    let s = 0;
    for (let i = 0; i <= k - 1; i++) s += a[i] * a[k - 1 - i];
    a.push(-s / (2 * k + 1));
  }
  return a.slice(1).map((v) => -v);
}

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
export const REDUCTION_LIMIT = 2 ** 17;

/**
 * w = u + offset·π/4 − k·π/2 ∈ [−π/4, π/4] with integer-valued k, for |u| ≤ REDUCTION_LIMIT
 * (clamped). Computed as u − m·π/4, m = 2k − offset, piece by piece (Cody–Waite), so w keeps its
 * digits near the zeros of sin/cos; the backend's sin/cos are not used (tfjs-wasm's have 1e-7
 * absolute error, e.g. sin(1e-10) = 1.7e-7).
 */
export function reduceHalfPi(u: T, offset: 0 | 1): { w: T; k: T } {
  const uc = tfc.clipByValue(u, -REDUCTION_LIMIT, REDUCTION_LIMIT);
  const k = tfc.round(tfc.add(tfc.mul(uc, 2 / Math.PI), offset / 2));
  const m = tfc.sub(tfc.mul(k, 2), offset);
  let w = uc;
  for (const piece of QUARTER_PI_PIECES) w = tfc.sub(w, tfc.mul(m, piece));
  return { w, k };
}

/** k mod n for integer-valued k (floor convention, so in [0, n)). */
export const modInt = (k: T, n: number): T => tfc.sub(k, tfc.mul(tfc.floor(tfc.div(k, n)), n));

/** sin(w) for |w| ≤ π/4 (Cephes sinf minimax polynomial, ~1 ulp). */
export function sinReduced(w: T): T {
  const w2 = tfc.mul(w, w);
  return tfc.add(w, tfc.mul(tfc.mul(w, w2), polynomial(w2, [-1.6666654611e-1, 8.3321608736e-3, -1.9515295891e-4])));
}

/** cos(w) for |w| ≤ π/4 (Cephes cosf minimax polynomial, ~1 ulp). */
export function cosReduced(w: T): T {
  const w2 = tfc.mul(w, w);
  const tail = tfc.mul(tfc.mul(w2, w2), polynomial(w2, [4.166664568298827e-2, -1.388731625493765e-3, 2.443315711809948e-5]));
  return tfc.add(tfc.sub(1, tfc.mul(w2, 0.5)), tail);
}
