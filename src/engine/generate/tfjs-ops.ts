/**
 * Float32 expressions as tfjs-core op compositions: the path of any backend without fused kernels
 * of ours, one tfjs op per node (tfjs-math.ts spells the transcendental primitives stably).
 * Called inside tf.tidy; intermediate tensors are the caller's to free.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { topologicalOrder, type Expr } from '../expr';
import * as m from './tfjs-math';

type Value = tfc.Tensor | number;

export interface TfjsOpsInputs {
  x: tfc.Tensor;
  dy?: tfc.Tensor;
  /** A number, or a tensor that broadcasts to x. */
  params: Readonly<Record<string, tfc.Tensor | number>>;
}

const t = (v: Value): tfc.Tensor => (typeof v === 'number' ? tfc.scalar(v) : v);

function unary(op: Expr['op'], a: Value): Value {
  const x = t(a);
  switch (op) {
    case 'neg': return tfc.neg(x);
    case 'abs': return tfc.abs(x);
    case 'sign': return m.sign(x);
    case 'floor': return tfc.floor(x);
    case 'round': return tfc.round(x);
    case 'square': return tfc.mul(x, x);
    case 'sqrt': return tfc.sqrt(x);
    case 'reciprocal': return tfc.div(1, x);
    case 'exp': return tfc.exp(x);
    case 'expm1': return m.expm1(x);
    case 'log': return tfc.log(x);
    case 'log1p': return m.log1p(x);
    case 'sigmoid': return m.sigmoid(x);
    case 'tanh': return m.tanh(x);
    case 'softplus': return m.softplus(x);
    case 'erfc': return m.erfc(x);
    case 'sin': return m.sin(x);
    case 'cos': return m.cos(x);
    case 'cosh': return m.cosh(x);
    case 'isnan': return tfc.isNaN(x);
    case 'not': return tfc.logicalNot(x);
    default: throw new Error(`tfjs-ops: unknown unary '${op}'`);
  }
}

function binary(op: Expr['op'], a: Value, b: Value): Value {
  switch (op) {
    case 'add': return tfc.add(a, b);
    case 'sub': return tfc.sub(a, b);
    case 'mul': return tfc.mul(a, b);
    case 'mulNoNan': return tfc.where(tfc.equal(b, 0), 0, tfc.mul(a, b));
    case 'div': return tfc.div(a, b);
    // Math.min/max's rule (NaN if either is NaN), which tfjs's minimum/maximum do not keep everywhere.
    case 'min': return tfc.where(tfc.isNaN(t(a)), a, tfc.where(tfc.isNaN(t(b)), b, tfc.minimum(a, b)));
    case 'max': return tfc.where(tfc.isNaN(t(a)), a, tfc.where(tfc.isNaN(t(b)), b, tfc.maximum(a, b)));
    case 'lt': return tfc.less(a, b);
    case 'le': return tfc.lessEqual(a, b);
    case 'gt': return tfc.greater(a, b);
    case 'ge': return tfc.greaterEqual(a, b);
    case 'eq': return tfc.equal(a, b);
    case 'ne': return tfc.notEqual(a, b);
    case 'and': return tfc.logicalAnd(a, b);
    case 'or': return tfc.logicalOr(a, b);
    default: throw new Error(`tfjs-ops: unknown binary '${op}'`);
  }
}

/** The value of `root` for the given inputs, shaped like x (broadcast where the expression is). */
export function evaluateWithOps(root: Expr, inputs: TfjsOpsInputs): tfc.Tensor {
  const values = new Map<number, Value>();
  for (const n of topologicalOrder([root])) {
    let v: Value;
    switch (n.op) {
      case 'x': v = inputs.x; break;
      case 'dy': v = inputs.dy ?? tfc.onesLike(inputs.x); break;
      case 'const': v = n.value as number; break;
      case 'param': {
        const p = inputs.params[n.value as string];
        if (p === undefined) throw new Error(`tfjs-ops: no value for parameter '${String(n.value)}'`);
        v = p;
        break;
      }
      case 'select': {
        const [c, a, b] = n.args.map((arg) => values.get(arg.id)!);
        v = tfc.where(t(c) as tfc.Tensor, a, b);
        break;
      }
      default:
        v = n.args.length === 1
          ? unary(n.op, values.get(n.args[0].id)!)
          : binary(n.op, values.get(n.args[0].id)!, values.get(n.args[1].id)!);
    }
    values.set(n.id, v);
  }
  const out = t(values.get(root.id)!);
  // A form can be independent of x in places (f″ = 0): the result always has x's shape.
  return out.shape.length === inputs.x.shape.length && out.shape.every((d, i) => d === inputs.x.shape[i])
    ? out
    : tfc.broadcastTo(out, inputs.x.shape);
}
