/** The member types the generated interfaces (api.ts) use for each activation. */
import type { Tensor, TensorLike } from '@tensorflow/tfjs-core';
import type { ActivationDefinition } from '../definition';
import type { ParamSpecs, ParamsOf } from '../params';
import type { LayerArgsFor } from '../layers/args';
import type { ElementwiseLayer } from '../layers/elementwise';

/** The op signature for a definition. */
export type OpFor<D> =
  D extends ActivationDefinition<string, infer S extends ParamSpecs>
    ? (x: Tensor | TensorLike, params?: Partial<ParamsOf<S>>) => Tensor
    : never;

/** The layer factory signature for a definition. */
export type LayerFactoryFor<D> = (args?: LayerArgsFor<D>) => ElementwiseLayer;
