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
type Impl = (args: Value[], options: Record<string, unknown>) => tfc.Tensor | tfc.Tensor[];

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
/** One axis, normalised; null/undefined -> the flattened tensor's axis 0 (numpy's axis=None). */
function oneAxis(x: tfc.Tensor, a: unknown): [tfc.Tensor, number] {
  if (a === null || a === undefined) return [tfc.reshape(x, [-1]), 0];
  const k = Number(a);
  return [x, k < 0 ? k + x.rank : k];
}
/** numpy's moveaxis. */
function moveAxes(x: tfc.Tensor, from: number[], to: number[]): tfc.Tensor {
  const norm = (k: number) => (k < 0 ? k + x.rank : k);
  const src = from.map(norm);
  const dst = to.map(norm);
  const rest = Array.from({ length: x.rank }, (_, i) => i).filter((i) => !src.includes(i));
  const perm: number[] = Array(x.rank);
  dst.forEach((d, i) => (perm[d] = src[i]));
  for (let i = 0; i < x.rank; i++) if (perm[i] === undefined) perm[i] = rest.shift()!;
  return tfc.transpose(x, perm);
}
const ints = (v: number[]) => tfc.tensor1d(v, 'int32');
/** Python's slice(start, stop, step) over n items, as the indices it selects. */
function sliceIndices(n: number, start: number | null, stop: number | null, step: number | null): number[] {
  const s = step ?? 1;
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const at = (v: number | null, fallback: number, lo: number, hi: number) => (v === null ? fallback : clamp(v < 0 ? v + n : v, lo, hi));
  const a = s > 0 ? at(start, 0, 0, n) : at(start, n - 1, -1, n - 1);
  const b = s > 0 ? at(stop, n, 0, n) : at(stop, -1, -1, n - 1);
  const out: number[] = [];
  for (let i = a; s > 0 ? i < b : i > b; i += s) out.push(i);
  return out;
}
/** One entry of a `x[...]` key: an index, {slice}, {newaxis} or {ellipsis}. */
type KeyEntry = number | { slice: [number | null, number | null, number | null] } | { newaxis: true } | { ellipsis: true };
/** numpy basic indexing (what Keras's GetItem records for `x[:, 1:3]`, `x[..., None, 0]`). */
function getItem(x: tfc.Tensor, key: KeyEntry[]): tfc.Tensor {
  const isEllipsis = (k: KeyEntry) => typeof k === 'object' && 'ellipsis' in k;
  const isNew = (k: KeyEntry) => typeof k === 'object' && 'newaxis' in k;
  const real = key.filter((k) => !isEllipsis(k) && !isNew(k)).length;
  const full: KeyEntry = { slice: [null, null, null] };
  const entries: KeyEntry[] = [];
  for (const k of key) {
    if (isEllipsis(k)) entries.push(...Array<KeyEntry>(x.rank - real).fill(full));
    else entries.push(k);
  }
  if (!key.some(isEllipsis)) entries.push(...Array<KeyEntry>(Math.max(0, x.rank - real)).fill(full));
  let y = x;
  let axis = 0;  // axis of y the next entry reads
  for (const k of entries) {
    if (isNew(k)) {
      y = tfc.expandDims(y, axis++);
    } else if (typeof k === 'number') {
      const n = y.shape[axis];
      const i = k < 0 ? k + n : k;
      if (!(i >= 0 && i < n)) throw new Error(`KerasOp layer: index ${k} is out of bounds for axis ${axis} with size ${n}`);
      y = tfc.squeeze(tfc.slice(y, y.shape.map((_, d) => (d === axis ? i : 0)), y.shape.map((d, j) => (j === axis ? 1 : d))), [axis]);
    } else {
      const [start, stop, step] = (k as { slice: [number | null, number | null, number | null] }).slice;
      const n = y.shape[axis];
      const idx = sliceIndices(n, start, stop, step);
      if (!(idx.length === n && idx.every((v, i) => v === i))) y = tfc.gather(y, ints(idx), axis);
      axis++;
    }
  }
  return y;
}
/** numpy's take_along_axis: indices broadcast against x except along `axis`. */
function takeAlongAxis(x: tfc.Tensor, idx: tfc.Tensor, axis: number): tfc.Tensor {
  const xs = moveAxes(x, [axis], [-1]);
  const is = moveAxes(idx, [axis], [-1]);
  const lead = tfc.broadcastArgs(ints(xs.shape.slice(0, -1)), ints(is.shape.slice(0, -1))).arraySync() as number[];
  const n = xs.shape[xs.rank - 1];
  const m = is.shape[is.rank - 1];
  const xb = tfc.reshape(tfc.broadcastTo(xs, [...lead, n]), [-1, n]);
  const ib = tfc.reshape(tfc.broadcastTo(is, [...lead, m]), [-1, m]);
  const fixed = tfc.where(tfc.less(ib, 0), tfc.add(ib, tfc.scalar(n, 'int32')), ib);
  // A flat gather (row offset + index): wasm's batched gather reads out of bounds.
  const rows = tfc.mul(tfc.range(0, ib.shape[0], 1, 'int32'), tfc.scalar(n, 'int32'));
  const flat = tfc.gather(tfc.reshape(xb, [-1]), tfc.add(fixed, tfc.reshape(rows, [-1, 1])));
  return moveAxes(tfc.reshape(flat, [...lead, m]), [-1], [axis]);
}
/** numpy's pad_width (an int, [before, after], or one pair per axis) as one pair per axis. */
function padWidth(v: unknown, rank: number): Array<[number, number]> {
  const a = v as number | number[] | number[][];
  if (typeof a === 'number') return Array.from({ length: rank }, () => [a, a]);
  if (a.length && typeof a[0] === 'number') return Array.from({ length: rank }, () => [(a as number[])[0], (a as number[])[1] ?? (a as number[])[0]]);
  if (a.length === 1) return Array.from({ length: rank }, () => [(a as number[][])[0][0], (a as number[][])[0][1] ?? (a as number[][])[0][0]]);
  return (a as number[][]).map((p) => [p[0], p[1] ?? p[0]]);
}
/** The float32 limits numpy's nan_to_num uses by default. */
const F32_MAX = 3.4028234663852886e38;
/** Vector or matrix norm as Keras's linalg.norm computes it, for the orders tfjs can. */
function norm(x: tfc.Tensor, ord: unknown, axis: unknown, keepdims: boolean): tfc.Tensor {
  const axes = axis === null || axis === undefined ? null : ([] as number[]).concat(axis as number);
  const v = float(x);
  if (axes === null || axes.length === 1) {
    const a = axes ?? undefined;
    const ax = a === undefined ? undefined : a[0];
    const target = a === undefined ? tfc.reshape(v, [-1]) : v;
    if (ord === null || ord === undefined || ord === 2) return tfc.sqrt(tfc.sum(tfc.square(target), ax, keepdims));
    if (ord === 1) return tfc.sum(tfc.abs(target), ax, keepdims);
    if (ord === Infinity || ord === 'inf') return tfc.max(tfc.abs(target), ax, keepdims);
    if (ord === -Infinity || ord === '-inf') return tfc.min(tfc.abs(target), ax, keepdims);
    if (ord === 0) return tfc.sum(tfc.cast(tfc.notEqual(target, 0), 'float32'), ax, keepdims);
    if (typeof ord === 'number') return tfc.pow(tfc.sum(tfc.pow(tfc.abs(target), ord), ax, keepdims), 1 / ord);
  } else if (axes.length === 2 && (ord === null || ord === undefined || ord === 'fro')) {
    return tfc.sqrt(tfc.sum(tfc.square(v), axes, keepdims));
  }
  throw new Error(`KerasOp layer: norm with ord=${String(ord)} over axis ${JSON.stringify(axis)} is not available in tfjs`);
}
function softmaxAlong(x: tfc.Tensor, axis: number, log: boolean): tfc.Tensor {
  const k = axis < 0 ? axis + x.rank : axis;
  return alongLast(x, k, (v) => (log ? tfc.logSoftmax(v) : tfc.softmax(v)));
}

/**
 * numpy's einsum without '...' or repeated indices within an operand, by broadcasting: each operand
 * laid out over all indices (size 1 where it has none), multiplied, summed over the indices the
 * output lacks. tfjs's own einsum has no wasm kernel.
 */
function einsum(subscripts: string, xs: tfc.Tensor[]): tfc.Tensor {
  const spec = subscripts.replace(/\s/g, '');
  const [lhs, rhs] = spec.split('->');
  const ins = lhs.split(',');
  const bad = () => new Error(`KerasOp layer: einsum '${subscripts}' is imported without '...' and repeated indices within an operand`);
  if (spec.includes('.') || ins.length !== xs.length || ins.some((s) => new Set(s).size !== s.length)) throw bad();
  const counts = new Map<string, number>();
  for (const c of ins.join('')) counts.set(c, (counts.get(c) ?? 0) + 1);
  const out = rhs ?? [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort().join('');
  const all = [...out, ...[...counts.keys()].filter((c) => !out.includes(c))];
  const sizes = new Map<string, number>();
  ins.forEach((s, k) => [...s].forEach((c, i) => sizes.set(c, Math.max(sizes.get(c) ?? 1, xs[k].shape[i]))));
  let product: tfc.Tensor | null = null;
  ins.forEach((s, k) => {
    const present = all.filter((c) => s.includes(c));
    const moved = tfc.transpose(xs[k], present.map((c) => s.indexOf(c)));
    const laid = tfc.reshape(moved, all.map((c) => (s.includes(c) ? xs[k].shape[s.indexOf(c)] : 1)));
    product = product ? tfc.mul(product, laid) : laid;
  });
  const summed = all.length > out.length ? tfc.sum(product!, Array.from({ length: all.length - out.length }, (_, i) => out.length + i)) : product!;
  return tfc.reshape(summed, [...out].map((c) => sizes.get(c)!));
}

/** Zeroes a matrix's (last two axes') entries below diagonal k (upper) or above it (lower). */
function band(x: tfc.Tensor, k: number, upper: boolean): tfc.Tensor {
  const [m, n] = x.shape.slice(-2);
  const rows = tfc.reshape(tfc.range(0, m, 1, 'int32'), [m, 1]);
  const cols = tfc.reshape(tfc.range(0, n, 1, 'int32'), [1, n]);
  const d = tfc.sub(cols, rows);
  const keep = upper ? tfc.greaterEqual(d, k) : tfc.lessEqual(d, k);
  return tfc.where(tfc.broadcastTo(keep, x.shape), x, tfc.zerosLike(x));
}
const DTYPE_OF: Record<string, tfc.DataType> = { float16: 'float32', float32: 'float32', float64: 'float32', int32: 'int32', int64: 'int32', bool: 'bool' };

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
  dot: binary((a, b) => {
    if (a.rank <= 2 && b.rank <= 2) return a.rank === 1 && b.rank === 1 ? tfc.sum(tfc.mul(a, b)) : tfc.dot(a, b);
    // numpy: the last axis of a with the second-to-last of b.
    const n = a.shape[a.rank - 1];
    const bt = b.rank === 1 ? tfc.reshape(b, [n, 1]) : moveAxes(b, [-2], [0]);
    const y = tfc.matMul(tfc.reshape(a, [-1, n]), tfc.reshape(bt, [n, -1]));
    return tfc.reshape(y, [...a.shape.slice(0, -1), ...(b.rank === 1 ? [] : [...b.shape.slice(0, -2), b.shape[b.rank - 1]])]);
  }),
  einsum: (xs, o) => einsum(String(o.subscripts), xs.map((v) => float(t(v)))),
  arccos: unary(tfc.acos),
  arcsin: unary(tfc.asin),
  arctan: unary(tfc.atan),
  arccosh: unary(tfc.acosh),
  arcsinh: unary(tfc.asinh),
  arctanh: unary(tfc.atanh),
  arctan2: binary((a, b) => tfc.atan2(float(a), float(b))),
  cosh: unary(tfc.cosh),
  sinh: unary(tfc.sinh),
  tan: unary(tfc.tan),
  log2: unary((x) => tfc.div(tfc.log(x), Math.LN2)),
  log10: unary((x) => tfc.div(tfc.log(x), Math.LN10)),
  exp2: unary((x) => tfc.pow(2, x)),
  logaddexp: binary((a, b) => {
    const [x, y] = [float(a), float(b)];
    return tfc.add(tfc.maximum(x, y), tfc.log1p(tfc.exp(tfc.neg(tfc.abs(tfc.sub(x, y))))));
  }),
  mod: binary(tfc.mod),
  round: ([x], o) => {
    const d = Number(o.decimals ?? 0);
    const v = float(t(x));
    return d === 0 ? tfc.round(v) : tfc.div(tfc.round(tfc.mul(v, 10 ** d)), 10 ** d);
  },
  isnan: ([x]) => tfc.isNaN(float(t(x))),
  isinf: ([x]) => tfc.isInf(float(t(x))),
  isfinite: ([x]) => tfc.isFinite(float(t(x))),
  nan_to_num: ([x], o) => {
    const v = float(t(x));
    const posinf = o.posinf === null || o.posinf === undefined ? F32_MAX : Number(o.posinf);
    const neginf = o.neginf === null || o.neginf === undefined ? -F32_MAX : Number(o.neginf);
    const fill = (c: tfc.Tensor, value: number, y: tfc.Tensor) => tfc.where(c, tfc.fill(y.shape, value), y);
    const noNan = fill(tfc.isNaN(v), Number(o.nan ?? 0), v);
    return fill(tfc.logicalAnd(tfc.isInf(v), tfc.greater(v, 0)), posinf, fill(tfc.logicalAnd(tfc.isInf(v), tfc.less(v, 0)), neginf, noNan));
  },
  logical_xor: ([a, b]) => tfc.notEqual(bool(t(a)), bool(t(b))),
  stop_gradient: ([x]) => tfc.clone(t(x)),
  ones_like: ([x], o) => tfc.onesLike(o.dtype ? tfc.cast(t(x), String(o.dtype) as tfc.DataType) : t(x)),
  zeros_like: ([x], o) => tfc.zerosLike(o.dtype ? tfc.cast(t(x), String(o.dtype) as tfc.DataType) : t(x)),
  full_like: ([x, v], o) => {
    const tx = t(x);
    const dtype = (o.dtype as tfc.DataType | null | undefined) ?? tx.dtype;
    return tfc.cast(tfc.broadcastTo(t(v), tx.shape), dtype);
  },
  any: ([x], o) => tfc.any(bool(t(x)), axisOf(o, t(x).rank), Boolean(o.keepdims)),
  all: ([x], o) => tfc.all(bool(t(x)), axisOf(o, t(x).rank), Boolean(o.keepdims)),
  count_nonzero: ([x], o) => tfc.sum(tfc.cast(bool(t(x)), 'int32'), axisOf(o, t(x).rank)),
  var: ([x], o) => tfc.moments(float(t(x)), axisOf(o, t(x).rank), Boolean(o.keepdims)).variance,
  std: ([x], o) => tfc.sqrt(tfc.moments(float(t(x)), axisOf(o, t(x).rank), Boolean(o.keepdims)).variance),
  average: ([x], o) => tfc.mean(float(t(x)), axisOf(o, t(x).rank)),
  logsumexp: ([x], o) => tfc.logSumExp(float(t(x)), axisOf(o, t(x).rank), Boolean(o.keepdims)),
  moments: ([x], o) => {
    const m = tfc.moments(float(t(x)), axisOf({ axis: o.axes }, t(x).rank), Boolean(o.keepdims));
    return [m.mean, m.variance];
  },
  norm: ([x], o) => norm(t(x), o.ord, o.axis, Boolean(o.keepdims)),
  normalize: ([x], o) => {
    const v = float(t(x));
    const axis = Number(o.axis ?? -1);
    const eps = o.epsilon === null || o.epsilon === undefined ? 1e-7 : Number(o.epsilon);
    const order = Number(o.order ?? 2);
    if (order === 2) return tfc.mul(v, tfc.minimum(tfc.rsqrt(tfc.sum(tfc.square(v), axis, true)), 1 / eps));
    return tfc.div(v, tfc.maximum(norm(v, order, axis, true), eps));
  },
  argmax: ([x], o) => {
    const [v, axis] = oneAxis(t(x), o.axis);
    const y = tfc.argMax(v, axis);
    return o.keepdims ? (o.axis === null || o.axis === undefined ? tfc.reshape(y, t(x).shape.map(() => 1)) : tfc.expandDims(y, axis)) : y;
  },
  argmin: ([x], o) => {
    const [v, axis] = oneAxis(t(x), o.axis);
    const y = tfc.argMin(v, axis);
    return o.keepdims ? (o.axis === null || o.axis === undefined ? tfc.reshape(y, t(x).shape.map(() => 1)) : tfc.expandDims(y, axis)) : y;
  },
  cumsum: ([x], o) => {
    const [v, axis] = oneAxis(t(x), o.axis);
    return tfc.cumsum(v.dtype === 'bool' ? tfc.cast(v, 'int32') : v, axis);
  },
  cumprod: ([x], o) => {
    const [v, axis] = oneAxis(t(x), o.axis);
    return tfc.cumprod(v.dtype === 'bool' ? tfc.cast(v, 'int32') : v, axis);
  },
  diff: ([x], o) => {
    let v = t(x);
    const axis = Number(o.axis ?? -1) < 0 ? Number(o.axis ?? -1) + v.rank : Number(o.axis);
    for (let i = 0; i < Number(o.n ?? 1); i++) {
      const n = v.shape[axis];
      const size = v.shape.map((d, j) => (j === axis ? n - 1 : d));
      v = tfc.sub(tfc.slice(v, v.shape.map((_, j) => (j === axis ? 1 : 0)), size), tfc.slice(v, v.shape.map(() => 0), size));
    }
    return v;
  },
  sort: ([x], o) => {
    const v = moveAxes(t(x), [Number(o.axis ?? -1)], [-1]);
    const ascending = tfc.reverse(tfc.topk(v, v.shape[v.rank - 1]).values, -1);
    return moveAxes(ascending, [-1], [Number(o.axis ?? -1)]);
  },
  argsort: ([x], o) => {
    const v = moveAxes(float(t(x)), [Number(o.axis ?? -1)], [-1]);
    return moveAxes(tfc.topk(tfc.neg(v), v.shape[v.rank - 1]).indices, [-1], [Number(o.axis ?? -1)]);
  },
  top_k: ([x], o) => {
    const r = tfc.topk(t(x), Number(o.k), o.sorted === undefined ? true : Boolean(o.sorted));
    return [r.values, r.indices];
  },
  one_hot: ([x], o) => {
    const y = tfc.oneHot(tfc.cast(t(x), 'int32'), Number(o.num_classes));
    const axis = Number(o.axis ?? -1);
    const moved = axis === -1 || axis === y.rank - 1 ? y : moveAxes(y, [-1], [axis]);
    return tfc.cast(moved, (DTYPE_OF[String(o.dtype ?? 'float32')] ?? 'float32'));
  },
  tile: ([x], o) => {
    let v = t(x);
    let reps = ([] as number[]).concat(o.repeats as number);
    if (reps.length > v.rank) v = tfc.reshape(v, [...Array<number>(reps.length - v.rank).fill(1), ...v.shape]);
    reps = [...Array<number>(v.rank - reps.length).fill(1), ...reps];
    return tfc.tile(v, reps);
  },
  repeat: ([x], o) => {
    const [v, axis] = oneAxis(t(x), o.axis);
    const n = v.shape[axis];
    const reps = typeof o.repeats === 'number' ? Array<number>(n).fill(o.repeats) : (o.repeats as number[]);
    return tfc.gather(v, ints(reps.flatMap((r, i) => Array<number>(r).fill(i))), axis);
  },
  flip: ([x], o) => tfc.reverse(t(x), axisOf(o, t(x).rank)),
  roll: ([x], o) => {
    const tx = t(x);
    const flat = o.axis === null || o.axis === undefined;
    let v = flat ? tfc.reshape(tx, [-1]) : tx;
    const shifts = ([] as number[]).concat(o.shift as number);
    const axes = flat ? [0] : ([] as number[]).concat(o.axis as number);
    axes.forEach((a, i) => {
      const axis = a < 0 ? a + v.rank : a;
      const n = v.shape[axis];
      const s = (((shifts[i] ?? shifts[0]) % n) + n) % n;
      if (s === 0) return;
      const [head, tail] = tfc.split(v, [n - s, s], axis);
      v = tfc.concat([tail, head], axis);
    });
    return flat ? tfc.reshape(v, tx.shape) : v;
  },
  pad: ([x], o) => {
    const v = t(x);
    const widths = padWidth(o.pad_width, v.rank);
    const mode = String(o.mode ?? 'constant');
    if (mode === 'constant') return tfc.pad(v, widths, Number(o.constant_values ?? 0));
    if (mode === 'reflect' || mode === 'symmetric') return tfc.mirrorPad(v, widths, mode);
    throw new Error(`KerasOp layer: pad mode '${mode}' is not available in tfjs`);
  },
  swapaxes: ([x], o) => {
    const v = t(x);
    const norm = (k: unknown) => (Number(k) < 0 ? Number(k) + v.rank : Number(k));
    const perm = v.shape.map((_, i) => i);
    [perm[norm(o.axis1)], perm[norm(o.axis2)]] = [perm[norm(o.axis2)], perm[norm(o.axis1)]];
    return tfc.transpose(v, perm);
  },
  moveaxis: ([x], o) => moveAxes(t(x), ([] as number[]).concat(o.source as number), ([] as number[]).concat(o.destination as number)),
  ravel: ([x]) => tfc.reshape(t(x), [-1]),
  triu: ([x], o) => band(t(x), Number(o.k ?? 0), true),
  tril: ([x], o) => band(t(x), Number(o.k ?? 0), false),
  broadcast_to: ([x], o) => tfc.broadcastTo(t(x), o.shape as number[]),
  take: ([x, i], o) => {
    const [v, axis] = oneAxis(t(x), o.axis);
    const idx = tfc.cast(t(i), 'int32');
    const n = v.shape[axis];
    return tfc.gather(v, tfc.where(tfc.less(idx, 0), tfc.add(idx, tfc.scalar(n, 'int32')), idx), axis);
  },
  take_along_axis: ([x, i], o) => {
    const [v, axis] = oneAxis(t(x), o.axis);
    const idx = tfc.cast(t(i), 'int32');
    return takeAlongAxis(v, o.axis === null || o.axis === undefined ? tfc.reshape(idx, [-1]) : idx, axis);
  },
  split: ([x], o) => {
    const v = t(x);
    const axis = Number(o.axis ?? 0) < 0 ? Number(o.axis ?? 0) + v.rank : Number(o.axis ?? 0);
    const n = v.shape[axis];
    const s = o.indices_or_sections;
    if (typeof s === 'number') return tfc.split(v, s, axis);
    const cuts = [0, ...(s as number[]).map((c) => Math.min(Math.max(c < 0 ? c + n : c, 0), n)), n];
    return tfc.split(v, cuts.slice(1).map((c, i) => Math.max(c - cuts[i], 0)), axis);
  },
  array_split: ([x], o) => {
    const v = t(x);
    const axis = Number(o.axis ?? 0) < 0 ? Number(o.axis ?? 0) + v.rank : Number(o.axis ?? 0);
    const n = v.shape[axis];
    const k = Number(o.indices_or_sections);
    return tfc.split(v, Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0)), axis);
  },
  unstack: ([x], o) => tfc.unstack(t(x), Number(o.axis ?? 0)),
  slice: ([x, start], o) => tfc.slice(t(x), (start instanceof tfc.Tensor ? start.arraySync() : start) as number[], o.shape as number[]),
  get_item: ([x], o) => getItem(t(x), o.key as KeyEntry[]),
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
  // Keras's implicit masks (graph.ts): Masking's, merge layers' (or), Concatenate's (its compute_mask).
  masking_mask: ([x], o) => tfc.any(tfc.notEqual(float(t(x)), Number(o.value ?? 0)), -1),
  mask_or: ([ms]) => (ms as Value[]).map((m) => bool(t(m))).reduce((a, b) => tfc.logicalOr(a, b)),
  concat_mask: ([xs, ms], o) => {
    const masks = (xs as Value[]).map((x, i) => {
      const tx = t(x);
      const m = (ms as Value[])[i];
      if (m === null || m === undefined) return tfc.ones(tx.shape, 'bool');
      const tm = bool(t(m));
      return tm.rank < tx.rank ? tfc.logicalOr(tfc.expandDims(tm, -1), tfc.zeros(tx.shape, 'bool')) : tm;
    });
    return tfc.any(tfc.concat(masks, Number(o.axis ?? -1)), -1);
  },
  // UpSampling2D(interpolation='bilinear') as Keras runs it: tf.image.resize, half-pixel centers.
  upsample_bilinear: ([x], o) => {
    const first = Boolean(o.channels_first);
    const v = (first ? tfc.transpose(float(t(x)), [0, 2, 3, 1]) : float(t(x))) as tfc.Tensor4D;
    const [sh, sw] = o.size as [number, number];
    const y = tfc.image.resizeBilinear(v, [v.shape[1] * sh, v.shape[2] * sw], false, true);
    return first ? tfc.transpose(y, [0, 3, 1, 2]) : y;
  },
  // Softmax called with a mask, as Keras computes it: masked entries get −1e9 before and 0 after.
  masked_softmax: ([x, m], o) => {
    const v = float(t(x));
    const tm = t(m);
    const mask = tfc.broadcastTo(tm.dtype === 'bool' ? tm : tfc.greater(tm, 0.5), v.shape);
    const y = tfc.where(mask, v, tfc.fill(v.shape, -1e9));
    const axes = ([] as number[]).concat(o.axis as number).map((a) => (a < 0 ? a + v.rank : a));
    const out = axes.length > 1 ? tfc.exp(tfc.sub(y, tfc.logSumExp(y, axes, true))) : softmaxAlong(y, axes[0], false);
    return tfc.where(mask, out, tfc.zerosLike(out));
  },
};

/** The ops that return a list of tensors. */
export const MULTI_OUTPUT: ReadonlySet<string> = new Set(['split', 'array_split', 'unstack', 'top_k', 'moments']);

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
  compute(inputs: tfc.Tensor[]): tfc.Tensor | tfc.Tensor[] {
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

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor | tfc.Tensor[] {
    return tfc.tidy(() => this.compute(Array.isArray(inputs) ? inputs : [inputs]));
  }

  /**
   * Shapes by running the op on ones: dimensions that follow the unknown ones are unknown. Ops with
   * several results (split, unstack, top_k) give one shape each.
   */
  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    const shapes = (Array.isArray(inputShape[0]) || inputShape.length === 0 ? inputShape : [inputShape]) as tfl.Shape[];
    // Its mask may broadcast against the batch axis too (as Keras lets it), which ones of a stand-in batch size cannot show.
    if (this.op === 'masked_softmax') return shapes[0];
    const run = (unknown: number) => tfc.tidy(() => {
      const out = this.compute(shapes.map((s) => tfc.ones(s.map((d) => d ?? unknown))));
      return Array.isArray(out) ? out.map((y) => y.shape) : [out.shape];
    });
    const [a, b] = [run(2), run(3)];
    const merged = a.map((s, k) => s.map((d, i) => (d === b[k][i] ? d : null)));
    return this.multiple ? merged : merged[0];
  }

  /** Whether the op returns a list of tensors (then tfjs makes one output per element). */
  get multiple(): boolean {
    return MULTI_OUTPUT.has(this.op);
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
