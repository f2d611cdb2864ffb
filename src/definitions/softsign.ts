import { defineActivation } from '../definition';
import * as math from '../math';
import { clamp, FLOAT32_MAX } from '../engine/forms';

// Read once, not per element (src/math.ts says why).
const { sign } = math;

export const softsign = defineActivation({
  id: 'softsign',
  title: 'Softsign',
  summary: 'x / (1 + |x|): a tanh-like squashing with polynomial, not exponential, tails.',
  description: 'Saturates more slowly than tanh. The second derivative jumps at 0; we return 0 there (the mean).',
  aliases: { keras: ['softsign'], torch: ['Softsign', 'softsign'], tfjs: ['softsign'] },
  params: {},
  forward: (x) => (Number.isFinite(x) ? x / (1 + Math.abs(x)) : sign(x)),
  derivative: (x) => {
    const d = 1 + Math.abs(x);
    return 1 / (d * d);
  },
  secondDerivative: (x) => {
    const d = 1 + Math.abs(x);
    return (-2 * sign(x)) / (d * d * d);
  },
  float32: {
    forward: (x) => {
      const xf = clamp(x, -FLOAT32_MAX, FLOAT32_MAX);
      return xf.div(xf.abs().add(1));
    },
    derivative: (x) => x.abs().add(1).square().reciprocal(),
    secondDerivative: (x) => {
      const d = x.abs().add(1);
      return x.sign().mul(-2).div(d.square().mul(d));
    },
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: () => [{ at: 0, side: 'mean', orders: [2] }],
  properties: { range: '(−1, 1)', monotonic: true, smooth: false, zeroCentered: true, saturates: 'both', symmetry: 'odd', bounds: [-1, 1] },
  formula: {
    forward: 'f(x) = x / (1 + |x|)',
    derivative: 'f′(x) = 1 / (1 + |x|)²',
    secondDerivative: 'f″(x) = −2·sign(x) / (1 + |x|)³',
  },
  reference: {
    citation: '[Glorot & Bengio, 2010](https://proceedings.mlr.press/v9/glorot10a.html)',
    url: 'https://proceedings.mlr.press/v9/glorot10a.html',
  },
  builtin: { tfjsActivation: 'softsign' },
  testing: { referenceParams: [] },
  bench: {
    cost: 'cheap',
    tfjsComposes: true,
    composition: { name: 'x/(1 + |x|)', fn: (tf, x) => tf.div(x, tf.add(1, tf.abs(x))) },
  },
});
