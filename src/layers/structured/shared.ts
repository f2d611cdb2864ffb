/** What the structured layers share: axis moves, tf.customGrad typing, argument checks, the axis-wise base. */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { toFloatTensor } from '../../engine/op';
import { formatValue } from '../../params';
import { oneShape, oneTensor, resolveAxis, splitArgs, uniqueLayerName, type BaseLayerArgs } from '../common';

export type Shape = Array<number | null>;

/** Moves `axis` last (and back): tfjs's topk and our reductions work on the last axis. */
function permutationFor(rank: number, axis: number): number[] | null {
  if (axis === rank - 1) return null;
  const perm = [...Array(rank).keys()].filter((a) => a !== axis);
  perm.push(axis);
  return perm;
}
function inversePermutation(perm: number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}
export function alongLast<T extends tfc.Tensor>(x: T, axis: number, f: (t: tfc.Tensor) => tfc.Tensor): tfc.Tensor {
  const perm = permutationFor(x.rank, axis);
  if (!perm) return f(x);
  return tfc.transpose(f(tfc.transpose(x, perm)), inversePermutation(perm));
}

type GradientBody = (x: tfc.Tensor, save: tfc.GradSaveFunc) => {
  value: tfc.Tensor;
  gradFunc: (dy: tfc.Tensor, saved: tfc.Tensor[]) => tfc.Tensor;
};

/** tf.customGrad for a one-input function (its typing is variadic). */
export function withGradient(body: GradientBody): (x: tfc.Tensor) => tfc.Tensor {
  return tfc.customGrad(body as unknown as Parameters<typeof tfc.customGrad>[0]) as unknown as (x: tfc.Tensor) => tfc.Tensor;
}

export function checkInteger(owner: string, key: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new Error(`${owner}: \`${key}\` must be an integer >= ${min}. Received: ${key}=${formatValue(value)}`);
  }
  return value;
}

/** Base for the axis-wise activations (GLU, Softmin, Sparsemax). */
export abstract class AxisActivation extends tfl.layers.Layer {
  readonly axis: number;
  /** How errors name this layer, e.g. 'GLU layer'. */
  protected readonly owner: string;

  constructor(args: BaseLayerArgs & { axis?: number } = {}, owner: string, stem: string) {
    const { base, rest } = splitArgs(owner, args, ['axis']);
    super({ ...base, name: (base.name as string) ?? uniqueLayerName(stem) });
    this.owner = owner;
    this.axis = rest.axis === undefined ? -1 : checkInteger(owner, 'axis', rest.axis, -Infinity);
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = oneShape(this.owner, inputShape as never);
    resolveAxis(this.owner, this.axis, shape.length);
    this.checkShape(shape);
    this.built = true;
  }

  protected checkShape(_shape: Shape): void {}

  /** The activation along a (non-negative) axis. */
  protected abstract fn(x: tfc.Tensor, axis: number): tfc.Tensor;

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    const x = oneTensor(this.owner, inputs);
    return this.fn(x, resolveAxis(this.owner, this.axis, x.rank));
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return oneShape(this.owner, inputShape as never);
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { axis: this.axis, ...super.getConfig() };
  }
}

/** A non-negative axis of a tensor of `rank`, or an error in Keras's style naming `owner`. */
function checkAxis(owner: string, axis: unknown, rank: number): number {
  if (rank === 0) throw new Error(`${owner}: needs an input of rank >= 1 (it works along an axis). Received: a scalar`);
  return resolveAxis(owner, axis as number, rank);
}

/**
 * The exported functions' checks (x a float32 Tensor or TensorLike, axis an integer within its
 * rank), made before any tensor when x is a Tensor. The body runs in tf.tidy, so a converted
 * TensorLike, and anything made before an error, is not left behind.
 */
export function alongAxis(owner: string, x: unknown, axis: unknown, body: (x: tfc.Tensor, axis: number) => tfc.Tensor): tfc.Tensor {
  if (x instanceof tfc.Tensor) checkAxis(owner, axis, toFloatTensor(x, 'x', owner).rank);
  return tfc.tidy(() => {
    const t = toFloatTensor(x, 'x', owner);
    return body(t, checkAxis(owner, axis, t.rank));
  });
}
