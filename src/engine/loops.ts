/**
 * Dedicated kernel loops for some definitions (kernels.ts uses them in place of its generic loop).
 *
 * The generic loop is one function for every activation, so V8 sees its call `fn(x, params)` with
 * 27 different targets: the call is megamorphic, never inlined, and costs more than a cheap function
 * such as e^x itself. A loop written out for one definition calls only that definition's function,
 * which V8 inlines. Each loop below calls the definition's own forward / derivative (nothing is
 * re-derived), so its results are bit-identical to the generic loop's (loops.test.ts checks them bit
 * for bit against the definition; layers.test.ts checks the parameter loops per broadcast layout).
 * Parameters are read once per call; NaN in gives NaN out, as in the generic loop.
 *
 * The same holds for the learnable-parameter kernels (parametric.ts), whose generic loop also
 * writes the parameter into an object by name per element: DEDICATED_PARAM_LOOPS covers
 * definitions with one numeric parameter (PReLU, i.e. leakyRelu with a learnable alpha), over one
 * block of x where the parameter index advances by a fixed stride.
 */
import { elu } from '../definitions/elu';
import { exponential } from '../definitions/exponential';
import { leakyRelu } from '../definitions/leakyRelu';
import { sigmoid } from '../definitions/sigmoid';
import { softplus } from '../definitions/softplus';
import { tanh } from '../definitions/tanh';

type Params = Record<string, unknown> | undefined;
/** y = f(x) over a block. */
export type ForwardLoop = (xs: ArrayLike<number>, out: Float32Array, p: Params) => void;
/** dx = dy · f′(x) over a block. */
export type GradLoop = (dys: ArrayLike<number>, xs: ArrayLike<number>, out: Float32Array, p: Params) => void;

export interface Loops {
  forward: ForwardLoop;
  grad1: GradLoop;
}

type Fn = (x: number, p: never) => number;

// One block per definition: every loop literal below is its own function to V8, with its own
// type feedback, so `f`/`d` stay monomorphic. Do not fold them into a shared helper.

export const DEDICATED_LOOPS: Readonly<Record<string, Loops>> = {
  sigmoid: {
    forward: (xs, out) => {
      const f = sigmoid.forward as Fn;
      for (let i = 0; i < out.length; i++) {
        const v = xs[i];
        out[i] = v !== v ? NaN : f(v, undefined as never);
      }
    },
    grad1: (dys, xs, out) => {
      const d = sigmoid.derivative as Fn;
      for (let i = 0; i < out.length; i++) {
        const v = xs[i];
        out[i] = v !== v ? NaN : dys[i] * d(v, undefined as never);
      }
    },
  },
  tanh: {
    forward: (xs, out) => {
      const f = tanh.forward as Fn;
      for (let i = 0; i < out.length; i++) {
        const v = xs[i];
        out[i] = v !== v ? NaN : f(v, undefined as never);
      }
    },
    grad1: (dys, xs, out) => {
      const d = tanh.derivative as Fn;
      for (let i = 0; i < out.length; i++) {
        const v = xs[i];
        out[i] = v !== v ? NaN : dys[i] * d(v, undefined as never);
      }
    },
  },
  elu: {
    forward: (xs, out, p) => {
      const f = elu.forward as Fn;
      const params = { alpha: p!.alpha } as never;
      for (let i = 0; i < out.length; i++) {
        const v = xs[i];
        out[i] = v !== v ? NaN : f(v, params);
      }
    },
    grad1: (dys, xs, out, p) => {
      const d = elu.derivative as Fn;
      const params = { alpha: p!.alpha } as never;
      for (let i = 0; i < out.length; i++) {
        const v = xs[i];
        out[i] = v !== v ? NaN : dys[i] * d(v, params);
      }
    },
  },
  softplus: {
    forward: (xs, out, p) => {
      const f = softplus.forward as Fn;
      const params = { beta: p!.beta } as never;
      for (let i = 0; i < out.length; i++) {
        const v = xs[i];
        out[i] = v !== v ? NaN : f(v, params);
      }
    },
    grad1: (dys, xs, out, p) => {
      const d = softplus.derivative as Fn;
      const params = { beta: p!.beta } as never;
      for (let i = 0; i < out.length; i++) {
        const v = xs[i];
        out[i] = v !== v ? NaN : dys[i] * d(v, params);
      }
    },
  },
  exponential: {
    forward: (xs, out) => {
      const f = exponential.forward as Fn;
      for (let i = 0; i < out.length; i++) {
        const v = xs[i];
        out[i] = v !== v ? NaN : f(v, undefined as never);
      }
    },
    grad1: (dys, xs, out) => {
      const d = exponential.derivative as Fn;
      for (let i = 0; i < out.length; i++) {
        const v = xs[i];
        out[i] = v !== v ? NaN : dys[i] * d(v, undefined as never);
      }
    },
  },
};

/**
 * One block of a one-parameter kernel: elements i = base + t (t < count) of x, parameter values
 * ps[off + t·stride] (a NaN parameter means null, as in the generic loop).
 */
export interface ParamLoops {
  /** out[i] = f(x; p) */
  forward(xs: ArrayLike<number>, ps: ArrayLike<number>, base: number, count: number, off: number, stride: number, out: Float32Array): void;
  /** out[i] = dy · ∂f/∂x(x; p) */
  dx(dys: ArrayLike<number>, xs: ArrayLike<number>, ps: ArrayLike<number>, base: number, count: number, off: number, stride: number, out: Float32Array): void;
  /** acc[off + t·stride] += dy · ∂f/∂p(x; p) */
  dp(dys: ArrayLike<number>, xs: ArrayLike<number>, ps: ArrayLike<number>, base: number, count: number, off: number, stride: number, acc: Float64Array): void;
}

export const DEDICATED_PARAM_LOOPS: Readonly<Record<string, { param: string; loops: ParamLoops }>> = {
  leakyRelu: {
    param: 'alpha',
    loops: {
      forward: (xs, ps, base, count, off, stride, out) => {
        const f = leakyRelu.forward as Fn;
        const p = { alpha: 0.5 };
        for (let t = 0; t < count; t++) {
          const a = ps[off + t * stride];
          p.alpha = a !== a ? (null as never) : a;
          const v = xs[base + t];
          out[base + t] = v !== v ? NaN : f(v, p as never);
        }
      },
      dx: (dys, xs, ps, base, count, off, stride, out) => {
        const d = leakyRelu.derivative as Fn;
        const p = { alpha: 0.5 };
        for (let t = 0; t < count; t++) {
          const a = ps[off + t * stride];
          p.alpha = a !== a ? (null as never) : a;
          const v = xs[base + t];
          out[base + t] = v !== v ? NaN : dys[base + t] * d(v, p as never);
        }
      },
      dp: (dys, xs, ps, base, count, off, stride, acc) => {
        const d = leakyRelu.paramDerivatives.alpha as Fn;
        const p = { alpha: 0.5 };
        for (let t = 0; t < count; t++) {
          const a = ps[off + t * stride];
          p.alpha = a !== a ? (null as never) : a;
          const v = xs[base + t];
          acc[off + t * stride] += v !== v ? NaN : dys[base + t] * d(v, p as never);
        }
      },
    },
  },
};
