import { defineActivation, smoothEverywhere } from '../definition';
import * as math from '../math';
import { numberParam } from '../params';
import { clamp, sigmoidPrimeTimes } from '../engine/forms';
import type { Expr } from '../engine/expr';

// Read once, not per element (src/math.ts says why).
const { sigmoid, sigmoidPrime } = math;

/** z = beta x, with beta = 0 giving 0 even for infinite x (swish is then x/2). */
const scaled = (x: number, beta: number) => (beta === 0 ? 0 : beta * x);

/** Expression twin of `scaled`: beta = 0 gives 0 even for infinite x. */
const scaledE = (x: Expr, beta: Expr) => x.mulNoNan(beta);

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
  float32: {
    forward: (x, p) => x.mulNoNan(scaledE(x, p.beta).sigmoid()),
    // Factors of σ′(z) clamped to ±1e30 (σ′ is 0 long before): finite, so no ∞·0.
    // σ(z) + z·σ′(z) = σ(z)·(1 + z·σ(−z)), z clamped (σ(−z) is 0 long before, no ∞·0).
    derivative: (x, p) => {
      const z = scaledE(x, p.beta);
      return clamp(z, -1e30, 1e30).mul(z.neg().sigmoid()).add(1).mul(z.sigmoid());
    },
    // f″ = β·σ′(z)·(2 − z·tanh(z/2)), the bracket even in z and written as 2 − |z| + 2|z|·σ(−|z|):
    // no tanh, and little cancellation where f″ has its extrema (|z| ≈ 3.4).
    secondDerivative: (x, p) => {
      const z = scaledE(x, p.beta);
      const a = clamp(z, -1e30, 1e30).abs();
      return sigmoidPrimeTimes(z, a.mul(2).mul(a.neg().sigmoid()).sub(a).add(2).mul(p.beta));
    },
    paramDerivatives: { beta: (x, p) => sigmoidPrimeTimes(scaledE(x, p.beta), clamp(x, -1e15, 1e15).square()) },
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
  keras: { name: 'silu', fixed: { beta: 1 } },
  testing: { referenceParams: [{ beta: 1.5 }] },
  bench: {
    cost: 'exp',
    tfjsComposes: true,
    composition: { name: 'x·sigmoid(x)', fn: (tf, x) => tf.mul(x, tf.sigmoid(x)) },
  },
});
