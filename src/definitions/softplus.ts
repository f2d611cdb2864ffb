import { defineActivation, smoothEverywhere } from '../definition';
import * as math from '../math';
import { numberParam } from '../params';
import { sigmoidPrime as sigmoidPrimeE } from '../engine/forms';

// Read once, not per element (src/math.ts says why).
const { sigmoid, sigmoidPrime, softplus: sp } = math;

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
  float32: {
    // softplus(z) = z to float32 precision for z > 20: returning x there keeps βx from overflowing.
    forward: (x, p) => {
      const z = x.mul(p.beta);
      return p.beta.gt(1).and(z.gt(20)).select(x, z.softplus().div(p.beta));
    },
    derivative: (x, p) => x.mul(p.beta).sigmoid(),
    secondDerivative: (x, p) => sigmoidPrimeE(x.mul(p.beta)).mul(p.beta),
    paramDerivatives: {
      beta: (x, p) => {
        const z = x.mul(p.beta);
        const tail = z.abs().neg().exp().log1p();
        const lead = z.ge(0).select(z.neg().mulNoNan(z.neg().sigmoid()), z.mulNoNan(z.sigmoid()));
        return lead.sub(tail).div(p.beta.square());
      },
    },
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
  keras: { name: 'softplus', fixed: { beta: 1 } },
  testing: { referenceParams: [{ beta: 2 }, { beta: 0.5 }] },
  bench: {
    cost: 'exp',
    tfjsComposes: false,
    composition: { name: 'log1p(exp(x))', fn: (tf, x) => tf.log1p(tf.exp(x)) },
  },
});
