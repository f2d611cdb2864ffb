/**
 * The fast path's bar: backward stability within 4 float32 eps. For each order g (f, f′, f″),
 *   |computed − exact| ≤ 4·eps·(|g(x)| + |x·g′(x)|)  (+ a floor),
 * with g′ the next order's float64 function (f‴ by a central difference of f″), or more where an
 * exact evaluation at an input perturbed by up to 4 eps shows more: max over x′ in x(1 ± 4 eps) of
 * |g(x′) − g(x)|, sampled, which is the jump at a kink. Where the exact value overflows float32, ±Infinity is
 * required. Backends that flush subnormals to zero (tfjs-node, GPUs) may lose an intermediate below
 * 2^-126 that the formula then multiplies by a large factor (x·σ(x) at x = −89, φ(x)(2 − x²) at
 * x = 13): results below 2^-112 ≈ 1.9e-34 may come out as 0 there, and a subnormal x may be read as 0.
 */
export const EPS32 = 2 ** -23;
export const FLOOR = 2 ** -126;
/** Results below this may be flushed to 0 (see above). */
export const UNDERFLOW_FLOOR = 2 ** -112;
const STEP = 4 * EPS32;

/** g′ by a central difference in float64 (for f‴, which no definition carries). */
export function centralDifference(g: (x: number) => number): (x: number) => number {
  return (x) => {
    const h = Math.max(Math.abs(x), 1e-3) * 1e-6;
    return (g(x + h) - g(x - h)) / (2 * h);
  };
}

/**
 * The largest allowed |computed − exact| for g at x (exact: the float64 function g; dg its
 * derivative, the next order's function).
 */
export function backwardBar(g: (x: number) => number, x: number, dg?: (x: number) => number): number {
  const gx = g(x);
  if (!Number.isFinite(x)) return 4 * EPS32 * Math.abs(gx) + UNDERFLOW_FLOOR;
  const slope = dg ? Math.abs(x * dg(x)) : 0;
  const floor = UNDERFLOW_FLOOR;
  // Points across [x(1 − 4 eps), x(1 + 4 eps)]: 16 see a kink's jump; where the interval is wider
  // than 1 (|x| > 2e6), 256 see the whole range of an oscillating g (snake), which a float32 x that
  // large cannot resolve.
  const around: number[] = [];
  // A subnormal input may be read as 0 (tfjs-node and GPUs treat denormals as zero).
  if (Math.abs(x) < FLOOR && x !== 0) around.push(Math.abs(g(0) - gx));
  const wide = Math.abs(x) * STEP > 1;
  const half = wide ? 128 : 8;
  for (let k = -half; k <= half; k++) {
    if (k === 0) continue;
    const d = Math.abs(g(x * (1 + (k / half) * STEP)) - gx);
    if (d === d) around.push(d);
  }
  // Samples fall short of a sup they approach: 1 % more where they stand for a whole range.
  if (wide) around.push(1.01 * Math.max(...around));
  return 4 * EPS32 * Math.abs(gx) + Math.max(4 * EPS32 * (slope === slope ? slope : 0), ...around) + floor;
}

/** computed / bar (≤ 1 passes), Infinity where an overflow or NaN does not match. */
export function barRatio(computed: number, g: (x: number) => number, x: number, dg?: (x: number) => number): number {
  const exact = Number.isNaN(x) ? NaN : g(x);
  if (Number.isNaN(exact) || Number.isNaN(computed)) return Number.isNaN(exact) && Number.isNaN(computed) ? 0 : Infinity;
  const rounded = Math.fround(exact);
  if (!Number.isFinite(rounded) || !Number.isFinite(computed)) return rounded === computed ? 0 : Infinity;
  return Math.abs(computed - exact) / backwardBar(g, x, dg);
}
