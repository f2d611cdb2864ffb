/**
 * A float32 expression as one shader function, for GLSL and WGSL (glsl.ts, wgsl.ts give the
 * dialect): `ta_fused(x, dy, param_<name>…)`, one local per node in topological order (so a shared
 * subexpression is computed once), preceded by the math helpers it calls (shader-math.ts) and
 * nothing else.
 */
import { topologicalOrder, type Expr } from '../expr';
import { helperSource, literal, type Dialect } from './shader-math';

/** How the dialect writes what differs beyond the common notation. */
export interface ExpressionDialect extends Dialect {
  /** A finite float32 constant; NaN and ±Infinity are never literals (compilers reject or fold them). */
  constant(v: number): string;
  select(cond: string, a: string, b: string): string;
  roundHalfEven(a: string): string;
}

/** The name of a parameter's argument in the generated function. */
export const paramArgument = (name: string): string => `param_${name}`;

/** Helper each primitive calls (the rest are operators or builtins). */
const HELPER_OF: Partial<Record<Expr['op'], string>> = {
  sign: 'ta_sign', sqrt: 'ta_sqrt', exp: 'ta_exp', expm1: 'ta_expm1', log: 'ta_log', log1p: 'ta_log1p',
  sigmoid: 'ta_sigmoid', tanh: 'ta_tanh', softplus: 'ta_softplus', erfc: 'ta_erfc', sin: 'ta_sin', cos: 'ta_cos',
  cosh: 'ta_cosh', isnan: 'ta_isnan', mulNoNan: 'ta_mulNoNan', min: 'ta_min', max: 'ta_max', ne: 'ta_ne',
};

const INFIX: Partial<Record<Expr['op'], string>> = {
  add: '+', sub: '-', mul: '*', div: '/', lt: '<', le: '<=', gt: '>', ge: '>=', eq: '==', and: '&&', or: '||',
};

/** A constant in any range: literals for ordinary values, bits or special helpers otherwise. */
function constantText(v: number, d: ExpressionDialect, helpers: Set<string>): string {
  if (Number.isNaN(v)) {
    helpers.add('ta_nan');
    return 'ta_nan()';
  }
  if (!Number.isFinite(v)) {
    helpers.add('ta_inf');
    return v > 0 ? 'ta_inf()' : '(-ta_inf())';
  }
  if (Math.abs(v) >= 1e38 || (v !== 0 && Math.abs(v) < 2 ** -126)) {
    // Near the ends of the range a decimal literal may round past float32's limits: the bits instead.
    helpers.add('ta_fromBits');
    return `ta_fromBits(0x${new Uint32Array(Float32Array.of(v).buffer)[0].toString(16)}u)`;
  }
  return d.constant(v);
}

/** Shader text of one node from its operands' texts. */
function nodeText(n: Expr, a: string[], d: ExpressionDialect, helpers: Set<string>): string {
  const helper = HELPER_OF[n.op];
  if (helper) {
    helpers.add(helper);
    return `${helper}(${a.join(', ')})`;
  }
  const infix = INFIX[n.op];
  if (infix) return `(${a[0]} ${infix} ${a[1]})`;
  switch (n.op) {
    case 'neg': return `(-${a[0]})`;
    case 'abs': return `abs(${a[0]})`;
    case 'floor': return `floor(${a[0]})`;
    case 'round': return d.roundHalfEven(a[0]);
    case 'square': return `(${a[0]} * ${a[0]})`;
    case 'reciprocal': return `(1.0 / ${a[0]})`;
    case 'not': return `(!${a[0]})`;
    case 'select': return d.select(a[0], a[1], a[2]);
    default: throw new Error(`shader: cannot emit '${n.op}'`);
  }
}

export interface FusedSource {
  /** Helpers and the function `ta_fused`. */
  code: string;
  /** Whether ta_fused takes dy (after x). */
  usesDy: boolean;
  /** Parameters ta_fused takes (after x and dy), in order. */
  params: string[];
}

/** `root` as the function `ta_fused(x[, dy], param_…)` returning a float32. */
export function fusedFunction(root: Expr, d: ExpressionDialect): FusedSource {
  const order = topologicalOrder([root]);
  const helpers = new Set<string>();
  const names = new Map<number, string>();
  const lines: string[] = [];
  let usesDy = false;
  const params: string[] = [];
  for (const n of order) {
    switch (n.op) {
      case 'x': names.set(n.id, 'x'); continue;
      case 'dy': usesDy = true; names.set(n.id, 'dy'); continue;
      case 'param': params.push(n.value as string); names.set(n.id, paramArgument(n.value as string)); continue;
      case 'const': names.set(n.id, constantText(n.value as number, d, helpers)); continue;
    }
    const name = `v${lines.length}`;
    lines.push(`  ${d.declare(n.type === 'bool' ? 'bool' : 'f32', name, nodeText(n, n.args.map((a) => names.get(a.id)!), d, helpers), true)}`);
    names.set(n.id, name);
  }
  const args: Array<[string, string]> = [['f32', 'x'], ...(usesDy ? [['f32', 'dy'] as [string, string]] : []), ...params.map((p) => ['f32', paramArgument(p)] as [string, string])];
  const result = root.type === 'bool' ? d.select(names.get(root.id)!, literal(1), literal(0)) : names.get(root.id)!;
  const fn = [d.header('f32', 'ta_fused', args), ...lines, `  return ${result};`, '}'].join('\n');
  return { code: `${helperSource(helpers, d)}\n${fn}`, usesDy, params };
}
