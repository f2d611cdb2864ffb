import { defineActivation } from '../definition';
import { expr } from '../engine/expr';
import { clamp } from '../engine/forms';

export const hardSigmoid = defineActivation({
  id: 'hardSigmoid',
  title: 'Hard sigmoid',
  summary: 'Piecewise-linear sigmoid, Keras 3 / PyTorch form: clamp(x/6 + 1/2, 0, 1).',
  description:
    'This is relu6(x + 3)/6, as in Keras 3, PyTorch and MobileNetV3. tfjs\'s built-in `hardSigmoid` ' +
    'is the Keras 2 form clamp(0.2x + 0.5, 0, 1), a different function; tfjs keeps that meaning for its ' +
    'own string name.',
  aliases: { keras: ['hard_sigmoid'], torch: ['Hardsigmoid', 'hardsigmoid'] },
  params: {},
  forward: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5),
  derivative: (x) => (x > -3 && x < 3 ? 1 / 6 : 0),
  secondDerivative: () => 0,
  float32: {
    forward: (x) => clamp(x.mul(1 / 6).add(0.5), 0, 1),
    derivative: (x) => x.abs().lt(3).select(1 / 6, 0),
    secondDerivative: () => expr.c(0),
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: () => [
    { at: -3, side: 'left', orders: [1, 2] },
    { at: 3, side: 'right', orders: [1, 2] },
  ],
  properties: { range: '[0, 1]', monotonic: true, smooth: false, zeroCentered: false, saturates: 'both', symmetry: 'none', bounds: [0, 1] },
  formula: {
    forward: 'f(x) = clamp(x/6 + 1/2, 0, 1)',
    derivative: 'f′(x) = 1/6 if −3 < x < 3, else 0',
    secondDerivative: 'f″(x) = 0',
  },
  reference: {
    citation: '[Howard et al., 2019](https://arxiv.org/abs/1905.02244)',
    url: 'https://arxiv.org/abs/1905.02244',
  },
  testing: { referenceParams: [] },
  bench: {
    cost: 'cheap',
    tfjsComposes: false,
    composition: { name: 'clip(x/6 + 1/2, 0, 1)', fn: (tf, x) => tf.clipByValue(tf.add(tf.mul(x, 1 / 6), 0.5), 0, 1) },
  },
});
