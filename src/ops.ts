/** One op per definition: `ops.mish(x)`, `ops.leakyRelu(x, {alpha: 0.01})`. */
import type { AnyDefinition } from './definition';
import { definitions } from './definitions';
import { makeOp } from './engine/op';
import type { OpFor } from './generated/api-types';
import type { Ops } from './generated/api';
import { hasOwn } from './own';
import { nearest } from './params';

type Definitions = (typeof definitions)[number];

export type { OpFor } from './generated/api-types';
/** The ops (generated, one documented member per activation, so hovers show formula and paper). */
export type { Ops } from './generated/api';

/** Parameters accepted by an activation, e.g. `ParamsFor<'leakyRelu'>` is `{alpha?: number}`. */
export type ParamsFor<Id extends Definitions['id']> = Parameters<OpFor<Extract<Definitions, { id: Id }>>>[1];

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
