/**
 * Float32 expressions as WebAssembly SIMD kernels on the wasm backend (tfjs-backend-wasm): a
 * module generated at run time (src/engine/wasm/) that imports the backend's own memory and runs in
 * place on tensors at their heap offsets: no copy, no JavaScript loop over the data.
 *
 * One module per definition and parameter values holds the kernels of every order (and ∂f/∂p for
 * learnable parameters). Fixed numeric parameters are constants in the code (they fold); parameter
 * tensors are f32 arguments (one element, read once) or streams: a per-channel tensor (varying
 * along x's innermost axes only, e.g. [C] against [N, H, W, C]) is read with period C, any other
 * layout is broadcast to x's shape in a temporary first (a JavaScript copy).
 *
 * Compiling: synchronous in Node and in workers; asynchronous on a browser's main thread (Chromium
 * may refuse synchronous compiles there), where the float64 JavaScript loops run until the module
 * is ready. They also run where the engine has no WebAssembly SIMD, or the backend is not the one
 * we know.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { AnyDefinition } from '../../definition';
import { runnerFor } from '../backends';
import { fusedExpr, GRAD_SCALE, guardNaN, propagatesNaN, whichName, type FusedWhich } from '../fused';
import { bindParams, paramsUsed } from '../expr';
import { registerFastRunner, type FastKernelArgs } from '../kernels';
import { kernelLoops, scaledSecondOrder } from '../loops';
import { blockOffset, broadcastLayout, numericParams, type BroadcastLayout } from '../parametric';
import {
  isSharedMemory, wasmDispose, wasmFirstValue, wasmMemory, wasmOffset, wasmOutput, wasmSimdSupported, wasmView,
} from '../tfjs-adapter';
import { buildModule, importedFunctions, type KernelSpec } from '../wasm/codegen';
import { lower, type ParamSources } from '../wasm/lower';

type KernelFn = (...args: number[]) => void;

interface CompiledModule {
  /** Export name of each kernel, by `which` key ('0', '1', '2', 'd/alpha'). */
  names: Map<string, string>;
  exports?: Record<string, KernelFn>;
  failed?: unknown;
}

/** How modules are compiled: 'auto' (async on a browser's main thread, else sync), or forced (tests). */
export type CompileMode = 'auto' | 'sync' | 'async';
let compileMode: CompileMode = 'auto';
let simd: boolean | undefined;
/** Modules per memory: an instance is bound to the memory it imports. */
let modules = new WeakMap<WebAssembly.Memory, Map<string, CompiledModule>>();

/** For tests: how to compile, and forgetting every module and the SIMD probe. */
export function resetWasmKernels(mode: CompileMode = 'auto'): void {
  compileMode = mode;
  simd = undefined;
  modules = new WeakMap();
}

/** For tests: resolves when every module being compiled now is ready (or has failed). */
export async function wasmKernelsSettled(): Promise<void> {
  await Promise.all([...pendingCompiles]);
}
const pendingCompiles = new Set<Promise<void>>();

const onBrowserMainThread = (): boolean =>
  typeof (globalThis as { document?: unknown }).document !== 'undefined' && typeof (globalThis as { window?: unknown }).window !== 'undefined';

/**
 * A call's numeric parameters: fixed values (attrs) are bound into the code as constants (they fold:
 * relu's defaults leave x > 0 ? x : 0); parameter tensors are scalar arguments (one element: read
 * once) or streams (read per element).
 */
interface CallParams {
  /** What the expression is built with: booleans, null numbers, and every other name present. */
  statics: Record<string, unknown>;
  bound: Record<string, number>;
  /** Parameters given as one-element tensors: the kernels' f32 arguments, in this order. */
  scalarNames: string[];
  streams: Array<{ name: string; info: tfc.TensorInfo }>;
}

const paramNames = new WeakMap<AnyDefinition, Array<{ name: string; numeric: boolean }>>();
const NO_PARAMS = new WeakMap<AnyDefinition, { key: string; scalarValues: number[]; streams: tfc.TensorInfo[] }>();

/**
 * What decides the module (every parameter value, or how a tensor parameter is read) as a string,
 * with the call's scalar-tensor values and streams: the per-call part, kept cheap.
 */
function callKey(def: AnyDefinition, args: FastKernelArgs): { key: string; scalarValues: number[]; streams: tfc.TensorInfo[] } {
  let names = paramNames.get(def);
  if (!names) {
    const numeric = new Set(numericParams(def));
    paramNames.set(def, (names = Object.keys(def.params).map((name) => ({ name, numeric: numeric.has(name) }))));
  }
  if (names.length === 0) {
    let none = NO_PARAMS.get(def);
    if (!none) NO_PARAMS.set(def, (none = { key: def.id, scalarValues: [], streams: [] }));
    return none;  // read only
  }
  let key = args.tensorParams ? `${def.id}|p` : def.id;
  const scalarValues: number[] = [];
  const streams: tfc.TensorInfo[] = [];
  for (const { name, numeric } of names) {
    const info = numeric ? args.tensorParams?.[name] : undefined;
    if (!info) {
      const value = args.attrs[name];
      key += `|${Object.is(value, -0) ? '-0' : String(value)}`;
    } else if (tfc.util.sizeFromShape(info.shape) !== 1) {
      key += '|stream';
      streams.push(info);
    } else {
      const value = wasmFirstValue(args.backend, info);
      key += value !== value ? '|null' : '|scalar';
      if (value === value) scalarValues.push(value);
    }
  }
  return { key, scalarValues, streams };
}

function callParams(def: AnyDefinition, args: FastKernelArgs): CallParams {
  const statics: Record<string, unknown> = { ...args.attrs };
  const bound: Record<string, number> = {};
  const scalarNames: string[] = [];
  const streams: CallParams['streams'] = [];
  for (const name of numericParams(def)) {
    const info = args.tensorParams?.[name];
    if (!info) {
      if (typeof statics[name] === 'number') bound[name] = statics[name] as number;
      continue;
    }
    if (tfc.util.sizeFromShape(info.shape) !== 1) {
      streams.push({ name, info });
      statics[name] = 0;
      continue;
    }
    const value = wasmFirstValue(args.backend, info);
    statics[name] = value !== value ? null : value;  // null travels as NaN in a tensor
    if (value === value) scalarNames.push(name);
  }
  return { statics, bound, scalarNames, streams };
}

/** The kernels of one module: orders 0–2 and dy·s·f″ (plain calls), or 0, 1 and ∂f/∂p (learnable parameters). */
function moduleKernels(def: AnyDefinition, p: CallParams, parametric: boolean): Array<{ which: FusedWhich; spec: KernelSpec }> {
  const sources: Record<string, ParamSources[string]> = {};
  p.scalarNames.forEach((name, i) => (sources[name] = { scalar: i }));
  p.streams.forEach((s, j) => (sources[s.name] = { stream: 2 + j }));
  const whichs: FusedWhich[] = parametric
    ? [0, 1, ...numericParams(def).filter((n) => def.float32.paramDerivatives[n]).map((param) => ({ param }))]
    : [0, 1, 2, 'scaled2'];
  return whichs.map((which, i) => {
    const [e] = bindParams([fusedExpr(def, which, p.statics)], p.bound);
    // A NaN x must give NaN: checked once where no parameter can change the answer, else guarded
    // (the scale s of dy·s·f″ cannot stop a NaN: NaN·s is NaN).
    const scaled = which === 'scaled2';
    const free = paramsUsed([e]).filter((n) => n !== GRAD_SCALE);
    const guarded = free.length === 0 && propagatesNaN(e, {}) ? e : guardNaN(e);
    const streams = 2 + p.streams.length;
    // s is one more stream, after the parameters' (plain calls only: learnable parameters have none).
    const kernelSources = scaled ? { ...sources, [GRAD_SCALE]: { stream: streams } } : sources;
    return { which, spec: { name: `k${i}`, body: lower(guarded, kernelSources), streams: streams + (scaled ? 1 : 0), scalars: p.scalarNames.length } };
  });
}

function compile(memory: WebAssembly.Memory, def: AnyDefinition, p: CallParams, parametric: boolean): CompiledModule {
  const mod: CompiledModule = { names: new Map() };
  let bytes: Uint8Array;
  try {
    const kernels = moduleKernels(def, p, parametric);
    for (const k of kernels) mod.names.set(whichName(k.which), k.spec.name);
    bytes = buildModule(kernels.map((k) => k.spec), isSharedMemory(memory));
  } catch (e) {
    mod.failed = e;  // a form this generator cannot emit: the JavaScript loops run it
    return mod;
  }
  const imports = { env: { memory, ...importedFunctions() } };
  const async = compileMode === 'async' || (compileMode === 'auto' && onBrowserMainThread());
  if (!async) {
    try {
      mod.exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports as Record<string, KernelFn>;
    } catch (e) {
      mod.failed = e;
    }
    return mod;
  }
  const pending = WebAssembly.instantiate(bytes, imports).then(
    (r) => void (mod.exports = r.instance.exports as Record<string, KernelFn>),
    (e) => void (mod.failed = e),
  ).finally(() => pendingCompiles.delete(pending));
  pendingCompiles.add(pending);
  return mod;
}

/** The layout of parameter streams against x: their period if native, or null if they must be broadcast first. */
function streamPeriod(x: tfc.TensorInfo, streams: tfc.TensorInfo[]): { period: number; layout: BroadcastLayout | null } {
  const n = tfc.util.sizeFromShape(x.shape);
  if (streams.length === 0) return { period: n, layout: null };
  const layout = broadcastLayout(x.shape, streams.map((s) => s.shape));
  if (!layout) throw new Error(`wasm: parameter shapes do not broadcast to [${x.shape.join(', ')}]`);
  const native = layout.innerStrides.every((s) => s === 1) && layout.outerStrides.every((o) => o.every((s) => s === 0));
  return { period: native ? layout.inner : n, layout: native ? null : layout };
}

/** Writes a parameter's values broadcast to x's size (parameter j of `layout`) into `target`. */
function broadcastInto(values: ArrayLike<number>, layout: BroadcastLayout, j: number, target: Float32Array | Float64Array): void {
  const { outerSizes, inner } = layout;
  const innerStride = layout.innerStrides[j];
  const blocks = outerSizes.reduce((a, b) => a * b, 1);
  for (let blk = 0; blk < blocks; blk++) {
    const off = blockOffset(layout, j, blk);
    for (let t = 0; t < inner; t++) target[blk * inner + t] = values[off + t * innerStride];
  }
}

/** Calls run so far by the SIMD kernels and by the JavaScript loops (what a page can check). */
export const wasmRunCounts = { simd: 0, javascript: 0 };

const warned = new Set<string>();
const MAX_MODULES = 256;

/** The fast runner of the wasm backend. */
export function runOnWasm(call: FastKernelArgs): tfc.TensorInfo {
  // The scale of dy·s·f″ is a stream of its own, not a learnable parameter.
  const scale = call.which === 'scaled2' ? call.tensorParams?.[GRAD_SCALE] : undefined;
  if (call.which === 'scaled2' && !scale) throw new Error(`${call.def.id}: the scaled second-order kernel needs its scale`);
  const args = scale ? { ...call, tensorParams: undefined } : call;
  const { def, backend, x } = args;
  const memory = wasmMemory(backend);
  if (!memory || !(simd ??= wasmSimdSupported())) return runInJavaScript(call);
  const { key, scalarValues, streams } = callKey(def, args);
  let perMemory = modules.get(memory);
  if (!perMemory) modules.set(memory, (perMemory = new Map()));
  let mod = perMemory.get(key);
  if (!mod) {
    // Bound values make a module per value: a program sweeping a parameter starts over now and then.
    if (perMemory.size >= MAX_MODULES) perMemory.clear();
    perMemory.set(key, (mod = compile(memory, def, callParams(def, args), args.tensorParams !== undefined)));
  }
  if (!mod.exports) {
    if (mod.failed && !warned.has(key)) {
      warned.add(key);
      console.warn(`tfjs-activations: the wasm kernels of ${def.id} did not compile; using JavaScript loops (${String(mod.failed)})`);
    }
    return runInJavaScript(call);
  }
  const fn = mod.exports[mod.names.get(whichName(args.which))!];
  const n = tfc.util.sizeFromShape(x.shape);
  const out = wasmOutput(backend, x.shape);  // first: allocating can grow the heap (offsets stay)
  if (n === 0) return out;
  wasmRunCounts.simd++;
  const xAt = wasmOffset(backend, x);
  const dyAt = args.dy ? wasmOffset(backend, args.dy) : 0;
  if (streams.length === 0) {
    // The common call, without arrays: f32 arguments only if a parameter tensor has one value.
    if (scale) fn(wasmOffset(backend, out), n, n, xAt, dyAt, wasmOffset(backend, scale));
    else if (scalarValues.length === 0) fn(wasmOffset(backend, out), n, n, xAt, dyAt);
    else fn(wasmOffset(backend, out), n, n, xAt, dyAt, ...scalarValues);
    return out;
  }
  const { period, layout } = streamPeriod(x, streams);
  const temporaries: tfc.TensorInfo[] = [];
  const streamInfos = streams.map((info, j) => {
    if (!layout) return info;
    const full = wasmOutput(backend, x.shape);
    temporaries.push(full);
    broadcastInto(wasmView(backend, info), layout, j, wasmView(backend, full));
    return full;
  });
  try {
    fn(wasmOffset(backend, out), n, period, xAt, dyAt, ...streamInfos.map((info) => wasmOffset(backend, info)), ...scalarValues);
  } finally {
    for (const t of temporaries) wasmDispose(backend, t);
  }
  return out;
}

/**
 * The same results from float64 JavaScript (the exact kernels' loops): where SIMD is missing or
 * a module is still compiling.
 */
function runInJavaScript(args: FastKernelArgs): tfc.TensorInfo {
  const { def, which, attrs, x, dy, backend } = args;
  wasmRunCounts.javascript++;
  const run = runnerFor('wasm');
  if (which === 'scaled2') {
    const loops = kernelLoops(def, 'wasm');
    return run(backend, [dy!, args.tensorParams![GRAD_SCALE], x], x.shape, ([dys, ss, xs], out) =>
      scaledSecondOrder(loops, dys, ss, xs, out, attrs));
  }
  if (!args.tensorParams && typeof which === 'number') {
    const loops = kernelLoops(def, 'wasm');
    if (which === 0) return run(backend, [x], x.shape, ([xs], out) => loops.forward(xs, out, attrs));
    return run(backend, [dy!, x], x.shape, ([dys, xs], out) => (which === 1 ? loops.grad1 : loops.grad2)(dys, xs, out, attrs));
  }
  const fn = (typeof which === 'number'
    ? [def.forward, def.derivative, def.secondDerivative][which]
    : def.paramDerivatives[which.param]) as (x: number, p: Record<string, unknown>) => number;
  const names = numericParams(def).filter((n) => args.tensorParams?.[n]);
  const infos = names.map((n) => args.tensorParams![n]);
  const layout = broadcastLayout(x.shape, infos.map((t) => t.shape))!;
  const inputs = dy ? [x, dy, ...infos] : [x, ...infos];
  return run(backend, inputs, x.shape, ([xs, ...rest], out) => {
    const dys = dy ? rest.shift()! : null;
    const full = rest.map((values, j) => {
      const a = new Float64Array(out.length);
      broadcastInto(values, layout, j, a);
      return a;
    });
    const p: Record<string, unknown> = { ...attrs };
    for (let i = 0; i < out.length; i++) {
      names.forEach((name, j) => (p[name] = full[j][i] !== full[j][i] ? null : full[j][i]));
      const v = xs[i];
      out[i] = v !== v ? NaN : dys ? dys[i] * fn.call(def, v, p) : fn.call(def, v, p);
    }
  });
}

registerFastRunner('wasm', runOnWasm);
