import * as math from '../math';
import { defineActivation } from '../definition';

// Read once, not per element (src/math.ts says why).
const { expm1NonPositive, expNonPositive, heaviside, negativePart, positivePart } = math;

/**
 * Constants from Klambauer et al. (2017): α = 1.6732632423543772848170429916717 and
 * λ = 1.0507009873554804934193349852946, as the nearest float64s.
 */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

export const selu = defineActivation({
  id: 'selu',
  title: 'SELU',
  summary: 'Scaled ELU whose fixed point keeps activations at zero mean and unit variance.',
  description:
    'scale·elu(x, alpha) with alpha ≈ 1.6733 and scale ≈ 1.0507. Self-normalising when used with ' +
    'LeCun-normal initialisation and no batch normalisation.',
  aliases: { keras: ['selu'], torch: ['SELU', 'selu'], tfjs: ['selu'] },
  params: {},
  // Both sides without a branch on the sign, as elu (src/math.ts says why).
  forward: (x) => SELU_SCALE * (positivePart(x) + SELU_ALPHA * expm1NonPositive(negativePart(x))),
  derivative: (x) => {
    const h = heaviside(x);
    return SELU_SCALE * h + SELU_SCALE * SELU_ALPHA * expNonPositive(negativePart(x)) * (1 - h);
  },
  secondDerivative: (x) => SELU_SCALE * SELU_ALPHA * expNonPositive(negativePart(x)) * (1 - heaviside(x)),
  float32: {
    forward: (x) => x.gt(0).select(x.mul(SELU_SCALE), x.expm1().mul(SELU_SCALE * SELU_ALPHA)),
    derivative: (x) => x.gt(0).select(SELU_SCALE, x.exp().mul(SELU_SCALE * SELU_ALPHA)),
    secondDerivative: (x) => x.gt(0).select(0, x.exp().mul(SELU_SCALE * SELU_ALPHA)),
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: () => [{ at: 0, side: 'left', orders: [1, 2] }],
  properties: { range: '(−scale·alpha, ∞)', monotonic: true, smooth: false, zeroCentered: true, saturates: 'negative', symmetry: 'none', bounds: [-1.7580993408473766, Infinity] },
  formula: {
    forward: 'f(x) = scale·x if x > 0, else scale·alpha·(e^x − 1)',
    derivative: 'f′(x) = scale if x > 0, else scale·alpha·e^x',
    secondDerivative: 'f″(x) = 0 if x > 0, else scale·alpha·e^x',
  },
  reference: {
    citation: '[Klambauer et al., 2017](https://arxiv.org/abs/1706.02515)',
    url: 'https://arxiv.org/abs/1706.02515',
  },
  builtin: { tfjsActivation: 'selu', tfjsOp: 'selu' },
  testing: { referenceParams: [] },
  bench: {
    cost: 'exp',
    tfjsComposes: true,
    composition: { name: 'λ(relu(x) + α·expm1(min(x, 0)))', fn: (tf, x) => tf.mul(SELU_SCALE, tf.add(tf.relu(x), tf.mul(SELU_ALPHA, tf.expm1(tf.minimum(x, 0))))) },
  },
});
