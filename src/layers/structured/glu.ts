/** GLU (Dauphin et al., 2017), with its explicit gradient. */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ops } from '../../ops';
import { get } from '../../registry';
import { derivative } from '../../engine/op';
import { LAYER_PREFIX, oneShape, resolveAxis, type BaseLayerArgs } from '../common';
import { alongAxis, AxisActivation, withGradient, type Shape } from './shared';

/** GLU(x) = a ⊙ σ(b), with x split in halves a, b along `axis` (Dauphin et al., 2017). */
export class GLU extends AxisActivation {
  static className = `${LAYER_PREFIX}GLU`;
  constructor(args: BaseLayerArgs & { axis?: number } = {}) {
    super(args, 'GLU layer', 'glu');
  }
  protected override checkShape(shape: Shape): void {
    const size = shape[resolveAxis(this.owner, this.axis, shape.length)];
    if (size !== null && size % 2 !== 0) {
      throw new Error(`${this.owner}: the size of axis ${this.axis} must be even to split it in halves. Received: size ${size}`);
    }
  }
  protected fn(x: tfc.Tensor, axis: number): tfc.Tensor {
    return glu(x, axis);
  }
  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = [...oneShape(this.owner, inputShape as never)];
    const axis = resolveAxis(this.owner, this.axis, shape.length);
    if (shape[axis] !== null) shape[axis] = (shape[axis] as number) / 2;
    return shape;
  }
}

/** GLU as a function with its explicit gradient: d/da = σ(b), d/db = a σ'(b). */
export function glu(x: tfc.Tensor | tfc.TensorLike, axis = -1): tfc.Tensor {
  return alongAxis('glu', x, axis, (t, ax) => {
    if (t.shape[ax] % 2 !== 0) {
      throw new Error(`glu: the size of axis ${axis} must be even to split it in halves. Received: size ${t.shape[ax]}`);
    }
    const f = withGradient((xIn: tfc.Tensor, save: tfc.GradSaveFunc) => {
      const [a, b] = tfc.split(xIn, 2, ax);
      save([a, b]);
      return {
        value: tfc.mul(a, ops.sigmoid(b)),
        gradFunc: (dy: tfc.Tensor, [sa, sb]: tfc.Tensor[]) =>
          tfc.concat([tfc.mul(dy, ops.sigmoid(sb)), tfc.mul(tfc.mul(dy, sa), derivative(get('sigmoid'), sb))], ax),
      };
    });
    return f(t);
  });
}
