/**
 * Evaluates float32 expressions in JavaScript, rounding every operation to float32: the reference
 * for what a fused kernel computes when each primitive is correctly rounded. Tests use it to check a
 * definition's float32 forms independently of any backend's math library.
 */
import { evaluateScalar, topologicalOrder, type Expr } from './expr';

export interface Eval32Inputs {
  x: ArrayLike<number>;
  dy?: ArrayLike<number>;
  /** A scalar per parameter, or one value per element of x. */
  params?: Record<string, number | ArrayLike<number>>;
}

/** root evaluated at every element of inputs.x, each operation rounded to float32. */
export function evaluate32(root: Expr, inputs: Eval32Inputs): Float32Array {
  const order = topologicalOrder([root]);
  const slot = new Map<number, number>();
  order.forEach((n, i) => slot.set(n.id, i));
  const values = new Float64Array(order.length);
  const out = new Float32Array(inputs.x.length);
  const fr = Math.fround;
  for (let i = 0; i < out.length; i++) {
    for (let k = 0; k < order.length; k++) {
      const n = order[k];
      let v: number;
      switch (n.op) {
        case 'x': v = fr(inputs.x[i]); break;
        case 'dy': v = fr(inputs.dy ? inputs.dy[i] : 1); break;
        case 'const': v = n.value as number; break;
        case 'param': {
          const p = inputs.params?.[n.value as string];
          if (p === undefined) throw new Error(`evaluate32: no value for parameter '${String(n.value)}'`);
          v = fr(typeof p === 'number' ? p : p[i]);
          break;
        }
        case 'select': v = values[slot.get(n.args[0].id)!] ? values[slot.get(n.args[1].id)!] : values[slot.get(n.args[2].id)!]; break;
        default: v = fr(evaluateScalar(n.op, n.args.map((a) => values[slot.get(a.id)!])));
      }
      values[k] = v;
    }
    out[i] = values[order.length - 1];
  }
  return out;
}
