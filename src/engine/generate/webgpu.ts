/**
 * The fast runner of the webgpu backend: each kernel call is one WGSL compute program generated
 * from the definition's float32 expression (wgsl.ts), one invocation per element.
 *
 * tfjs caches pipelines by `shaderKey` (plus ranks, dtypes and broadcast dims), never by the WGSL
 * text, so the key carries the definition, what is computed, the boolean and null parameters, which
 * parameters are tensors and a hash of the code. Fixed numeric parameters are uniforms (a new alpha reuses the pipeline);
 * learnable ones are extra inputs broadcast by tfjs's getters (get…ByOutputIndex). Without them
 * every input has x's size, so the program runs on flat views: one pipeline for every shape.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { staticKey, whichName } from '../fused';
import { registerFastRunner, type FastKernelArgs } from '../kernels';
import { flatDispatch, isWebGPUBackend, runWebGPUProgram, type WebGPUProgram } from '../tfjs-adapter';
import { hashText, kernelInputs, planFor, uniformValues, type GpuKernelPlan } from './gpu-kernel';
import { WGSL } from './wgsl';

/** tfjs's own element-wise programs use 128. */
const WORKGROUP_SIZE = 128;

const uniformName = (param: string) => `u_${param}`;
const bufferName = (param: string) => `Param_${param}`;

function variableNames(plan: GpuKernelPlan): string[] {
  return ['X', ...(plan.fused.usesDy ? ['Dy'] : []), ...plan.tensorParams.map(bufferName)];
}

interface WgslProgramCode {
  code: string;
  shaderKey: string;
  uniforms?: string;
}

const codes = new Map<string, WgslProgramCode>();

/** The program's WGSL, uniform fields and pipeline key (cached per plan). */
function programCode(plan: GpuKernelPlan, defId: string, which: string, statics: string): WgslProgramCode {
  let c = codes.get(plan.key);
  if (!c) {
    const args = ['getXByOutputIndex(index)'];
    if (plan.fused.usesDy) args.push('getDyByOutputIndex(index)');
    for (const p of plan.fused.params) {
      args.push(plan.tensorParams.includes(p) ? `get${bufferName(p)}ByOutputIndex(index)` : `uniforms.${uniformName(p)}`);
    }
    // tfjs calls main(index) for a flat dispatch; `uniforms.size` must be read (unused bindings break the bind group).
    const code = [
      plan.fused.code,
      'fn main(index : i32) {',
      '  if (index < uniforms.size) {',
      `    setOutputAtIndex(index, ta_fused(${args.join(', ')}));`,
      '  }',
      '}',
    ].join('\n');
    c = {
      code,
      // Readable parts for WEBGPU_PRINT_SHADER; the hash makes it unique (tfjs adds ranks and broadcast dims).
      shaderKey: `tfjsActivations_${defId}_${which}_${statics}_${plan.tensorParams.map((p) => `t:${p}`).join('')}_${hashText(code)}`,
      uniforms: plan.uniformParams.length ? plan.uniformParams.map((p) => `${uniformName(p)} : f32,`).join(' ') : undefined,
    };
    codes.set(plan.key, c);
  }
  return c;
}

/** The fast runner of the webgpu backend. */
export function runOnWebGPU(args: FastKernelArgs): tfc.TensorInfo {
  if (!isWebGPUBackend(args.backend)) throw new Error("tfjs-activations: the active backend is not tfjs's webgpu");
  const plan = planFor(args, WGSL);
  const { code, shaderKey, uniforms } = programCode(plan, args.def.id, whichName(args.which), staticKey(args.def, args.attrs));
  let inputs = kernelInputs(plan, args);
  let shape = args.x.shape;
  if (plan.tensorParams.length === 0) {
    // Every input is x-sized: flat views (what tfjs's Reshape does: same data, new shape).
    shape = [shape.reduce((a, b) => a * b, 1)];
    inputs = inputs.map((t) => ({ dataId: t.dataId, shape, dtype: t.dtype }));
  }
  const program: WebGPUProgram = {
    variableNames: variableNames(plan),
    outputShape: shape,
    shaderKey,
    ...flatDispatch(shape, WORKGROUP_SIZE),
    size: true,
    uniforms,
    getUserCode: () => code,
  };
  const out = runWebGPUProgram(args.backend, program, inputs, uniformValues(plan, args));
  return out.shape === args.x.shape ? out : { dataId: out.dataId, shape: args.x.shape, dtype: out.dtype };
}

registerFastRunner('webgpu', runOnWebGPU);
