/** One op per definition: `ops.mish(x)`, `ops.leakyRelu(x, {alpha: 0.01})`. */
import type { Tensor, TensorLike } from '@tensorflow/tfjs-core';
import type { ActivationDefinition, AnyDefinition } from './definition';
import { definitions } from './definitions';
import { makeOp } from './engine/op';
import { hasOwn } from './own';
import { nearest, type ParamSpecs, type ParamsOf } from './params';

type Definitions = (typeof definitions)[number];

/** The op signature for a definition. */
export type OpFor<D> =
  D extends ActivationDefinition<string, infer S extends ParamSpecs>
    ? (x: Tensor | TensorLike, params?: Partial<ParamsOf<S>>) => Tensor
    : never;

/** Parameters accepted by an activation, e.g. `ParamsFor<'leakyRelu'>` is `{alpha?: number}`. */
export type ParamsFor<Id extends Definitions['id']> = Parameters<OpFor<Extract<Definitions, { id: Id }>>>[1];

export type Ops = { readonly [D in Definitions as D['id']]: OpFor<D> };

const table: Record<string, unknown> = Object.freeze(
  Object.fromEntries((definitions as readonly AnyDefinition[]).map((d) => [d.id, makeOp(d)])),
);

/** Names tools probe on any object (promises, JSON, test matchers, React, DOM); they stay undefined. */
const PROBES = new Set(['then', 'toJSON', 'asymmetricMatch', '$$typeof', 'nodeType', 'tagName', 'inspect', '@@toStringTag']);

/**
 * `act.ops.mishh` throws "did you mean 'mish'?" instead of returning undefined (and failing later
 * with "is not a function"). The type stays the exact record of ops.
 */
export const ops: Ops = new Proxy(table, {
  get(target, key, receiver) {
    if (typeof key !== 'string' || hasOwn(target, key) || key in target || PROBES.has(key)) return Reflect.get(target, key, receiver);
    const known = Object.keys(target);
    throw new Error(`tfjs-activations: act.ops has no op '${key}'. Did you mean ${nearest(key, known, 3).map((n) => `'${n}'`).join(', ')}? ` +
      `Known ops: ${known.join(', ')}.`);
  },
}) as unknown as Ops;
