/**
 * Ops generated from definitions: input checks in tfjs's own wording, parameter validation, then
 * the forward kernel (whose gradient is the explicit derivative).
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { AnyDefinition } from '../definition';
import { formatValue, resolveParams, type ParamSpecs, type ParamsOf } from '../params';
import { runOrder } from './run';

/** Converts a Tensor or TensorLike to a float32 tensor, with tfjs's error wording. */
export function toFloatTensor(x: unknown, argName: string, opName: string): tfc.Tensor {
  if (x instanceof tfc.Tensor) {
    if (x.dtype !== 'float32') {
      throw new Error(`Argument '${argName}' passed to '${opName}' must be float32 tensor, but got ${x.dtype} tensor`);
    }
    return x;
  }
  const isTyped = ArrayBuffer.isView(x) && !(x instanceof DataView);
  if (x == null || (!isTyped && !Array.isArray(x) && typeof x !== 'number' && typeof x !== 'boolean' && typeof x !== 'string')) {
    const type = x == null ? 'null' : (x as object).constructor?.name ?? typeof x;
    throw new Error(`Argument '${argName}' passed to '${opName}' must be a Tensor or TensorLike, but got '${type}'`);
  }
  let leaf: unknown = x;
  while (Array.isArray(leaf)) leaf = leaf[0];
  const inferred = typeof leaf === 'string' ? 'string' : typeof leaf === 'boolean' ? 'bool' : undefined;
  if (inferred) {
    throw new Error(`Argument '${argName}' passed to '${opName}' must be float32 tensor, but got ${inferred} tensor`);
  }
  return tfc.tensor(x as tfc.TensorLike, undefined, 'float32');
}

/** Validates params for a definition (defaults, ranges, cross-parameter checks). */
export function resolveDefinitionParams<S extends ParamSpecs>(
  def: AnyDefinition & { params: S },
  given: unknown,
  owner: string = def.id,
): ParamsOf<S> {
  const p = resolveParams(owner, def.params as S, given);
  const problem = def.check?.(p);
  if (problem) {
    const received = Object.entries(p).map(([k, v]) => `${k}=${formatValue(v)}`).join(', ');
    throw new Error(`${owner}: ${problem}. Received: ${received}`);
  }
  return p;
}

/** Applies an activation to a float32 tensor with already-resolved params (used by layers). */
export function applyResolved(def: AnyDefinition, x: tfc.Tensor, params: object): tfc.Tensor {
  return runOrder(def, 0, null, x, params as tfc.NamedAttrMap);
}

/** The user-facing op for one definition: `op(x, params?)`. */
export function makeOp<S extends ParamSpecs>(def: AnyDefinition & { params: S }) {
  const op = (x: tfc.Tensor | tfc.TensorLike, params?: Partial<ParamsOf<S>>): tfc.Tensor => {
    const p = resolveDefinitionParams(def, params);
    return tfc.tidy(def.id, () => applyResolved(def, toFloatTensor(x, 'x', def.id), p));
  };
  Object.defineProperty(op, 'name', { value: def.id });
  return op;
}

/** dy * f^(order)(x) as an op, for tests and for people who want the derivative itself. */
export function derivative(
  def: AnyDefinition,
  x: tfc.Tensor | tfc.TensorLike,
  params?: object,
  order: 1 | 2 = 1,
): tfc.Tensor {
  const p = resolveDefinitionParams(def, params);
  return tfc.tidy(`${def.id}Derivative`, () => {
    const $x = toFloatTensor(x, 'x', def.id);
    return runOrder(def, order, tfc.onesLike($x), $x, p as tfc.NamedAttrMap);
  });
}
