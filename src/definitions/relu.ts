import { defineActivation } from '../definition';
import { nullableNumberParam, numberParam } from '../params';
import * as tfc from '@tensorflow/tfjs-core';

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
  composite: {
    forward: (x, p) => {
      const above = p.maxValue !== null ? tfc.minimum(x, p.maxValue) : x;
      const below = p.negativeSlope === 0 ? 0 : tfc.mul(tfc.sub(x, p.threshold), p.negativeSlope);
      return tfc.where(tfc.greater(x, p.threshold), above, below);
    },
    derivative: (x, p) => {
      const above = p.maxValue !== null ? tfc.where(tfc.greaterEqual(x, p.maxValue), 0, 1) : 1;
      return tfc.where(tfc.greater(x, p.threshold), above, p.negativeSlope);
    },
    secondDerivative: (x) => tfc.zerosLike(x),
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
});
