/**
 * `act.layers.dense`: tf.layers.dense (same arguments, weights and config) that trains through the
 * path tfjs reserves for 'relu', for every activation.
 *
 * Why tfjs's Dense trains faster with 'relu' than with anything else: its call() asks for the fused
 * matMul kernel with the activation mapped by class name to 'relu' | 'elu' | 'linear' (anything else
 * counts as 'linear'). While gradients are recorded, tfjs fuses only 'linear', so
 *   - 'relu'/'elu' run as plain matMul + add + activation, whose gradients tfjs computes lazily,
 *     only for inputs that need one;
 *   - every other activation (ours, tfjs's gelu/mish/..., and 'linear' itself) runs the fused kernel
 *     under customGrad, whose backward pass always computes d(input) = dy·Wᵀ — wasted in the first
 *     layer, whose input is data: one extra [batch × units]·[units × inputs] matMul per step.
 * This layer always takes the plain path. (A plugin activation cannot get it inside tf's Dense:
 * calling ours 'relu' or 'elu' would make inference run tfjs's fused relu/elu instead of ours.)
 *
 * It is a layer of its own on tfjs's public Layer API. The arguments are read by tfjs itself: a
 * tf.layers.dense built from them (never built or used) turns names like 'heNormal' or 'l1l2' into
 * tfjs's saved forms, so the identifier tables stay tfjs's. The activation is a tf.layers.activation,
 * which applies any name tfjs or this plugin registered, exactly as tfjs's Dense would.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { deserializeRegistered, type SavedObject } from '../engine/tfjs-adapter';
import { LAYER_PREFIX, oneShape, oneTensor, registerPluginClass, splitArgs, uniqueLayerName } from './common';

/** The arguments of tf.layers.dense. */
export type DenseArgs = Parameters<typeof tfl.layers.dense>[0];

type Initializer = ReturnType<typeof tfl.initializers.ones>;
type Regularizer = ReturnType<typeof tfl.regularizers.l1l2>;
type Constraint = ReturnType<typeof tfl.constraints.nonNeg>;

const OWNER = 'Dense layer';

/** tf.layers.dense's own arguments (the base layer arguments are split off by splitArgs). */
const DENSE_KEYS = [
  'units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'inputDim', 'kernelConstraint',
  'biasConstraint', 'kernelRegularizer', 'biasRegularizer', 'activityRegularizer',
] as const;

/** What tfjs saves for an initializer, regularizer or constraint (tfjs-layers' serializeKerasObject). */
function saved(o: tfc.serialization.Serializable | null): SavedObject | null {
  return o === null ? null : { className: o.getClassName(), config: o.getConfig() };
}

/** tf.layers.dense computing matMul + bias + activation as separate ops, for every activation. */
export class Dense extends tfl.layers.Layer {
  static className = `${LAYER_PREFIX}Dense`;
  readonly units: number;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  /** The activation, as tfjs's activation layer of the same name. */
  readonly activationLayer: tfl.layers.Layer;
  /** The activation's saved name, e.g. 'act.gelu', 'relu', 'linear'. */
  readonly activationName: string;
  kernel: tfl.LayerVariable | null = null;
  bias: tfl.LayerVariable | null = null;

  constructor(args: DenseArgs) {
    const { base, rest } = splitArgs(OWNER, args, DENSE_KEYS);
    super({ ...base, name: (base.name as string | undefined) ?? uniqueLayerName('dense') });
    // Named, so that tfjs's default-name counters (dense_1, activation_1, ...) do not move.
    const reference = tfl.layers.dense({ ...(rest as unknown as DenseArgs), name: `${this.name}_arguments` });
    const config = reference.getConfig();
    const resolve = <T>(key: (typeof DENSE_KEYS)[number]): T | null => {
      const given = rest[key];
      // An object the user made is kept as is (it may be a class tfjs cannot rebuild from a name).
      if (given instanceof tfc.serialization.Serializable) return given as T;
      const form = config[key] as unknown as SavedObject | null;
      return form ? deserializeRegistered<T>(form) : null;
    };
    this.units = config.units as number;
    this.useBias = config.useBias as boolean;
    this.kernelInitializer = resolve<Initializer>('kernelInitializer')!;
    this.biasInitializer = resolve<Initializer>('biasInitializer')!;
    this.kernelRegularizer = resolve<Regularizer>('kernelRegularizer');
    this.biasRegularizer = resolve<Regularizer>('biasRegularizer');
    this.kernelConstraint = resolve<Constraint>('kernelConstraint');
    this.biasConstraint = resolve<Constraint>('biasConstraint');
    // tfjs's Layer refuses to run with one (as it does for tfjs's Dense); kept for the config.
    this.activityRegularizer = resolve<Regularizer>('activityRegularizer') as Regularizer;
    this.activationLayer = tfl.layers.activation({
      activation: rest.activation as 'linear',
      name: `${this.name}_activation`,
    });
    this.activationName = this.activationLayer.getConfig().activation as string;
    if (base.batchInputShape == null && base.inputShape == null && rest.inputDim != null) {
      // As tfjs's Dense does it (after the base constructor, so no dtype is set).
      this.batchInputShape = [(base.batchSize as number | undefined) ?? null, rest.inputDim as number];
    }
    this.supportsMasking = true;
    this.inputSpec = [{ minNDim: 2 }];
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = oneShape(OWNER, inputShape as never);
    const inputLastDim = shape[shape.length - 1] as number;
    if (this.kernel === null) {
      this.kernel = this.addWeight('kernel', [inputLastDim, this.units], undefined, this.kernelInitializer,
        this.kernelRegularizer ?? undefined, true, this.kernelConstraint ?? undefined);
      if (this.useBias) {
        this.bias = this.addWeight('bias', [this.units], undefined, this.biasInitializer,
          this.biasRegularizer ?? undefined, true, this.biasConstraint ?? undefined);
      }
    }
    this.inputSpec = [{ minNDim: 2, axes: { [-1]: inputLastDim } }];
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = [...oneShape(OWNER, inputShape as never)];
    shape[shape.length - 1] = this.units;
    return shape;
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.tidy(() => {
      const x = oneTensor(OWNER, inputs);
      const flat = x.rank === 2 ? x : tfc.reshape(x, [-1, x.shape[x.rank - 1]]);
      // Plain ops: tfjs computes the gradient of each input only where one is needed.
      let y = tfc.matMul(flat, this.kernel!.read());
      if (this.bias) y = tfc.add(y, this.bias.read());
      if (this.activationName !== 'linear') y = this.activationLayer.call(y, {}) as tfc.Tensor;
      return x.rank === 2 ? y : tfc.reshape(y, [...x.shape.slice(0, -1), this.units]);
    });
  }

  override getConfig(): tfc.serialization.ConfigDict {
    const config: tfc.serialization.ConfigDict = {
      units: this.units,
      activation: this.activationName,
      useBias: this.useBias,
      kernelInitializer: saved(this.kernelInitializer),
      biasInitializer: saved(this.biasInitializer),
      kernelRegularizer: saved(this.kernelRegularizer),
      biasRegularizer: saved(this.biasRegularizer),
      activityRegularizer: saved(this.activityRegularizer ?? null),
      kernelConstraint: saved(this.kernelConstraint),
      biasConstraint: saved(this.biasConstraint),
    } as unknown as tfc.serialization.ConfigDict;
    return { ...config, ...super.getConfig() };
  }
}

Object.defineProperty(Dense, 'name', { value: 'Dense' });

export function registerDenseLayer(): void {
  registerPluginClass(Dense as never);
}
