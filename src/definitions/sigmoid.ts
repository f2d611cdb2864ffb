import { defineActivation, smoothEverywhere } from '../definition';
import * as math from '../math';
import { sigmoidPrime as sigmoidPrimeE } from '../engine/forms';

// Read once, not per element (src/math.ts says why).
const { sigmoid: sigma, sigmoidPrime } = math;

export const sigmoid = defineActivation({
  id: 'sigmoid',
  title: 'Sigmoid',
  summary: 'Logistic function: squashes any input into (0, 1).',
  description:
    'The classic "firing rate" unit. It saturates on both sides (the gradient vanishes for large |x|) ' +
    'and its outputs are not zero-centred. The derivative is computed as e/(1+e)^2 with e = exp(-|x|), ' +
    'which stays accurate in the tails where the usual y(1-y) rounds to 0.',
  aliases: { keras: ['sigmoid'], torch: ['Sigmoid', 'sigmoid'], tfjs: ['sigmoid'] },
  params: {},
  forward: (x) => sigma(x),
  derivative: (x) => sigmoidPrime(x),
  // sigma'' = sigma' (1 - 2 sigma) and 1 - 2 sigma(x) = -tanh(x/2) (no cancellation).
  secondDerivative: (x) => -sigmoidPrime(x) * Math.tanh(x / 2),
  float32: {
    forward: (x) => x.sigmoid(),
    derivative: (x) => sigmoidPrimeE(x),
    // −σ′(x)·tanh(x/2): never σ(−x) − σ(x), which cancels near 0.
    secondDerivative: (x) => sigmoidPrimeE(x).mul(x.mul(0.5).tanh()).neg(),
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: smoothEverywhere,
  properties: { range: '(0, 1)', monotonic: true, smooth: true, zeroCentered: false, saturates: 'both', symmetry: 'none', bounds: [0, 1] },
  formula: {
    forward: 'σ(x) = 1 / (1 + e^(−x))',
    derivative: 'σ′(x) = σ(x)·σ(−x)',
    secondDerivative: 'σ″(x) = σ′(x)·(1 − 2σ(x)) = −σ′(x)·tanh(x/2)',
  },
  reference: {
    citation: '[Rumelhart et al., 1986](https://www.nature.com/articles/323533a0)',
    url: 'https://www.nature.com/articles/323533a0',
  },
  builtin: { tfjsActivation: 'sigmoid', tfjsOp: 'sigmoid' },
  testing: { referenceParams: [] },
  bench: {
    cost: 'exp',
    tfjsComposes: false,
    composition: { name: '1/(1+exp(−x))', fn: (tf, x) => tf.div(1, tf.add(1, tf.exp(tf.neg(x)))) },
  },
});
