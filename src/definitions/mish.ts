import { defineActivation, smoothEverywhere } from '../definition';
import { sigmoid } from '../math';
import * as tfc from '@tensorflow/tfjs-core';
import { expNegAbs, finite, sigmoid as sigmoidT } from '../engine/composite-math';

/**
 * Tensor twin of `parts`, from a = e^(−|x|) only (no overflow): for x < 0, n = a(a + 2); for x ≥ 0,
 * q = 1/n = a²/(1 + 2a), t = 1/(1 + 2q) and g = 4q(1 + q)/(1 + 2q)².
 */
function partsT(x: tfc.Tensor): { t: tfc.Tensor; g: tfc.Tensor } {
  const a = expNegAbs(x);
  const n = tfc.mul(a, tfc.add(a, 2));
  const n2 = tfc.add(n, 2);
  const q = tfc.div(tfc.mul(a, a), tfc.add(tfc.mul(a, 2), 1));
  const q2 = tfc.add(tfc.mul(q, 2), 1);
  const negative = tfc.less(x, 0);
  return {
    t: tfc.where(negative, tfc.div(n, n2), tfc.div(1, q2)),
    g: tfc.where(
      negative,
      tfc.div(tfc.div(tfc.mul(tfc.add(n, 1), 4), n2), n2),
      tfc.div(tfc.div(tfc.mul(tfc.mul(q, tfc.add(q, 1)), 4), q2), q2),
    ),
  };
}

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
  composite: {
    forward: (x) => {
      const { t } = partsT(x);
      return tfc.where(tfc.equal(t, 0), 0, tfc.mul(x, t));
    },
    derivative: (x) => {
      const { t, g } = partsT(x);
      return tfc.add(t, tfc.mul(tfc.mul(finite(x), g), sigmoidT(x)));
    },
    secondDerivative: (x) => {
      const { t, g } = partsT(x);
      const s = sigmoidT(x);
      const gs = tfc.mul(g, s);
      const inner = tfc.sub(sigmoidT(tfc.neg(x)), tfc.mul(tfc.mul(t, s), 2));
      return tfc.add(tfc.mul(gs, 2), tfc.mul(tfc.mul(gs, finite(x)), inner));
    },
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
});
