/** Sparsemax (Martins & Astudillo, 2016), with its explicit gradient. */
import * as tfc from '@tensorflow/tfjs-core';
import { LAYER_PREFIX, type BaseLayerArgs } from '../common';
import { alongLast, AxisActivation, withGradient } from './shared';

/** Sparsemax along `axis` (Martins & Astudillo, 2016): the Euclidean projection onto the simplex. */
export class Sparsemax extends AxisActivation {
  static className = `${LAYER_PREFIX}Sparsemax`;
  constructor(args: BaseLayerArgs & { axis?: number } = {}) {
    super(args, 'Sparsemax layer', 'sparsemax');
  }
  protected fn(x: tfc.Tensor, axis: number): tfc.Tensor {
    return sparsemax(x, axis);
  }
}

/**
 * Sparsemax, the paper's Algorithm 1 on the last axis: sort z descending, k(z) = max{k : 1 + k z_(k) >
 * Σ_{j≤k} z_(j)}, τ = (Σ_{j≤k(z)} z_(j) − 1) / k(z), p = max(z − τ, 0). Gradient (paper, eq. 14):
 * dx = s ⊙ (dy − Σ_S dy / |S|) with s the support indicator.
 */
export function sparsemax(x: tfc.Tensor, axis = -1): tfc.Tensor {
  const ax = axis < 0 ? axis + x.rank : axis;
  const lastAxisSparsemax = (z: tfc.Tensor) =>
    tfc.tidy(() => {
      const n = z.shape[z.rank - 1];
      const sorted = tfc.topk(z, n, true).values;
      const cumulative = tfc.cumsum(sorted, z.rank - 1);
      const k = tfc.range(1, n + 1, 1, 'float32');
      const inSupport = tfc.cast(tfc.greater(tfc.add(1, tfc.mul(k, sorted)), cumulative), 'float32');
      const kz = tfc.sum(inSupport, -1, true);
      const tau = tfc.div(tfc.sub(tfc.sum(tfc.mul(inSupport, sorted), -1, true), 1), kz);
      return tfc.relu(tfc.sub(z, tau));
    });
  const f = withGradient((xIn: tfc.Tensor, save: tfc.GradSaveFunc) => {
    const p = alongLast(xIn, ax, lastAxisSparsemax);
    save([p]);
    return {
      value: p,
      gradFunc: (dy: tfc.Tensor, [sp]: tfc.Tensor[]) => {
        const support = tfc.cast(tfc.greater(sp, 0), 'float32');
        const mean = tfc.div(tfc.sum(tfc.mul(dy, support), ax, true), tfc.sum(support, ax, true));
        return tfc.mul(support, tfc.sub(dy, mean));
      },
    };
  });
  return f(x);
}
