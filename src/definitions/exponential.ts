import { defineActivation, smoothEverywhere } from '../definition';

export const exponential = defineActivation({
  id: 'exponential',
  title: 'Exponential',
  summary: 'e^x.',
  description: 'Overflows float32 above x ≈ 88.72 (the true value is then beyond float32 too).',
  aliases: { keras: ['exponential'], tfjs: ['exp'] },
  params: {},
  forward: (x) => Math.exp(x),
  derivative: (x) => Math.exp(x),
  secondDerivative: (x) => Math.exp(x),
  float32: {
    forward: (x) => x.exp(),
    derivative: (x) => x.exp(),
    secondDerivative: (x) => x.exp(),
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: smoothEverywhere,
  properties: { range: '(0, ∞)', monotonic: true, smooth: true, zeroCentered: false, saturates: 'negative', symmetry: 'none', bounds: [0, Infinity] },
  formula: { forward: 'f(x) = e^x', derivative: 'f′(x) = e^x', secondDerivative: 'f″(x) = e^x' },
  reference: {
    citation: '[Keras 3 activations](https://keras.io/api/layers/activations/)',
    url: 'https://keras.io/api/layers/activations/',
  },
  builtin: { tfjsOp: 'exp' },
  testing: { referenceParams: [] },
  bench: {
    cost: 'exp',
    tfjsComposes: false,
    composition: { name: 'exp(x)', fn: (tf, x) => tf.exp(x) },
  },
});
