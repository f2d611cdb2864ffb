/** Randomized leaky ReLU (Xu et al., 2015), with its explicit gradient. */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { toFloatTensor } from '../../engine/op';
import { formatValue } from '../../params';
import { LAYER_PREFIX, oneTensor, splitArgs, uniqueLayerName, type BaseLayerArgs } from '../common';
import { checkInteger } from './shared';

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
export function rrelu(x: tfc.Tensor | tfc.TensorLike, slope: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  const check = (t: tfc.Tensor, s: tfc.Tensor) => {
    if (!tfc.util.arraysEqual(t.shape, s.shape)) {
      throw new Error(`rrelu: \`slope\` must have the shape of x ([${t.shape}]). Received: slope of shape [${s.shape}]`);
    }
  };
  if (x instanceof tfc.Tensor && slope instanceof tfc.Tensor) check(toFloatTensor(x, 'x', 'rrelu'), toFloatTensor(slope, 'slope', 'rrelu'));
  return tfc.tidy(() => {
    const t = toFloatTensor(x, 'x', 'rrelu');
    const s = toFloatTensor(slope, 'slope', 'rrelu');
    check(t, s);
    const f = tfc.customGrad(((xIn: tfc.Tensor, slopeIn: tfc.Tensor, save: tfc.GradSaveFunc) => {
      const positive = tfc.greaterEqual(xIn, 0);
      save([positive, slopeIn]);
      return {
        value: tfc.where(positive, xIn, tfc.mul(slopeIn, xIn)),
        gradFunc: (dy: tfc.Tensor, [pos, sl]: tfc.Tensor[]) => [
          tfc.mul(dy, tfc.where(pos, tfc.onesLike(sl), sl)),
          tfc.zerosLike(sl),  // the slope is sampled, not learned
        ],
      };
    }) as unknown as Parameters<typeof tfc.customGrad>[0]) as unknown as (a: tfc.Tensor, b: tfc.Tensor) => tfc.Tensor;
    return f(t, s);
  });
}
