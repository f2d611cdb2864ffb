import { defineActivation } from '../definition';
import { expr } from '../engine/expr';
import { clamp } from '../engine/forms';

export const relu6 = defineActivation({
  id: 'relu6',
  title: 'ReLU6',
  summary: 'ReLU capped at 6: min(max(x, 0), 6).',
  description: 'Bounded ReLU used by MobileNets so that activations fit low-precision arithmetic.',
  aliases: { keras: ['relu6'], torch: ['ReLU6', 'relu6'], tfjs: ['relu6'] },
  params: {},
  forward: (x) => (x <= 0 ? 0 : x >= 6 ? 6 : x),
  derivative: (x) => (x > 0 && x < 6 ? 1 : 0),
  secondDerivative: () => 0,
  float32: {
    forward: (x) => clamp(x, 0, 6),
    derivative: (x) => x.gt(0).and(x.lt(6)).select(1, 0),
    secondDerivative: () => expr.c(0),
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: () => [
    { at: 0, side: 'left', orders: [1, 2] },
    { at: 6, side: 'right', orders: [1, 2] },
  ],
  properties: { range: '[0, 6]', monotonic: true, smooth: false, zeroCentered: false, saturates: 'both', symmetry: 'none', bounds: [0, 6] },
  formula: {
    forward: 'f(x) = min(max(x, 0), 6)',
    derivative: 'f′(x) = 1 if 0 < x < 6, else 0',
    secondDerivative: 'f″(x) = 0',
  },
  reference: {
    citation: '[Krizhevsky, 2010](https://www.cs.toronto.edu/~kriz/conv-cifar10-aug2010.pdf)',
    url: 'https://www.cs.toronto.edu/~kriz/conv-cifar10-aug2010.pdf',
  },
  builtin: { tfjsActivation: 'relu6', tfjsOp: 'relu6' },
  testing: { referenceParams: [] },
  bench: {
    cost: 'cheap',
    tfjsComposes: false,
    composition: { name: 'clipByValue(x, 0, 6)', fn: (tf, x) => tf.clipByValue(x, 0, 6) },
  },
});
