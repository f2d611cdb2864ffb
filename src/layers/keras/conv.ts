/**
 * GroupedConv1D / GroupedConv2D: Keras's Conv1D/Conv2D where tfjs's layers cannot follow, that is
 * with `groups > 1` (ResNeXt, Xie et al., 2017) and Conv1D's `padding='causal'` (WaveNet, van den
 * Oord et al., 2016; tfjs 4.22 throws on it). The channels split into `groups` slices, each
 * convolved with its own slice of the kernel (Keras's layout: [...kernel_size, in_channels / groups,
 * filters], filters grouped in order), then concatenated. Causal padding is Keras's: dilation ·
 * (kernel − 1) zeros before the sequence, then a valid convolution. channels_first runs as
 * channels_last between two transposes. No activation: the import puts one after it.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { formatValue } from '../../params';
import { claimWeight, LAYER_PREFIX, oneShape, oneTensor, registerPluginClass, splitArgs, uniqueLayerName, type BaseLayerArgs } from '../common';
import { checkInteger } from '../structured/shared';

type Padding = 'valid' | 'same' | 'causal';
type DataFormat = 'channelsLast' | 'channelsFirst';

export interface GroupedConvArgs extends BaseLayerArgs {
  filters: number;
  kernelSize: number | number[];
  /** Default 1. */
  groups?: number;
  strides?: number | number[];
  /** 'causal' for the 1-D layer only. */
  padding?: Padding;
  dataFormat?: DataFormat;
  dilationRate?: number | number[];
  useBias?: boolean;
}
/** The 2-D layer's arguments (its name before the 1-D layer existed). */
export type GroupedConv2DArgs = GroupedConvArgs;

const tuple = (v: number | number[] | undefined, rank: number, fallback: number): number[] => {
  const a = ([] as number[]).concat(v ?? fallback);
  return a.length === rank ? a : Array<number>(rank).fill(a[0]);
};
/** tfjs camelCases string values when it loads a model.json ('channels_last' comes back 'channelsLast'). */
const camel = (s: unknown) => String(s).replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

abstract class GroupedConv extends tfl.layers.Layer {
  readonly filters: number;
  readonly kernelSize: number[];
  readonly groups: number;
  readonly strides: number[];
  readonly padding: Padding;
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly useBias: boolean;
  private kernel?: tfl.LayerVariable;
  private bias?: tfl.LayerVariable;

  constructor(args: GroupedConvArgs, readonly rank: 1 | 2, private readonly owner: string) {
    const { base, rest } = splitArgs(owner, args, ['filters', 'kernelSize', 'groups', 'strides', 'padding', 'dataFormat', 'dilationRate', 'useBias']);
    super({ ...base, name: (base.name as string) ?? uniqueLayerName(`grouped_conv${rank}d`) });
    this.filters = checkInteger(owner, 'filters', rest.filters, 1);
    this.groups = rest.groups === undefined ? 1 : checkInteger(owner, 'groups', rest.groups, 1);
    this.kernelSize = tuple(rest.kernelSize as number[], rank, 1).map((k) => checkInteger(owner, 'kernelSize', k, 1));
    this.strides = tuple(rest.strides as number[], rank, 1).map((k) => checkInteger(owner, 'strides', k, 1));
    this.dilationRate = tuple(rest.dilationRate as number[], rank, 1).map((k) => checkInteger(owner, 'dilationRate', k, 1));
    this.padding = (rest.padding as Padding | undefined) ?? 'valid';
    this.dataFormat = camel(rest.dataFormat ?? 'channelsLast') as DataFormat;
    this.useBias = rest.useBias === undefined ? true : Boolean(rest.useBias);
    const paddings: Padding[] = rank === 1 ? ['valid', 'same', 'causal'] : ['valid', 'same'];
    if (!paddings.includes(this.padding)) throw new Error(`${owner}: \`padding\` must be one of ${paddings.map((p) => `'${p}'`).join(', ')}. Received: padding=${formatValue(this.padding)}`);
    if (this.dataFormat !== 'channelsLast' && this.dataFormat !== 'channelsFirst') {
      throw new Error(`${owner}: \`dataFormat\` must be 'channelsLast' or 'channelsFirst'. Received: dataFormat=${formatValue(rest.dataFormat)}`);
    }
    if (this.filters % this.groups !== 0) throw new Error(`${owner}: \`filters\` must be a multiple of \`groups\`. Received: filters=${this.filters}, groups=${this.groups}`);
  }

  private channelsOf(shape: Array<number | null>): number | null {
    return shape[this.dataFormat === 'channelsLast' ? shape.length - 1 : 1];
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = oneShape(this.owner, inputShape as never);
    if (shape.length !== this.rank + 2) throw new Error(`${this.owner}: expects inputs of rank ${this.rank + 2}. Received shape [${shape}]`);
    const channels = this.channelsOf(shape);
    if (channels === null || channels % this.groups !== 0) {
      throw new Error(`${this.owner}: the input channels (${channels}) must be a known multiple of \`groups\`. Received: groups=${this.groups}`);
    }
    const kernelShape = [...this.kernelSize, channels / this.groups, this.filters];
    claimWeight(this.name, 'kernel', kernelShape);
    this.kernel = this.addWeight('kernel', kernelShape, 'float32', tfl.initializers.glorotUniform({}));
    if (this.useBias) claimWeight(this.name, 'bias', [this.filters]);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.tidy(() => {
      let x = oneTensor(this.owner, inputs);
      const last = this.rank + 1;
      const toLast = [0, ...Array.from({ length: this.rank }, (_, i) => i + 2), 1];
      const toFirst = [0, last, ...Array.from({ length: this.rank }, (_, i) => i + 1)];
      if (this.dataFormat === 'channelsFirst') x = tfc.transpose(x, toLast);
      let padding: 'valid' | 'same' = this.padding === 'same' ? 'same' : 'valid';
      if (this.padding === 'causal') {
        x = tfc.pad(x, [[0, 0], [this.dilationRate[0] * (this.kernelSize[0] - 1), 0], [0, 0]]);
        padding = 'valid';
      }
      const xs = this.groups === 1 ? [x] : tfc.split(x, this.groups, last);
      const kernel = this.kernel!.read();
      const ks = this.groups === 1 ? [kernel] : tfc.split(kernel, this.groups, last);
      const conv = (xi: tfc.Tensor, k: tfc.Tensor) => (this.rank === 1
        ? tfc.conv1d(xi as tfc.Tensor3D, k as tfc.Tensor3D, this.strides[0], padding, 'NWC', this.dilationRate[0])
        : tfc.conv2d(xi as tfc.Tensor4D, k as tfc.Tensor4D, this.strides as [number, number], padding, 'NHWC', this.dilationRate as [number, number]));
      let y: tfc.Tensor = xs.length === 1 ? conv(xs[0], ks[0]) : tfc.concat(xs.map((xi, g) => conv(xi, ks[g])), last);
      if (this.bias) y = tfc.add(y, this.bias.read());
      return this.dataFormat === 'channelsFirst' ? tfc.transpose(y, toFirst) : y;
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = oneShape(this.owner, inputShape as never);
    const spatial = this.dataFormat === 'channelsLast' ? shape.slice(1, -1) : shape.slice(2);
    const out = spatial.map((d, i) => {
      if (d === null) return null;
      const span = (this.kernelSize[i] - 1) * this.dilationRate[i] + 1;
      return this.padding === 'valid' ? Math.ceil((d - span + 1) / this.strides[i]) : Math.ceil(d / this.strides[i]);
    });
    return this.dataFormat === 'channelsLast' ? [shape[0], ...out, this.filters] : [shape[0], this.filters, ...out];
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return {
      filters: this.filters, kernelSize: this.kernelSize, groups: this.groups, strides: this.strides, padding: this.padding,
      dataFormat: this.dataFormat, dilationRate: this.dilationRate, useBias: this.useBias, ...super.getConfig(),
    };
  }
}

export class GroupedConv1D extends GroupedConv {
  static className = `${LAYER_PREFIX}GroupedConv1D`;
  constructor(args: GroupedConvArgs) {
    super(args, 1, 'GroupedConv1D layer');
  }
}

export class GroupedConv2D extends GroupedConv {
  static className = `${LAYER_PREFIX}GroupedConv2D`;
  constructor(args: GroupedConvArgs) {
    super(args, 2, 'GroupedConv2D layer');
  }
}

export function registerConvLayers(): void {
  registerPluginClass(GroupedConv1D as never);
  registerPluginClass(GroupedConv2D as never);
}
