import { defineActivation, smoothEverywhere } from '../definition';
import { sigmoid, sigmoidPrime } from '../math';
import { numberParam } from '../params';
import * as tfc from '@tensorflow/tfjs-core';
import { finite, sigmoid as sigmoidT, sigmoidPrime as sigmoidPrimeT, sigmoidPrimeTimes, tanh as tanhT } from '../engine/composite-math';

/** Tensor twin of `scaled`: beta = 0 gives 0 even for infinite x. */
const scaledT = (x: tfc.Tensor, beta: number) => (beta === 0 ? tfc.zerosLike(x) : tfc.mul(x, beta));

/** z = beta x, with beta = 0 giving 0 even for infinite x (swish is then x/2). */
const scaled = (x: number, beta: number) => (beta === 0 ? 0 : beta * x);

export const swish = defineActivation({
  id: 'swish',
  title: 'Swish / SiLU',
  summary: 'x·σ(beta·x); with beta = 1 this is SiLU.',
  description:
    'Smooth, non-monotonic (a small dip below zero around x ≈ −1.28 for beta = 1), unbounded above. ' +
    'Keras 3 `silu`/`swish` and PyTorch `SiLU` are beta = 1; tfjs\'s `swish` calls it alpha. ' +
    'beta can be learned (Swish-β) with the layer.',
  aliases: { keras: ['silu', 'swish'], torch: ['SiLU', 'silu'], tfjs: ['swish'] },
  params: {
    beta: numberParam({ default: 1, doc: 'Slope inside the sigmoid.', names: { tfjs: 'alpha' } }),
  },
  forward: (x, p) => {
    const s = sigmoid(scaled(x, p.beta));
    return s === 0 ? 0 : x * s;
  },
  derivative: (x, p) => {
    const z = scaled(x, p.beta);
    return Number.isFinite(z) ? sigmoid(z) + z * sigmoidPrime(z) : sigmoid(z);
  },
  // f'' = beta σ'(z) (2 + z (1 − 2σ(z))) and 1 − 2σ(z) = −tanh(z/2).
  secondDerivative: (x, p) => {
    const z = scaled(x, p.beta);
    return Number.isFinite(z) ? p.beta * sigmoidPrime(z) * (2 - z * Math.tanh(z / 2)) : 0;
  },
  composite: {
    forward: (x, p) => {
      const s = sigmoidT(scaledT(x, p.beta));
      return tfc.where(tfc.equal(s, 0), 0, tfc.mul(x, s));
    },
    derivative: (x, p) => {
      const z = scaledT(x, p.beta);
      return tfc.add(sigmoidT(z), tfc.mul(finite(z), sigmoidPrimeT(z)));
    },
    secondDerivative: (x, p) => {
      const z = scaledT(x, p.beta);
      // σ′(z) = 0 in float32 for |z| > 1e4: clamping keeps the factor finite there.
      const zc = tfc.clipByValue(z, -1e4, 1e4);
      const zt = tfc.mul(zc, tanhT(tfc.mul(zc, 0.5)));
      return sigmoidPrimeTimes(z, tfc.mul(tfc.sub(2, zt), p.beta));
    },
  },
  paramDerivatives: {
    beta: (x, p) => {
      const z = scaled(x, p.beta);
      return Number.isFinite(z) ? x * x * sigmoidPrime(z) : 0;
    },
  },
  kinks: smoothEverywhere,
  properties: { range: '(≈−0.278, ∞)', monotonic: false, smooth: true, zeroCentered: false, saturates: 'negative', symmetry: 'none', bounds: [-0.2785, Infinity] },
  formula: {
    forward: 'f(x) = x·σ(beta·x)',
    derivative: 'f′(x) = σ(z) + z·σ(z)·σ(−z),  z = beta·x',
    secondDerivative: 'f″(x) = beta·σ(z)·σ(−z)·(2 − z·tanh(z/2))',
  },
  reference: {
    citation: '[Ramachandran et al., 2017](https://arxiv.org/abs/1710.05941)',
    url: 'https://arxiv.org/abs/1710.05941',
  },
  builtin: { tfjsActivation: 'swish' },
});
