import { defineActivation, smoothEverywhere } from '../definition';
import { numberParam } from '../params';
import type { Expr } from '../engine/expr';


/** u = frequency·x, clamped to ±1e30. */
const phase = (x: Expr, frequency: Expr): Expr => x.mul(frequency).max(-1e30).min(1e30);

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
  float32: {
    // u clamped to ±1e30 so that x = ±Infinity gives x (sin of a finite u is bounded).
    forward: (x, p) => x.add(phase(x, p.frequency).sin().square().div(p.frequency)),
    // (sin u + cos u)² = 1 + sin 2u keeps its digits near its double zeros.
    // f′ and f″ oscillate without a limit at ±Infinity: NaN there, as in float64.
    derivative: (x, p) => {
      const u = phase(x, p.frequency);
      return x.abs().lt(Infinity).select(u.sin().add(u.cos()).square(), NaN);
    },
    secondDerivative: (x, p) => x.abs().lt(Infinity).select(phase(x, p.frequency).mul(2).cos().mul(p.frequency.mul(2)), NaN),
    paramDerivatives: {
      frequency: (x, p) => {
        const u = phase(x, p.frequency);
        return x.mul(u.mul(2).sin()).div(p.frequency).sub(u.sin().square().div(p.frequency.square()));
      },
    },
  },
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
  noKerasEquivalent: 'Keras 3 has no snake activation.',
  testing: { referenceParams: [{ frequency: 2 }, { frequency: 0.5 }] },
  bench: {
    cost: 'other',
    tfjsComposes: false,
    composition: { name: 'x + sin²(x)  (a = 1)', fn: (tf, x) => tf.add(x, tf.square(tf.sin(x))) },
  },
});
