/**
 * Float64 scalar building blocks shared by the definitions.
 *
 * Every function here is written for accuracy over the whole float32 range:
 * no `1 - sigmoid(x)` (it cancels in the tails), no `exp(x) - 1` (cancels near 0),
 * no overflow in an untaken branch.
 */

/** Logistic sigmoid 1 / (1 + e^-x), without overflow for either sign. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** sigmoid'(x) = sigmoid(x) * sigmoid(-x) = e / (1 + e)^2 with e = e^-|x|; exact in both tails. */
export function sigmoidPrime(x: number): number {
  const e = Math.exp(-Math.abs(x));
  const d = 1 + e;
  return e / (d * d);
}

/** softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|). */
export function softplus(x: number): number {
  if (x === Infinity) return Infinity;
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** sech^2(x) = 4e / (1 + e)^2 with e = e^-2|x|; no 1 - tanh^2 cancellation. */
export function sech2(x: number): number {
  const e = Math.exp(-2 * Math.abs(x));
  const d = 1 + e;
  return (4 * e) / (d * d);
}

/**
 * e^x − 1 for x ≤ 0: Math.exp(x) − 1 where that cannot cancel (x ≤ −0.3: the result is at least
 * 0.26 in magnitude, so its error stays below 2e-15), Math.expm1 only near 0, where it must; V8's
 * expm1 costs about twice its exp.
 */
export function expm1NonPositive(x: number): number {
  return x <= -0.3 ? Math.exp(x) - 1 : Math.expm1(x);
}

/** sign(x) with sign(0) = 0 and NaN passed through. */
export function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : x;
}

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const SQRT_PI = 1.7724538509055159;

/**
 * erf(x) for |x| < 3 from the all-positive series
 * erf(x) = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (1*3*...*(2n+1)),
 * which has no cancellation (relative error a few ulp).
 */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/**
 * erfc(x) for x >= 3 from its continued fraction
 * erfc(x) = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
 * evaluated by the modified Lentz method. Relative error a few ulp.
 */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

/** Error function, relative error of a few ulp for every x. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 3) return erfSeries(x);
  const r = 1 - erfcContinuedFraction(ax);
  return x < 0 ? -r : r;
}

/** Complementary error function 1 - erf(x), accurate (relative) in the right tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x === -Infinity) return 2;
  if (x >= 3) return erfcContinuedFraction(x);
  if (x <= -3) return 2 - erfcContinuedFraction(-x);
  return 1 - erfSeries(x);
}

const INV_SQRT_2 = 0.7071067811865476;
const INV_SQRT_2PI = 0.3989422804014327;

/** Standard normal CDF Phi(x), accurate (relative) in the left tail. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * INV_SQRT_2);
}

/** Standard normal density phi(x). */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Clamp x into [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
