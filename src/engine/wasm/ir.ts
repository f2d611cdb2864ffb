/**
 * The SIMD kernels' intermediate form: a DAG of v128 values, each four float32 lanes (or four i32
 * lanes, or four lane masks: instructions read the bits as they need, so the bit tricks of exp and
 * log are ordinary nodes). Nodes are hash-consed, commutative operands sorted: equal subtrees are
 * one node, so the generated code computes each once.
 */

export type IrOp =
  // leaves: a stream read per element (x, dy, a parameter tensor), a scalar argument, constants
  | 'stream' | 'scalar' | 'fconst' | 'iconst'
  // f32x4
  | 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max' | 'pmin' | 'pmax' | 'neg' | 'abs' | 'sqrt' | 'floor' | 'nearest'
  // f32x4 comparisons, giving lane masks
  | 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge'
  // v128 bits
  | 'and' | 'or' | 'xor' | 'andnot' | 'not' | 'select'
  // i32x4
  | 'iadd' | 'isub' | 'ishl' | 'ishr_s' | 'ishr_u' | 'imin' | 'imax' | 'ieq' | 'f2i' | 'i2f'
  // fixup(fast, u, mask): lanes where mask is set recomputed by an imported float64 function of u
  | 'fixup';

export class Node {
  constructor(
    readonly id: number,
    readonly op: IrOp,
    readonly args: readonly Node[],
    /** Constant value (fconst: a float32, iconst: an i32), stream or scalar index, or shift count. */
    readonly imm?: number,
  ) {}
}

const COMMUTATIVE = new Set<IrOp>(['add', 'mul', 'and', 'or', 'xor', 'eq', 'ne', 'iadd', 'ieq']);
const table = new Map<string, Node>();
let nextId = 0;

/** The one node for (op, args, imm). */
export function node(op: IrOp, args: readonly Node[] = [], imm?: number): Node {
  if (COMMUTATIVE.has(op) && args[0].id > args[1].id) args = [args[1], args[0]];
  const key = `${op}:${imm === undefined ? '' : Object.is(imm, -0) ? '-0' : String(imm)}:${args.map((a) => a.id).join(',')}`;
  let n = table.get(key);
  if (!n) {
    n = new Node(nextId++, op, args, imm);
    table.set(key, n);
  }
  return n;
}

export type V = Node | number;
/** A number is a float32 constant in every lane. */
export const v = (a: V): Node => (typeof a === 'number' ? node('fconst', [], Math.fround(a)) : a);
export const iconst = (i: number): Node => node('iconst', [], i | 0);
const ival = (a: Node | number): Node => (typeof a === 'number' ? iconst(a) : a);

/** Stream 0 is x, 1 is dy, 2 + j the j-th parameter tensor. */
export const stream = (i: number): Node => node('stream', [], i);
export const X = stream(0);
export const DY = stream(1);
export const scalar = (i: number): Node => node('scalar', [], i);

const bin = (op: IrOp) => (a: V, b: V): Node => node(op, [v(a), v(b)]);
const un = (op: IrOp) => (a: V): Node => node(op, [v(a)]);
const isOne = (n: Node): boolean => n.op === 'fconst' && n.imm === 1;
export const add = bin('add');
export const sub = bin('sub');
/** a·b (a·1 is a, bit for bit). */
export const mul = (a: V, b: V): Node => (isOne(v(b)) ? v(a) : isOne(v(a)) ? v(b) : node('mul', [v(a), v(b)]));
export const div = (a: V, b: V): Node => (isOne(v(b)) ? v(a) : node('div', [v(a), v(b)]));
/** IEEE min/max: NaN if either operand is NaN, −0 < +0 (several instructions on x64). */
export const min = bin('min');
export const max = bin('max');
/** pmin(a, b) = b < a ? b : a; pmax(a, b) = a < b ? b : a: one instruction, a NaN `a` passes through. */
export const pmin = bin('pmin');
export const pmax = bin('pmax');
/** The sign bit of every lane. */
export const SIGN_BIT = iconst(0x80000000 | 0);
/** True for a | signbit: −|a|. */
const isNegAbs = (n: Node): boolean => n.op === 'or' && n.args.includes(SIGN_BIT);

/** −a (−(−a) is a; −|a| is one or of the sign bit). */
export const neg = (a: V): Node => {
  const x = v(a);
  if (x.op === 'neg') return x.args[0];
  if (x.op === 'abs') return node('or', [x.args[0], SIGN_BIT]);
  return node('neg', [x]);
};
/** |a| (|−a|, ||a|| and |−|a|| are |a|, so σ(x) and σ(−x) share their e^−|x|). */
export const abs = (a: V): Node => {
  const x = v(a);
  if (x.op === 'abs') return x;
  if (isNegAbs(x)) return node('abs', [x.args[0] === SIGN_BIT ? x.args[1] : x.args[0]]);
  return node('abs', [x.op === 'neg' ? x.args[0] : x]);
};
export const sqrt = un('sqrt');
export const floor = un('floor');
/** Round half to even. */
export const nearest = un('nearest');
export const eq = bin('eq');
export const ne = bin('ne');
export const lt = bin('lt');
export const gt = bin('gt');
export const le = bin('le');
export const ge = bin('ge');
export const and = (a: V, b: V): Node => node('and', [v(a), v(b)]);
export const or = (a: V, b: V): Node => node('or', [v(a), v(b)]);
export const xor = (a: V, b: V): Node => node('xor', [v(a), v(b)]);
/** a & ~b. */
export const andnot = (a: V, b: V): Node => node('andnot', [v(a), v(b)]);
export const not = un('not');
/**
 * mask ? a : b, lane by lane (v128.bitselect). A comparison choosing between its own operands is
 * one pmin/pmax, bit for bit (NaN and ±0 included): u > c ? u : c is pmax(c, u), u > c ? c : u is
 * pmin(u, c), and the same with <. A NaN guard around pmax(c, u) with c a constant other than ±0
 * is pmax(u, c) (relu6's clamp, a leaky slope's threshold).
 */
export const select = (mask: Node, aIn: V, bIn: V): Node => {
  const a = v(aIn);
  const b = v(bIn);
  if (a === b) return a;
  if (mask.op === 'gt' || mask.op === 'lt') {
    const [u, c] = mask.args;
    const greater = mask.op === 'gt';
    if (a === u && b === c) return node(greater ? 'pmax' : 'pmin', [c, u]);
    if (a === c && b === u) return node(greater ? 'pmin' : 'pmax', [u, c]);
  }
  if (mask.op === 'ne' && mask.args[0] === mask.args[1] && mask.args[0] === a && (b.op === 'pmax' || b.op === 'pmin')) {
    const [c, u] = b.args;
    if (u === a && c.op === 'fconst' && c.imm === c.imm && c.imm !== 0) return node(b.op, [u, c]);
  }
  return node('select', [mask, a, b]);
};
export const iadd = (a: Node, b: Node | number): Node => node('iadd', [a, ival(b)]);
export const isub = (a: Node, b: Node | number): Node => node('isub', [a, ival(b)]);
export const imin = (a: Node, b: Node | number): Node => node('imin', [a, ival(b)]);
export const imax = (a: Node, b: Node | number): Node => node('imax', [a, ival(b)]);
export const ieq = (a: Node, b: Node | number): Node => node('ieq', [a, ival(b)]);
export const ishl = (a: Node, s: number): Node => node('ishl', [a], s);
export const ishrS = (a: Node, s: number): Node => node('ishr_s', [a], s);
export const ishrU = (a: Node, s: number): Node => node('ishr_u', [a], s);
/** Float to i32, truncating, saturated (NaN gives 0). */
export const f2i = un('f2i');
export const i2f = (a: Node): Node => node('i2f', [a]);

/** Imported float64 functions a kernel may call for rare lanes (a fixup's imm indexes this list). */
export const IMPORTS = ['sin', 'cos'] as const;

/** `fast`, except in lanes where `mask` is set: there IMPORTS[fn](u) in float64, rounded. */
export const fixup = (fast: Node, u: Node, mask: Node, fn: (typeof IMPORTS)[number]): Node =>
  node('fixup', [fast, u, mask], IMPORTS.indexOf(fn));

/** Horner evaluation of Σ c[i]·t^i (c from the constant term up). */
export function poly(t: Node, c: readonly number[]): Node {
  let acc: Node = v(c[c.length - 1]);
  for (let i = c.length - 2; i >= 0; i--) acc = add(mul(acc, t), c[i]);
  return acc;
}

/** min(max(x, lo), hi) with a NaN x passing through (lo, hi not NaN). */
export const clamp = (x: Node, lo: number, hi: number): Node => pmin(pmax(x, lo), hi);

/** |mag| with the sign of s (mag must be non-negative). */
export const withSignOf = (mag: Node, s: Node): Node => or(mag, and(s, SIGN_BIT));

/** Every node reachable from `roots`, operands first. */
export function irOrder(roots: readonly Node[]): Node[] {
  const seen = new Set<Node>();
  const out: Node[] = [];
  const stack: Array<{ n: Node; i: number }> = roots.map((n) => ({ n, i: 0 })).reverse();
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (seen.has(top.n)) {
      stack.pop();
      continue;
    }
    if (top.i < top.n.args.length) {
      const a = top.n.args[top.i++];
      if (!seen.has(a)) stack.push({ n: a, i: 0 });
      continue;
    }
    stack.pop();
    seen.add(top.n);
    out.push(top.n);
  }
  return out;
}
