import { defineActivation, smoothEverywhere } from '../definition';
import { numberParam } from '../params';
import * as tfc from '@tensorflow/tfjs-core';
import { cosReduced, modInt, REDUCTION_LIMIT, reduceHalfPi, sinReduced } from '../engine/composite-math';

/**
 * sin²(u + offset·π/4) from an exact reduction (|u| ≤ REDUCTION_LIMIT), else large² (computed by
 * the backend's own sin/cos, whose reduction of huge arguments is its own business).
 */
function squaredT(u: tfc.Tensor, offset: 0 | 1, large: tfc.Tensor): tfc.Tensor {
  const { w, k } = reduceHalfPi(u, offset);
  const s = sinReduced(w);
  const c = cosReduced(w);
  const reduced = tfc.where(tfc.equal(modInt(k, 2), 0), tfc.mul(s, s), tfc.mul(c, c));
  return tfc.where(tfc.lessEqual(tfc.abs(u), REDUCTION_LIMIT), reduced, tfc.mul(large, large));
}

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
  composite: {
    forward: (x, p) => {
      const u = tfc.mul(x, p.frequency);
      const s2 = squaredT(u, 0, tfc.sin(tfc.clipByValue(u, -1e30, 1e30)));
      return tfc.where(tfc.isInf(x), x, tfc.add(x, tfc.div(s2, p.frequency)));
    },
    // (sin u + cos u)² = 2 sin²(u + π/4), with u + π/4 reduced exactly: keeps the digits near zeros.
    derivative: (x, p) => {
      const u = tfc.mul(x, p.frequency);
      return tfc.mul(squaredT(u, 1, tfc.mul(tfc.add(tfc.sin(u), tfc.cos(u)), Math.SQRT1_2)), 2);
    },
    secondDerivative: (x, p) => {
      const v = tfc.mul(x, 2 * p.frequency);
      const { w, k } = reduceHalfPi(v, 0);
      const q = modInt(k, 4);
      const c = cosReduced(w);
      const s = sinReduced(w);
      const reduced = tfc.where(
        tfc.equal(q, 0), c, tfc.where(tfc.equal(q, 1), tfc.neg(s), tfc.where(tfc.equal(q, 2), tfc.neg(c), s)),
      );
      const cos = tfc.where(tfc.lessEqual(tfc.abs(v), REDUCTION_LIMIT), reduced, tfc.cos(v));
      return tfc.mul(cos, 2 * p.frequency);
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
});
