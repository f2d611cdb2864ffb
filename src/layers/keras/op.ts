/**
 * KerasOp: one keras.ops call recorded in a Keras 3 functional graph (`x + 3.0`, `ops.transpose(x)`,
 * `ops.gelu(x)`), as a tfjs layer. Keras writes these as nodes whose `module` is under keras.src.ops;
 * they are operations on tensors, not layers, and may mix tensors with constants in any argument.
 *
 * `args` is the call's positional arguments with every tensor input replaced by `{input: i}` (the
 * layer's i-th input) and every constant kept as a number, a nested array or `{constant, dtype}`.
 * Activation ops (`ops.relu`, `ops.gelu`, ...) name a definition of this plugin and its parameters.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { formatValue } from '../../params';
import { hasOwn } from '../../own';
import { get, toSnakeCase } from '../../registry';
import { applyResolved, resolveDefinitionParams } from '../../engine/op';
import { glu } from '../structured/glu';
import { alongLast } from '../structured/shared';
import { LAYER_PREFIX, registerPluginClass, splitArgs, uniqueLayerName, type BaseLayerArgs } from '../common';

type Value = tfc.Tensor | number | boolean | null | Value[];
type Impl = (args: Value[], options: Record<string, unknown>) => tfc.Tensor;

const t = (v: Value, like?: tfc.Tensor): tfc.Tensor => {
  if (v instanceof tfc.Tensor) return v;
  // An integer constant next to an int32 tensor stays int32 (Keras's type promotion).
  const dtype = like?.dtype === 'int32' && isIntegral(v) ? 'int32' : typeof v === 'boolean' ? 'bool' : 'float32';
  return tfc.tensor(v as tfc.TensorLike, undefined, dtype);
};
function isIntegral(v: Value): boolean {
  return Array.isArray(v) ? v.every(isIntegral) : typeof v === 'number' && Number.isInteger(v);
}
const bool = (x: tfc.Tensor) => (x.dtype === 'bool' ? x : tfc.notEqual(x, 0));
const float = (x: tfc.Tensor) => (x.dtype === 'float32' ? x : tfc.cast(x, 'float32'));
/** Two operands as tensors of one dtype (float32 unless both are int32). */
function pair(a: Value, b: Value): [tfc.Tensor, tfc.Tensor] {
  const ta = t(a, b instanceof tfc.Tensor ? b : undefined);
  const tb = t(b, ta);
  if (ta.dtype === tb.dtype && ta.dtype !== 'bool') return [ta, tb];
  if (ta.dtype === 'int32' && tb.dtype === 'int32') return [ta, tb];
  return [float(ta), float(tb)];
}
const unary = (f: (x: tfc.Tensor) => tfc.Tensor): Impl => ([x]) => f(float(t(x)));
const binary = (f: (a: tfc.Tensor, b: tfc.Tensor) => tfc.Tensor): Impl => ([a, b]) => f(...pair(a, b));
const logical = (f: (a: tfc.Tensor, b: tfc.Tensor) => tfc.Tensor): Impl => ([a, b]) => f(bool(t(a)), bool(t(b)));
const axisOf = (o: Record<string, unknown>, rank: number): number | number[] | undefined => {
  const a = o.axis as number | number[] | null | undefined;
  if (a === null || a === undefined) return undefined;
  const norm = (k: number) => (k < 0 ? k + rank : k);
  return Array.isArray(a) ? a.map(norm) : norm(a);
};
const reduce = (f: (x: tfc.Tensor, axis: number | number[] | undefined, keepDims: boolean) => tfc.Tensor): Impl => ([x], o) => {
  const tx = t(x);
  return f(tx.dtype === 'bool' ? float(tx) : tx, axisOf(o, tx.rank), Boolean(o.keepdims));
};
function softmaxAlong(x: tfc.Tensor, axis: number, log: boolean): tfc.Tensor {
  const k = axis < 0 ? axis + x.rank : axis;
  return alongLast(x, k, (v) => (log ? tfc.logSoftmax(v) : tfc.softmax(v)));
}

/** keras.ops class names (snake_case) -> their tfjs computation. */
export const KERAS_OPS: Readonly<Record<string, Impl>> = {
  add: binary(tfc.add),
  subtract: binary(tfc.sub),
  multiply: binary(tfc.mul),
  true_divide: binary((a, b) => tfc.div(float(a), float(b))),
  divide: binary((a, b) => tfc.div(float(a), float(b))),
  floor_divide: binary(tfc.floorDiv),
  power: binary(tfc.pow),
  maximum: binary(tfc.maximum),
  minimum: binary(tfc.minimum),
  greater: binary(tfc.greater),
  greater_equal: binary(tfc.greaterEqual),
  less: binary(tfc.less),
  less_equal: binary(tfc.lessEqual),
  equal: binary(tfc.equal),
  not_equal: binary(tfc.notEqual),
  logical_and: logical(tfc.logicalAnd),
  logical_or: logical(tfc.logicalOr),
  logical_not: ([x]) => tfc.logicalNot(bool(t(x))),
  negative: ([x]) => tfc.neg(t(x)),
  absolute: ([x]) => tfc.abs(t(x)),
  abs: ([x]) => tfc.abs(t(x)),
  sign: ([x]) => tfc.sign(t(x)),
  sqrt: unary(tfc.sqrt),
  rsqrt: unary(tfc.rsqrt),
  square: ([x]) => tfc.square(t(x)),
  reciprocal: unary(tfc.reciprocal),
  exp: unary(tfc.exp),
  expm1: unary(tfc.expm1),
  log: unary(tfc.log),
  log1p: unary(tfc.log1p),
  sin: unary(tfc.sin),
  cos: unary(tfc.cos),
  tanh: unary(tfc.tanh),
  erf: unary(tfc.erf),
  floor: unary(tfc.floor),
  ceil: unary(tfc.ceil),
  where: ([c, a, b]) => tfc.where(bool(t(c)), ...pair(a, b)),
  clip: ([x], o) => tfc.clipByValue(float(t(x)), Number(o.x_min ?? o.xMin), Number(o.x_max ?? o.xMax)),
  cast: ([x], o) => tfc.cast(t(x), String(o.dtype) as tfc.DataType),
  reshape: ([x], o) => tfc.reshape(t(x), (o.newshape ?? o.new_shape) as number[]),
  transpose: ([x], o) => tfc.transpose(t(x), (o.axes ?? undefined) as number[] | undefined),
  expand_dims: ([x], o) => tfc.expandDims(t(x), Number(o.axis)),
  squeeze: ([x], o) => tfc.squeeze(t(x), o.axis === null || o.axis === undefined ? undefined : ([] as number[]).concat(o.axis as number)),
  concatenate: ([xs], o) => tfc.concat((xs as Value[]).map((v) => t(v)), Number(o.axis ?? 0)),
  stack: ([xs], o) => tfc.stack((xs as Value[]).map((v) => t(v)), Number(o.axis ?? 0)),
  matmul: binary(tfc.matMul),
  mean: reduce(tfc.mean),
  sum: reduce(tfc.sum),
  max: reduce(tfc.max),
  min: reduce(tfc.min),
  prod: reduce(tfc.prod),
  softmax: ([x], o) => softmaxAlong(float(t(x)), Number(o.axis ?? -1), false),
  log_softmax: ([x], o) => softmaxAlong(float(t(x)), Number(o.axis ?? -1), true),
  glu: ([x], o) => glu(float(t(x)), Number(o.axis ?? -1)),
  // GlobalAveragePooling1D with a mask, as Keras computes it: masked steps left out (0/0 where all are).
  masked_mean: ([x, m], o) => {
    const axis = Number(o.axis);
    const mask = tfc.expandDims(bool(t(m)), axis === 1 ? 2 : 1);
    const v = float(t(x));
    const keep = Boolean(o.keepdims);
    return tfc.div(tfc.sum(tfc.where(tfc.broadcastTo(mask, v.shape), v, tfc.zerosLike(v)), axis, keep), tfc.sum(tfc.cast(mask, 'float32'), axis, keep));
  },
  // UpSampling2D(interpolation='bilinear') as Keras runs it: tf.image.resize, half-pixel centers.
  upsample_bilinear: ([x], o) => {
    const v = float(t(x)) as tfc.Tensor4D;
    const [sh, sw] = o.size as [number, number];
    return tfc.image.resizeBilinear(v, [v.shape[1] * sh, v.shape[2] * sw], false, true);
  },
};

export interface KerasOpArgs extends BaseLayerArgs {
  /** snake_case keras.ops class name ('add', 'true_divide'), or 'activation'. */
  op: string;
  /** Positional arguments: `{input: i}` for the i-th input, constants otherwise. */
  args: unknown[];
  /** The op's own options (axis, keepdims, newshape, dtype, ...). */
  options?: Record<string, unknown>;
  /** For op 'activation': this plugin's definition id and its parameters. */
  activation?: string | null;
  params?: Record<string, unknown> | null;
}

const OWNER = 'KerasOp layer';

export class KerasOp extends tfl.layers.Layer {
  static className = `${LAYER_PREFIX}KerasOp`;
  readonly op: string;
  readonly args: unknown[];
  readonly options: Record<string, unknown>;
  readonly activation: string | null;
  readonly params: Record<string, unknown> | null;

  constructor(args: KerasOpArgs) {
    const { base, rest } = splitArgs(OWNER, args, ['op', 'args', 'options', 'activation', 'params']);
    super({ ...base, name: (base.name as string) ?? uniqueLayerName('keras_op') });
    // tfjs camelCases string values when it loads a model.json: 'true_divide' comes back 'trueDivide'.
    this.op = toSnakeCase(String(rest.op));
    this.args = (rest.args ?? []) as unknown[];
    this.options = snakeKeys((rest.options ?? {}) as Record<string, unknown>);
    this.activation = (rest.activation as string | null | undefined) ?? null;
    this.params = (rest.params as Record<string, unknown> | null | undefined) ?? null;
    if (this.op === 'activation') {
      const def = get(String(this.activation));
      resolveDefinitionParams(def, this.params ?? {}, OWNER);
    } else if (!hasOwn(KERAS_OPS, this.op)) {
      throw new Error(`${OWNER}: unknown op. Known: ${Object.keys(KERAS_OPS).join(', ')}. Received: op=${formatValue(this.op)}`);
    }
  }

  /** The op on concrete tensors. */
  compute(inputs: tfc.Tensor[]): tfc.Tensor {
    const fill = (v: unknown): Value => {
      if (Array.isArray(v)) return v.map(fill);
      if (v !== null && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (typeof o.input === 'number') return inputs[o.input];
        if ('constant' in o) return tfc.tensor(o.constant as tfc.TensorLike, undefined, (o.dtype as tfc.DataType) ?? 'float32');
      }
      return v as Value;
    };
    const args = this.args.map(fill);
    if (this.op === 'activation') {
      const def = get(String(this.activation));
      return applyResolved(def, float(t(args[0])), resolveDefinitionParams(def, this.params ?? {}, OWNER));
    }
    return KERAS_OPS[this.op](args, this.options);
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.tidy(() => this.compute(Array.isArray(inputs) ? inputs : [inputs]));
  }

  /** Shapes by running the op on ones: dimensions that follow the unknown ones are unknown. */
  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shapes = (Array.isArray(inputShape[0]) || inputShape.length === 0 ? inputShape : [inputShape]) as tfl.Shape[];
    const run = (unknown: number) => tfc.tidy(() => this.compute(shapes.map((s) => tfc.ones(s.map((d) => d ?? unknown)))).shape);
    const [a, b] = [run(2), run(3)];
    return a.map((d, i) => (d === b[i] ? d : null));
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return {
      op: this.op, args: this.args as tfc.serialization.ConfigDictValue, options: this.options as tfc.serialization.ConfigDict,
      activation: this.activation, params: this.params as tfc.serialization.ConfigDict, ...super.getConfig(),
    };
  }
}

function snakeKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [toSnakeCase(k), v]));
}

export function registerKerasOpLayer(): void {
  registerPluginClass(KerasOp as never);
}
