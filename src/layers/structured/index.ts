/**
 * Activations that are not element-wise, as layers, each with an explicit gradient (tf.customGrad
 * with the hand-derived backward pass; the forward composition is never differentiated):
 *   Maxout (Goodfellow et al., 2013), GLU (Dauphin et al., 2017), Softmin, Sparsemax (Martins &
 *   Astudillo, 2016), RReLU (Xu et al., 2015).
 */
import { registerPluginClass } from '../common';
import { GLU } from './glu';
import { Maxout } from './maxout';
import { RReLU } from './rrelu';
import { Softmin } from './softmin';
import { Sparsemax } from './sparsemax';

export { Maxout, maxOverGroups, type MaxoutArgs } from './maxout';
export { GLU, glu } from './glu';
export { Softmin, softmin } from './softmin';
export { Sparsemax, sparsemax } from './sparsemax';
export { RReLU, rrelu, type RReLUArgs } from './rrelu';

export const STRUCTURED_LAYER_CLASSES = [Maxout, GLU, Softmin, Sparsemax, RReLU] as const;

export function registerStructuredLayers(): void {
  for (const cls of STRUCTURED_LAYER_CLASSES) registerPluginClass(cls as never);
}
