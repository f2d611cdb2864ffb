import { defineActivation, smoothEverywhere } from '../definition';
import * as math from '../math';
import { clamp, sech2Times } from '../engine/forms';

// Read once, not per element (src/math.ts says why).
const { sech2 } = math;

export const lisht = defineActivation({
  id: 'lisht',
  title: 'LiSHT',
  summary: 'Linearly scaled hyperbolic tangent: x·tanh(x).',
  description: 'Even, non-negative and unbounded; behaves like |x| for large |x| and like x² near 0.',
  aliases: {},
  params: {},
  forward: (x) => x * Math.tanh(x),
  derivative: (x) => (Number.isFinite(x) ? Math.tanh(x) + x * sech2(x) : Math.sign(x)),
  secondDerivative: (x) => (Number.isFinite(x) ? 2 * sech2(x) * (1 - x * Math.tanh(x)) : 0),
  float32: {
    forward: (x) => x.mul(x.tanh()),
    derivative: (x) => x.tanh().add(sech2Times(x, clamp(x, -1e30, 1e30))),
    secondDerivative: (x) => {
      const xc = clamp(x, -1e30, 1e30);
      return sech2Times(x, xc.mul(x.tanh()).neg().add(1).mul(2));
    },
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: smoothEverywhere,
  properties: { range: '[0, ∞)', monotonic: false, smooth: true, zeroCentered: false, saturates: 'none', symmetry: 'even', bounds: [0, Infinity] },
  formula: {
    forward: 'f(x) = x·tanh(x)',
    derivative: 'f′(x) = tanh(x) + x·sech²(x)',
    secondDerivative: 'f″(x) = 2·sech²(x)·(1 − x·tanh(x))',
  },
  reference: {
    citation: '[Roy et al., 2019](https://arxiv.org/abs/1901.05894)',
    url: 'https://arxiv.org/abs/1901.05894',
  },
  noKerasEquivalent: 'Keras 3 has no LiSHT.',
  testing: { referenceParams: [] },
  bench: {
    cost: 'exp',
    tfjsComposes: false,
    composition: { name: 'x·tanh(x)', fn: (tf, x) => tf.mul(x, tf.tanh(x)) },
  },
});
