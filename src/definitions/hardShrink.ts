import { defineActivation } from '../definition';
import { numberParam } from '../params';
import { expr } from '../engine/expr';

export const hardShrink = defineActivation({
  id: 'hardShrink',
  title: 'Hard shrink',
  summary: 'Hard thresholding: x if |x| > threshold, else 0.',
  description: 'The value jumps at ±threshold; there we return 0 (the inside). PyTorch calls it `lambd`.',
  aliases: { keras: ['hard_shrink'], torch: ['Hardshrink', 'hardshrink'] },
  params: {
    threshold: numberParam({ default: 0.5, min: 0, doc: 'Half-width of the zero band.', names: { torch: 'lambd' } }),
  },
  forward: (x, p) => (x > p.threshold || x < -p.threshold ? x : 0),
  derivative: (x, p) => (x > p.threshold || x < -p.threshold ? 1 : 0),
  secondDerivative: () => 0,
  float32: {
    forward: (x, p) => x.abs().gt(p.threshold).select(x, 0),
    derivative: (x, p) => x.abs().gt(p.threshold).select(1, 0),
    secondDerivative: () => expr.c(0),
    paramDerivatives: { threshold: () => expr.c(0) },
  },
  paramDerivatives: { threshold: () => 0 },
  kinks: (p) => [
    { at: -p.threshold, side: 'right', orders: [0, 1, 2] },
    { at: p.threshold, side: 'left', orders: [0, 1, 2] },
  ],
  properties: { range: '(−∞, −λ) ∪ {0} ∪ (λ, ∞)', monotonic: true, smooth: false, zeroCentered: true, saturates: 'none', symmetry: 'odd' },
  formula: {
    forward: 'f(x) = x if |x| > λ, else 0',
    derivative: 'f′(x) = 1 if |x| > λ, else 0',
    secondDerivative: 'f″(x) = 0',
  },
  reference: {
    citation: '[Donoho & Johnstone, 1994](https://doi.org/10.1093/biomet/81.3.425)',
    url: 'https://doi.org/10.1093/biomet/81.3.425',
  },
  testing: { referenceParams: [{ threshold: 1 }] },
  bench: {
    cost: 'cheap',
    tfjsComposes: false,
    composition: { name: 'x·step(|x| − λ)', fn: (tf, x) => tf.mul(x, tf.step(tf.sub(tf.abs(x), 0.5))) },
  },
});
