import { defineActivation, smoothEverywhere } from '../definition';
import * as math from '../math';
import { booleanParam } from '../params';
import { clamp, normalCdf as normalCdfE, normalPdfTimes, sigmoidPrimeTimes } from '../engine/forms';
import type { Expr } from '../engine/expr';

// Read once, not per element (src/math.ts says why).
const { normalCdf, normalPdf, sigmoid, sigmoidPrime } = math;

const C = Math.sqrt(2 / Math.PI);
const K = 0.044715;

/** Shared pieces of the tanh approximation: u = c(x + k x^3), using 1 + tanh(u) = 2 sigma(2u). */
function tanhParts(x: number) {
  const u = C * (x + K * x * x * x);
  const du = C * (1 + 3 * K * x * x);
  return { u, du, s: sigmoid(2 * u), sp: sigmoidPrime(2 * u) };
}


/**
 * Float32 pieces of the tanh approximation: z = 2u = x(2c + 2ck·x²), s = σ(z), and from x clamped to
 * ±1e6 (where σ′(z) is 0 already) xc and du = u′ = c(1 + 3k·xc²), finite factors of σ′(z).
 */
function approximateParts(x: Expr): { z: Expr; s: Expr; du: Expr; xc: Expr } {
  const z = x.mul(x.square().mul(2 * C * K).add(2 * C));
  const xc = clamp(x, -1e6, 1e6);
  return { z, s: z.sigmoid(), du: xc.square().mul(3 * C * K).add(C), xc };
}

export const gelu = defineActivation({
  id: 'gelu',
  title: 'GELU',
  summary: 'Gaussian error linear unit: x·Φ(x), or its tanh approximation.',
  description:
    'Weights the input by the probability that a standard normal variable is below it. ' +
    '`approximate: true` gives 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))) (tfjs\'s `gelu_new`, ' +
    'PyTorch\'s approximate=\'tanh\'). Φ is computed from erfc so the left tail keeps its digits, ' +
    'and the tanh form uses 1 + tanh(u) = 2σ(2u) for the same reason.',
  aliases: { keras: ['gelu'], torch: ['GELU', 'gelu'], tfjs: ['gelu'] },
  params: {
    approximate: booleanParam({
      default: false,
      doc: 'Use the tanh approximation.',
      names: { keras: 'approximate', torch: 'approximate' },
    }),
  },
  forward: (x, p) => {
    if (x === -Infinity) return 0;
    if (x === Infinity) return Infinity;
    return p.approximate ? x * tanhParts(x).s : x * normalCdf(x);
  },
  derivative: (x, p) => {
    if (!Number.isFinite(x)) return x > 0 ? 1 : 0;
    if (!p.approximate) return normalCdf(x) + x * normalPdf(x);
    const { du, s, sp } = tanhParts(x);
    return s + 2 * x * sp * du;
  },
  secondDerivative: (x, p) => {
    if (!Number.isFinite(x)) return 0;
    if (!p.approximate) return normalPdf(x) * (2 - x * x);
    const { u, du, sp } = tanhParts(x);
    const d2u = 6 * C * K * x;
    return 2 * sp * (2 * du + x * (d2u - 2 * du * du * Math.tanh(u)));
  },
  float32: {
    forward: (x, p) => x.mulNoNan(p.approximate ? approximateParts(x).s : normalCdfE(x)),
    derivative: (x, p) => {
      if (!p.approximate) return normalCdfE(x).add(normalPdfTimes(x, x));
      const { s, z, du, xc } = approximateParts(x);
      return s.add(sigmoidPrimeTimes(z, xc.mul(du).mul(2)));
    },
    secondDerivative: (x, p) => {
      if (!p.approximate) return normalPdfTimes(x, x.square().neg().add(2));
      const { z, du, xc } = approximateParts(x);
      const inner = xc.mul(6 * C * K).sub(du.square().mul(2).mul(z.mul(0.5).tanh()));
      return sigmoidPrimeTimes(z, du.mul(2).add(xc.mul(inner)).mul(2));
    },
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: smoothEverywhere,
  properties: { range: '(≈−0.17, ∞)', monotonic: false, smooth: true, zeroCentered: false, saturates: 'negative', symmetry: 'none', bounds: [-0.17, Infinity] },
  formula: {
    forward: 'f(x) = x·Φ(x) = x/2·(1 + erf(x/√2));  approximate: x/2·(1 + tanh(√(2/π)(x + 0.044715x³)))',
    derivative: 'f′(x) = Φ(x) + x·φ(x);  approximate: s + 2x·s(1−s)·u′ with s = σ(2u)',
    secondDerivative: 'f″(x) = φ(x)·(2 − x²);  approximate: differentiated likewise',
  },
  reference: {
    citation: '[Hendrycks & Gimpel, 2016](https://arxiv.org/abs/1606.08415)',
    url: 'https://arxiv.org/abs/1606.08415',
  },
  builtin: { tfjsActivation: 'gelu' },
  keras: { name: 'gelu', args: { approximate: false } },
  testing: { referenceParams: [{ approximate: true }] },
  bench: {
    cost: 'other',
    tfjsComposes: true,
    composition: { name: '0.5x(1 + erf(x/√2))', fn: (tf, x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))) },
    variants: [
      {
        key: 'gelu_new',
        params: { approximate: true },
        builtin: { tfjsActivation: 'gelu_new' },
        cost: 'exp',
        tfjsComposes: true,
        composition: {
          name: '0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))',
          fn: (tf, x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(tf.mul(C, tf.add(x, tf.mul(K, tf.mul(x, tf.square(x)))))))),
        },
      },
    ],
  },
});
