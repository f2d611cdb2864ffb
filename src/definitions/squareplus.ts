import { defineActivation, smoothEverywhere } from '../definition';
import { numberParam } from '../params';
import * as tfc from '@tensorflow/tfjs-core';
import { finite } from '../engine/composite-math';

/**
 * xf = x with ±∞ made finite, and r = √(x² + b) without overflow: for |x| ≥ 2^20, b/x² is below
 * float32 resolution and r = |x| (max() also keeps r ≥ |x| after rounding).
 */
function radiusT(x: tfc.Tensor, b: number): { xf: tfc.Tensor; r: tfc.Tensor } {
  const xf = finite(x);
  const xc = tfc.clipByValue(x, -(2 ** 20), 2 ** 20);
  return { xf, r: tfc.maximum(tfc.sqrt(tfc.add(tfc.mul(xc, xc), b)), tfc.abs(xf)) };
}

export const squareplus = defineActivation({
  id: 'squareplus',
  title: 'Squareplus',
  summary: '(x + √(x² + b)) / 2: a softplus made of a square root.',
  description:
    'For x < 0 the textbook form cancels (x + √(x²+b) loses every digit for x ≪ 0); we use the ' +
    'equivalent b / (2(√(x²+b) − x)) there, and hypot() so x² never overflows. b = 0 would be ReLU; ' +
    'we require b > 0.',
  aliases: { keras: ['squareplus'] },
  params: {
    b: numberParam({ default: 4, min: 0, minExclusive: true, doc: 'Smoothness near 0 (f(0) = √b/2).' }),
  },
  forward: (x, p) => {
    const r = Math.hypot(x, Math.sqrt(p.b));
    return x >= 0 ? (x + r) / 2 : p.b / (2 * (r - x));
  },
  derivative: (x, p) => {
    if (x === Infinity) return 1;
    const r = Math.hypot(x, Math.sqrt(p.b));
    return x >= 0 ? (1 + x / r) / 2 : p.b / (2 * r * (r - x));
  },
  secondDerivative: (x, p) => {
    const r = Math.hypot(x, Math.sqrt(p.b));
    return p.b / (2 * r * r * r);
  },
  composite: {
    forward: (x, p) => {
      const { xf, r } = radiusT(x, p.b);
      const right = tfc.div(tfc.add(tfc.maximum(x, 0), r), 2);
      const left = tfc.div(p.b, tfc.mul(tfc.sub(r, tfc.minimum(xf, 0)), 2));
      return tfc.where(tfc.greaterEqual(x, 0), right, left);
    },
    derivative: (x, p) => {
      const { xf, r } = radiusT(x, p.b);
      const right = tfc.div(tfc.add(tfc.div(tfc.maximum(xf, 0), r), 1), 2);
      const left = tfc.div(p.b, tfc.mul(tfc.mul(r, tfc.sub(r, tfc.minimum(xf, 0))), 2));
      return tfc.where(tfc.greaterEqual(x, 0), right, left);
    },
    secondDerivative: (x, p) => {
      const { r } = radiusT(x, p.b);
      return tfc.div(p.b, tfc.mul(tfc.mul(tfc.mul(r, r), r), 2));
    },
  },
  paramDerivatives: { b: (x, p) => 1 / (4 * Math.hypot(x, Math.sqrt(p.b))) },
  kinks: smoothEverywhere,
  properties: { range: '(0, ∞)', monotonic: true, smooth: true, zeroCentered: false, saturates: 'negative', symmetry: 'none', bounds: [0, Infinity] },
  formula: {
    forward: 'f(x) = (x + √(x² + b)) / 2',
    derivative: 'f′(x) = (1 + x/√(x² + b)) / 2',
    secondDerivative: 'f″(x) = b / (2(x² + b)^(3/2))',
  },
  reference: {
    citation: '[Barron, 2021](https://arxiv.org/abs/2112.11687)',
    url: 'https://arxiv.org/abs/2112.11687',
  },
});
