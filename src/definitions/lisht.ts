import { defineActivation, smoothEverywhere } from '../definition';
import { sech2 } from '../math';
import * as tfc from '@tensorflow/tfjs-core';
import { finite, sech2 as sech2T, tanh as tanhT } from '../engine/composite-math';

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
  composite: {
    forward: (x) => tfc.mul(x, tanhT(x)),
    derivative: (x) => tfc.add(tanhT(x), tfc.mul(finite(x), sech2T(x))),
    secondDerivative: (x) =>
      tfc.mul(tfc.mul(sech2T(x), 2), tfc.sub(1, tfc.mul(finite(x), tanhT(x)))),
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
});
