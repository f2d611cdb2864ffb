/**
 * What a webgl or webgpu kernel call computes, shared by both runners: the expression (NaN guarded
 * by a bit test), which inputs it reads (x, dy, learnable parameters as tensors broadcast inside
 * the shader) and which parameters are uniforms (fixed numbers: changing them never recompiles).
 * Everything that changes the generated code is in `key`; plans are cached by it.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import type { Expr } from '../expr';
import { fusedExpr, guardNaN, staticKey, whichName } from '../fused';
import type { FastKernelArgs } from '../kernels';
import { fusedFunction, type ExpressionDialect, type FusedSource } from './shader';

export interface GpuKernelPlan {
  /** Definition, order or parameter, fixed parameters, which parameters are tensors, dialect. */
  key: string;
  root: Expr;
  fused: FusedSource;
  /** Parameters read from tensors, in ta_fused's argument order. */
  tensorParams: string[];
  /** Parameters passed as uniforms, in ta_fused's argument order. */
  uniformParams: string[];
}

const plans = new Map<string, GpuKernelPlan>();
const MAX_PLANS = 2048;

/** The plan of a kernel call (built once per key). */
export function planFor(args: FastKernelArgs, dialect: ExpressionDialect): GpuKernelPlan {
  const tensorNames = Object.keys(args.tensorParams ?? {}).sort();
  const key = `${args.def.id}|${whichName(args.which)}|${staticKey(args.def, args.attrs)}|${tensorNames.join(',')}|${dialect.name}`;
  let plan = plans.get(key);
  if (!plan) {
    if (plans.size >= MAX_PLANS) plans.clear();
    // Always guarded: GPU compilers may assume no NaN in comparisons, min and max.
    const root = guardNaN(fusedExpr(args.def, args.which, args.attrs));
    const fused = fusedFunction(root, dialect);
    plan = {
      key,
      root,
      fused,
      tensorParams: fused.params.filter((p) => tensorNames.includes(p)),
      uniformParams: fused.params.filter((p) => !tensorNames.includes(p)),
    };
    plans.set(key, plan);
  }
  return plan;
}

/** The uniform values of a call, in plan.uniformParams order. */
export function uniformValues(plan: GpuKernelPlan, args: FastKernelArgs): number[] {
  return plan.uniformParams.map((name) => {
    const v = args.attrs[name];
    if (typeof v !== 'number') throw new Error(`${args.def.id}: parameter '${name}' has no value (got ${String(v)})`);
    return v;
  });
}

/** The tensors a call reads, in order: x, dy if the expression uses it, then tensor parameters. */
export function kernelInputs(plan: GpuKernelPlan, args: FastKernelArgs): tfc.TensorInfo[] {
  const inputs = [args.x];
  if (plan.fused.usesDy) {
    if (!args.dy) throw new Error(`${args.def.id}: the ${whichName(args.which)} kernel needs dy`);
    inputs.push(args.dy);
  }
  for (const name of plan.tensorParams) inputs.push(args.tensorParams![name]);
  return inputs;
}

/** A 53-bit hash of a text, in base 36 (program keys). */
export function hashText(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
