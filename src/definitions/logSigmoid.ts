import { defineActivation, smoothEverywhere } from '../definition';
import * as math from '../math';
import { sigmoidPrime as sigmoidPrimeE } from '../engine/forms';

// Read once, not per element (src/math.ts says why).
const { sigmoid, sigmoidPrime } = math;

export const logSigmoid = defineActivation({
  id: 'logSigmoid',
  title: 'Log-sigmoid',
  summary: 'log σ(x) = −softplus(−x).',
  description: 'Computed as min(x, 0) − log1p(e^(−|x|)): no log(0) for very negative x.',
  aliases: { keras: ['log_sigmoid'], torch: ['LogSigmoid', 'logsigmoid'], tfjs: ['logSigmoid'] },
  params: {},
  forward: (x) => (x === -Infinity ? x : Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)))),
  derivative: (x) => sigmoid(-x),
  secondDerivative: (x) => -sigmoidPrime(x),
  float32: {
    forward: (x) => x.neg().softplus().neg(),
    derivative: (x) => x.neg().sigmoid(),
    secondDerivative: (x) => sigmoidPrimeE(x).neg(),
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: smoothEverywhere,
  properties: { range: '(−∞, 0)', monotonic: true, smooth: true, zeroCentered: false, saturates: 'positive', symmetry: 'none', bounds: [-Infinity, 0] },
  formula: {
    forward: 'f(x) = log σ(x) = −log(1 + e^(−x))',
    derivative: 'f′(x) = σ(−x)',
    secondDerivative: 'f″(x) = −σ(x)·σ(−x)',
  },
  reference: {
    citation: '[Rumelhart et al., 1986](https://www.nature.com/articles/323533a0)',
    url: 'https://www.nature.com/articles/323533a0',
  },
  builtin: { tfjsOp: 'logSigmoid' },
  testing: { referenceParams: [] },
  bench: {
    cost: 'exp',
    tfjsComposes: true,
    composition: { name: '−log1p(exp(−x))', fn: (tf, x) => tf.neg(tf.log1p(tf.exp(tf.neg(x)))) },
  },
});
