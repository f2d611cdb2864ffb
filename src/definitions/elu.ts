import * as math from '../math';
import { defineActivation } from '../definition';
import { numberParam } from '../params';

// Read once, not per element (src/math.ts says why).
const { expm1NonPositive, expNonPositive, heaviside, negativePart, positivePart } = math;

export const elu = defineActivation({
  id: 'elu',
  title: 'ELU',
  summary: 'Exponential linear unit: x for x > 0, alpha·(e^x − 1) otherwise.',
  description:
    'Negative outputs push mean activations towards zero, and the negative side saturates smoothly ' +
    'to −alpha. Computed with expm1, so it stays accurate near 0 (exp(x) − 1 loses all digits there). ' +
    'The first derivative is continuous only for alpha = 1.',
  aliases: { keras: ['elu'], torch: ['ELU', 'elu'], tfjs: ['elu'] },
  params: {
    alpha: numberParam({ default: 1, doc: 'Value the negative side saturates to is −alpha.' }),
  },
  // Both sides without a branch on the sign (src/math.ts says why): e^min(x, 0) is 1 for x > 0.
  forward: (x, p) => positivePart(x) + p.alpha * expm1NonPositive(negativePart(x)),
  // α·(e^min(x, 0) − H(x)) + H(x): exactly 1 for x > 0 whatever α (α + (1 − α) is not, beyond 2^53).
  derivative: (x, p) => {
    const h = heaviside(x);
    return p.alpha * (expNonPositive(negativePart(x)) - h) + h;
  },
  secondDerivative: (x, p) => p.alpha * expNonPositive(negativePart(x)) * (1 - heaviside(x)),
  float32: {
    forward: (x, p) => x.gt(0).select(x, p.alpha.mul(x.expm1())),
    // α·e^min(x, 0) + (1 − α)·[x > 0]: with α = 1 (bound on tensorflow) just e^min(x, 0).
    derivative: (x, p) => p.alpha.mul(x.min(0).exp()).add(p.alpha.neg().add(1).mul(x.gt(0).select(1, 0))),
    secondDerivative: (x, p) => x.gt(0).select(0, p.alpha.mul(x.exp())),
    paramDerivatives: { alpha: (x) => x.gt(0).select(0, x.expm1()) },
  },
  paramDerivatives: { alpha: (x) => expm1NonPositive(negativePart(x)) },
  kinks: (p) => [{ at: 0, side: 'left', orders: p.alpha === 1 ? [2] : [1, 2] }],
  properties: { range: '(−alpha, ∞)', monotonic: true, smooth: false, zeroCentered: true, saturates: 'negative', symmetry: 'none', bounds: [-1, Infinity] },
  formula: {
    forward: 'f(x) = x if x > 0, else alpha·(e^x − 1)',
    derivative: 'f′(x) = 1 if x > 0, else alpha·e^x',
    secondDerivative: 'f″(x) = 0 if x > 0, else alpha·e^x',
  },
  reference: {
    citation: '[Clevert et al., 2016](https://arxiv.org/abs/1511.07289)',
    url: 'https://arxiv.org/abs/1511.07289',
  },
  builtin: { tfjsActivation: 'elu', tfjsOp: 'elu' },
  tfjsLayer: 'ELU',
  keras: { name: 'elu', args: { alpha: 1 }, layer: 'ELU' },
  testing: { referenceParams: [{ alpha: 0.5 }] },
  bench: {
    cost: 'exp',
    tfjsComposes: false,
    composition: { name: 'relu(x) + expm1(min(x, 0))', fn: (tf, x) => tf.add(tf.relu(x), tf.expm1(tf.minimum(x, 0))) },
  },
});
