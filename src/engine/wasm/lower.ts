/**
 * A float32 expression (src/engine/expr.ts) as SIMD IR: arithmetic maps to f32x4 instructions,
 * comparisons to lane masks, select to bitselect, and the transcendental primitives to the
 * subtrees of math.ts. x, dy and parameter tensors are streams; scalar parameters are arguments.
 */
import { topologicalOrder, type Expr } from '../expr';
import * as ir from './ir';
import type { Node } from './ir';
import * as m from './math';

/** Where each parameter comes from: a scalar argument or a stream (a tensor read per element). */
export type ParamSources = Readonly<Record<string, { scalar: number } | { stream: number }>>;

/**
 * A constant c with which pmin(a, c) = c < a ? c : a (or pmax) equals IEEE min(a, c) for every a,
 * NaN included (a is the first operand): not NaN, and not the zero whose sign the other order
 * would lose (min(+0, −0) is −0, pmin(+0, −0) is +0).
 */
const pairsWith = (n: Node, op: 'min' | 'max'): boolean =>
  n.op === 'fconst' && n.imm === n.imm && !(n.imm === 0 && Object.is(n.imm, op === 'min' ? -0 : 0));

function minMax(op: 'min' | 'max', a: Node, b: Node): Node {
  const p = op === 'min' ? ir.pmin : ir.pmax;
  // One instruction where IEEE min/max needs several on x64.
  if (pairsWith(b, op)) return p(a, b);
  if (pairsWith(a, op)) return p(b, a);
  // max(u, +0) (relu6's lower clamp) and min(u, −0): pmax(+0, u) gets the zeros right, NaN is guarded.
  for (const [c, u] of [[b, a], [a, b]]) {
    if (c.op === 'fconst' && c.imm === 0) return ir.select(ir.ne(u, u), u, p(c, u));
  }
  return op === 'min' ? ir.min(a, b) : ir.max(a, b);
}

/** `e` with `u` replaced by `by`, rebuilt through the builders (so it folds again). */
function substitute(e: Expr, u: Expr, by: Expr): Expr {
  const done = new Map<number, Expr>();
  for (const n of topologicalOrder([e])) {
    if (n === u) done.set(n.id, by);
    else if (n.args.length === 0) done.set(n.id, n);
    else {
      const args = n.args.map((a) => done.get(a.id)!);
      if (args.every((a, i) => a === n.args[i])) done.set(n.id, n);
      else if (n.op === 'select') done.set(n.id, args[0].select(args[1], args[2]));
      else done.set(n.id, (args[0] as unknown as Record<string, (...a: Expr[]) => Expr>)[n.op].apply(args[0], args.slice(1)));
    }
  }
  return done.get(e.id)!;
}

/**
 * In the branch of select(u > c, a, b) taken where u ≤ c (b here; a for u < c, u ≤ c), u is
 * min(u, c): the same value there (NaN included), but now known to be ≤ c, so an exponential of it
 * needs no overflow handling (elu's expm1(x) for x ≤ 0). Done only where it pays and costs nothing:
 * the branch has an exponential of u, and nothing in it that depends on u is used elsewhere.
 */
function restrictBranches(root: Expr): Expr {
  for (const n of topologicalOrder([root]).reverse()) {
    if (n.op !== 'select') continue;
    const [cond, a, b] = n.args;
    const [u, c] = cond.args;
    if (!['gt', 'ge', 'lt', 'le'].includes(cond.op) || c?.op !== 'const' || !(Number(c.value) <= 0) || u.type !== 'float') continue;
    const lowSide = cond.op === 'gt' || cond.op === 'ge' ? b : a;
    const inBranch = topologicalOrder([lowSide]);
    const bounded = u.min(c);
    if (!inBranch.some((m) => m !== bounded && m.args.includes(u))) continue;  // done already
    const dependsOnU = new Set<Expr>();
    for (const m of inBranch) if (m === u || m.args.some((x) => dependsOnU.has(x))) dependsOnU.add(m);
    if (!inBranch.some((m) => (m.op === 'exp' || m.op === 'expm1') && dependsOnU.has(m.args[0]))) continue;
    // Everything reachable from the root other than through this branch.
    const outside = new Set<Expr>();
    const stack = [root];
    while (stack.length) {
      const m = stack.pop()!;
      if (outside.has(m)) continue;
      outside.add(m);
      m.args.forEach((x, i) => {
        if (!(m === n && x === lowSide && i === (lowSide === b ? 2 : 1))) stack.push(x);
      });
    }
    if ([...dependsOnU].some((m) => m !== u && outside.has(m))) continue;
    const restricted = substitute(lowSide, u, bounded);
    const replaced = lowSide === b ? cond.select(a, restricted) : cond.select(restricted, b);
    return restrictBranches(substitute(root, n, replaced));
  }
  return root;
}

/** True if a = σ(z) and b = σ(−z). */
const sigmoidPair = (a: Expr, b: Expr): boolean =>
  a.op === 'sigmoid' && b.op === 'sigmoid' && b.args[0].op === 'neg' && b.args[0].args[0] === a.args[0];

/**
 * σ(z)·σ(−z) (the definitions' σ′) and (c·σ(z))·σ(−z) as c·σ′(z): both sigmoids come from one
 * e^−|z| and one division, so σ′ is t·s² without the two selects. Undefined for any other node.
 */
function sigmoidPrimeOf(e: Expr, lowered: (e: Expr) => Node): Node | undefined {
  if (e.op !== 'mul') return undefined;
  for (const [p, q] of [e.args, [e.args[1], e.args[0]]]) {
    if (sigmoidPair(p, q)) return m.sigmoidPrime(lowered(p.args[0]));
    if (p.op === 'mul' && q.op === 'sigmoid') {
      for (const [c, sz] of [p.args, [p.args[1], p.args[0]]]) {
        if (sigmoidPair(sz, q)) return ir.mul(lowered(c), m.sigmoidPrime(lowered(sz.args[0])));
      }
    }
  }
  return undefined;
}

/** The IR of `root`. */
export function lower(root: Expr, params: ParamSources): Node {
  const done = new Map<number, Node>();
  const lowered = (e: Expr): Node => done.get(e.id)!;
  const restricted = restrictBranches(root);
  for (const e of topologicalOrder([restricted])) {
    done.set(e.id, sigmoidPrimeOf(e, lowered) ?? lowerNode(e, e.args.map(lowered), params));
  }
  return done.get(restricted.id)!;
}

function lowerNode(e: Expr, a: Node[], params: ParamSources): Node {
  const [p, q, r] = a;
  switch (e.op) {
    case 'x': return ir.X;
    case 'dy': return ir.DY;
    case 'const': return ir.v(e.value as number);
    case 'param': {
      const src = params[e.value as string];
      if (!src) throw new Error(`wasm: no source for parameter '${String(e.value)}'`);
      return 'scalar' in src ? ir.scalar(src.scalar) : ir.stream(src.stream);
    }
    case 'select': return ir.select(p, q, r);
    case 'neg': return ir.neg(p);
    case 'abs': return ir.abs(p);
    case 'sign': return m.sign(p);
    case 'floor': return ir.floor(p);
    case 'round': return ir.nearest(p);
    case 'square': return ir.mul(p, p);
    case 'sqrt': return ir.sqrt(p);
    case 'reciprocal': return ir.div(1, p);
    case 'exp': return m.exp(p);
    case 'expm1': return m.expm1(p);
    case 'log': return m.log(p);
    case 'log1p': return m.log1p(p);
    case 'sigmoid': return m.sigmoid(p);
    case 'tanh': return m.tanh(p);
    case 'softplus': return m.softplus(p);
    case 'erfc': return m.erfc(p);
    case 'sin': return m.sin(p);
    case 'cos': return m.cos(p);
    case 'cosh': return m.cosh(p);
    case 'isnan': return ir.ne(p, p);
    case 'not': return ir.not(p);
    case 'add': return ir.add(p, q);
    case 'sub': return ir.sub(p, q);
    case 'mul': return ir.mul(p, q);
    case 'mulNoNan':
      // By a constant: 0 for 0, else a plain product (swish's x·β with β bound to 1 is x).
      if (q.op === 'fconst' && q.imm === q.imm) return q.imm === 0 ? ir.v(0) : ir.mul(p, q);
      return ir.select(ir.eq(q, 0), 0, ir.mul(p, q));
    case 'div': return ir.div(p, q);
    case 'min': return minMax('min', p, q);
    case 'max': return minMax('max', p, q);
    case 'lt': return ir.lt(p, q);
    case 'le': return ir.le(p, q);
    case 'gt': return ir.gt(p, q);
    case 'ge': return ir.ge(p, q);
    // Booleans compared with each other are masks: equal bits.
    case 'eq': return e.args[0].type === 'bool' ? ir.ieq(p, q) : ir.eq(p, q);
    case 'ne': return e.args[0].type === 'bool' ? ir.not(ir.ieq(p, q)) : ir.ne(p, q);
    case 'and': return ir.and(p, q);
    case 'or': return ir.or(p, q);
    default: throw new Error(`wasm: cannot lower '${e.op}'`);
  }
}
