import { defineActivation, smoothEverywhere } from '../definition';
import { sigmoid } from '../math';

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
