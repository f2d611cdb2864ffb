import { defineActivation } from '../definition';
import * as math from '../math';
import { numberParam } from '../params';
import { expr } from '../engine/expr';
import { clamp as clampE } from '../engine/forms';

// Read once, not per element (src/math.ts says why).
const { clamp } = math;

export const hardTanh = defineActivation({
  id: 'hardTanh',
  title: 'Hard tanh',
  summary: 'Clamp to [minVal, maxVal]: a piecewise-linear tanh.',
  description: 'Keras 3 `hard_tanh` has no parameters (it is [−1, 1]); PyTorch calls them min_val and max_val.',
  aliases: { keras: ['hard_tanh'], torch: ['Hardtanh', 'hardtanh'] },
  params: {
    minVal: numberParam({ default: -1, doc: 'Lower clamp.', names: { torch: 'min_val' } }),
    maxVal: numberParam({ default: 1, doc: 'Upper clamp.', names: { torch: 'max_val' } }),
  },
  check: (p) => (p.minVal < p.maxVal ? undefined : '`minVal` must be less than `maxVal`'),
  forward: (x, p) => clamp(x, p.minVal, p.maxVal),
  derivative: (x, p) => (x > p.minVal && x < p.maxVal ? 1 : 0),
  secondDerivative: () => 0,
  float32: {
    forward: (x, p) => clampE(x, p.minVal, p.maxVal),
    derivative: (x, p) => x.gt(p.minVal).and(x.lt(p.maxVal)).select(1, 0),
    secondDerivative: () => expr.c(0),
    paramDerivatives: {
      minVal: (x, p) => x.le(p.minVal).select(1, 0),
      maxVal: (x, p) => x.ge(p.maxVal).select(1, 0),
    },
  },
  paramDerivatives: {
    minVal: (x, p) => (x <= p.minVal ? 1 : 0),
    maxVal: (x, p) => (x >= p.maxVal ? 1 : 0),
  },
  kinks: (p) => [
    { at: p.minVal, side: 'left', orders: [1, 2] },
    { at: p.maxVal, side: 'right', orders: [1, 2] },
  ],
  properties: { range: '[minVal, maxVal]', monotonic: true, smooth: false, zeroCentered: true, saturates: 'both', symmetry: 'odd', bounds: [-1, 1] },
  formula: {
    forward: 'f(x) = min(max(x, minVal), maxVal)',
    derivative: 'f′(x) = 1 if minVal < x < maxVal, else 0',
    secondDerivative: 'f″(x) = 0',
  },
  reference: {
    citation: '[Collobert et al., 2011](https://jmlr.org/papers/v12/collobert11a.html)',
    url: 'https://jmlr.org/papers/v12/collobert11a.html',
  },
  keras: { name: 'hard_tanh', fixed: { minVal: -1, maxVal: 1 } },
  testing: { referenceParams: [{ minVal: -2, maxVal: 0.5 }] },
  bench: {
    cost: 'cheap',
    tfjsComposes: false,
    composition: { name: 'clipByValue(x, −1, 1)', fn: (tf, x) => tf.clipByValue(x, -1, 1) },
  },
});
