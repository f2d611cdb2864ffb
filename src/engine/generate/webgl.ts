/**
 * The fast runner of the webgl backend: each kernel call is one GLSL program, generated from the
 * definition's float32 expression (glsl.ts) and cached by tfjs as a compiled binary.
 *
 * Programs are packed (four values per texel, as tfjs's own element-wise kernels are by default):
 * an unpacked program on packed inputs would cost an unpack pass per input. Fixed numeric
 * parameters are uniforms, so a new alpha reuses the binary; learnable ones are extra inputs that
 * tfjs's samplers broadcast (getP…AtOutCoords). Shapes follow tfjs's WEBGL_USE_SHAPES_UNIFORMS
 * (off by default: one binary per shape, as for tfjs's kernels). WebGL 1 has no bit operations (NaN tests, 2^k): there the kernels
 * evaluate the same expression on the host (evaluate32), slower but exact to float32 rounding.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { evaluate32 } from '../eval32';
import { registerFastRunner, type FastKernelArgs } from '../kernels';
import { isWebGLBackend, makeTensorInfo, runWebGLProgram, type WebGLProgram } from '../tfjs-adapter';
import { GLSL } from './glsl';
import { kernelInputs, planFor, uniformValues, type GpuKernelPlan } from './gpu-kernel';

const uniformName = (param: string) => `u_${param}`;
const samplerName = (param: string) => `Param_${param}`;

/** Sampler names of the inputs: X, Dy, Param_<name>…. */
function variableNames(plan: GpuKernelPlan): string[] {
  return ['X', ...(plan.fused.usesDy ? ['Dy'] : []), ...plan.tensorParams.map(samplerName)];
}

/** ta_fused's arguments for one value (`lane` is '' unpacked, '.x' … '.w' packed). */
function callArguments(plan: GpuKernelPlan, lane: string): string {
  const args = [`x${lane}`];
  if (plan.fused.usesDy) args.push(`dy${lane}`);
  for (const p of plan.fused.params) args.push(plan.tensorParams.includes(p) ? `${samplerName(p)}_v${lane}` : uniformName(p));
  return args.join(', ');
}

const userCodes = new Map<string, string>();

/** The program's GLSL (cached per plan and packing). */
function userCode(plan: GpuKernelPlan, packed: boolean): string {
  const key = `${plan.key}|${packed}`;
  let code = userCodes.get(key);
  if (!code) {
    const type = packed ? 'vec4' : 'float';
    const reads = [
      `  ${type} x = getXAtOutCoords();`,
      ...(plan.fused.usesDy ? [`  ${type} dy = getDyAtOutCoords();`] : []),
      ...plan.tensorParams.map((p) => `  ${type} ${samplerName(p)}_v = get${samplerName(p)}AtOutCoords();`),
    ];
    const result = packed
      ? `vec4(${['.x', '.y', '.z', '.w'].map((lane) => `ta_fused(${callArguments(plan, lane)})`).join(', ')})`
      : `ta_fused(${callArguments(plan, '')})`;
    code = [plan.fused.code, 'void main() {', ...reads, `  setOutput(${result});`, '}'].join('\n');
    userCodes.set(key, code);
  }
  return code;
}

/** values of `shape` broadcast (right-aligned) to `to`. */
function broadcast(values: Float32Array, shape: number[], to: number[], size: number): Float32Array {
  if (values.length === size) return values;
  const out = new Float32Array(size);
  const strides = to.map((_, a) => {
    const d = shape[a - (to.length - shape.length)] ?? 1;
    return d === 1 ? 0 : shape.slice(a - (to.length - shape.length) + 1).reduce((m, n) => m * n, 1);
  });
  for (let i = 0; i < size; i++) {
    let j = 0;
    for (let a = to.length - 1, r = i; a >= 0; a--) {
      j += (r % to[a]) * strides[a];
      r = Math.floor(r / to[a]);
    }
    out[i] = values[j];
  }
  return out;
}

/** WebGL 1: the expression on host copies (no bit operations in GLSL ES 1.00). */
function runOnHost(plan: GpuKernelPlan, args: FastKernelArgs): tfc.TensorInfo {
  const { backend, x } = args;
  const read = (t: tfc.TensorInfo) => backend.readSync(t.dataId) as Float32Array;
  const size = x.shape.reduce((a, b) => a * b, 1);
  const params: Record<string, number | Float32Array> = {};
  const uniforms = uniformValues(plan, args);
  plan.uniformParams.forEach((p, i) => (params[p] = uniforms[i]));
  for (const p of plan.tensorParams) {
    const t = args.tensorParams![p];
    params[p] = broadcast(read(t), t.shape, x.shape, size);
  }
  const out = evaluate32(plan.root, { x: read(x), dy: args.dy ? read(args.dy) : undefined, params });
  return makeTensorInfo(backend, x.shape, out);
}

/** The fast runner of the webgl backend. */
export function runOnWebGL(args: FastKernelArgs): tfc.TensorInfo {
  if (!isWebGLBackend(args.backend)) throw new Error(`tfjs-activations: backend '${tfc.getBackend()}' is not tfjs's webgl`);
  const plan = planFor(args, GLSL);
  if (tfc.env().getNumber('WEBGL_VERSION') !== 2) return runOnHost(plan, args);
  const packed = tfc.env().getBool('WEBGL_PACK');
  const program: WebGLProgram = {
    variableNames: variableNames(plan),
    outputShape: args.x.shape,
    userCode: userCode(plan, packed),
    packedInputs: packed,
    packedOutput: packed,
    // tfjs's own switch: baked shapes run faster (SwiftShader: shape uniforms cost 1.1-2x, measured)
    // but compile once per shape; with WEBGL_USE_SHAPES_UNIFORMS one binary serves every shape.
    enableShapeUniforms: tfc.env().getBool('WEBGL_USE_SHAPES_UNIFORMS') && args.x.shape.length <= 4,
    customUniforms: plan.uniformParams.map((p) => ({ name: uniformName(p), type: 'float' as const })),
  };
  return runWebGLProgram(args.backend, program, kernelInputs(plan, args), uniformValues(plan, args).map((v) => [v]));
}

registerFastRunner('webgl', runOnWebGL);
