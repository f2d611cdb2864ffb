/**
 * Keras 3 normalization and scaling layers that tfjs lacks, with Keras's formulas and weights:
 *   Normalization  (x − mean) / max(√variance, 1e-7), or its inverse; mean and variance are
 *                  constants from the config or weights [mean, variance, count] (from adapt()).
 *   GroupNormalization  per-sample moments over channel groups (Wu & He, 2018), then gamma, beta.
 *   RMSNormalization    x / √(mean(x²) + ε) · scale.
 *   LayerScale          x · gamma (ConvNeXt; Touvron et al., 2021).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { formatValue } from '../../params';
import { claimWeight, LAYER_PREFIX, oneShape, oneTensor, registerPluginClass, resolveAxis, splitArgs, uniqueLayerName, type BaseLayerArgs } from '../common';
import { checkInteger } from '../structured/shared';

type Shape = Array<number | null>;

function axesOf(owner: string, axis: number | number[], rank: number): number[] {
  return ([] as number[]).concat(axis).map((a) => resolveAxis(owner, a, rank)).sort((a, b) => a - b);
}

/** [1, ..., d_k, ..., 1]: the input's size on kept axes, 1 elsewhere. */
function broadcastShape(owner: string, shape: Shape, axes: number[]): number[] {
  return shape.map((d, i) => {
    if (!axes.includes(i)) return 1;
    if (d === null) throw new Error(`${owner}: axis ${i} must have a known size. Received input shape [${shape}]`);
    return d;
  });
}

function finite(owner: string, key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${owner}: \`${key}\` must be a finite number. Received: ${key}=${formatValue(v)}`);
  return v;
}

export interface NormalizationArgs extends BaseLayerArgs {
  /** Axes that keep their own mean and variance (default -1). */
  axis?: number | number[];
  /** Constant statistics; without them the layer has weights mean, variance and count. */
  mean?: number | number[] | null;
  variance?: number | number[] | null;
  /** x · √variance + mean instead. */
  invert?: boolean;
}

const NORM = 'Normalization layer';

export class Normalization extends tfl.layers.Layer {
  static className = `${LAYER_PREFIX}Normalization`;
  readonly axis: number[];
  readonly mean: number | number[] | null;
  readonly variance: number | number[] | null;
  readonly invert: boolean;
  private meanWeight?: tfl.LayerVariable;
  private varianceWeight?: tfl.LayerVariable;
  private broadcast: number[] = [];

  constructor(args: NormalizationArgs = {}) {
    const { base, rest } = splitArgs(NORM, args, ['axis', 'mean', 'variance', 'invert']);
    super({ ...base, name: (base.name as string) ?? uniqueLayerName('normalization') });
    this.axis = ([] as number[]).concat((rest.axis as number | number[] | undefined) ?? -1);
    this.mean = (rest.mean as number | number[] | null | undefined) ?? null;
    this.variance = (rest.variance as number | number[] | null | undefined) ?? null;
    this.invert = Boolean(rest.invert);
    if ((this.mean === null) !== (this.variance === null)) {
      throw new Error(`${NORM}: give both \`mean\` and \`variance\`, or neither. Received: mean=${formatValue(this.mean)}, variance=${formatValue(this.variance)}`);
    }
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = oneShape(NORM, inputShape as never);
    const axes = axesOf(NORM, this.axis, shape.length);
    this.broadcast = broadcastShape(NORM, shape, axes);
    if (this.mean === null) {
      const kept = axes.map((a) => this.broadcast[a]);
      claimWeight(this.name, 'mean', kept);
      this.meanWeight = this.addWeight('mean', kept, 'float32', tfl.initializers.zeros(), undefined, false);
      claimWeight(this.name, 'variance', kept);
      this.varianceWeight = this.addWeight('variance', kept, 'float32', tfl.initializers.ones(), undefined, false);
      // Keras keeps the adapt() sample count as a third variable; it is not used to compute.
      claimWeight(this.name, 'count', []);
      this.addWeight('count', [], 'float32', tfl.initializers.zeros(), undefined, false);
    }
    this.built = true;
  }

  private stat(value: number | number[] | null, weight: tfl.LayerVariable | undefined): tfc.Tensor {
    if (weight) return tfc.reshape(weight.read(), this.broadcast);
    const v = tfc.tensor(value as number | number[], undefined, 'float32');
    return v.size === 1 ? tfc.reshape(v, []) : tfc.reshape(v, this.broadcast);
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.tidy(() => {
      const x = tfc.cast(oneTensor(NORM, inputs), 'float32');
      const mean = this.stat(this.mean, this.meanWeight);
      const std = tfc.maximum(tfc.sqrt(this.stat(this.variance, this.varianceWeight)), 1e-7);
      return this.invert ? tfc.add(mean, tfc.mul(x, std)) : tfc.div(tfc.sub(x, mean), std);
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return oneShape(NORM, inputShape as never);
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { axis: this.axis, mean: this.mean, variance: this.variance, invert: this.invert, ...super.getConfig() };
  }
}

export interface GroupNormalizationArgs extends BaseLayerArgs {
  groups?: number;
  axis?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
}

const GROUP = 'GroupNormalization layer';

export class GroupNormalization extends tfl.layers.Layer {
  static className = `${LAYER_PREFIX}GroupNormalization`;
  readonly groups: number;
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private gamma?: tfl.LayerVariable;
  private beta?: tfl.LayerVariable;

  constructor(args: GroupNormalizationArgs = {}) {
    const { base, rest } = splitArgs(GROUP, args, ['groups', 'axis', 'epsilon', 'center', 'scale']);
    super({ ...base, name: (base.name as string) ?? uniqueLayerName('group_normalization') });
    this.groups = checkInteger(GROUP, 'groups', rest.groups ?? 32, 1);
    this.axis = checkInteger(GROUP, 'axis', rest.axis ?? -1, -Infinity);
    this.epsilon = finite(GROUP, 'epsilon', rest.epsilon ?? 1e-3);
    this.center = rest.center === undefined ? true : Boolean(rest.center);
    this.scale = rest.scale === undefined ? true : Boolean(rest.scale);
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = oneShape(GROUP, inputShape as never);
    const channels = shape[resolveAxis(GROUP, this.axis, shape.length)];
    if (channels === null || channels % this.groups !== 0) {
      throw new Error(`${GROUP}: the channel axis (${channels}) must be a known multiple of \`groups\`. Received: groups=${this.groups}`);
    }
    if (this.scale) claimWeight(this.name, 'gamma', [channels]);
    if (this.scale) this.gamma = this.addWeight('gamma', [channels], 'float32', tfl.initializers.ones());
    if (this.center) claimWeight(this.name, 'beta', [channels]);
    if (this.center) this.beta = this.addWeight('beta', [channels], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.tidy(() => {
      const x = oneTensor(GROUP, inputs);
      const axis = resolveAxis(GROUP, this.axis, x.rank);
      const c = x.shape[axis];
      // [..., C, ...] -> [..., groups, C / groups, ...]; moments over all but batch and group.
      const grouped = [...x.shape.slice(0, axis), this.groups, c / this.groups, ...x.shape.slice(axis + 1)];
      const g = tfc.reshape(x, grouped);
      const reduce = grouped.map((_, i) => i).filter((i) => i !== 0 && i !== axis);
      const { mean, variance } = tfc.moments(g, reduce, true);
      const paramShape = grouped.map((d, i) => (i === axis || i === axis + 1 ? d : 1));
      let inv = tfc.rsqrt(tfc.add(variance, this.epsilon));
      if (this.gamma) inv = tfc.mul(inv, tfc.reshape(this.gamma.read(), paramShape));
      let shift = tfc.mul(tfc.neg(mean), inv);
      if (this.beta) shift = tfc.add(shift, tfc.reshape(this.beta.read(), paramShape));
      return tfc.reshape(tfc.add(tfc.mul(g, inv), shift), x.shape);
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return oneShape(GROUP, inputShape as never);
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { groups: this.groups, axis: this.axis, epsilon: this.epsilon, center: this.center, scale: this.scale, ...super.getConfig() };
  }
}

export interface RMSNormalizationArgs extends BaseLayerArgs {
  axis?: number | number[];
  epsilon?: number;
  /** Divide by the standard deviation (around the mean) instead of the root mean square: Keras's LayerNormalization(rms_scaling=True). */
  centered?: boolean;
}

const RMS = 'RMSNormalization layer';

export class RMSNormalization extends tfl.layers.Layer {
  static className = `${LAYER_PREFIX}RMSNormalization`;
  readonly axis: number[];
  readonly epsilon: number;
  readonly centered: boolean;
  private scale?: tfl.LayerVariable;

  constructor(args: RMSNormalizationArgs = {}) {
    const { base, rest } = splitArgs(RMS, args, ['axis', 'epsilon', 'centered']);
    super({ ...base, name: (base.name as string) ?? uniqueLayerName('rms_normalization') });
    this.axis = ([] as number[]).concat((rest.axis as number | number[] | undefined) ?? -1);
    this.epsilon = finite(RMS, 'epsilon', rest.epsilon ?? 1e-6);
    this.centered = Boolean(rest.centered);
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = oneShape(RMS, inputShape as never);
    const axes = axesOf(RMS, this.axis, shape.length);
    const dims = axes.map((a) => broadcastShape(RMS, shape, axes)[a]);
    claimWeight(this.name, 'scale', dims);
    this.scale = this.addWeight('scale', dims, 'float32', tfl.initializers.ones());
    this.built = true;
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.tidy(() => {
      const x = oneTensor(RMS, inputs);
      const axes = axesOf(RMS, this.axis, x.rank);
      const square = this.centered ? tfc.moments(x, axes, true).variance : tfc.mean(tfc.square(x), axes, true);
      const rrms = tfc.rsqrt(tfc.add(square, this.epsilon));
      return tfc.mul(tfc.mul(x, rrms), tfc.reshape(this.scale!.read(), broadcastShape(RMS, x.shape, axes)));
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return oneShape(RMS, inputShape as never);
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { axis: this.axis, epsilon: this.epsilon, ...(this.centered ? { centered: true } : {}), ...super.getConfig() };
  }
}

export interface LayerScaleArgs extends BaseLayerArgs {
  /** Size of the last axis (gamma's length). */
  projectionDim: number;
  /** Gamma's initial value. */
  initValues?: number;
}

const SCALE = 'LayerScale layer';

export class LayerScale extends tfl.layers.Layer {
  static className = `${LAYER_PREFIX}LayerScale`;
  readonly projectionDim: number;
  readonly initValues: number;
  private gamma?: tfl.LayerVariable;

  constructor(args: LayerScaleArgs) {
    const { base, rest } = splitArgs(SCALE, args, ['projectionDim', 'initValues']);
    super({ ...base, name: (base.name as string) ?? uniqueLayerName('layer_scale') });
    this.projectionDim = checkInteger(SCALE, 'projectionDim', rest.projectionDim, 1);
    this.initValues = finite(SCALE, 'initValues', rest.initValues ?? 1e-6);
  }

  override build(): void {
    claimWeight(this.name, 'gamma', [this.projectionDim]);
    this.gamma = this.addWeight('gamma', [this.projectionDim], 'float32', tfl.initializers.constant({ value: this.initValues }));
    this.built = true;
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.tidy(() => tfc.mul(oneTensor(SCALE, inputs), this.gamma!.read()));
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return oneShape(SCALE, inputShape as never);
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { projectionDim: this.projectionDim, initValues: this.initValues, ...super.getConfig() };
  }
}

export function registerNormalizationLayers(): void {
  for (const cls of [Normalization, GroupNormalization, RMSNormalization, LayerScale]) registerPluginClass(cls as never);
}
