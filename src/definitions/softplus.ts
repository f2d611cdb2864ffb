import { defineActivation, smoothEverywhere } from '../definition';
import { sigmoid, sigmoidPrime, softplus as sp } from '../math';
import { numberParam } from '../params';
import * as tfc from '@tensorflow/tfjs-core';
import { sigmoid as sigmoidT, sigmoidPrime as sigmoidPrimeT, softplus as softplusT } from '../engine/composite-math';

export const softplus = defineActivation({
  id: 'softplus',
  title: 'Softplus',
  summary: 'Smooth ReLU: log(1 + e^(beta·x)) / beta.',
  description:
    'Computed as max(z, 0) + log1p(e^(−|z|)) with z = beta·x, exact in both tails. PyTorch also has a ' +
    '`threshold` (default 20) above which it returns x: we do not need it, the stable form is exact. ' +
    'Keras and tfjs have no beta (it is 1).',
  aliases: { keras: ['softplus'], torch: ['Softplus', 'softplus'], tfjs: ['softplus'] },
  params: {
    beta: numberParam({ default: 1, min: 0, minExclusive: true, doc: 'Sharpness; larger is closer to ReLU.', names: { torch: 'beta' } }),
  },
  forward: (x, p) => sp(p.beta * x) / p.beta,
  derivative: (x, p) => sigmoid(p.beta * x),
  secondDerivative: (x, p) => p.beta * sigmoidPrime(p.beta * x),
  composite: {
    forward: (x, p) => tfc.div(softplusT(tfc.mul(x, p.beta)), p.beta),
    derivative: (x, p) => sigmoidT(tfc.mul(x, p.beta)),
    secondDerivative: (x, p) => tfc.mul(sigmoidPrimeT(tfc.mul(x, p.beta)), p.beta),
  },
  paramDerivatives: {
    // d/dbeta [softplus(beta x) / beta] = (z·sigma(z) − softplus(z)) / beta², z = beta x, arranged
    // so that the two large terms never cancel.
    beta: (x, p) => {
      if (!Number.isFinite(x)) return 0;
      const z = p.beta * x;
      const e = Math.exp(-Math.abs(z));
      const value = z >= 0 ? -z * sigmoid(-z) - Math.log1p(e) : z * sigmoid(z) - Math.log1p(e);
      return value / (p.beta * p.beta);
    },
  },
  kinks: smoothEverywhere,
  properties: { range: '(0, ∞)', monotonic: true, smooth: true, zeroCentered: false, saturates: 'negative', symmetry: 'none', bounds: [0, Infinity] },
  formula: {
    forward: 'f(x) = log(1 + e^(beta·x)) / beta',
    derivative: 'f′(x) = σ(beta·x)',
    secondDerivative: 'f″(x) = beta·σ(beta·x)·σ(−beta·x)',
  },
  reference: {
    citation: '[Dugas et al., 2001](https://proceedings.neurips.cc/paper/2000/hash/44968aece94f667e4095002d140b5896-Abstract.html)',
    url: 'https://proceedings.neurips.cc/paper/2000/hash/44968aece94f667e4095002d140b5896-Abstract.html',
  },
  builtin: { tfjsActivation: 'softplus', tfjsOp: 'softplus' },
});
