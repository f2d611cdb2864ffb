/**
 * Building blocks for the definitions' float32 forms (see Float32Forms in src/definition.ts): the
 * stable spellings of pieces several activations share. Each is a small expression, so every
 * backend's generator sees through it.
 */
import { Expr, expr, type Operand } from './expr';

/** Largest float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** σ′(z) = σ(z)·σ(−z): relative-accurate in both tails (never σ(1 − σ), which is 0 there). */
export const sigmoidPrime = (z: Expr): Expr => z.sigmoid().mul(z.neg().sigmoid());

/**
 * a·σ′(z) as (a·σ(z))·σ(−z), for a finite factor a: applied before the small factors, it keeps
 * intermediates from underflowing (backends flush subnormals to 0) while the result does not.
 */
export const sigmoidPrimeTimes = (z: Expr, a: Expr): Expr => a.mul(z.sigmoid()).mul(z.neg().sigmoid());

/**
 * a·sech²(z) = 4a·σ(2z)·σ(−2z): relative-accurate everywhere (never 1 − tanh², which is 0 in the
 * tails), and without cosh (a slow kernel on tensorflow).
 */
export const sech2Times = (z: Expr, a: Expr | number): Expr => sigmoidPrimeTimes(z.mul(2), typeof a === 'number' ? expr.c(4 * a) : a.mul(4));

/** sech²(z). */
export const sech2 = (z: Expr): Expr => sech2Times(z, 1);

/** min(max(x, lo), hi). */
export const clamp = (x: Expr, lo: Operand, hi: Operand): Expr => x.max(lo).min(hi);

/** x with −Infinity replaced by −FLOAT32_MAX, so that x·g(x) is 0 where g(−∞) = 0. */
export const finiteBelow = (x: Expr): Expr => x.max(-FLOAT32_MAX);

/** Horner evaluation of Σ c[i]·t^i. */
export function polynomial(t: Expr, c: readonly number[]): Expr {
  let acc: Expr = expr.c(c[c.length - 1]);
  for (let i = c.length - 2; i >= 0; i--) acc = acc.mul(t).add(c[i]);
  return acc;
}

/** Φ(x), the standard normal CDF: erfc(−x/√2)/2, relative-accurate in the left tail. */
export const normalCdf = (x: Expr): Expr => x.mul(-Math.SQRT1_2).erfc().mul(0.5);

/** a·φ(x), φ the standard normal density e^(−x²/2)/√(2π) (one exponential, constant folded in). */
export const normalPdfTimes = (x: Expr, a: Expr): Expr => a.mulNoNan(x.square().mul(-0.5).sub(0.5 * Math.log(2 * Math.PI)).exp());
