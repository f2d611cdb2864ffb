import { defineActivation } from '../definition';
import * as tfc from '@tensorflow/tfjs-core';

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
  composite: {
    forward: (x) => {
      const xc = tfc.clipByValue(x, -3, 3);
      const middle = tfc.div(tfc.mul(xc, tfc.add(xc, 3)), 6);
      return tfc.where(tfc.lessEqual(x, -3), 0, tfc.where(tfc.greaterEqual(x, 3), x, middle));
    },
    derivative: (x) => {
      const xc = tfc.clipByValue(x, -3, 3);
      const middle = tfc.div(tfc.add(tfc.mul(xc, 2), 3), 6);
      return tfc.where(tfc.less(x, -3), 0, tfc.where(tfc.greater(x, 3), 1, middle));
    },
    secondDerivative: (x) => tfc.where(tfc.logicalAnd(tfc.greaterEqual(x, -3), tfc.lessEqual(x, 3)), 1 / 3, 0),
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
});
