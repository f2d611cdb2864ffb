/**
 * Float32 expressions: the one description of a definition's fast path from which every fused form
 * is generated — tfjs-core op compositions, TensorFlow op sequences, GLSL, WGSL and WebAssembly.
 *
 * A definition writes f, f′ and f″ as small trees over the input `x`, its numeric parameters and a
 * fixed set of primitives (arithmetic, comparisons, select, and stable transcendental functions such
 * as sigmoid, softplus, expm1 and erfc that each generator implements without overflow or
 * cancellation). Nodes are interned: building the same subexpression twice gives the same node, so
 * every generator computes a shared part once (one local in a shader, one op on tensorflow).
 */

/** Primitive operations with one operand. */
export const UNARY_OPS = [
  'neg', 'abs', 'sign', 'floor', 'round', 'square', 'sqrt', 'reciprocal',
  'exp', 'expm1', 'log', 'log1p', 'sigmoid', 'tanh', 'softplus', 'erfc', 'sin', 'cos', 'cosh',
  'isnan', 'not',
] as const;
/** Primitive operations with two operands. */
export const BINARY_OPS = ['add', 'sub', 'mul', 'mulNoNan', 'div', 'min', 'max', 'lt', 'le', 'gt', 'ge', 'eq', 'ne', 'and', 'or'] as const;

export type UnaryOp = (typeof UNARY_OPS)[number];
export type BinaryOp = (typeof BINARY_OPS)[number];
/** Leaves: the input x, the incoming gradient dy (backward forms), parameters and constants. */
export type Op = 'x' | 'dy' | 'param' | 'const' | 'select' | UnaryOp | BinaryOp;

/** Results of comparisons, isnan, not, and, or are booleans; everything else is a float32. */
export type ExprType = 'float' | 'bool';

const BOOLEAN_OPS = new Set<Op>(['lt', 'le', 'gt', 'ge', 'eq', 'ne', 'and', 'or', 'not', 'isnan']);

/** A number or an expression, wherever an operand is expected. */
export type Operand = Expr | number;

/** One interned node. Build with the methods and the `expr` helpers; never with `new`. */
export class Expr {
  private static readonly interned = new Map<string, Expr>();
  private static nextId = 0;

  /** Unique per distinct node: equal ids mean equal expressions. */
  readonly id: number;
  readonly type: ExprType;

  private constructor(
    readonly op: Op,
    readonly args: readonly Expr[],
    /** The value of a 'const', the parameter name of a 'param'. */
    readonly value?: number | string,
  ) {
    this.id = Expr.nextId++;
    this.type = BOOLEAN_OPS.has(op) ? 'bool' : op === 'select' ? args[1].type : 'float';
  }

  /** The node for (op, args, value), made once. */
  static make(op: Op, args: readonly Expr[] = [], value?: number | string): Expr {
    const key = `${op}|${args.map((a) => a.id).join(',')}|${typeof value === 'number' ? numberKey(value) : value ?? ''}`;
    let node = Expr.interned.get(key);
    if (!node) {
      node = new Expr(op, args, value);
      Expr.interned.set(key, node);
    }
    return node;
  }

  add(b: Operand): Expr { return binary('add', this, b); }
  sub(b: Operand): Expr { return binary('sub', this, b); }
  mul(b: Operand): Expr { return binary('mul', this, b); }
  /** this·b, but 0 where b is 0 (even for an infinite this): x·g(x) at the x where g vanishes. */
  mulNoNan(b: Operand): Expr { return binary('mulNoNan', this, b); }
  div(b: Operand): Expr { return binary('div', this, b); }
  min(b: Operand): Expr { return binary('min', this, b); }
  max(b: Operand): Expr { return binary('max', this, b); }
  lt(b: Operand): Expr { return binary('lt', this, b); }
  le(b: Operand): Expr { return binary('le', this, b); }
  gt(b: Operand): Expr { return binary('gt', this, b); }
  ge(b: Operand): Expr { return binary('ge', this, b); }
  eq(b: Operand): Expr { return binary('eq', this, b); }
  ne(b: Operand): Expr { return binary('ne', this, b); }
  and(b: Expr): Expr { return binary('and', this, b); }
  or(b: Expr): Expr { return binary('or', this, b); }
  not(): Expr { return unary('not', this); }
  neg(): Expr { return unary('neg', this); }
  abs(): Expr { return unary('abs', this); }
  sign(): Expr { return unary('sign', this); }
  floor(): Expr { return unary('floor', this); }
  round(): Expr { return unary('round', this); }
  square(): Expr { return unary('square', this); }
  sqrt(): Expr { return unary('sqrt', this); }
  reciprocal(): Expr { return unary('reciprocal', this); }
  exp(): Expr { return unary('exp', this); }
  /** e^x − 1, relative-accurate near 0. */
  expm1(): Expr { return unary('expm1', this); }
  log(): Expr { return unary('log', this); }
  /** log(1 + x), relative-accurate near 0. */
  log1p(): Expr { return unary('log1p', this); }
  /** 1/(1 + e^−x), relative-accurate in both tails. */
  sigmoid(): Expr { return unary('sigmoid', this); }
  /** tanh, relative-accurate near 0. */
  tanh(): Expr { return unary('tanh', this); }
  /** log(1 + e^x) without overflow, relative-accurate in the left tail. */
  softplus(): Expr { return unary('softplus', this); }
  /** 1 − erf(x), relative-accurate in the right tail. */
  erfc(): Expr { return unary('erfc', this); }
  sin(): Expr { return unary('sin', this); }
  cos(): Expr { return unary('cos', this); }
  /** cosh (overflows to +Infinity beyond |x| ≈ 89, so 1/cosh² stays right). */
  cosh(): Expr { return unary('cosh', this); }
  isnan(): Expr { return unary('isnan', this); }
  /** this ? a : b (this must be a boolean). */
  select(a: Operand, b: Operand): Expr { return select(this, a, b); }
}

const numberKey = (v: number) => (Object.is(v, -0) ? '-0' : String(v));

/** A constant (float32-rounded, as every generator sees it). */
export function constant(v: number): Expr {
  return Expr.make('const', [], Math.fround(v));
}

const lift = (v: Operand): Expr => (typeof v === 'number' ? constant(v) : v);
const isConst = (e: Expr, v?: number): boolean => e.op === 'const' && (v === undefined || Object.is(e.value, v));

function unary(op: UnaryOp, a: Expr): Expr {
  if (a.op === 'const' && op !== 'isnan' && op !== 'not') return constant(evaluateScalar(op, [a.value as number]));
  return Expr.make(op, [a]);
}

function binary(op: BinaryOp, aIn: Operand, bIn: Operand): Expr {
  const a = lift(aIn);
  const b = lift(bIn);
  if (a.type === 'float' && b.type === 'float' && a.op === 'const' && b.op === 'const' && !BOOLEAN_OPS.has(op)) {
    return constant(evaluateScalar(op, [a.value as number, b.value as number]));
  }
  // Identities that hold for every float32 (x·0 → 0 only where x cannot be ∞ or NaN).
  if ((op === 'add' && isConst(b, 0)) || (op === 'sub' && isConst(b, 0))) return a;
  if (op === 'mul' && ((isConst(a, 0) && isBounded(b)) || (isConst(b, 0) && isBounded(a)))) return constant(0);
  if (op === 'mulNoNan' && isConst(b) && b.value !== 0) return binary('mul', a, b);
  if (op === 'add' && isConst(a, 0)) return b;
  if ((op === 'mul' || op === 'div') && isConst(b, 1)) return a;
  if (op === 'mul' && isConst(a, 1)) return b;
  // a·(1/b) is a/b: one operation, one rounding.
  if (op === 'mul' && b.op === 'reciprocal') return binary('div', a, b.args[0]);
  if (op === 'mul' && a.op === 'reciprocal') return binary('div', b, a.args[0]);
  return Expr.make(op, [a, b]);
}

function select(cond: Expr, aIn: Operand, bIn: Operand): Expr {
  if (cond.type !== 'bool') throw new Error('select: the condition must be a comparison');
  const a = lift(aIn);
  const b = lift(bIn);
  if (a === b) return a;
  const known = constantCondition(cond);
  if (known !== undefined) return known ? a : b;
  return Expr.make('select', [cond, a, b]);
}

/** True for expressions that are finite whatever x is: finite constants and selects between them. */
function isBounded(e: Expr): boolean {
  if (e.op === 'const') return Number.isFinite(e.value as number);
  if (e.op === 'select') return isBounded(e.args[1]) && isBounded(e.args[2]);
  return false;
}

/** The value of a condition made only of constants (parameters folded in), else undefined. */
function constantCondition(c: Expr): boolean | undefined {
  if (c.op === 'and' || c.op === 'or') {
    const l = constantCondition(c.args[0]);
    const r = constantCondition(c.args[1]);
    if (c.op === 'and') return l === false || r === false ? false : l && r;
    return l === true || r === true ? true : l === undefined || r === undefined ? undefined : false;
  }
  if (c.op === 'not') {
    const v = constantCondition(c.args[0]);
    return v === undefined ? undefined : !v;
  }
  if (c.args.length && c.args.every((a) => a.op === 'const')) {
    return evaluateScalar(c.op, c.args.map((a) => a.value as number)) !== 0;
  }
  return undefined;
}

/** Helpers for writing forms: `e.x`, `e.select(c, a, b)`, `e.c(2)`. */
export const expr = {
  x: Expr.make('x'),
  dy: Expr.make('dy'),
  c: constant,
  param: (name: string): Expr => Expr.make('param', [], name),
  select,
  /** The larger of a and b, NaN if either is (Math.max's rule; generators keep it). */
  max: (a: Operand, b: Operand): Expr => lift(a).max(b),
  min: (a: Operand, b: Operand): Expr => lift(a).min(b),
};

/** Float64 meaning of each primitive (the exact function it stands for). */
export function evaluateScalar(op: Op, v: number[]): number {
  const [a, b] = v;
  switch (op) {
    case 'neg': return -a;
    case 'abs': return Math.abs(a);
    case 'sign': return a > 0 ? 1 : a < 0 ? -1 : a;
    case 'floor': return Math.floor(a);
    case 'round': return roundHalfEven(a);
    case 'square': return a * a;
    case 'sqrt': return Math.sqrt(a);
    case 'reciprocal': return 1 / a;
    case 'exp': return Math.exp(a);
    case 'expm1': return Math.expm1(a);
    case 'log': return Math.log(a);
    case 'log1p': return Math.log1p(a);
    case 'sigmoid': return a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a));
    case 'tanh': return Math.tanh(a);
    case 'softplus': return a !== a ? a : Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));
    case 'erfc': return erfc64(a);
    case 'sin': return Math.sin(a);
    case 'cos': return Math.cos(a);
    case 'cosh': return Math.cosh(a);
    case 'isnan': return a !== a ? 1 : 0;
    case 'not': return a ? 0 : 1;
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'mulNoNan': return b === 0 ? 0 : a * b;
    case 'div': return a / b;
    case 'min': return Math.min(a, b);
    case 'max': return Math.max(a, b);
    case 'lt': return a < b ? 1 : 0;
    case 'le': return a <= b ? 1 : 0;
    case 'gt': return a > b ? 1 : 0;
    case 'ge': return a >= b ? 1 : 0;
    case 'eq': return a === b ? 1 : 0;
    case 'ne': return a !== b ? 1 : 0;
    case 'and': return a && b ? 1 : 0;
    case 'or': return a || b ? 1 : 0;
    default: throw new Error(`evaluateScalar: '${op}' is not a primitive`);
  }
}

/** Rounds half to even, as TensorFlow's Round and tfjs's round do. */
function roundHalfEven(a: number): number {
  const r = Math.round(a);
  return Math.abs(a % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * erfc in float64, relative error below 1e-14 (W. J. Cody's rational approximations as given in
 * many references; used only to evaluate expressions in tests and for constant folding).
 */
function erfc64(x: number): number {
  if (x !== x) return x;
  if (x === Infinity) return 0;
  if (x === -Infinity) return 2;
  const ax = Math.abs(x);
  if (ax < 0.5) return 1 - erfSeries(x);
  // Continued fraction (Lentz) for erfc(|x|)·e^(x²)·√π·|x|, converges fast for |x| ≥ 0.5.
  let f = ax, c = ax, d = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = d === 0 ? 1e-300 : 1 / d;
    c = ax + an / c;
    if (c === 0) c = 1e-300;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  // erfc(a) = e^(−a²)/(√π·f) with e^(−a²) split to keep the digits of a².
  const hi = Math.round(ax * 4096) / 4096;
  const lo = ax - hi;
  const tail = Math.exp(-hi * hi) * Math.exp(-lo * (ax + hi)) / (Math.sqrt(Math.PI) * f);
  return x > 0 ? tail : 2 - tail;
}

function erfSeries(x: number): number {
  // erf(x) = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1))
  const x2 = x * x;
  let term = x, sum = x;
  for (let n = 1; n < 40; n++) {
    term *= -x2 / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** Every node of `roots`, operands before their users (each once). */
export function topologicalOrder(roots: readonly Expr[]): Expr[] {
  const seen = new Set<number>();
  const order: Expr[] = [];
  // Iterative post-order: deep trees never overflow the stack.
  const stack: Array<{ node: Expr; next: number }> = [];
  for (const root of roots) {
    if (seen.has(root.id)) continue;
    stack.push({ node: root, next: 0 });
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.next < top.node.args.length) {
        const child = top.node.args[top.next++];
        if (!seen.has(child.id)) stack.push({ node: child, next: 0 });
        continue;
      }
      stack.pop();
      if (!seen.has(top.node.id)) {
        seen.add(top.node.id);
        order.push(top.node);
      }
    }
  }
  return order;
}

/** Parameter names an expression reads, in first-use order. */
export function paramsUsed(roots: readonly Expr[]): string[] {
  return topologicalOrder(roots).filter((n) => n.op === 'param').map((n) => n.value as string);
}

/** True for leaves: x, dy, parameters and constants. */
export const isLeaf = (n: Expr): boolean => n.op === 'x' || n.op === 'dy' || n.op === 'param' || n.op === 'const';

/** Number of nodes that compute something (not leaves). */
export function operationCount(roots: readonly Expr[]): number {
  return topologicalOrder(roots).filter((n) => !isLeaf(n)).length;
}

/** A readable one-line form, for error messages and docs: mul(x, tanh(softplus(x))). */
export function format(e: Expr): string {
  if (e.op === 'x' || e.op === 'dy') return e.op;
  if (e.op === 'param') return String(e.value);
  if (e.op === 'const') return String(e.value);
  return `${e.op}(${e.args.map(format).join(', ')})`;
}

/** The node `n` with new operands, simplified again (constant folding, identities). */
function remake(n: Expr, args: Expr[]): Expr {
  if (n.op === 'select') return select(args[0], args[1], args[2]);
  if ((UNARY_OPS as readonly string[]).includes(n.op)) return unary(n.op as UnaryOp, args[0]);
  if ((BINARY_OPS as readonly string[]).includes(n.op)) return binary(n.op as BinaryOp, args[0], args[1]);
  return n;
}

/**
 * `roots` with some parameters replaced by constants, folded: where the backend compiles nothing
 * (tensorflow runs op by op), a parameter's value can decide the structure (leakyRelu with
 * alpha = 0 is relu).
 */
export function bindParams(roots: readonly Expr[], values: Readonly<Record<string, number>>): Expr[] {
  const replaced = new Map<number, Expr>();
  for (const n of topologicalOrder(roots)) {
    let m: Expr;
    if (n.op === 'param' && typeof values[n.value as string] === 'number') m = constant(values[n.value as string]);
    else if (isLeaf(n)) m = n;
    else {
      const args = n.args.map((a) => replaced.get(a.id)!);
      m = args.every((a, i) => a === n.args[i]) ? n : remake(n, args);
    }
    replaced.set(n.id, m);
  }
  return roots.map((r) => replaced.get(r.id)!);
}
