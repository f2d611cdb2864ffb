/**
 * GRU with Keras 3's default `reset_after=True` (Cho et al., 2014, in the cuDNN form), which tfjs
 * 4.22's GRUCell refuses. The reset gate multiplies the recurrent projection after its bias:
 *
 *   z = σ(x·Wz + bz + h·Uz + b'z),  r = σ(x·Wr + br + h·Ur + b'r)
 *   ĥ = act(x·Wh + bh + r ⊙ (h·Uh + b'h)),  h' = z ⊙ h + (1 − z) ⊙ ĥ
 *
 * Weights in Keras's layout: kernel [input, 3·units], recurrent_kernel [units, 3·units] (gates z, r,
 * h) and bias [2, 3·units] (input bias, then recurrent bias). tfjs's RNN runs the loop (masks,
 * go_backwards, return_sequences/state); dropout is inference's identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { classNameMap, LAYER_PREFIX, registerPluginClass, splitArgs, uniqueLayerName, type BaseLayerArgs } from '../common';
import { checkInteger } from '../structured/shared';

export interface GRUArgs extends BaseLayerArgs {
  units: number;
  /** Activation names as tfjs resolves them ('act.tanh', 'linear', ...). */
  activation?: string;
  recurrentActivation?: string;
  useBias?: boolean;
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  stateful?: boolean;
  unroll?: boolean;
  /** Training-time dropout (inference ignores it). */
  dropout?: number;
  recurrentDropout?: number;
  /** {className, config} initializers (the Keras import's trial build); zeros otherwise. */
  kernelInitializer?: unknown;
  recurrentInitializer?: unknown;
  biasInitializer?: unknown;
}

const OWNER = 'GRU layer';
const CELL_ARGS = ['units', 'activation', 'recurrentActivation', 'useBias', 'dropout', 'recurrentDropout',
  'kernelInitializer', 'recurrentInitializer', 'biasInitializer'] as const;
const RNN_ARGS = ['returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll'] as const;

/** An initializer from its serialized form, through tfjs's class map. */
function initializer(v: unknown): Parameters<tfl.layers.Layer["addWeight"]>[3] {
  if (v === null || v === undefined) return tfl.initializers.zeros();
  const o = v as { className?: string; class_name?: string; config?: tfc.serialization.ConfigDict };
  const entry = classNameMap()[o.className ?? o.class_name ?? ''] as
    [tfc.serialization.SerializableConstructor<tfc.serialization.Serializable>, tfc.serialization.FromConfigMethod<tfc.serialization.Serializable>] | undefined;
  if (!entry) throw new Error(`${OWNER}: unknown initializer. Received: ${JSON.stringify(v)}`);
  return entry[1](entry[0], o.config ?? {}) as Parameters<tfl.layers.Layer["addWeight"]>[3];
}

class ResetAfterGRUCell extends tfl.layers.Layer {
  static className = `${LAYER_PREFIX}ResetAfterGRUCell`;
  readonly units: number;
  readonly stateSize: number;
  readonly activation: string;
  readonly recurrentActivation: string;
  readonly useBias: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  private readonly inits: Record<string, unknown>;
  private readonly act: tfl.layers.Layer;
  private readonly recAct: tfl.layers.Layer;
  private kernel?: tfl.LayerVariable;
  private recurrentKernel?: tfl.LayerVariable;
  private bias?: tfl.LayerVariable;

  constructor(base: Record<string, unknown>, rest: Record<string, unknown>) {
    super(base);
    this.units = checkInteger(OWNER, 'units', rest.units, 1);
    this.stateSize = this.units;
    this.activation = String(rest.activation ?? 'tanh');
    this.recurrentActivation = String(rest.recurrentActivation ?? 'sigmoid');
    this.useBias = rest.useBias === undefined ? true : Boolean(rest.useBias);
    this.dropout = Number(rest.dropout ?? 0);
    this.recurrentDropout = Number(rest.recurrentDropout ?? 0);
    for (const [k, v] of [['dropout', this.dropout], ['recurrentDropout', this.recurrentDropout]] as const) {
      if (!(v >= 0 && v < 1)) throw new Error(`${OWNER}: \`${k}\` must be in [0, 1). Received: ${k}=${v}`);
    }
    this.inits = { kernel: rest.kernelInitializer, recurrent: rest.recurrentInitializer, bias: rest.biasInitializer };
    // tfjs's Activation layer resolves the names (this plugin's 'act.*' included) as its own cells do.
    this.act = tfl.layers.activation({ activation: this.activation as never });
    this.recAct = tfl.layers.activation({ activation: this.recurrentActivation as never });
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const dim = shape[shape.length - 1];
    if (dim === null) throw new Error(`${OWNER}: the feature axis of the input must have a known size`);
    const u = this.units;
    this.kernel = this.addWeight('kernel', [dim, 3 * u], 'float32', initializer(this.inits.kernel));
    this.recurrentKernel = this.addWeight('recurrent_kernel', [u, 3 * u], 'float32', initializer(this.inits.recurrent));
    if (this.useBias) this.bias = this.addWeight('bias', [2, 3 * u], 'float32', initializer(this.inits.bias));
    this.built = true;
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor[] {
    return tfc.tidy(() => {
      const [x, h] = inputs as tfc.Tensor[];
      let mx = tfc.matMul(x as tfc.Tensor2D, this.kernel!.read() as tfc.Tensor2D) as tfc.Tensor;
      let mh = tfc.matMul(h as tfc.Tensor2D, this.recurrentKernel!.read() as tfc.Tensor2D) as tfc.Tensor;
      if (this.bias) {
        const [bx, bh] = tfc.unstack(this.bias.read());
        mx = tfc.add(mx, bx);
        mh = tfc.add(mh, bh);
      }
      const [xz, xr, xh] = tfc.split(mx, 3, -1);
      const [hz, hr, hh] = tfc.split(mh, 3, -1);
      const z = this.recAct.apply(tfc.add(xz, hz)) as tfc.Tensor;
      const r = this.recAct.apply(tfc.add(xr, hr)) as tfc.Tensor;
      const candidate = this.act.apply(tfc.add(xh, tfc.mul(r, hh))) as tfc.Tensor;
      const out = tfc.add(tfc.mul(z, h), tfc.mul(tfc.sub(1, z), candidate));
      return [out, out];
    });
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return {
      units: this.units, activation: this.activation, recurrentActivation: this.recurrentActivation, useBias: this.useBias,
      dropout: this.dropout, recurrentDropout: this.recurrentDropout, ...super.getConfig(),
    };
  }
}

export class GRU extends tfl.RNN {
  static override className = `${LAYER_PREFIX}GRU`;

  constructor(args: GRUArgs) {
    const { base, rest } = splitArgs(OWNER, args, [...CELL_ARGS, ...RNN_ARGS]);
    const name = (base.name as string | undefined) ?? uniqueLayerName('gru');
    const cell = new ResetAfterGRUCell({ name, trainable: base.trainable, dtype: base.dtype }, rest);
    const rnn = Object.fromEntries(RNN_ARGS.filter((k) => rest[k] !== undefined).map((k) => [k, Boolean(rest[k])]));
    super({ ...base, ...rnn, name, cell: cell as never });
  }

  /** Like tfjs's own RNN layers: the cell's options are this layer's (no nested `cell`). */
  static override fromConfig<T extends tfc.serialization.Serializable>(cls: tfc.serialization.SerializableConstructor<T>, config: tfc.serialization.ConfigDict): T {
    return new cls(config);
  }
}

export function registerRecurrentLayers(): void {
  registerPluginClass(GRU as never);
}
