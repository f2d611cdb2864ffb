import { defineActivation, smoothEverywhere } from '../definition';
import { normalCdf, normalPdf, sigmoid, sigmoidPrime } from '../math';
import { booleanParam } from '../params';
import * as tfc from '@tensorflow/tfjs-core';
import {
  finite,
  normal,
  sigmoid as sigmoidT,
  sigmoidPrimeTimes,
  tanh as tanhT,
} from '../engine/composite-math';

const C = Math.sqrt(2 / Math.PI);
const K = 0.044715;

/** Shared pieces of the tanh approximation: u = c(x + k x^3), using 1 + tanh(u) = 2 sigma(2u). */
function tanhParts(x: number) {
  const u = C * (x + K * x * x * x);
  const du = C * (1 + 3 * K * x * x);
  return { u, du, s: sigmoid(2 * u), sp: sigmoidPrime(2 * u) };
}

/** Tensor twin of `tanhParts`, on x clamped to ±20 (σ(2u) is exactly 0 or 1 beyond). */
function tanhPartsT(x: tfc.Tensor) {
  const xc = tfc.clipByValue(x, -20, 20);
  const x2 = tfc.mul(xc, xc);
  const u = tfc.mul(tfc.add(xc, tfc.mul(tfc.mul(xc, x2), K)), C);
  const du = tfc.mul(tfc.add(tfc.mul(x2, 3 * K), 1), C);
  const u2 = tfc.mul(u, 2);
  return { xc, u, u2, du, s: sigmoidT(u2) };
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
  composite: {
    forward: (x, p) => {
      const phi = p.approximate ? tanhPartsT(x).s : normal(x).cdf;
      return tfc.where(tfc.equal(phi, 0), 0, tfc.mul(x, phi));
    },
    derivative: (x, p) => {
      if (!p.approximate) {
        const { cdf, pdf } = normal(x);
        return tfc.add(cdf, tfc.mul(finite(x), pdf));
      }
      const { xc, u2, du, s } = tanhPartsT(x);
      return tfc.add(s, sigmoidPrimeTimes(u2, tfc.mul(tfc.mul(xc, du), 2)));
    },
    secondDerivative: (x, p) => {
      if (!p.approximate) {
        const { pdf, twoMinusSquare } = normal(x);
        return tfc.mul(pdf, twoMinusSquare);
      }
      const { xc, u, u2, du } = tanhPartsT(x);
      const inner = tfc.sub(tfc.mul(xc, 6 * C * K), tfc.mul(tfc.mul(tfc.mul(du, du), 2), tanhT(u)));
      return sigmoidPrimeTimes(u2, tfc.mul(tfc.add(tfc.mul(du, 2), tfc.mul(xc, inner)), 2));
    },
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
});
