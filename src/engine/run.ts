/**
 * Running one order of a definition on the current backend.
 *
 * Backends with our kernels (registered by name: cpu, wasm, tensorflow, and those with a fast
 * runner such as webgl and webgpu) run them. Any other backend runs the composite: the
 * definition's float32 forms as tfjs-core ops (generate/tfjs-ops.ts), wrapped in tf.customGrad so
 * that the gradient is still the explicit derivative:
 *   F(x)      = f(x),        dF  = (dy ↦ D1(dy, x))
 *   D1(dy, x) = dy·f′(x),    dD1 = (g ↦ D1(g, x) for dy, D2(g·dy, x) for x)
 *   D2(dy, x) = dy·f″(x),    dD2 = (g ↦ D2(g, x) for dy, an error for x)
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { AnyDefinition } from '../definition';
import { fusedExpr, guardNaN, type Order } from './fused';
import { evaluateWithOps } from './generate/tfjs-ops';
import { kernelNames } from './names';
import { throwFromGradient } from './tfjs-adapter';

let compositeOnly = false;

/**
 * Forces the composite path on every backend (true), or restores the default (false). For tests
 * and measurements of what backends without our kernels get; not part of the public API.
 */
export function setCompositeOnly(on: boolean): void {
  compositeOnly = on;
}

/** True when the composite path is forced. */
export function isCompositeOnly(): boolean {
  return compositeOnly;
}

/** The error thrown when a third derivative is asked for (same text on every path). */
export function thirdDerivativeError(def: AnyDefinition): Error {
  return new Error(`${def.id}: third and higher derivatives are not available (a definition carries f, f' and f'').`);
}

/** True if `def` runs its composite on the active backend. */
export function usesComposite(def: AnyDefinition): boolean {
  return compositeOnly || !tfc.getKernel(kernelNames(def.id).forward, tfc.getBackend());
}

/** One order of the composite: its float32 expression as tfjs-core ops (NaN passed through). */
function evaluate(def: AnyDefinition, order: Order, dy: tfc.Tensor | null, x: tfc.Tensor, attrs: tfc.NamedAttrMap): tfc.Tensor {
  const params: Record<string, number> = {};
  for (const [k, v] of Object.entries(attrs)) if (typeof v === 'number') params[k] = v;
  return evaluateWithOps(guardNaN(fusedExpr(def, order, attrs)), { x, dy: dy ?? undefined, params });
}

/** D2(dy, x) = dy·f″(x), as dy times f″(x), whose gradient is an error. */
function secondDerivativeOp(def: AnyDefinition, dy: tfc.Tensor, x: tfc.Tensor, attrs: tfc.NamedAttrMap): tfc.Tensor {
  const f2 = tfc.customGrad((...args: Array<tfc.Tensor | tfc.GradSaveFunc>) => ({
    value: evaluate(def, 2, null, args[0] as tfc.Tensor, attrs),
    gradFunc: (): tfc.Tensor => throwFromGradient(thirdDerivativeError(def)),
  }));
  return tfc.mul(dy, f2(x));
}

/** D1(dy, x) = dy·f′(x). */
function derivativeOp(def: AnyDefinition, dy: tfc.Tensor, x: tfc.Tensor, attrs: tfc.NamedAttrMap): tfc.Tensor {
  return tfc.customGrad((...args: Array<tfc.Tensor | tfc.GradSaveFunc>) => {
    const [dyIn, xIn, save] = args as [tfc.Tensor, tfc.Tensor, tfc.GradSaveFunc];
    save([dyIn, xIn]);
    return {
      value: evaluate(def, 1, dyIn, xIn, attrs),
      gradFunc: (g: tfc.Tensor, [dys, xs]: tfc.Tensor[]) => [
        derivativeOp(def, g, xs, attrs),
        secondDerivativeOp(def, tfc.mul(g, dys), xs, attrs),
      ],
    };
  })(dy, x);
}

/** F(x) = f(x). */
function forwardOp(def: AnyDefinition, x: tfc.Tensor, attrs: tfc.NamedAttrMap): tfc.Tensor {
  return tfc.customGrad((...args: Array<tfc.Tensor | tfc.GradSaveFunc>) => {
    const [xIn, save] = args as [tfc.Tensor, tfc.GradSaveFunc];
    save([xIn]);
    return {
      value: evaluate(def, 0, null, xIn, attrs),
      gradFunc: (g: tfc.Tensor, [xs]: tfc.Tensor[]) => derivativeOp(def, g, xs, attrs),
    };
  })(x);
}

/** dy·s·f″(x): the x gradient of dy·f′(x) for an upstream g (s = g), one kernel where there are kernels. */
export function runScaledSecondOrder(def: AnyDefinition, dy: tfc.Tensor, scale: tfc.Tensor, x: tfc.Tensor, attrs: tfc.NamedAttrMap): tfc.Tensor {
  if (usesComposite(def)) return secondDerivativeOp(def, tfc.mul(dy, scale), x, attrs);
  return tfc.engine().runKernel(kernelNames(def.id).grad2Scaled, { dy, scale, x }, attrs) as tfc.Tensor;
}

/** y = f(x) (order 0), or dy * f'(x) / dy * f''(x) (orders 1, 2). `attrs` are resolved params. */
export function runOrder(
  def: AnyDefinition,
  order: Order,
  dy: tfc.Tensor | null,
  x: tfc.Tensor,
  attrs: tfc.NamedAttrMap,
): tfc.Tensor {
  if (usesComposite(def)) {
    if (order === 0) return forwardOp(def, x, attrs);
    return (order === 1 ? derivativeOp : secondDerivativeOp)(def, dy as tfc.Tensor, x, attrs);
  }
  const names = kernelNames(def.id);
  if (order === 0) return tfc.engine().runKernel(names.forward, { x }, attrs) as tfc.Tensor;
  const kernel = order === 1 ? names.grad1 : names.grad2;
  return tfc.engine().runKernel(kernel, { dy: dy as tfc.Tensor, x }, attrs) as tfc.Tensor;
}
