/**
 * The expressions a fused kernel computes, assembled from a definition's float32 forms:
 *   order 0   y  = f(x)
 *   order 1   dx = dy·f′(x)
 *   order 2   dx = dy·f″(x)
 *   ∂p        dy·∂f/∂p(x)   (summed over the broadcast axes of p by the caller)
 * Numeric parameters are `param` leaves (uniforms, tensors, or constants bound by the generator);
 * booleans and null-ness are fixed here, so they are part of the cache key. NaN in gives NaN out:
 * `guardNaN` adds the check to an expression that would lose it.
 */
import type { AnyDefinition, Float32Forms } from '../definition';
import type { ParamSpec } from '../params';
import { evaluate32 } from './eval32';
import { Expr, expr } from './expr';

export type Order = 0 | 1 | 2;
/**
 * Which expression: an order; 'scaled2', dy·s·f″(x) with s the tensor parameter GRAD_SCALE (the x
 * gradient of dy·f′, g·dy·f″, as one kernel rather than a multiplication and f″); or the
 * derivative with respect to a numeric parameter.
 */
export type FusedWhich = Order | 'scaled2' | { param: string };

/** The tensor parameter that carries s in the 'scaled2' kernel (no definition has a parameter of that name). */
export const GRAD_SCALE = 'gradScale';

/** Readable name of what a kernel computes: f, d1, d2, s2 (scaled second order), or d_<param>. */
export const whichName = (which: FusedWhich): string =>
  typeof which === 'number' ? (which === 0 ? 'f' : `d${which}`) : which === 'scaled2' ? 's2' : `d_${which.param}`;

const FORM_OF: Record<Order, keyof Omit<Float32Forms<never>, 'paramDerivatives'>> = {
  0: 'forward',
  1: 'derivative',
  2: 'secondDerivative',
};

/** The parameters a form is built with: numbers as leaves (or null), booleans as values. */
function formParams(def: AnyDefinition, statics: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(def.params as Record<string, ParamSpec>)) {
    if (spec.type === 'boolean') p[name] = Boolean(statics[name]);
    else p[name] = statics[name] === null ? null : expr.param(name);
  }
  return p;
}

/** The key of everything fixed when an expression is built: booleans and null numbers. */
export function staticKey(def: AnyDefinition, params: Readonly<Record<string, unknown>>): string {
  return Object.entries(def.params as Record<string, ParamSpec>)
    .filter(([name, spec]) => spec.type === 'boolean' || params[name] === null)
    .map(([name]) => `${name}=${String(params[name])}`)
    .join(',');
}

const cache = new Map<string, Expr>();

/** The expression for `which` (dy already multiplied in for derivatives), without a NaN guard. */
export function fusedExpr(def: AnyDefinition, which: FusedWhich, params: Readonly<Record<string, unknown>>): Expr {
  const key = `${def.id}|${whichName(which)}|${staticKey(def, params)}`;
  let e = cache.get(key);
  if (!e) {
    const p = formParams(def, params) as never;
    const forms = def.float32 as unknown as Float32Forms<never>;
    if (typeof which === 'number') {
      const raw = forms[FORM_OF[which]](expr.x, p);
      e = which === 0 ? raw : expr.dy.mul(raw);
    } else if (which === 'scaled2') {
      e = expr.dy.mul(expr.param(GRAD_SCALE)).mul(forms.secondDerivative(expr.x, p));
    } else {
      const form = (forms.paramDerivatives as Record<string, Float32Forms<never>['forward'] | undefined>)[which.param];
      if (!form) throw new Error(`${def.id}: no float32 form for the derivative with respect to '${which.param}'`);
      e = expr.dy.mul(form(expr.x, p));
    }
    cache.set(key, e);
  }
  return e;
}

/** e, but x itself where x is NaN (a NaN x then gives NaN whatever e would do with it). */
export const guardNaN = (e: Expr): Expr => expr.x.isnan().select(expr.x, e);

/**
 * True if `e` already turns a NaN x into NaN, evaluated with float32 rounding and the given
 * parameter values (a parameter can decide a branch: leakyRelu with alpha = 0).
 */
export function propagatesNaN(e: Expr, params: Readonly<Record<string, number>>): boolean {
  // The scale s of dy·s·f″ cannot stop a NaN (NaN·s is NaN for every s): probed at 1.
  const out = evaluate32(e, { x: [NaN], dy: [1], params: { [GRAD_SCALE]: 1, ...params } });
  return Number.isNaN(out[0]);
}
