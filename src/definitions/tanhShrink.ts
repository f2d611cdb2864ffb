import { defineActivation, smoothEverywhere } from '../definition';
import { sech2 } from '../math';
import * as tfc from '@tensorflow/tfjs-core';
import { polynomial, sech2 as sech2T, tanh as tanhT, tanhShrinkSeries } from '../engine/composite-math';

const SERIES_LIMIT = 0.9;
const SERIES = tanhShrinkSeries(20);

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
  composite: {
    // In float32 x − tanh(x) loses 3/x² ulp to cancellation, so the series runs up to |x| = 0.9
    // (20 terms: truncation below 1e-9 relative there).
    forward: (x) => {
      const xc = tfc.clipByValue(x, -SERIES_LIMIT, SERIES_LIMIT);
      const x2 = tfc.mul(xc, xc);
      const series = tfc.mul(tfc.mul(xc, x2), polynomial(x2, SERIES));
      return tfc.where(tfc.less(tfc.abs(x), SERIES_LIMIT), series, tfc.sub(x, tanhT(x)));
    },
    derivative: (x) => {
      const t = tanhT(x);
      return tfc.mul(t, t);
    },
    secondDerivative: (x) => tfc.mul(tfc.mul(tanhT(x), 2), sech2T(x)),
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
});
