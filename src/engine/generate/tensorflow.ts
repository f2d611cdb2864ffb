/**
 * Float32 expressions as TensorFlow ops on the tensorflow backend (tfjs-node, tfjs-node-gpu): one
 * TensorFlow op per node, run on device handles, so data never leaves the device.
 *
 * TensorFlow compiles nothing here, so parameter values are bound as constants first and fold away
 * (leakyRelu with alpha = 0 is relu). A few generic patterns become one fused TensorFlow op
 * (dy·σ(z) is SoftplusGrad, x > 0 ? x : 0 is Relu, ...), recognised by shape, never by activation:
 * each is the same function except at NaN or ±∞ (Relu keeps a NaN the select drops; SelectV2(c, a, 0)
 * gives 0 where a·0 is NaN for an infinite a). Accuracy of TensorFlow's own kernels (Eigen): within
 * 6 float32 ulp, erfc 59 ulp in its far tail; all inside the backward-stability bar.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { bindParams, Expr, expr, isLeaf, topologicalOrder } from '../expr';
import { fusedExpr, GRAD_SCALE, guardNaN, propagatesNaN, whichName } from '../fused';
import { registerFastRunner, type FastKernelArgs } from '../kernels';
import { runTensorflowOps, type TfOpOptions, type TfOpSession } from '../tfjs-adapter';

const UNARY: Partial<Record<Expr['op'], string>> = {
  neg: 'Neg', abs: 'Abs', sign: 'Sign', floor: 'Floor', round: 'Round', square: 'Square', sqrt: 'Sqrt',
  reciprocal: 'Reciprocal', exp: 'Exp', expm1: 'Expm1', log: 'Log', log1p: 'Log1p', sigmoid: 'Sigmoid',
  tanh: 'Tanh', softplus: 'Softplus', erfc: 'Erfc', sin: 'Sin', cos: 'Cos', cosh: 'Cosh', isnan: 'IsNan',
};
const BINARY: Partial<Record<Expr['op'], string>> = {
  add: 'AddV2', sub: 'Sub', mul: 'Mul', mulNoNan: 'MulNoNan', div: 'RealDiv', min: 'Minimum', max: 'Maximum',
  lt: 'Less', le: 'LessEqual', gt: 'Greater', ge: 'GreaterEqual', eq: 'Equal', ne: 'NotEqual',
};
const LOGICAL: Partial<Record<Expr['op'], string>> = { and: 'LogicalAnd', or: 'LogicalOr', not: 'LogicalNot' };

const isConst = (e: Expr, v?: number) => e.op === 'const' && (v === undefined || Object.is(e.value, v) || e.value === v);
const DY = expr.dy;

/** A fused TensorFlow op that computes node `n` exactly, from operands the caller emits. */
interface Fusion {
  op: string;
  operands: Expr[];
  floatAttrs?: Record<string, number>;
}

/** True if c is (z > lo) and (z < hi). */
const isOpenInterval = (c: Expr, lo: number, hi: number): boolean => {
  if (c.op !== 'and') return false;
  const [above, below] = c.args;
  return above.op === 'gt' && below.op === 'lt' && above.args[0] === below.args[0] && isConst(above.args[1], lo) && isConst(below.args[1], hi);
};
/** x > 0, as the fused ops decide it. */
const isPositiveTest = (c: Expr, a: Expr) => c.op === 'gt' && c.args[0] === a && isConst(c.args[1], 0);

const fullShaped = new Map<number, boolean>();
/** True if `n` has x's shape (it reads x or dy); parameters and constants may be smaller. */
function isFullShaped(n: Expr): boolean {
  let v = fullShaped.get(n.id);
  if (v === undefined) {
    v = n.op === 'x' || n.op === 'dy' || n.args.some(isFullShaped);
    fullShaped.set(n.id, v);
  }
  return v;
}

/** Patterns TensorFlow has one op for (each the same function, as accurate or more). */
function fusion(n: Expr): Fusion | undefined {
  const [a, b, c] = n.args;
  // a·σ(z) = SoftplusGrad(a, z) = a/(1 + e^−z): 1.5 ulp where TensorFlow's Sigmoid has 4–6.
  if (n.op === 'mul' && isFullShaped(a) && isFullShaped(b)) {
    if (b.op === 'sigmoid') return { op: 'SoftplusGrad', operands: [a, b.args[0]] };
    if (a.op === 'sigmoid') return { op: 'SoftplusGrad', operands: [b, a.args[0]] };
  }
  // dy/(1 + |z|)² = SoftsignGrad(dy, z).
  if (n.op === 'div' && a === DY && b.op === 'square' && b.args[0].op === 'add' && b.args[0].args[0].op === 'abs' && isConst(b.args[0].args[1], 1)) {
    return { op: 'SoftsignGrad', operands: [DY, b.args[0].args[0].args[0]] };
  }
  if (n.op === 'select' && isPositiveTest(a, b)) {
    const z = b;
    // z > 0 ? z : 0 = Relu(z); z > 0 ? z : k·z = LeakyRelu(z). (Not Elu: TensorFlow's is e^z − 1,
    // which loses every digit near 0.)
    if (isConst(c, 0)) return { op: 'Relu', operands: [z] };
    if (c.op === 'mul' && c.args[0] === z && isConst(c.args[1])) return { op: 'LeakyRelu', operands: [z], floatAttrs: { alpha: c.args[1].value as number } };
  }
  if (n.op === 'mul' && a === DY && b.op === 'select' && b.args[0].op === 'gt' && isConst(b.args[0].args[1], 0) && isConst(b.args[1], 1)) {
    const z = b.args[0].args[0];
    // dy·(z > 0 ? 1 : 0) = ReluGrad(dy, z); dy·(z > 0 ? 1 : k) = LeakyReluGrad(dy, z).
    if (isConst(b.args[2], 0)) return { op: 'ReluGrad', operands: [DY, z] };
    if (isConst(b.args[2])) return { op: 'LeakyReluGrad', operands: [DY, z], floatAttrs: { alpha: b.args[2].value as number } };
  }
  // dy·(0 < z < 6 ? 1 : 0) = Relu6Grad(dy, z) (relu6′: 1 op where the select takes 4).
  if (n.op === 'mul' && a === DY && b.op === 'select' && isConst(b.args[1], 1) && isConst(b.args[2], 0) && isOpenInterval(b.args[0], 0, 6)) {
    return { op: 'Relu6Grad', operands: [DY, b.args[0].args[0].args[0]] };
  }
  // a·(c ? 1 : 0) = SelectV2(c, a, 0): one op fewer (taking a·0 as 0 for an infinite a).
  if (n.op === 'mul' && b.op === 'select' && isConst(b.args[1], 1) && isConst(b.args[2], 0) && isFullShaped(a)) {
    return { op: 'SelectV2', operands: [b.args[0], a, b.args[2]] };
  }
  // min(max(z, 0), 6) = Relu6(z).
  if (n.op === 'min' && isConst(b, 6) && a.op === 'max' && isConst(a.args[1], 0)) return { op: 'Relu6', operands: [a.args[0]] };
  // min(max(z, lo), hi) = ClipByValue(z, lo, hi).
  if (n.op === 'min' && isConst(b) && a.op === 'max' && isConst(a.args[1]) && (a.args[1].value as number) <= (b.value as number)) {
    return { op: 'ClipByValue', operands: [a.args[0], a.args[1], b] };
  }
  return undefined;
}

/** How many nodes of `root`'s graph use each node. */
function userCounts(root: Expr): Map<number, number> {
  const users = new Map<number, number>();
  for (const n of topologicalOrder([root])) for (const a of n.args) users.set(a.id, (users.get(a.id) ?? 0) + 1);
  return users;
}

/**
 * Products regrouped so that TensorFlow can fuse them: the factors of a chain of multiplications
 * (through inner products nothing else uses) in the order full-shaped factors (dy first), then
 * scalars, then sigmoids, each sigmoid then becoming a SoftplusGrad of the running product.
 */
function regroupProducts(root: Expr): Expr {
  const users = userCounts(root);
  const rebuilt = new Map<number, Expr>();
  const get = (n: Expr) => rebuilt.get(n.id) ?? n;
  for (const n of topologicalOrder([root])) {
    if (n.op !== 'mul') {
      if (n.args.length) {
        const args = n.args.map(get);
        rebuilt.set(n.id, args.every((a, i) => a === n.args[i]) ? n : remakeNode(n, args));
      }
      continue;
    }
    const factors: Expr[] = [];
    const collect = (f: Expr, top: boolean) => {
      if (f.op === 'mul' && (top || users.get(f.id) === 1)) f.args.forEach((a) => collect(a, false));
      else factors.push(get(f));
    };
    collect(n, true);
    const sigmoids = factors.filter((f) => f.op === 'sigmoid' && isFullShaped(f.args[0]));
    const full = factors.filter((f) => !sigmoids.includes(f) && isFullShaped(f)).sort((a, b) => (b === DY ? 1 : 0) - (a === DY ? 1 : 0));
    const small = factors.filter((f) => !sigmoids.includes(f) && !isFullShaped(f));
    const ordered = [...full, ...small, ...sigmoids];
    rebuilt.set(n.id, ordered.slice(1).reduce((acc, f) => acc.mul(f), ordered[0]));
  }
  return get(root);
}

/** `n` with new operands (through the builder, so it folds again). */
function remakeNode(n: Expr, args: Expr[]): Expr {
  if (n.op === 'select') return args[0].select(args[1], args[2]);
  const method = (args[0] as unknown as Record<string, (...a: Expr[]) => Expr>)[n.op];
  return method.apply(args[0], args.slice(1));
}

/** One TensorFlow op of a plan: operands are slots, and the slots to free once it has run. */
interface Step {
  op: string;
  operands: number[];
  options: TfOpOptions;
  out: number;
  free: number[];
}

/** A compiled expression: leaves in slots, then op steps; run once per kernel call. */
interface Plan {
  slots: number;
  /** Leaf slots: 'x', 'dy', or a parameter name. */
  inputs: Array<[string, number]>;
  constants: Array<[number, number]>;
  steps: Step[];
  result: number;
}

/** Compiles `root` into a plan: fusions decided, operands in slots, temporaries freed after their last use. */
function compile(root: Expr): Plan {
  const fused = new Map<number, Fusion>();
  // Decide fusions top-down, so that the operands a fusion skips are never computed.
  const needed = new Set<number>([root.id]);
  const order = topologicalOrder([root]);
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
    if (!needed.has(n.id)) continue;
    const f = fusion(n);
    if (f) fused.set(n.id, f);
    for (const operand of f ? f.operands : n.args) needed.add(operand.id);
  }
  const operandsOf = (n: Expr) => fused.get(n.id)?.operands ?? n.args;
  const remaining = new Map<number, number>();
  for (const n of order) if (needed.has(n.id)) for (const a of operandsOf(n)) remaining.set(a.id, (remaining.get(a.id) ?? 0) + 1);
  const slotOf = new Map<number, number>();
  const plan: Plan = { slots: 0, inputs: [], constants: [], steps: [], result: 0 };
  const leafName = (n: Expr) => (n.op === 'param' ? (n.value as string) : n.op);
  for (const n of order) {
    if (!needed.has(n.id)) continue;
    const slot = plan.slots++;
    slotOf.set(n.id, slot);
    if (n.op === 'x' || n.op === 'dy' || n.op === 'param') {
      plan.inputs.push([leafName(n), slot]);
      continue;
    }
    if (n.op === 'const') {
      plan.constants.push([slot, n.value as number]);
      continue;
    }
    const f = fused.get(n.id);
    let op: string;
    let options: TfOpOptions = {};
    if (f) [op, options] = [f.op, { floatAttrs: f.floatAttrs }];
    else if (n.op === 'select') op = 'SelectV2';
    else if (LOGICAL[n.op]) [op, options] = [LOGICAL[n.op]!, { typed: false }];
    else if (UNARY[n.op]) op = UNARY[n.op]!;
    else if (BINARY[n.op]) op = BINARY[n.op]!;
    else throw new Error(`tensorflow: cannot emit '${n.op}'`);
    const free: number[] = [];
    for (const a of operandsOf(n)) {
      const left = remaining.get(a.id)! - 1;
      remaining.set(a.id, left);
      if (left === 0 && !isLeaf(a)) free.push(slotOf.get(a.id)!);
    }
    plan.steps.push({ op, operands: operandsOf(n).map((a) => slotOf.get(a.id)!), options, out: slot, free });
  }
  plan.result = slotOf.get(root.id)!;
  return plan;
}

/** Runs a plan in a session; returns the handle of the result. */
function execute(s: TfOpSession, plan: Plan, leaves: Readonly<Record<string, tfc.TensorInfo>>): number {
  const handles = new Array<number>(plan.slots);
  for (const [name, slot] of plan.inputs) handles[slot] = s.inputs([leaves[name]])[0];
  for (const [slot, value] of plan.constants) handles[slot] = s.scalar(value);
  for (const step of plan.steps) {
    handles[step.out] = s.op(step.op, step.operands.map((o) => handles[o]), step.options);
    for (const f of step.free) s.free(handles[f]);
  }
  return handles[plan.result];
}

const planCache = new Map<string, Plan>();

/** The plan a call runs (made once per definition, order, parameter values and tensor parameters). */
function planFor(args: FastKernelArgs): Plan {
  const which = whichName(args.which);
  let key = `${args.def.id}|${which}|`;
  for (const k in args.attrs) key += `${k}=${String(args.attrs[k])},`;
  if (args.tensorParams) key += `|${Object.keys(args.tensorParams).join()}`;
  let plan = planCache.get(key);
  if (!plan) {
    if (planCache.size >= 1024) planCache.clear();
    plan = compile(boundExpr(args));
    planCache.set(key, plan);
  }
  return plan;
}

/** The expression a call runs: parameters bound, NaN guarded only where it would be lost. */
function boundExpr(args: FastKernelArgs): Expr {
  const scalars: Record<string, number> = {};
  for (const [k, v] of Object.entries(args.attrs)) if (typeof v === 'number' && !args.tensorParams?.[k]) scalars[k] = v;
  const [bound] = bindParams([fusedExpr(args.def, args.which, args.attrs)], scalars);
  const regrouped = regroupProducts(bound);
  // A learnable parameter can stop a NaN x; the scale s of dy·s·f″ cannot (NaN·s is NaN for every s).
  const learnable = Object.keys(args.tensorParams ?? {}).some((k) => k !== GRAD_SCALE);
  return learnable || !propagatesNaN(asTensorflowComputesNaN(regrouped), scalars) ? guardNaN(regrouped) : regrouped;
}

/**
 * `root` as max(z, 0) where it is a select(z > 0, z, 0) that becomes TensorFlow's Relu: the same
 * function, except that Relu (like max) gives NaN at NaN where the select gives 0. Only for deciding
 * the NaN guard: relu's forward then needs no IsNan + SelectV2 (3 ops → 1). Only at the root, so
 * that no later op (a SelectV2 fusion) can drop the NaN again.
 */
function asTensorflowComputesNaN(root: Expr): Expr {
  return fusion(root)?.op === 'Relu' ? root.args[1].max(0) : root;
}

/** The fast runner of the tensorflow backend. */
export function runOnTensorflow(args: FastKernelArgs): tfc.TensorInfo {
  const plan = planFor(args);
  const leaves: Record<string, tfc.TensorInfo> = { ...args.tensorParams, x: args.x };
  if (args.dy) leaves.dy = args.dy;
  return runTensorflowOps(args.backend, args.x.shape, (s) => execute(s, plan, leaves));
}

registerFastRunner('tensorflow', runOnTensorflow);
