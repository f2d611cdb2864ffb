import { defineActivation, smoothEverywhere } from '../definition';
import * as math from '../math';
import type { Expr } from '../engine/expr';

// Read once, not per element (src/math.ts says why).
const { sigmoid } = math;


/**
 * t = tanh(softplus(x)) and g = sech²(softplus(x)) without overflow or cancellation:
 * with n = e^x (e^x + 2), t = n / (n + 2) and g = 4 (n + 1) / (n + 2)².
 */
function parts(x: number): { t: number; g: number } {
  if (x > 40) return { t: 1, g: 0 };  // 1 − t < 1e-34: below float64 resolution at 1
  const e = Math.exp(x);
  const n = e * (e + 2);
  const d = n + 2;
  return { t: n / d, g: (4 * (n + 1)) / d / d };
}

/**
 * w = e^(−|x|) and whether x > 0: with them t = tanh(softplus(x)), sech²(softplus(x))·σ(x) and the
 * rest of f″ are rational (see secondDerivative).
 */
function rationalParts(x: Expr): { w: Expr; positive: Expr } {
  return { w: x.abs().neg().exp(), positive: x.gt(0) };
}

/** t = tanh(softplus(x)) and P = sech²(softplus(x))·σ(x), rational in u = e^min(x, 20). */
function forwardParts(x: Expr): { t: Expr; p: Expr } {
  const u = x.min(20).exp();
  const d = u.mul(u.add(2)).add(2);
  return { t: u.mul(u.add(2)).div(d), p: u.mul(u.add(1)).mul(4).div(d.square()) };
}

export const mish = defineActivation({
  id: 'mish',
  title: 'Mish',
  summary: 'x·tanh(softplus(x)): smooth, non-monotonic, unbounded above.',
  description:
    'Similar in shape to Swish. tanh(softplus(x)) is evaluated as n/(n + 2) with n = eˣ(eˣ + 2), which ' +
    'has neither overflow nor cancellation for any x.',
  aliases: { keras: ['mish'], torch: ['Mish', 'mish'], tfjs: ['mish'] },
  params: {},
  forward: (x) => (x === -Infinity ? 0 : x * parts(x).t),
  derivative: (x) => {
    if (!Number.isFinite(x)) return x > 0 ? 1 : 0;
    const { t, g } = parts(x);
    return t + x * g * sigmoid(x);
  },
  // f'' = 2 g σ + x g σ (σ(−x) − 2 t σ), from t' = g σ and g' = −2 t g σ.
  secondDerivative: (x) => {
    if (!Number.isFinite(x)) return 0;
    const { t, g } = parts(x);
    const s = sigmoid(x);
    return g * s * (2 + x * (sigmoid(-x) - 2 * t * s));
  },
  float32: {
    // t = tanh(softplus(x)) = n/(n + 2) with u = e^x, n = u(u + 2): one exponential (x clamped at 20,
    // where t is 1 in float32), no overflow, no cancellation.
    forward: (x) => x.mulNoNan(forwardParts(x).t),
    // f′ = t + x·P with P = sech²(softplus(x))·σ(x) = 4u(1 + u)/(n + 2)².
    derivative: (x) => {
      const { t, p } = forwardParts(x);
      return t.add(x.min(20).mulNoNan(p));
    },
    // f″ = P·(2 + x·R), rational in w = e^(−|x|) (one exponential: P and R keep their digits where
    // f″ has its extrema, which composing tanh, softplus and sigmoid would not).
    secondDerivative: (x) => {
      const { w, positive } = rationalParts(x);
      const w2 = w.square();
      const w3 = w2.mul(w);
      const d = positive.select(w2.mul(2).add(w.mul(2)).add(1), w2.add(w.mul(2)).add(2));
      const prefactor = positive.select(w2.mul(4), w.mul(4)).mul(w.add(1)).div(d.square());
      const r = positive.select(
        w3.mul(2).add(w2.mul(2)).sub(w.mul(3)).sub(2),
        w3.mul(-2).sub(w2.mul(3)).add(w.mul(2)).add(2),
      ).div(d.mul(w.add(1)));
      return x.mul(r).add(2).mulNoNan(prefactor);
    },
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: smoothEverywhere,
  properties: { range: '(≈−0.309, ∞)', monotonic: false, smooth: true, zeroCentered: false, saturates: 'negative', symmetry: 'none', bounds: [-0.3089, Infinity] },
  formula: {
    forward: 'f(x) = x·tanh(softplus(x))',
    derivative: 'f′(x) = tanh(sp(x)) + x·sech²(sp(x))·σ(x)',
    secondDerivative: 'f″(x) = sech²(sp(x))·σ(x)·(2 + x·(σ(−x) − 2·tanh(sp(x))·σ(x)))',
  },
  reference: {
    citation: '[Misra, 2019](https://arxiv.org/abs/1908.08681)',
    url: 'https://arxiv.org/abs/1908.08681',
  },
  builtin: { tfjsActivation: 'mish' },
  testing: { referenceParams: [] },
  bench: {
    cost: 'exp',
    tfjsComposes: true,
    composition: { name: 'x·tanh(softplus(x))', fn: (tf, x) => tf.mul(x, tf.tanh(tf.softplus(x))) },
  },
});
