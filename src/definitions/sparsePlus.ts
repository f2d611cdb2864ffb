import { defineActivation } from '../definition';

export const sparsePlus = defineActivation({
  id: 'sparsePlus',
  title: 'Sparse plus',
  summary: 'A piecewise-quadratic softplus that is exactly 0 for x ≤ −1 and x for x ≥ 1.',
  description: 'Continuously differentiable; the second derivative jumps at ±1 (we return the outer value 0).',
  aliases: { keras: ['sparse_plus'] },
  params: {},
  forward: (x) => (x <= -1 ? 0 : x >= 1 ? x : ((x + 1) * (x + 1)) / 4),
  derivative: (x) => (x <= -1 ? 0 : x >= 1 ? 1 : (x + 1) / 2),
  secondDerivative: (x) => (x > -1 && x < 1 ? 0.5 : 0),
  float32: {
    forward: (x) => x.le(-1).select(0, x.ge(1).select(x, x.add(1).square().mul(0.25))),
    derivative: (x) => x.le(-1).select(0, x.ge(1).select(1, x.add(1).mul(0.5))),
    secondDerivative: (x) => x.abs().lt(1).select(0.5, 0),
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: () => [
    { at: -1, side: 'left', orders: [2] },
    { at: 1, side: 'right', orders: [2] },
  ],
  properties: { range: '[0, ∞)', monotonic: true, smooth: false, zeroCentered: false, saturates: 'negative', symmetry: 'none', bounds: [0, Infinity] },
  formula: {
    forward: 'f(x) = 0 if x ≤ −1, (x + 1)²/4 if −1 < x < 1, x if x ≥ 1',
    derivative: 'f′(x) = 0 if x ≤ −1, (x + 1)/2 if −1 < x < 1, 1 if x ≥ 1',
    secondDerivative: 'f″(x) = 1/2 if −1 < x < 1, else 0',
  },
  reference: {
    citation: '[Blondel et al., 2020](https://arxiv.org/abs/1901.02324)',
    url: 'https://arxiv.org/abs/1901.02324',
  },
  testing: { referenceParams: [] },
  bench: {
    cost: 'cheap',
    tfjsComposes: false,
    composition: { name: '(clip(x, −1, 1) + 1)²/4 + relu(x − 1)', fn: (tf, x) => tf.add(tf.mul(0.25, tf.square(tf.add(tf.clipByValue(x, -1, 1), 1))), tf.relu(tf.sub(x, 1))) },
  },
});
