/** Softmin, softmax(−x), with its explicit gradient. */
import * as tfc from '@tensorflow/tfjs-core';
import { LAYER_PREFIX, type BaseLayerArgs } from '../common';
import { alongAxis, alongLast, AxisActivation, withGradient } from './shared';

/** Softmin(x) = softmax(−x) along `axis`. */
export class Softmin extends AxisActivation {
  static className = `${LAYER_PREFIX}Softmin`;
  constructor(args: BaseLayerArgs & { axis?: number } = {}) {
    super(args, 'Softmin layer', 'softmin');
  }
  protected fn(x: tfc.Tensor, axis: number): tfc.Tensor {
    return softmin(x, axis);
  }
}

/** softmin with its explicit gradient dx = −y ⊙ (dy − Σ dy ⊙ y). */
export function softmin(x: tfc.Tensor | tfc.TensorLike, axis = -1): tfc.Tensor {
  return alongAxis('softmin', x, axis, (t, ax) => {
    const f = withGradient((xIn: tfc.Tensor, save: tfc.GradSaveFunc) => {
      const y = alongLast(xIn, ax, (u) => tfc.softmax(tfc.neg(u)));
      save([y]);
      return {
        value: y,
        gradFunc: (dy: tfc.Tensor, [sy]: tfc.Tensor[]) =>
          tfc.neg(tfc.mul(sy, tfc.sub(dy, tfc.sum(tfc.mul(dy, sy), ax, true)))),
      };
    });
    return f(t);
  });
}
