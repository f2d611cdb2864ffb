/**
 * GroupedConv2D: Keras's Conv2D with `groups > 1` (ResNeXt, Xie et al., 2017), which tfjs's Conv2D
 * lacks. The channels split into `groups` slices, each convolved with its own slice of the kernel
 * (Keras's layout: [kh, kw, in_channels / groups, filters], filters grouped in order), then
 * concatenated. No activation: the import puts one after it when Keras has one.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { formatValue } from '../../params';
import { claimWeight, LAYER_PREFIX, oneShape, oneTensor, registerPluginClass, splitArgs, uniqueLayerName, type BaseLayerArgs } from '../common';
import { checkInteger } from '../structured/shared';

export interface GroupedConv2DArgs extends BaseLayerArgs {
  filters: number;
  kernelSize: number | [number, number];
  groups: number;
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
  dilationRate?: number | [number, number];
  useBias?: boolean;
}

const OWNER = 'GroupedConv2D layer';
const pair = (v: number | number[] | undefined, fallback: number): [number, number] => {
  const a = ([] as number[]).concat(v ?? fallback);
  return [a[0], a[a.length - 1]];
};

export class GroupedConv2D extends tfl.layers.Layer {
  static className = `${LAYER_PREFIX}GroupedConv2D`;
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly groups: number;
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly dilationRate: [number, number];
  readonly useBias: boolean;
  private kernel?: tfl.LayerVariable;
  private bias?: tfl.LayerVariable;

  constructor(args: GroupedConv2DArgs) {
    const { base, rest } = splitArgs(OWNER, args, ['filters', 'kernelSize', 'groups', 'strides', 'padding', 'dilationRate', 'useBias']);
    super({ ...base, name: (base.name as string) ?? uniqueLayerName('grouped_conv2d') });
    this.filters = checkInteger(OWNER, 'filters', rest.filters, 1);
    this.groups = checkInteger(OWNER, 'groups', rest.groups, 1);
    this.kernelSize = pair(rest.kernelSize as number[], 1);
    this.strides = pair(rest.strides as number[], 1);
    this.dilationRate = pair(rest.dilationRate as number[], 1);
    this.padding = (rest.padding as 'valid' | 'same' | undefined) ?? 'valid';
    this.useBias = rest.useBias === undefined ? true : Boolean(rest.useBias);
    if (this.padding !== 'valid' && this.padding !== 'same') throw new Error(`${OWNER}: \`padding\` must be 'valid' or 'same'. Received: padding=${formatValue(this.padding)}`);
    if (this.filters % this.groups !== 0) throw new Error(`${OWNER}: \`filters\` must be a multiple of \`groups\`. Received: filters=${this.filters}, groups=${this.groups}`);
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = oneShape(OWNER, inputShape as never);
    const channels = shape[shape.length - 1];
    if (channels === null || channels % this.groups !== 0) {
      throw new Error(`${OWNER}: the input channels (${channels}) must be a known multiple of \`groups\`. Received: groups=${this.groups}`);
    }
    claimWeight(this.name, 'kernel', [...this.kernelSize, channels / this.groups, this.filters]);
    this.kernel = this.addWeight('kernel', [...this.kernelSize, channels / this.groups, this.filters], 'float32', tfl.initializers.glorotUniform({}));
    if (this.useBias) claimWeight(this.name, 'bias', [this.filters]);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.tidy(() => {
      const x = oneTensor(OWNER, inputs) as tfc.Tensor4D;
      const xs = tfc.split(x, this.groups, 3);
      const ks = tfc.split(this.kernel!.read() as tfc.Tensor4D, this.groups, 3);
      let y: tfc.Tensor = tfc.concat(xs.map((xi, g) => tfc.conv2d(xi as tfc.Tensor4D, ks[g] as tfc.Tensor4D, this.strides, this.padding, 'NHWC', this.dilationRate)), 3);
      if (this.bias) y = tfc.add(y, this.bias.read());
      return y;
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [b, h, w] = oneShape(OWNER, inputShape as never);
    const size = (d: number | null, i: 0 | 1) => {
      if (d === null) return null;
      const span = (this.kernelSize[i] - 1) * this.dilationRate[i] + 1;
      return this.padding === 'same' ? Math.ceil(d / this.strides[i]) : Math.ceil((d - span + 1) / this.strides[i]);
    };
    return [b, size(h, 0), size(w, 1), this.filters];
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return {
      filters: this.filters, kernelSize: this.kernelSize, groups: this.groups, strides: this.strides, padding: this.padding,
      dilationRate: this.dilationRate, useBias: this.useBias, ...super.getConfig(),
    };
  }
}

export function registerConvLayers(): void {
  registerPluginClass(GroupedConv2D as never);
}
