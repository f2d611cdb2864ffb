/**
 * The kernels' inner loops, one copy of the code per definition and backend.
 *
 * A loop written once and shared by every activation calls `f(x, p)` with 27 different targets: V8
 * sees that call as megamorphic, never inlines it, and the call costs more than a cheap function such
 * as e^x itself. So each loop below is compiled anew for each definition and backend (new Function
 * on its source, tagged so V8's compilation cache does not hand back a shared copy): every copy has
 * its own type feedback, `f` stays monomorphic and is inlined. Where a page forbids compiling code (a
 * Content-Security-Policy without 'unsafe-eval') the loop's closure is used: same results, slower.
 * NaN in gives NaN out; a NaN parameter value means null (how null travels as a tensor). Where
 * f(NaN, p) is NaN already (most definitions at most parameters: checked once per call, f being a
 * pure function of x and p), the loop without the per-element NaN test runs: that test alone cost
 * a quarter of elu′'s time on cpu (V8 keeps it as a branch around the inlined call).
 */
import type { AnyDefinition } from '../definition';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Scalar = (x: number, p: any) => number;
type Params = Record<string, unknown> | undefined;

/** y = f(x) over x. */
export type ForwardLoop = (xs: ArrayLike<number>, out: Float32Array, p: Params) => void;
/** dx = dy · g(x) over x (g = f′ or f″). */
export type ScaledLoop = (dys: ArrayLike<number>, xs: ArrayLike<number>, out: Float32Array, p: Params) => void;

// Each loop exists twice: as source text, compiled once per definition, and as a closure for pages
// that forbid compiling. The text is a string (not Function.prototype.toString of the closure) because
// transpilers and coverage tools rewrite closures with helpers the compiled copy could not see.
// __tests__/loops.test.ts checks that both give the same bits for every definition.

const FORWARD_SOURCE = `return function forwardLoop(xs, out, p) {
  const n = out.length;
  for (let i = 0; i < n; i++) { const v = xs[i]; out[i] = v !== v ? NaN : f(v, p); }
};`;
const forwardClosure = (f: Scalar): ForwardLoop =>
  function forwardLoop(xs, out, p) {
    const n = out.length;
    for (let i = 0; i < n; i++) {
      const v = xs[i];
      out[i] = v !== v ? NaN : f(v, p);
    }
  };

/** The same where f(NaN, p) is NaN: no test per element. */
const FORWARD_NAN_FREE_SOURCE = `return function forwardLoop(xs, out, p) {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = f(xs[i], p);
};`;
const forwardNanFreeClosure = (f: Scalar): ForwardLoop =>
  function forwardLoop(xs, out, p) {
    const n = out.length;
    for (let i = 0; i < n; i++) out[i] = f(xs[i], p);
  };

const SCALED_SOURCE = `return function scaledLoop(dys, xs, out, p) {
  const n = out.length;
  for (let i = 0; i < n; i++) { const v = xs[i]; out[i] = v !== v ? NaN : dys[i] * f(v, p); }
};`;
const scaledClosure = (f: Scalar): ScaledLoop =>
  function scaledLoop(dys, xs, out, p) {
    const n = out.length;
    for (let i = 0; i < n; i++) {
      const v = xs[i];
      out[i] = v !== v ? NaN : dys[i] * f(v, p);
    }
  };

const SCALED_NAN_FREE_SOURCE = `return function scaledLoop(dys, xs, out, p) {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = dys[i] * f(xs[i], p);
};`;
const scaledNanFreeClosure = (f: Scalar): ScaledLoop =>
  function scaledLoop(dys, xs, out, p) {
    const n = out.length;
    for (let i = 0; i < n; i++) out[i] = dys[i] * f(xs[i], p);
  };

/** True when f(NaN, p) is NaN, so a loop needs no NaN test of its own. */
function propagatesNaN(f: Scalar, p: Params): boolean {
  const y = f(NaN, p);
  return y !== y;
}

/** The checked or the test-free loop, chosen per call from f(NaN, p). */
function forwardFor(f: Scalar, tag: string): ForwardLoop {
  const checked = ownLoop(FORWARD_SOURCE, ['f'], forwardClosure, [f], tag);
  const nanFree = ownLoop(FORWARD_NAN_FREE_SOURCE, ['f'], forwardNanFreeClosure, [f], `${tag} (NaN-free)`);
  return (xs, out, p) => (propagatesNaN(f, p) ? nanFree : checked)(xs, out, p);
}

function scaledFor(f: Scalar, tag: string): ScaledLoop {
  const checked = ownLoop(SCALED_SOURCE, ['f'], scaledClosure, [f], tag);
  const nanFree = ownLoop(SCALED_NAN_FREE_SOURCE, ['f'], scaledNanFreeClosure, [f], `${tag} (NaN-free)`);
  return (dys, xs, out, p) => (propagatesNaN(f, p) ? nanFree : checked)(dys, xs, out, p);
}

/**
 * One block of a kernel with one varying parameter: elements i = base + t (t < count) of x, the
 * parameter's values ps[off + t·stride]; `p` carries the fixed parameters (the loop sets the varying one).
 */
export type ParamLoop = (dys: ArrayLike<number> | null, xs: ArrayLike<number>, ps: ArrayLike<number>, base: number, count: number, off: number, stride: number, out: Float32Array | Float64Array, p: Record<string, unknown>) => void;

/** forward: out = f(x; p); dx: out = dy·∂f/∂x; dp: acc[parameter index] += dy·∂f/∂p. */
export interface ParamLoops {
  forward: ParamLoop;
  dx: ParamLoop;
  dp: ParamLoop;
}

/** mode 0: out = f; 1: out = dy·f; 2: out[parameter index] += dy·f. */
const PARAM_SOURCE = `return function paramLoop(dys, xs, ps, base, count, off, stride, out, p) {
  for (let t = 0; t < count; t++) {
    const a = ps[off + t * stride];
    p[name] = a !== a ? null : a;
    const i = base + t;
    const v = xs[i];
    const y = v !== v ? NaN : mode === 0 ? f(v, p) : dys[i] * f(v, p);
    if (mode === 2) out[off + t * stride] += y;
    else out[i] = y;
  }
};`;
const paramClosure = (f: Scalar, name: string, mode: 0 | 1 | 2): ParamLoop =>
  function paramLoop(dys, xs, ps, base, count, off, stride, out, p) {
    for (let t = 0; t < count; t++) {
      const a = ps[off + t * stride];
      p[name] = a !== a ? null : a;
      const i = base + t;
      const v = xs[i];
      const y = v !== v ? NaN : mode === 0 ? f(v, p) : dys![i] * f(v, p);
      if (mode === 2) out[off + t * stride] += y;
      else out[i] = y;
    }
  };

let canCompile = true;

/**
 * A loop of its own: `source` compiled with `args` bound to `argNames` (tagged, so V8's compilation
 * cache does not hand back a shared copy), or `closure(...args)` where compiling is forbidden.
 */
function ownLoop<T>(source: string, argNames: string[], closure: (...a: never[]) => T, args: unknown[], tag: string): T {
  if (canCompile) {
    try {
      return new Function(...argNames, `/* tfjs-activations ${tag} */\n${source}`)(...args) as T;
    } catch {
      canCompile = false;
    }
  }
  return closure(...(args as never[]));
}

export interface KernelLoops {
  forward: ForwardLoop;
  grad1: ScaledLoop;
  grad2: ScaledLoop;
}

/** dy·s·f″(x): dy·s in float64, then one rounding of the product with f″ (the grad2Scaled kernel's exact path). */
export function scaledSecondOrder(loops: KernelLoops, dys: ArrayLike<number>, ss: ArrayLike<number>, xs: ArrayLike<number>, out: Float32Array, p: Params): void {
  const products = new Float64Array(out.length);
  for (let i = 0; i < products.length; i++) products[i] = dys[i] * ss[i];
  loops.grad2(products, xs, out, p);
}

const kernelLoopCache = new Map<string, KernelLoops>();

/** The loops of the three kernels of `def` on one backend (made once; the kernels look them up per call). */
export function kernelLoops(def: AnyDefinition, backendName: string): KernelLoops {
  const tag = `${def.id} ${backendName}`;
  let loops = kernelLoopCache.get(tag);
  if (!loops) {
    loops = {
      forward: forwardFor(def.forward as Scalar, `${tag} f`),
      grad1: scaledFor(def.derivative as Scalar, `${tag} f'`),
      grad2: scaledFor(def.secondDerivative as Scalar, `${tag} f''`),
    };
    kernelLoopCache.set(tag, loops);
  }
  return loops;
}

/** The loops of the learnable-parameter kernels of `def` when `name` is its one varying parameter. */
export function paramLoops(def: AnyDefinition, name: string, backendName: string): ParamLoops {
  const tag = `${def.id} ${name} ${backendName}`;
  const dp = def.paramDerivatives[name] as Scalar;
  return {
    forward: ownLoop(PARAM_SOURCE, ['f', 'name', 'mode'], paramClosure, [def.forward, name, 0], `${tag} f`),
    dx: ownLoop(PARAM_SOURCE, ['f', 'name', 'mode'], paramClosure, [def.derivative, name, 1], `${tag} f'`),
    dp: ownLoop(PARAM_SOURCE, ['f', 'name', 'mode'], paramClosure, [dp, name, 2], `${tag} df/dp`),
  };
}

/** For tests: forbid (or allow again) compiling, as a strict Content-Security-Policy would. */
export function setCompiledLoops(on: boolean): void {
  canCompile = on;
}
