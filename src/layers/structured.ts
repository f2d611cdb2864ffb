/**
 * Activations that are not element-wise, as layers, each with an explicit gradient (tf.customGrad
 * with the hand-derived backward pass; the forward composition is never differentiated):
 *   Maxout (Goodfellow et al., 2013), GLU (Dauphin et al., 2017), Softmin, Sparsemax (Martins &
 *   Astudillo, 2016), RReLU (Xu et al., 2015).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { formatValue } from '../params';
import { ops } from '../ops';
import { get } from '../registry';
import { derivative } from '../engine/op';
import { LAYER_PREFIX, oneShape, oneTensor, registerPluginClass, resolveAxis, splitArgs, uniqueLayerName, type BaseLayerArgs } from './common';

import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers';

type Shape = Array<number | null>;

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
function alongLast<T extends tfc.Tensor>(x: T, axis: number, f: (t: tfc.Tensor) => tfc.Tensor): tfc.Tensor {
  const perm = permutationFor(x.rank, axis);
  if (!perm) return f(x);
  return tfc.transpose(f(tfc.transpose(x, perm)), inversePermutation(perm));
}

type GradientBody = (x: tfc.Tensor, save: tfc.GradSaveFunc) => {
  value: tfc.Tensor;
  gradFunc: (dy: tfc.Tensor, saved: tfc.Tensor[]) => tfc.Tensor;
};

/** tf.customGrad for a one-input function (its typing is variadic). */
function withGradient(body: GradientBody): (x: tfc.Tensor) => tfc.Tensor {
  return tfc.customGrad(body as unknown as Parameters<typeof tfc.customGrad>[0]) as unknown as (x: tfc.Tensor) => tfc.Tensor;
}

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
  const make = INITIALIZERS[name];
  if (!make) {
    throw new Error(`${owner}: \`${key}\` must be one of ${Object.keys(INITIALIZERS).join(', ')}. Received: ${key}=${formatValue(name)}`);
  }
  return make();
}

function checkInteger(owner: string, key: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new Error(`${owner}: \`${key}\` must be an integer >= ${min}. Received: ${key}=${formatValue(value)}`);
  }
  return value;
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

/** Base for the axis-wise activations (GLU, Softmin, Sparsemax). */
abstract class AxisActivation extends tfl.layers.Layer {
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
export function glu(x: tfc.Tensor, axis = -1): tfc.Tensor {
  const ax = axis < 0 ? axis + x.rank : axis;
  const f = withGradient((xIn: tfc.Tensor, save: tfc.GradSaveFunc) => {
    const [a, b] = tfc.split(xIn, 2, ax);
    save([a, b]);
    return {
      value: tfc.mul(a, ops.sigmoid(b)),
      gradFunc: (dy: tfc.Tensor, [sa, sb]: tfc.Tensor[]) =>
        tfc.concat([tfc.mul(dy, ops.sigmoid(sb)), tfc.mul(tfc.mul(dy, sa), derivative(get('sigmoid'), sb))], ax),
    };
  });
  return f(x);
}

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
export function softmin(x: tfc.Tensor, axis = -1): tfc.Tensor {
  const ax = axis < 0 ? axis + x.rank : axis;
  const f = withGradient((xIn: tfc.Tensor, save: tfc.GradSaveFunc) => {
    const y = alongLast(xIn, ax, (t) => tfc.softmax(tfc.neg(t)));
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tfc.Tensor, [sy]: tfc.Tensor[]) =>
        tfc.neg(tfc.mul(sy, tfc.sub(dy, tfc.sum(tfc.mul(dy, sy), ax, true)))),
    };
  });
  return f(x);
}

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

export interface RReLUArgs extends BaseLayerArgs {
  lower?: number;
  upper?: number;
  seed?: number | null;
}

/**
 * Randomized leaky ReLU (Xu et al., 2015): while training, each negative input gets a slope drawn
 * from U(lower, upper) (seeded, a new draw every call); at inference the mean slope (lower+upper)/2.
 */
export class RReLU extends tfl.layers.Layer {
  static className = `${LAYER_PREFIX}RReLU`;
  readonly lower: number;
  readonly upper: number;
  readonly seed: number | null;
  private calls = 0;

  constructor(args: RReLUArgs = {}) {
    const owner = 'RReLU layer';
    const { base, rest } = splitArgs(owner, args, ['lower', 'upper', 'seed']);
    super({ ...base, name: (base.name as string) ?? uniqueLayerName('rrelu') });
    this.supportsMasking = true;
    this.lower = rest.lower === undefined ? 1 / 8 : (rest.lower as number);
    this.upper = rest.upper === undefined ? 1 / 3 : (rest.upper as number);
    this.seed = rest.seed == null ? null : checkInteger(owner, 'seed', rest.seed, 0);
    for (const [k, v] of [['lower', this.lower], ['upper', this.upper]] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new Error(`${owner}: \`${k}\` must be a finite number >= 0. Received: ${k}=${formatValue(v)}`);
      }
    }
    if (!(this.lower <= this.upper)) {
      throw new Error(`${owner}: \`lower\` must not exceed \`upper\`. Received: lower=${this.lower}, upper=${this.upper}`);
    }
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[], kwargs: Record<string, unknown> = {}): tfc.Tensor {
    const x = oneTensor('RReLU layer', inputs);
    const training = kwargs.training === true;
    // A new draw for every training call, reproducible from the seed.
    const seed = this.seed === null || !training ? undefined : this.seed + this.calls++;
    // No tf.tidy here: it would dispose the slope that the custom gradient still needs.
    const slope = training
      ? tfc.randomUniform(x.shape, this.lower, this.upper, 'float32', seed)
      : tfc.fill(x.shape, (this.lower + this.upper) / 2);
    return rrelu(x, slope);
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return inputShape;
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { lower: this.lower, upper: this.upper, seed: this.seed, ...super.getConfig() };
  }
}

/** x for x ≥ 0, slope·x otherwise, with gradient dy·(x ≥ 0 ? 1 : slope) (the slope is not learned). */
export function rrelu(x: tfc.Tensor, slope: tfc.Tensor): tfc.Tensor {
  const f = tfc.customGrad(((xIn: tfc.Tensor, slopeIn: tfc.Tensor, save: tfc.GradSaveFunc) => {
    const positive = tfc.greaterEqual(xIn, 0);
    save([positive, slopeIn]);
    return {
      value: tfc.where(positive, xIn, tfc.mul(slopeIn, xIn)),
      gradFunc: (dy: tfc.Tensor, [pos, s]: tfc.Tensor[]) => [
        tfc.mul(dy, tfc.where(pos, tfc.onesLike(s), s)),
        tfc.zerosLike(s),  // the slope is sampled, not learned
      ],
    };
  }) as unknown as Parameters<typeof tfc.customGrad>[0]) as unknown as (a: tfc.Tensor, b: tfc.Tensor) => tfc.Tensor;
  return f(x, slope);
}


export const STRUCTURED_LAYER_CLASSES = [Maxout, GLU, Softmin, Sparsemax, RReLU] as const;

export function registerStructuredLayers(): void {
  for (const cls of STRUCTURED_LAYER_CLASSES) registerPluginClass(cls as never);
}
