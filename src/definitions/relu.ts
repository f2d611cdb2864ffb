import { defineActivation } from '../definition';
import { nullableNumberParam, numberParam } from '../params';
import { expr } from '../engine/expr';

export const relu = defineActivation({
  id: 'relu',
  title: 'ReLU',
  summary: 'Rectified linear unit, with Keras 3\'s optional negative slope, cap and threshold.',
  description:
    'With the defaults this is max(x, 0). Keras 3 semantics: f(x) = min(x, maxValue) for x > threshold, ' +
    'and negativeSlope·(x − threshold) otherwise. With threshold ≠ 0 the function jumps at the threshold ' +
    '(from 0 to threshold), as in Keras. tfjs\'s built-in relu takes no parameters; parameters given ' +
    'through the string name are lost on save, so use the layer to keep them.',
  aliases: { keras: ['relu'], torch: ['ReLU', 'relu'], tfjs: ['relu'] },
  params: {
    negativeSlope: numberParam({
      default: 0,
      min: 0,
      doc: 'Slope for x ≤ threshold.',
      names: { keras: 'negative_slope' },
    }),
    maxValue: nullableNumberParam({
      default: null,
      min: 0,
      doc: 'Saturation cap; null for none.',
      names: { keras: 'max_value' },
    }),
    threshold: numberParam({ default: 0, doc: 'Inputs at or below it are in the negative part.' }),
  },
  forward: (x, p) => {
    if (x > p.threshold) return p.maxValue !== null && x > p.maxValue ? p.maxValue : x;
    return p.negativeSlope === 0 ? 0 : p.negativeSlope * (x - p.threshold);
  },
  derivative: (x, p) => {
    if (x > p.threshold) return p.maxValue !== null && x >= p.maxValue ? 0 : 1;
    return p.negativeSlope;
  },
  secondDerivative: () => 0,
  float32: {
    forward: (x, p) => {
      const above = p.maxValue ? x.gt(p.maxValue).select(p.maxValue, x) : x;
      return x.gt(p.threshold).select(above, p.negativeSlope.eq(0).select(0, p.negativeSlope.mul(x.sub(p.threshold))));
    },
    derivative: (x, p) => x.gt(p.threshold).select(p.maxValue ? x.ge(p.maxValue).select(0, 1) : 1, p.negativeSlope),
    secondDerivative: () => expr.c(0),
    paramDerivatives: {
      negativeSlope: (x, p) => x.gt(p.threshold).select(0, x.sub(p.threshold)),
      maxValue: (x, p) => (p.maxValue ? x.gt(p.threshold).and(x.ge(p.maxValue)).select(1, 0) : expr.c(0)),
      threshold: (x, p) => x.gt(p.threshold).select(0, p.negativeSlope.neg()),
    },
  },
  paramDerivatives: {
    negativeSlope: (x, p) => (x > p.threshold ? 0 : x - p.threshold),
    maxValue: (x, p) => (p.maxValue !== null && x > p.threshold && x >= p.maxValue ? 1 : 0),
    threshold: (x, p) => (x > p.threshold ? 0 : -p.negativeSlope),
  },
  kinks: (p) => [
    { at: p.threshold, side: 'left', orders: p.threshold !== 0 ? [0, 1, 2] : [1, 2] },
    ...(p.maxValue !== null ? [{ at: p.maxValue, side: 'right' as const, orders: [1, 2] as const }] : []),
  ],
  properties: { range: '[0, ∞) (defaults)', monotonic: true, smooth: false, zeroCentered: false, saturates: 'negative', symmetry: 'none', bounds: [0, Infinity] },
  formula: {
    forward: 'f(x) = min(x, maxValue) if x > threshold, else negativeSlope·(x − threshold)',
    derivative: "f′(x) = 1 if threshold < x < maxValue, 0 if x ≥ maxValue, negativeSlope if x ≤ threshold",
    secondDerivative: 'f″(x) = 0',
  },
  reference: {
    citation: '[Nair & Hinton, 2010](https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf)',
    url: 'https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf',
  },
  builtin: { tfjsActivation: 'relu', tfjsOp: 'relu' },
  tfjsLayer: 'ReLU',
  keras: { name: 'relu', args: { negativeSlope: 0, maxValue: null, threshold: 0 }, layer: 'ReLU' },
  testing: { referenceParams: [{ negativeSlope: 0.1 }, { negativeSlope: 0.1, maxValue: 6, threshold: 0.5 }, { threshold: -1 }] },
  bench: {
    cost: 'cheap',
    tfjsComposes: false,
    composition: { name: 'maximum(x, 0)', fn: (tf, x) => tf.maximum(x, 0) },
  },
});
