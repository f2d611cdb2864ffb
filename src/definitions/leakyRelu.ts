import { defineActivation } from '../definition';
import { numberParam } from '../params';
import { expr } from '../engine/expr';

export const leakyRelu = defineActivation({
  id: 'leakyRelu',
  title: 'Leaky ReLU',
  summary: 'ReLU with a small slope alpha for negative inputs, so units cannot die.',
  description:
    'f(x) = x for x > 0, alpha·x otherwise. Defaults differ between frameworks: Keras 3 and tfjs use ' +
    '0.2, PyTorch 0.01 (the value in the seed article and in Maas et al.). With a learnable alpha this ' +
    'is PReLU (use the layer with `learnable: [\'alpha\']`).',
  aliases: { keras: ['leaky_relu'], torch: ['LeakyReLU', 'leaky_relu'], tfjs: ['leakyRelu'] },
  params: {
    alpha: numberParam({
      default: 0.2,
      doc: 'Slope for x ≤ 0.',
      names: { keras: 'negative_slope', torch: 'negative_slope' },
      otherDefaults: { keras: 0.2, torch: 0.01, tfjs: 0.2 },
    }),
  },
  forward: (x, p) => (x > 0 ? x : p.alpha === 0 ? 0 : p.alpha * x),
  derivative: (x, p) => (x > 0 ? 1 : p.alpha),
  secondDerivative: () => 0,
  float32: {
    forward: (x, p) => x.gt(0).select(x, p.alpha.eq(0).select(0, p.alpha.mul(x))),
    derivative: (x, p) => x.gt(0).select(1, p.alpha),
    secondDerivative: () => expr.c(0),
    paramDerivatives: { alpha: (x) => x.gt(0).select(0, x) },
  },
  paramDerivatives: { alpha: (x) => (x > 0 ? 0 : x) },
  kinks: () => [{ at: 0, side: 'left', orders: [1, 2] }],
  properties: { range: '(−∞, ∞)', monotonic: true, smooth: false, zeroCentered: false, saturates: 'none', symmetry: 'none' },
  formula: {
    forward: 'f(x) = x if x > 0, else alpha·x',
    derivative: 'f′(x) = 1 if x > 0, else alpha',
    secondDerivative: 'f″(x) = 0',
  },
  reference: {
    citation: '[Maas et al., 2013](https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf)',
    url: 'https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf',
  },
  keras: { name: 'leaky_relu', args: { alpha: 0.2 }, layer: 'LeakyReLU', learnedBy: { layer: 'PReLU', param: 'alpha' } },
  builtin: { tfjsOp: 'leakyRelu', tfjsOpParams: ['alpha'] },
  tfjsLayer: 'LeakyReLU',
  testing: { referenceParams: [{ alpha: 0.01 }, { alpha: 1.5 }] },
  bench: {
    cost: 'cheap',
    tfjsComposes: true,
    composition: { name: 'maximum(x, 0.2x)', fn: (tf, x) => tf.maximum(x, tf.mul(0.2, x)) },
  },
});
