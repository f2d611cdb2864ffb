import { defineActivation } from '../definition';
import { sign } from '../math';
import * as tfc from '@tensorflow/tfjs-core';
import { finite } from '../engine/composite-math';

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
  composite: {
    forward: (x) => {
      const xf = finite(x);
      return tfc.div(xf, tfc.add(tfc.abs(xf), 1));
    },
    derivative: (x) => {
      const d = tfc.add(tfc.abs(x), 1);
      return tfc.div(1, tfc.mul(d, d));
    },
    secondDerivative: (x) => {
      const d = tfc.add(tfc.abs(x), 1);
      // not tfc.sign: tfjs-wasm's sign(−1e-10) is 0.
      const minusTwoSign = tfc.where(tfc.less(x, 0), 2, tfc.where(tfc.greater(x, 0), -2, 0));
      return tfc.div(minusTwoSign, tfc.mul(tfc.mul(d, d), d));
    },
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
});
