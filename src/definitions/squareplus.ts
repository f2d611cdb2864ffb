import { defineActivation, smoothEverywhere } from '../definition';
import { numberParam } from '../params';
import type { Expr } from '../engine/expr';
import { clamp, FLOAT32_MAX } from '../engine/forms';


/**
 * x clamped to ±FLOAT32_MAX and r = √(x² + b), computed as s·√(q² + 1) with s = √b, q = x/s (no
 * overflow of x²), and as |x| where q² + 1 rounds to q² anyway (|q| > 4096).
 */
function radius(x: Expr, b: Expr): { xf: Expr; r: Expr } {
  const xf = clamp(x, -FLOAT32_MAX, FLOAT32_MAX);
  const s = b.sqrt();
  const q = xf.div(s);
  return { xf, r: q.abs().gt(4096).select(xf.abs(), q.square().add(1).sqrt().mul(s)) };
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
  float32: {
    forward: (x, p) => {
      const { xf, r } = radius(x, p.b);
      return xf.ge(0).select(x.mul(0.5).add(r.mul(0.5)), p.b.div(r.sub(xf).mul(2)));
    },
    derivative: (x, p) => {
      const { xf, r } = radius(x, p.b);
      return xf.ge(0).select(xf.div(r).add(1).mul(0.5), p.b.div(r.mul(r.sub(xf)).mul(2)));
    },
    secondDerivative: (x, p) => {
      const { r } = radius(x, p.b);
      return p.b.div(r.square().mul(r).mul(2));
    },
    paramDerivatives: { b: (x, p) => radius(x, p.b).r.mul(4).reciprocal() },
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
  testing: { referenceParams: [{ b: 1 }] },
  bench: {
    cost: 'other',
    tfjsComposes: false,
    composition: { name: '(x + √(x² + b))/2', fn: (tf, x) => tf.mul(0.5, tf.add(x, tf.sqrt(tf.add(tf.square(x), 4)))) },
  },
});
