/**
 * Running one order of a definition on the current backend.
 *
 * Backends with our JavaScript kernels (cpu, wasm, tensorflow: registered up front by name) run
 * them. Any other backend (webgl, webgpu, ...) runs the definition's `composite`: tfjs-core ops,
 * wrapped in tf.customGrad so that the gradient is still the explicit derivative:
 *   F  = customGrad(composite.forward,          dy ↦ dy·D1(x))
 *   D1 = customGrad(composite.derivative,       dy ↦ dy·D2(x))
 *   D2 = customGrad(composite.secondDerivative, dy ↦ error: no third derivative)
 * A definition without a composite (e.g. one a user wrote) falls back to registering the JavaScript
 * kernels for that backend on the fly; they then read data back to the CPU.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { AnyDefinition, CompositeForms } from '../definition';
import { canRunHostKernels } from './backends';
import { registerKernelsFor } from './kernels';
import { kernelNames } from './names';

const warnedBackends = new Set<string>();
let compositeOnly = false;

/**
 * Forces the composite path on every backend (true), or restores the default (false). For tests
 * and accuracy measurements of what webgl users get; not part of the public API.
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

/**
 * Throws `error` from inside a gradient function. tfjs disposes the tape's saved tensors only when a
 * backward pass completes, so a gradient that throws leaves them kept for good (7 per attempt, even
 * inside tf.tidy). They are released first when this is the outermost backward pass (gradient depth
 * 0), whose tape nothing will read again; uses tfjs's engine state, which has no public alternative.
 */
export function throwFromGradient(error: Error): never {
  const state = tfc.engine().state;
  if (state.gradientDepth === 0 && state.activeTape) {
    for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
  }
  throw error;
}

/** True if `def` runs its composite on the active backend. */
export function usesComposite(def: AnyDefinition): boolean {
  if (!def.composite) return false;
  return compositeOnly || !tfc.getKernel(kernelNames(def.id).forward, tfc.getBackend());
}

/** Makes sure `def`'s JavaScript kernels exist for the active backend (host fallback). */
export function ensureKernels(def: AnyDefinition): void {
  const backendName = tfc.getBackend();
  const names = kernelNames(def.id);
  if (tfc.getKernel(names.forward, backendName)) return;
  const backend = tfc.backend();
  if (!canRunHostKernels(backend)) {
    throw new Error(
      `tfjs-activations: backend '${backendName}' cannot read tensors synchronously, so ${def.id} cannot run on it.`,
    );
  }
  if (!warnedBackends.has(backendName)) {
    warnedBackends.add(backendName);
    console.warn(
      `tfjs-activations: no native kernels for backend '${backendName}'; computing ${def.id} on the ` +
        'CPU (it has no composite form; exact, but each call copies data to the host and back).',
    );
  }
  registerKernelsFor(def, names, backendName);
}

type Form = keyof CompositeForms<unknown>;

/** One composite form, with NaN in → NaN out (the forms need not care about NaN). */
function evaluate(def: AnyDefinition, form: Form, x: tfc.Tensor, attrs: tfc.NamedAttrMap): tfc.Tensor {
  const composite = def.composite as CompositeForms<tfc.NamedAttrMap>;
  return tfc.where(tfc.isNaN(x), x, composite[form](x, attrs));
}

/**
 * value(x) as an op whose gradient is dy·next(x) (or an error when next is null). x is saved by
 * tfjs only while a gradient is being recorded.
 */
function withGradient(
  value: (x: tfc.Tensor) => tfc.Tensor,
  next: ((x: tfc.Tensor) => tfc.Tensor) | null,
  def: AnyDefinition,
): (x: tfc.Tensor) => tfc.Tensor {
  return tfc.customGrad((...args: Array<tfc.Tensor | tfc.GradSaveFunc>) => {
    const x = args[0] as tfc.Tensor;
    (args[1] as tfc.GradSaveFunc)([x]);
    return {
      value: value(x),
      gradFunc: (dy: tfc.Tensor, saved: tfc.Tensor[]) => {
        if (!next) throwFromGradient(thirdDerivativeError(def));
        return tfc.mul(dy, next(saved[0]));
      },
    };
  });
}

/** D2(x) = f″(x); its gradient is an error. */
const secondDerivativeOp = (def: AnyDefinition, x: tfc.Tensor, attrs: tfc.NamedAttrMap): tfc.Tensor =>
  withGradient((x) => evaluate(def, 'secondDerivative', x, attrs), null, def)(x);

/** D1(x) = f′(x); its gradient is dy·D2(x). */
const derivativeOp = (def: AnyDefinition, x: tfc.Tensor, attrs: tfc.NamedAttrMap): tfc.Tensor =>
  withGradient(
    (x) => evaluate(def, 'derivative', x, attrs),
    (x) => secondDerivativeOp(def, x, attrs),
    def,
  )(x);

/** F(x) = f(x); its gradient is dy·D1(x). */
const forwardOp = (def: AnyDefinition, x: tfc.Tensor, attrs: tfc.NamedAttrMap): tfc.Tensor =>
  withGradient(
    (x) => evaluate(def, 'forward', x, attrs),
    (x) => derivativeOp(def, x, attrs),
    def,
  )(x);

/** y = f(x) (order 0), or dy * f'(x) / dy * f''(x) (orders 1, 2). `attrs` are resolved params. */
export function runOrder(
  def: AnyDefinition,
  order: 0 | 1 | 2,
  dy: tfc.Tensor | null,
  x: tfc.Tensor,
  attrs: tfc.NamedAttrMap,
): tfc.Tensor {
  if (usesComposite(def)) {
    if (order === 0) return forwardOp(def, x, attrs);
    const d = order === 1 ? derivativeOp(def, x, attrs) : secondDerivativeOp(def, x, attrs);
    return tfc.mul(dy as tfc.Tensor, d);
  }
  ensureKernels(def);
  const names = kernelNames(def.id);
  if (order === 0) return tfc.engine().runKernel(names.forward, { x }, attrs) as tfc.Tensor;
  const kernel = order === 1 ? names.grad1 : names.grad2;
  return tfc.engine().runKernel(kernel, { dy: dy as tfc.Tensor, x }, attrs) as tfc.Tensor;
}
