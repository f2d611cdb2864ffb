import { defineActivation, smoothEverywhere } from '../definition';
import * as math from '../math';
import { sech2 as sech2E, sech2Times } from '../engine/forms';

// Read once, not per element (src/math.ts says why).
const { sech2 } = math;

export const tanh = defineActivation({
  id: 'tanh',
  title: 'Tanh',
  summary: 'Hyperbolic tangent: a zero-centred sigmoid with range (−1, 1).',
  description:
    'tanh(x) = 2σ(2x) − 1. Zero-centred, but it still saturates on both sides. The derivative is ' +
    'sech²(x) computed from x (not 1 − y², which cancels to 0 for |x| > 9 in float32).',
  aliases: { keras: ['tanh'], torch: ['Tanh', 'tanh'], tfjs: ['tanh'] },
  params: {},
  forward: (x) => Math.tanh(x),
  derivative: (x) => sech2(x),
  secondDerivative: (x) => -2 * Math.tanh(x) * sech2(x),
  float32: {
    forward: (x) => x.tanh(),
    derivative: (x) => sech2E(x),
    secondDerivative: (x) => sech2Times(x, x.tanh().mul(-2)),
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: smoothEverywhere,
  properties: { range: '(−1, 1)', monotonic: true, smooth: true, zeroCentered: true, saturates: 'both', symmetry: 'odd', bounds: [-1, 1] },
  formula: {
    forward: 'tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x))',
    derivative: 'tanh′(x) = sech²(x) = 1 − tanh²(x)',
    secondDerivative: 'tanh″(x) = −2·tanh(x)·sech²(x)',
  },
  reference: {
    citation: '[LeCun et al., 1998](http://yann.lecun.com/exdb/publis/pdf/lecun-98b.pdf)',
    url: 'http://yann.lecun.com/exdb/publis/pdf/lecun-98b.pdf',
  },
  builtin: { tfjsActivation: 'tanh', tfjsOp: 'tanh' },
  testing: { referenceParams: [] },
  bench: {
    cost: 'exp',
    tfjsComposes: false,
    composition: { name: '(e^2x−1)/(e^2x+1)', fn: (tf, x) => {
      const e = tf.exp(tf.mul(2, x));
      return tf.div(tf.sub(e, 1), tf.add(e, 1));
    } },
  },
});
