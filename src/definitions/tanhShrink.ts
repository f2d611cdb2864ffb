import { defineActivation, smoothEverywhere } from '../definition';
import * as math from '../math';
import { polynomial, sech2 as sech2E, sech2Times } from '../engine/forms';

// Read once, not per element (src/math.ts says why).
const { sech2 } = math;

const SERIES_LIMIT = 0.75;
const SERIES = tanhShrinkSeries(13);

/**
 * Coefficients of x − tanh(x) = Σ c[k]·x^(2k+3), from tanh′ = 1 − tanh² (tanh = Σ a_k x^(2k+1),
 * (2k+1)·a_k = [k = 0] − Σ_{i+j=k−1} a_i a_j), so c[k] = −a_{k+1}.
 */
function tanhShrinkSeries(terms: number): number[] {
  const a: number[] = [1];
  for (let k = 1; k <= terms; k++) {
    let s = 0;
    for (let i = 0; i <= k - 1; i++) s += a[i] * a[k - 1 - i];
    a.push(-s / (2 * k + 1));
  }
  return a.slice(1).map((v) => -v);
}

export const tanhShrink = defineActivation({
  id: 'tanhShrink',
  title: 'Tanh shrink',
  summary: 'x − tanh(x).',
  description:
    'Near 0, x − tanh(x) ≈ x³/3 and the subtraction loses every digit in float32 (frameworks return 0 ' +
    'or noise for |x| < 1e-2). We use the Taylor series x³/3 − 2x⁵/15 + 17x⁷/315 − 62x⁹/2835 for ' +
    '|x| < 0.01 (truncation error below 1e-17 relative) and the direct form in float64 elsewhere.',
  aliases: { keras: ['tanh_shrink'], torch: ['Tanhshrink', 'tanhshrink'] },
  params: {},
  forward: (x) => {
    if (Math.abs(x) < 0.01) {
      const x2 = x * x;
      return x * x2 * (1 / 3 + x2 * (-2 / 15 + x2 * (17 / 315 - x2 * (62 / 2835))));
    }
    return x - Math.tanh(x);
  },
  derivative: (x) => {
    const t = Math.tanh(x);
    return t * t;
  },
  secondDerivative: (x) => 2 * Math.tanh(x) * sech2(x),
  float32: {
    // In float32 x − tanh(x) loses about 3/x² ulp to cancellation, so the series runs up to
    // |x| = 0.75 (truncation below 1e-9 relative there).
    forward: (x) => {
      const x2 = x.square();
      return x.abs().lt(SERIES_LIMIT).select(x.mul(x2).mul(polynomial(x2, SERIES)), x.sub(x.tanh()));
    },
    // 1 − sech² where tanh² would inherit tanh's error near ±1 twice (TensorFlow's tanh is exactly
    // ±1 beyond |x| ≈ 7.9).
    derivative: (x) => x.abs().gt(4).select(sech2E(x).neg().add(1), x.tanh().square()),
    secondDerivative: (x) => sech2Times(x, x.tanh().mul(2)),
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: smoothEverywhere,
  properties: { range: '(−∞, ∞)', monotonic: true, smooth: true, zeroCentered: true, saturates: 'none', symmetry: 'odd' },
  formula: {
    forward: 'f(x) = x − tanh(x)',
    derivative: 'f′(x) = tanh²(x)',
    secondDerivative: 'f″(x) = 2·tanh(x)·sech²(x)',
  },
  reference: {
    citation: '[PyTorch Tanhshrink](https://pytorch.org/docs/stable/generated/torch.nn.Tanhshrink.html)',
    url: 'https://pytorch.org/docs/stable/generated/torch.nn.Tanhshrink.html',
  },
  testing: { referenceParams: [] },
  bench: {
    cost: 'exp',
    tfjsComposes: false,
    composition: { name: 'x − tanh(x)', fn: (tf, x) => tf.sub(x, tf.tanh(x)) },
  },
});
