import * as math from '../math';
import { defineActivation } from '../definition';
import { numberParam } from '../params';

// Read once, not per element (src/math.ts says why).
const { expm1NonPositive, expNonPositive, heaviside, negativePart, positivePart } = math;

export const celu = defineActivation({
  id: 'celu',
  title: 'CELU',
  summary: 'Continuously differentiable ELU: max(0, x) + min(0, alpha·(e^(x/alpha) − 1)).',
  description:
    'Like ELU but the first derivative is continuous for every alpha (it is 1 at 0 from both sides).',
  aliases: { keras: ['celu'], torch: ['CELU', 'celu'] },
  params: {
    alpha: numberParam({ default: 1, min: 0, minExclusive: true, doc: 'Scale of the negative part.' }),
  },
  // Both sides without a branch on the sign, as elu (src/math.ts says why): e^(min(x, 0)/alpha) is 1 for x > 0.
  forward: (x, p) => positivePart(x) + p.alpha * expm1NonPositive(negativePart(x) / p.alpha),
  derivative: (x, p) => expNonPositive(negativePart(x) / p.alpha),
  secondDerivative: (x, p) => (expNonPositive(negativePart(x) / p.alpha) * (1 - heaviside(x))) / p.alpha,
  float32: {
    forward: (x, p) => x.gt(0).select(x, p.alpha.mul(x.div(p.alpha).expm1())),
    derivative: (x, p) => x.gt(0).select(1, x.div(p.alpha).exp()),
    secondDerivative: (x, p) => x.gt(0).select(0, x.div(p.alpha).exp().div(p.alpha)),
    paramDerivatives: {
      alpha: (x, p) => {
        const u = x.div(p.alpha);
        return x.gt(0).select(0, u.expm1().sub(u.mulNoNan(u.exp())));
      },
    },
  },
  paramDerivatives: {
    alpha: (x, p) => {
      if (x > 0) return 0;
      if (x === -Infinity) return -1;
      const u = x / p.alpha;
      return Math.expm1(u) - u * Math.exp(u);
    },
  },
  kinks: () => [{ at: 0, side: 'left', orders: [2] }],
  properties: { range: '(−alpha, ∞)', monotonic: true, smooth: false, zeroCentered: true, saturates: 'negative', symmetry: 'none', bounds: [-1, Infinity] },
  formula: {
    forward: 'f(x) = x if x > 0, else alpha·(e^(x/alpha) − 1)',
    derivative: 'f′(x) = 1 if x > 0, else e^(x/alpha)',
    secondDerivative: 'f″(x) = 0 if x > 0, else e^(x/alpha) / alpha',
  },
  reference: {
    citation: '[Barron, 2017](https://arxiv.org/abs/1704.07483)',
    url: 'https://arxiv.org/abs/1704.07483',
  },
  keras: { name: 'celu', args: { alpha: 1 } },
  testing: { referenceParams: [{ alpha: 2 }] },
  bench: {
    cost: 'exp',
    tfjsComposes: false,
    composition: { name: 'relu(x) + expm1(min(x, 0))  (α = 1)', fn: (tf, x) => tf.add(tf.relu(x), tf.expm1(tf.minimum(x, 0))) },
  },
});
