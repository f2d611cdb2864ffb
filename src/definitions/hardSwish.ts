import { defineActivation } from '../definition';
import { clamp } from '../engine/forms';

export const hardSwish = defineActivation({
  id: 'hardSwish',
  title: 'Hard swish',
  summary: 'x·hardSigmoid(x) = x·relu6(x + 3)/6, a cheap Swish.',
  description:
    'Keras 3 calls it `hard_silu` (alias `hard_swish`). At x = −3 the derivative jumps from 0 to −1/2 ' +
    'and at x = 3 from 3/2 to 1; like PyTorch we return −1/2 at −3 and 3/2 at 3.',
  aliases: { keras: ['hard_silu', 'hard_swish'], torch: ['Hardswish', 'hardswish'] },
  params: {},
  forward: (x) => (x <= -3 ? 0 : x >= 3 ? x : (x * (x + 3)) / 6),
  derivative: (x) => (x < -3 ? 0 : x > 3 ? 1 : (2 * x + 3) / 6),
  secondDerivative: (x) => (x >= -3 && x <= 3 ? 1 / 3 : 0),
  float32: {
    forward: (x) => x.mulNoNan(clamp(x.add(3), 0, 6).mul(1 / 6)),
    derivative: (x) => x.lt(-3).select(0, x.gt(3).select(1, x.mul(1 / 3).add(0.5))),
    secondDerivative: (x) => x.abs().le(3).select(1 / 3, 0),
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: () => [
    { at: -3, side: 'right', orders: [1, 2] },
    { at: 3, side: 'left', orders: [1, 2] },
  ],
  properties: { range: '[−3/8, ∞)', monotonic: false, smooth: false, zeroCentered: false, saturates: 'negative', symmetry: 'none', bounds: [-0.375, Infinity] },
  formula: {
    forward: 'f(x) = x·clamp(x/6 + 1/2, 0, 1)',
    derivative: 'f′(x) = 0 if x < −3, (2x + 3)/6 if −3 ≤ x ≤ 3, 1 if x > 3',
    secondDerivative: 'f″(x) = 1/3 if −3 ≤ x ≤ 3, else 0',
  },
  reference: {
    citation: '[Howard et al., 2019](https://arxiv.org/abs/1905.02244)',
    url: 'https://arxiv.org/abs/1905.02244',
  },
  testing: { referenceParams: [] },
  bench: {
    cost: 'cheap',
    tfjsComposes: false,
    composition: { name: 'x·clip(x/6 + 1/2, 0, 1)', fn: (tf, x) => tf.mul(x, tf.clipByValue(tf.add(tf.mul(x, 1 / 6), 0.5), 0, 1)) },
  },
});
