import { defineActivation } from '../definition';
import { expr } from '../engine/expr';
import { clamp } from '../engine/forms';

export const hardSigmoidKeras2 = defineActivation({
  id: 'hardSigmoidKeras2',
  title: 'Hard sigmoid (Keras 2, tfjs)',
  summary: 'Piecewise-linear sigmoid, Keras 2 / tfjs form: clamp(x/5 + 1/2, 0, 1).',
  description:
    'The hard sigmoid of Keras 2 and Theano, and what tfjs\'s own `hardSigmoid` name computes (the ' +
    'default recurrent activation of tfjs\'s LSTM and GRU). Keras 3 and PyTorch changed the slope to ' +
    '1/6 (`hardSigmoid` here), so a tfjs model that uses this one exports to Keras 3 as this plugin\'s ' +
    'custom object.',
  aliases: {},
  noKerasEquivalent: 'Keras 3\'s hard_sigmoid is x/6 + 1/2; Keras 2\'s x/5 + 1/2 is gone.',
  params: {},
  forward: (x) => (x <= -2.5 ? 0 : x >= 2.5 ? 1 : x / 5 + 0.5),
  derivative: (x) => (x > -2.5 && x < 2.5 ? 0.2 : 0),
  secondDerivative: () => 0,
  float32: {
    forward: (x) => clamp(x.mul(0.2).add(0.5), 0, 1),
    derivative: (x) => x.abs().lt(2.5).select(0.2, 0),
    secondDerivative: () => expr.c(0),
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: () => [
    { at: -2.5, side: 'left', orders: [1, 2] },
    { at: 2.5, side: 'right', orders: [1, 2] },
  ],
  properties: { range: '[0, 1]', monotonic: true, smooth: false, zeroCentered: false, saturates: 'both', symmetry: 'none', bounds: [0, 1] },
  formula: {
    forward: 'f(x) = clamp(x/5 + 1/2, 0, 1)',
    derivative: 'f′(x) = 1/5 if −2.5 < x < 2.5, else 0',
    secondDerivative: 'f″(x) = 0',
  },
  reference: {
    citation: '[Courbariaux et al., 2015](https://arxiv.org/abs/1511.00363)',
    url: 'https://arxiv.org/abs/1511.00363',
  },
  builtin: { tfjsActivation: 'hardSigmoid' },
  testing: { referenceParams: [] },
  bench: {
    cost: 'cheap',
    tfjsComposes: false,
    composition: { name: 'clip(x/5 + 1/2, 0, 1)', fn: (tf, x) => tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1) },
  },
});
