import { defineActivation } from '../definition';
import { numberParam } from '../params';
import { expr } from '../engine/expr';

export const threshold = defineActivation({
  id: 'threshold',
  title: 'Threshold',
  summary: 'x if x > threshold, else a constant value.',
  description:
    'PyTorch\'s Threshold and Keras 3\'s `threshold`; both require the two arguments, we default them to 0 ' +
    '(which makes it ReLU). Keras has no string name or layer for it (its arguments are required). ' +
    'The value jumps at the threshold unless value = threshold; there we return `value`.',
  aliases: { torch: ['Threshold', 'threshold'] },
  params: {
    threshold: numberParam({ default: 0, doc: 'Inputs at or below it are replaced.', otherDefaults: { torch: null } }),
    value: numberParam({ default: 0, doc: 'The replacement.', names: { keras: 'default_value' }, otherDefaults: { torch: null } }),
  },
  forward: (x, p) => (x > p.threshold ? x : p.value),
  derivative: (x, p) => (x > p.threshold ? 1 : 0),
  secondDerivative: () => 0,
  float32: {
    forward: (x, p) => x.gt(p.threshold).select(x, p.value),
    derivative: (x, p) => x.gt(p.threshold).select(1, 0),
    secondDerivative: () => expr.c(0),
    paramDerivatives: { threshold: () => expr.c(0), value: (x, p) => x.gt(p.threshold).select(0, 1) },
  },
  paramDerivatives: { threshold: () => 0, value: (x, p) => (x > p.threshold ? 0 : 1) },
  kinks: (p) => [{ at: p.threshold, side: 'left', orders: [0, 1, 2] }],
  properties: { range: '{value} ∪ (threshold, ∞)', monotonic: true, smooth: false, zeroCentered: false, saturates: 'negative', symmetry: 'none', bounds: [0, Infinity] },
  formula: {
    forward: 'f(x) = x if x > threshold, else value',
    derivative: 'f′(x) = 1 if x > threshold, else 0',
    secondDerivative: 'f″(x) = 0',
  },
  reference: {
    citation: '[PyTorch Threshold](https://pytorch.org/docs/stable/generated/torch.nn.Threshold.html)',
    url: 'https://pytorch.org/docs/stable/generated/torch.nn.Threshold.html',
  },
  keras: { name: 'threshold', args: { threshold: null, value: null } },
  tfjsLayer: 'ThresholdedReLU',
  noKerasEquivalent: "Keras 3's threshold(x, threshold, default_value) requires both arguments, so it has no string name " +
    '(Functional models record it as a keras.ops node, which the import and the export read and write).',
  testing: { referenceParams: [{ threshold: 1, value: -2 }] },
  bench: {
    cost: 'cheap',
    tfjsComposes: false,
    composition: { name: 'x·step(x)  (threshold 0, value 0)', fn: (tf, x) => tf.mul(x, tf.step(x)) },
  },
});
