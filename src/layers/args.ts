/** The arguments of an element-wise activation layer, from its definition's parameters. */
import type { ActivationDefinition } from '../definition';
import type { NumberParamSpec, ParamSpecs, ParamsOf } from '../params';
import type { BaseLayerArgs } from './common';
import type { LearnableArgs } from './elementwise';

/** Names of the numeric (learnable) parameters of a spec record. */
export type NumericKeys<S> = { [K in keyof S]: S[K] extends NumberParamSpec<infer _T> ? K : never }[keyof S] & string;

/** Arguments of the layer for a definition: its parameters, learnable ones, and tfjs layer args. */
export type LayerArgsFor<D> =
  D extends ActivationDefinition<string, infer S extends ParamSpecs>
    ? Partial<ParamsOf<S>> & LearnableArgs<NumericKeys<S>> & BaseLayerArgs
    : never;
