import { defineActivation, smoothEverywhere } from '../definition';
import { numberParam } from '../params';

export const snake = defineActivation({
  id: 'snake',
  title: 'Snake',
  summary: 'x + sin²(frequency·x)/frequency: a periodic activation that still extrapolates linearly.',
  description:
    'Lets networks learn periodic functions. The paper calls the frequency a. The derivative ' +
    '1 + sin(2fx) is evaluated as (sin fx + cos fx)², which keeps its digits near its zeros; it has no ' +
    'limit at ±∞ (we return NaN there).',
  aliases: {},
  params: {
    frequency: numberParam({ default: 1, min: 0, minExclusive: true, doc: 'Frequency a of the sine.' }),
  },
  forward: (x, p) => {
    if (!Number.isFinite(x)) return x;
    const s = Math.sin(p.frequency * x);
    return x + (s * s) / p.frequency;
  },
  derivative: (x, p) => {
    // 1 + sin(2u) = (sin u + cos u)²: keeps its digits near its zeros, and for huge u (where
    // u + π/4 would round to u) sin and cos are still reduced exactly.
    const u = p.frequency * x;
    const s = Math.sin(u) + Math.cos(u);
    return s * s;
  },
  secondDerivative: (x, p) => 2 * p.frequency * Math.cos(2 * p.frequency * x),
  paramDerivatives: {
    frequency: (x, p) => {
      const u = p.frequency * x;
      const s = Math.sin(u);
      return (x * Math.sin(2 * u)) / p.frequency - (s * s) / (p.frequency * p.frequency);
    },
  },
  kinks: smoothEverywhere,
  properties: { range: '(−∞, ∞)', monotonic: true, smooth: true, zeroCentered: false, saturates: 'none', symmetry: 'none' },
  formula: {
    forward: 'f(x) = x + sin²(a·x)/a',
    derivative: 'f′(x) = 1 + sin(2a·x) = (sin(a·x) + cos(a·x))²',
    secondDerivative: 'f″(x) = 2a·cos(2a·x)',
  },
  reference: {
    citation: '[Ziyin et al., 2020](https://arxiv.org/abs/2006.08195)',
    url: 'https://arxiv.org/abs/2006.08195',
  },
});
