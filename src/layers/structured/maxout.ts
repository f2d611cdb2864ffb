/** Maxout (Goodfellow et al., 2013), with its explicit gradient. */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ownValue } from '../../own';
import { formatValue } from '../../params';
import { claimWeight, LAYER_PREFIX, oneShape, oneTensor, resolveAxis, splitArgs, uniqueLayerName, type BaseLayerArgs } from '../common';
import { alongLast, checkInteger, withGradient } from './shared';

import type * as tflTypes from '@tensorflow/tfjs-layers';

/** tfjs-layers' Initializer, from its public initializer factories (no deep import). */
type Initializer = ReturnType<typeof tflTypes.initializers.zeros>;

const INITIALIZERS: Record<string, () => Initializer> = {
  glorotUniform: () => tfl.initializers.glorotUniform({}),
  glorotNormal: () => tfl.initializers.glorotNormal({}),
  heNormal: () => tfl.initializers.heNormal({}),
  heUniform: () => tfl.initializers.heUniform({}),
  lecunNormal: () => tfl.initializers.leCunNormal({}),
  zeros: () => tfl.initializers.zeros(),
  ones: () => tfl.initializers.ones(),
};

function initializer(owner: string, key: string, name: string): Initializer {
  const make = ownValue(INITIALIZERS, name);
  if (!make) {
    throw new Error(`${owner}: \`${key}\` must be one of ${Object.keys(INITIALIZERS).join(', ')}. Received: ${key}=${formatValue(name)}`);
  }
  return make();
}

/**
 * max over the last axis of groups: z [..., groups * k] -> [..., groups]; gradient routed to the
 * (first) maximum of each group.
 */
export function maxOverGroups(z: tfc.Tensor, groups: number): tfc.Tensor {
  const k = z.shape[z.rank - 1] / groups;
  const grouped = [...z.shape.slice(0, -1), groups, k];
  const f = withGradient((zIn: tfc.Tensor, save: tfc.GradSaveFunc) => {
    const r = tfc.reshape(zIn, grouped);
    const arg = tfc.argMax(r, -1);
    save([arg]);
    return {
      value: tfc.max(r, -1),
      gradFunc: (dy: tfc.Tensor, saved: tfc.Tensor[]) => {
        // int32 then cast: tfjs-backend-wasm 4.22 writes int bits into a float32 oneHot.
        const oneHot = tfc.cast(tfc.oneHot(saved[0], k), 'float32');
        return tfc.reshape(tfc.mul(oneHot, tfc.expandDims(dy, -1)), zIn.shape);
      },
    };
  });
  return f(z);
}

export interface MaxoutArgs extends BaseLayerArgs {
  /** Number of outputs. */
  units: number;
  /** Affine pieces per output (dense form). Omit for the weight-free form over channel groups. */
  pieces?: number | null;
  /** Channel axis of the weight-free form (default -1). */
  axis?: number;
  useBias?: boolean;
  kernelInitializer?: string;
  biasInitializer?: string;
}

/**
 * Maxout. Dense form (`pieces` given): units outputs, each the max of `pieces` affine functions of
 * the input's last axis. Weight-free form (no `pieces`): splits `axis` into `units` contiguous groups
 * and keeps the max of each (TensorFlow Addons' Maxout); the axis size must divide by units.
 */
export class Maxout extends tfl.layers.Layer {
  static className = `${LAYER_PREFIX}Maxout`;
  readonly units: number;
  readonly pieces: number | null;
  readonly axis: number;
  readonly useBias: boolean;
  readonly kernelInitializer: string;
  readonly biasInitializer: string;
  private kernel?: tfl.LayerVariable;
  private bias?: tfl.LayerVariable;

  constructor(args: MaxoutArgs) {
    const owner = 'Maxout layer';
    const { base, rest } = splitArgs(owner, args, ['units', 'pieces', 'axis', 'useBias', 'kernelInitializer', 'biasInitializer']);
    super({ ...base, name: (base.name as string) ?? uniqueLayerName('maxout') });
    this.units = checkInteger(owner, 'units', rest.units, 1);
    this.pieces = rest.pieces == null ? null : checkInteger(owner, 'pieces', rest.pieces, 1);
    this.axis = rest.axis === undefined ? -1 : checkInteger(owner, 'axis', rest.axis, -Infinity);
    this.useBias = rest.useBias === undefined ? true : Boolean(rest.useBias);
    this.kernelInitializer = (rest.kernelInitializer as string) ?? 'glorotUniform';
    this.biasInitializer = (rest.biasInitializer as string) ?? 'zeros';
    if (this.pieces !== null && rest.axis !== undefined && rest.axis !== -1) {
      throw new Error(`${owner}: the dense form (with \`pieces\`) works on the last axis. Received: axis=${formatValue(rest.axis)}`);
    }
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const owner = 'Maxout layer';
    const shape = oneShape(owner, inputShape as never);
    if (this.pieces !== null) {
      const inDim = shape[shape.length - 1];
      if (inDim === null) throw new Error(`${owner}: the last input axis must have a known size. Received input shape [${shape}]`);
      claimWeight(this.name, 'kernel', [inDim, this.units * this.pieces]);
      if (this.useBias) claimWeight(this.name, 'bias', [this.units * this.pieces]);
      this.kernel = this.addWeight('kernel', [inDim, this.units * this.pieces], 'float32', initializer(owner, 'kernelInitializer', this.kernelInitializer));
      if (this.useBias) this.bias = this.addWeight('bias', [this.units * this.pieces], 'float32', initializer(owner, 'biasInitializer', this.biasInitializer));
    } else {
      const axis = resolveAxis(owner, this.axis, shape.length);
      const size = shape[axis];
      if (size !== null && size % this.units !== 0) {
        throw new Error(`${owner}: the size of axis ${this.axis} (${size}) must be divisible by \`units\`. Received: units=${this.units}`);
      }
    }
    this.built = true;
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.tidy(() => {
      const x = oneTensor('Maxout layer', inputs);
      if (this.pieces !== null) {
        let z = tfc.matMul(tfc.reshape(x, [-1, x.shape[x.rank - 1]]), this.kernel!.read());
        if (this.bias) z = tfc.add(z, this.bias.read());
        const y = maxOverGroups(z, this.units);
        return tfc.reshape(y, [...x.shape.slice(0, -1), this.units]);
      }
      const axis = resolveAxis('Maxout layer', this.axis, x.rank);
      return alongLast(x, axis, (t) => maxOverGroups(t, this.units));
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = [...oneShape('Maxout layer', inputShape as never)];
    const axis = this.pieces !== null ? shape.length - 1 : resolveAxis('Maxout layer', this.axis, shape.length);
    shape[axis] = this.units;
    return shape;
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return {
      units: this.units, pieces: this.pieces, axis: this.axis, useBias: this.useBias,
      kernelInitializer: this.kernelInitializer, biasInitializer: this.biasInitializer, ...super.getConfig(),
    };
  }
}
