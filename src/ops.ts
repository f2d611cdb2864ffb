/** One op per definition: `ops.mish(x)`, `ops.leakyRelu(x, {alpha: 0.01})`. */
import type { Tensor, TensorLike } from '@tensorflow/tfjs-core';
import type { ActivationDefinition, AnyDefinition } from './definition';
import { definitions } from './definitions';
import { makeOp } from './engine/op';
import type { ParamSpecs, ParamsOf } from './params';

type Definitions = (typeof definitions)[number];

/** The op signature for a definition. */
export type OpFor<D> =
  D extends ActivationDefinition<string, infer S extends ParamSpecs>
    ? (x: Tensor | TensorLike, params?: Partial<ParamsOf<S>>) => Tensor
    : never;

/** Parameters accepted by an activation, e.g. `ParamsFor<'leakyRelu'>` is `{alpha?: number}`. */
export type ParamsFor<Id extends Definitions['id']> = Parameters<OpFor<Extract<Definitions, { id: Id }>>>[1];

export type Ops = { readonly [D in Definitions as D['id']]: OpFor<D> };

export const ops: Ops = Object.freeze(
  Object.fromEntries((definitions as readonly AnyDefinition[]).map((d) => [d.id, makeOp(d)])),
) as unknown as Ops;
