/**
 * Float64 scalar building blocks shared by the definitions.
 *
 * Every function here is written for accuracy over the whole float32 range:
 * no `1 - sigmoid(x)` (it cancels in the tails), no `exp(x) - 1` (cancels near 0),
 * no overflow in an untaken branch.
 *
 * The definitions read these once when they load (`const { sigmoid } = math`), not per call: run from
 * source by tsx (the bench, the demos), each imported name is a getter of esbuild's CommonJS interop
 * that V8 does not inline, and calling through it cost the kernels' loops up to 4x (elu) or 1.7x
 * (swish). The published build (tsc) has plain properties either way.
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

// Branch-free building blocks. On cpu a branch on the sign of x is mispredicted for half of the
// elements of a typical tensor, and each miss costs more than an e^x (docs/benchmarks.md, "cpu elu"),
// so the ELU family computes both sides arithmetically. Each helper keeps a branch only for inputs
// that real tensors seldom hold (±∞, NaN, the tail below −40), which the CPU predicts. Signs of zero
// are not part of the contract (elu(−0) is +0 here).

/** Below this, x ± |x| cannot overflow, so (x ± |x|)/2 is exact. */
const NO_OVERFLOW = 2 ** 1022;

/** max(x, 0) without a data-dependent branch: (x + |x|)/2, exact for |x| ≤ 2^1022. */
export function positivePart(x: number): number {
  return Math.abs(x) <= NO_OVERFLOW ? (x + Math.abs(x)) * 0.5 : Math.max(x, 0);
}

/** min(x, 0) without a data-dependent branch: (x − |x|)/2, exact for |x| ≤ 2^1022. */
export function negativePart(x: number): number {
  return Math.abs(x) <= NO_OVERFLOW ? (x - Math.abs(x)) * 0.5 : Math.min(x, 0);
}

/** 1 for x > 0, 0 for x ≤ 0 (NaN for NaN), for float32 x; without a data-dependent branch for |x| < 2^128. */
export function heaviside(x: number): number {
  // positivePart(x)·2^-128 lies in [0, 1] and is 0 only at x ≤ 0 (float32's least 2^-149 stays above 0).
  return Math.abs(x) < 2 ** 128 ? Math.ceil(positivePart(x) * 2 ** -128) : x > 0 ? 1 : x < 0 ? 0 : x;
}

// e^x and e^x − 1 for x in [−40, 0] from one table: x = s + r with s = −i·ln2/32 a table point
// and |r| ≤ ln2/64, then e^x = e^s·e^r and e^x − 1 = (e^s − 1) + e^s·(e^r − 1). Both terms have the
// same sign, or the first is at least twice the second, so nothing cancels: about 3 float64 ulps,
// far inside float32's half eps. The table (2 × 1,849 float64s, 30 KB) is built once from Math.exp
// and Math.expm1.
const STEPS_PER_LN2 = 32;
const TABLE_LOWEST = -40; // e^−40 − 1 is −1 in float64: below it the plain formulas are exact enough
const LN2_HI = 6.93147180369123816490e-1; // ln 2 = LN2_HI + LN2_LO; LN2_HI has 32 significant bits,
const LN2_LO = 1.90821492927058770002e-10; // so i·LN2_HI/32 is exact for every table index
const STEP_HI = LN2_HI / STEPS_PER_LN2;
const STEP_LO = LN2_LO / STEPS_PER_LN2;
const STEPS_PER_UNIT = STEPS_PER_LN2 / Math.LN2;
const ROUNDING_SHIFT = 6755399441055744; // 1.5·2^52: (t + shift) − shift is t rounded to an integer
const TABLE_SIZE = Math.ceil(-TABLE_LOWEST * STEPS_PER_UNIT) + 2;
const EXP_AT_STEP = new Float64Array(TABLE_SIZE); // e^s
const EXPM1_AT_STEP = new Float64Array(TABLE_SIZE); // e^s − 1
for (let i = 0; i < TABLE_SIZE; i++) {
  const hi = -i * STEP_HI;
  const e = Math.exp(hi);
  const tail = Math.expm1(-i * STEP_LO); // e^(hi + lo) = e^hi·(1 + expm1(lo))
  EXP_AT_STEP[i] = e + e * tail;
  EXPM1_AT_STEP[i] = Math.expm1(hi) + e * tail;
}

/** e^r − 1 for |r| ≤ ln2/64 (degree 7 Taylor: truncation 4.3e-19 relative), in Estrin's form. */
function expm1Small(r: number): number {
  const r2 = r * r;
  const r4 = r2 * r2;
  return r + r2 * (1 / 2 + r * (1 / 6)) + r4 * (1 / 24 + r * (1 / 120) + r2 * (1 / 720 + r * (1 / 5040)));
}

/**
 * e^x, from the table where −40 ≤ x ≤ 0 (about twice as fast as Math.exp on V8, and inlined),
 * Math.exp elsewhere (a learnable celu alpha that turns negative gives x > 0).
 */
export function expNonPositive(x: number): number {
  if (!(x >= TABLE_LOWEST && x <= 0)) return Math.exp(x);
  const k = x * STEPS_PER_UNIT + ROUNDING_SHIFT - ROUNDING_SHIFT;
  const r = x - k * STEP_HI - k * STEP_LO;
  const e = EXP_AT_STEP[-k | 0];
  return e + e * expm1Small(r);
}

/**
 * e^x − 1 without cancellation near 0: from the table where −40 ≤ x ≤ 0, Math.expm1 elsewhere
 * (−1 at −∞, NaN at NaN).
 */
export function expm1NonPositive(x: number): number {
  if (!(x >= TABLE_LOWEST && x <= 0)) return Math.expm1(x);
  const k = x * STEPS_PER_UNIT + ROUNDING_SHIFT - ROUNDING_SHIFT;
  const r = x - k * STEP_HI - k * STEP_LO;
  const i = -k | 0;
  return EXPM1_AT_STEP[i] + EXP_AT_STEP[i] * expm1Small(r);
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
