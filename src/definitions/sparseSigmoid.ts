import { defineActivation } from '../definition';
import { expr } from '../engine/expr';
import { clamp } from '../engine/forms';

export const sparseSigmoid = defineActivation({
  id: 'sparseSigmoid',
  title: 'Sparse sigmoid',
  summary: 'The derivative of sparse plus: 0 for x ≤ −1, (x + 1)/2 between, 1 for x ≥ 1.',
  description: 'A hard sigmoid with slope 1/2; exactly 0 or 1 outside [−1, 1].',
  aliases: { keras: ['sparse_sigmoid'] },
  params: {},
  forward: (x) => (x <= -1 ? 0 : x >= 1 ? 1 : (x + 1) / 2),
  derivative: (x) => (x > -1 && x < 1 ? 0.5 : 0),
  secondDerivative: () => 0,
  float32: {
    forward: (x) => clamp(x.add(1).mul(0.5), 0, 1),
    derivative: (x) => x.abs().lt(1).select(0.5, 0),
    secondDerivative: () => expr.c(0),
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: () => [
    { at: -1, side: 'left', orders: [1, 2] },
    { at: 1, side: 'right', orders: [1, 2] },
  ],
  properties: { range: '[0, 1]', monotonic: true, smooth: false, zeroCentered: false, saturates: 'both', symmetry: 'none', bounds: [0, 1] },
  formula: {
    forward: 'f(x) = 0 if x ≤ −1, (x + 1)/2 if −1 < x < 1, 1 if x ≥ 1',
    derivative: 'f′(x) = 1/2 if −1 < x < 1, else 0',
    secondDerivative: 'f″(x) = 0',
  },
  reference: {
    citation: '[Blondel et al., 2020](https://arxiv.org/abs/1901.02324)',
    url: 'https://arxiv.org/abs/1901.02324',
  },
  testing: { referenceParams: [] },
  bench: {
    cost: 'cheap',
    tfjsComposes: false,
    composition: { name: '(clip(x, −1, 1) + 1)/2', fn: (tf, x) => tf.mul(0.5, tf.add(tf.clipByValue(x, -1, 1), 1)) },
  },
});
