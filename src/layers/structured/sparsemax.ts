/** Sparsemax (Martins & Astudillo, 2016), with its explicit gradient. */
import * as tfc from '@tensorflow/tfjs-core';
import { LAYER_PREFIX, type BaseLayerArgs } from '../common';
import { alongAxis, alongLast, AxisActivation, withGradient } from './shared';

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
 *
 * Where the algorithm has no finite answer, the result is its limit, the same on every backend:
 * +Inf entries share the mass equally (the limit as they grow together) and the others get 0;
 * −Inf entries get 0, and a row of only −Inf is uniform (the limit of equal entries); a NaN makes
 * its row NaN; an empty axis gives an empty result.
 */
export function sparsemax(x: tfc.Tensor | tfc.TensorLike, axis = -1): tfc.Tensor {
  return alongAxis('sparsemax', x, axis, (t, ax) => {
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
    return f(t);
  });
}

function lastAxisSparsemax(z: tfc.Tensor): tfc.Tensor {
  return tfc.tidy(() => {
    const n = z.shape[z.rank - 1];
    // wasm's topk divides by the axis size: nothing to project on an empty axis anyway.
    if (z.size === 0) return tfc.zerosLike(z);
    const full = (mask: tfc.Tensor) => tfc.broadcastTo(mask, z.shape);
    const finite = tfc.isFinite(z);
    // Shift by the largest finite entry (sparsemax is shift-invariant): no overflow in the sums.
    const top = tfc.max(tfc.where(finite, z, tfc.fill(z.shape, -Infinity)), -1, true);
    const shift = tfc.where(tfc.isFinite(top), top, tfc.zerosLike(top));
    const c = tfc.where(finite, tfc.sub(z, shift), tfc.fill(z.shape, -Infinity));
    const sorted = tfc.topk(c, n, true).values;
    const valid = tfc.isFinite(sorted);
    const values = tfc.where(valid, sorted, tfc.zerosLike(sorted));
    const cumulative = tfc.cumsum(values, z.rank - 1);
    const k = tfc.range(1, n + 1, 1, 'float32');
    const inSupport = tfc.cast(tfc.logicalAnd(valid, tfc.greater(tfc.add(1, tfc.mul(k, values)), cumulative)), 'float32');
    const kz = tfc.sum(inSupport, -1, true);
    const tau = tfc.div(tfc.sub(tfc.sum(tfc.mul(inSupport, values), -1, true), 1), tfc.maximum(kz, 1));
    const p = tfc.relu(tfc.sub(c, tau));
    // The limits where the algorithm has no finite entry to work with.
    const posInf = tfc.cast(tfc.equal(z, Infinity), 'float32');
    const nPosInf = tfc.sum(posInf, -1, true);
    const hasNaN = tfc.any(tfc.isNaN(z), -1, true);
    const uniform = tfc.fill(z.shape, 1 / n);
    const limits = tfc.where(full(tfc.greater(nPosInf, 0)), tfc.div(posInf, tfc.maximum(nPosInf, 1)),
      tfc.where(full(tfc.equal(kz, 0)), uniform, p));
    return tfc.where(full(hasNaN), tfc.fill(z.shape, NaN), limits);
  });
}
