import { defineActivation } from '../definition';
import { numberParam } from '../params';
import { expr } from '../engine/expr';

export const softShrink = defineActivation({
  id: 'softShrink',
  title: 'Soft shrink',
  summary: 'Soft thresholding: moves x towards 0 by threshold, and zeroes |x| ≤ threshold.',
  description: 'The proximal operator of the L1 norm. PyTorch calls the threshold `lambd`.',
  aliases: { keras: ['soft_shrink'], torch: ['Softshrink', 'softshrink'] },
  params: {
    threshold: numberParam({ default: 0.5, min: 0, doc: 'Half-width of the zero band.', names: { torch: 'lambd' } }),
  },
  forward: (x, p) => (x > p.threshold ? x - p.threshold : x < -p.threshold ? x + p.threshold : 0),
  derivative: (x, p) => (x > p.threshold || x < -p.threshold ? 1 : 0),
  secondDerivative: () => 0,
  float32: {
    forward: (x, p) => x.gt(p.threshold).select(x.sub(p.threshold), x.lt(p.threshold.neg()).select(x.add(p.threshold), 0)),
    derivative: (x, p) => x.abs().gt(p.threshold).select(1, 0),
    secondDerivative: () => expr.c(0),
    paramDerivatives: { threshold: (x, p) => x.gt(p.threshold).select(-1, x.lt(p.threshold.neg()).select(1, 0)) },
  },
  paramDerivatives: { threshold: (x, p) => (x > p.threshold ? -1 : x < -p.threshold ? 1 : 0) },
  kinks: (p) => [
    { at: -p.threshold, side: 'right', orders: [1, 2] },
    { at: p.threshold, side: 'left', orders: [1, 2] },
  ],
  properties: { range: '(−∞, ∞)', monotonic: true, smooth: false, zeroCentered: true, saturates: 'none', symmetry: 'odd' },
  formula: {
    forward: 'f(x) = x − λ if x > λ, x + λ if x < −λ, else 0',
    derivative: "f′(x) = 1 if |x| > λ, else 0",
    secondDerivative: 'f″(x) = 0',
  },
  reference: {
    citation: '[Donoho, 1995](https://doi.org/10.1109/18.382009)',
    url: 'https://doi.org/10.1109/18.382009',
  },
  testing: { referenceParams: [{ threshold: 1 }] },
  bench: {
    cost: 'cheap',
    tfjsComposes: false,
    composition: { name: 'relu(x − λ) − relu(−x − λ)', fn: (tf, x) => tf.sub(tf.relu(tf.sub(x, 0.5)), tf.relu(tf.sub(tf.neg(x), 0.5))) },
  },
});
