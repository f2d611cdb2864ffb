/**
 * The one place where tfjs internals are touched: members of backend objects that tfjs does not
 * document (data stores, heap views, the TensorFlow binding, program runners), the serialization
 * class map, and the engine's gradient tape and variable registry. Everything else in the plugin uses
 * public tfjs APIs. __tests__/adapter.test.ts checks each entry point against the installed tfjs and
 * fails loudly on an upgrade that changes one; the peer range in package.json names the versions
 * that passed it (4.22.x).
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

// ---------------------------------------------------------------------------------------------
// cpu (@tensorflow/tfjs-backend-cpu): the typed array a tensor lives in, and making an output.
// ---------------------------------------------------------------------------------------------

interface CpuBackendInternals extends KernelBackend {
  data: { get(dataId: object): { values?: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: DataType, values?: ArrayLike<number>): TensorInfo;
}

/** The cpu backend's own array for a tensor (no copy), or undefined where it keeps none. */
export function cpuValues(backend: KernelBackend, info: TensorInfo): ArrayLike<number> | undefined {
  return (backend as CpuBackendInternals).data.get(info.dataId).values;
}

/** A new float32 tensor on a backend that implements makeTensorInfo (cpu, webgl, webgpu). */
export function makeTensorInfo(backend: KernelBackend, shape: number[], values: Float32Array): TensorInfo {
  const b = backend as Partial<CpuBackendInternals>;
  if (b.makeTensorInfo) return b.makeTensorInfo(shape, 'float32', values);
  // tfjs-node has no makeTensorInfo; write() is what makeTensorInfo does elsewhere.
  return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
}

// ---------------------------------------------------------------------------------------------
// wasm (@tensorflow/tfjs-backend-wasm): tensors live in the module's heap.
// ---------------------------------------------------------------------------------------------

/** The Emscripten module of tfjs-backend-wasm 4.x (Emscripten 3.1). */
interface WasmModuleInternals {
  /** Set by the threaded build, whose (shared) memory is created in JavaScript and imported. */
  wasmMemory?: WebAssembly.Memory;
  /** The simd and plain builds export their memory. */
  asm?: { memory?: WebAssembly.Memory };
  /** Where newer Emscripten versions put the exports. */
  wasmExports?: { memory?: WebAssembly.Memory };
}

interface WasmBackendInternals extends KernelBackend {
  wasm?: WasmModuleInternals;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  getMemoryOffset(dataId: object): number;
}

/** A new float32 output allocated on the wasm heap (allocate before taking views: it can grow the heap). */
export const wasmOutput = (backend: KernelBackend, shape: number[]): TensorInfo =>
  (backend as WasmBackendInternals).makeOutput(shape, 'float32');

/** A view of a tensor's data on the wasm heap (no copy; invalid once the heap grows). */
export const wasmView = (backend: KernelBackend, info: TensorInfo): Float32Array =>
  (backend as WasmBackendInternals).typedArrayFromHeap(info);

/**
 * The WebAssembly.Memory that holds the wasm backend's tensors, or undefined if `backend` is not
 * tfjs-backend-wasm as we know it. The same object for the backend's lifetime: growing it keeps
 * offsets and only detaches JavaScript views.
 */
export function wasmMemory(backend: KernelBackend): WebAssembly.Memory | undefined {
  const b = backend as Partial<WasmBackendInternals>;
  if (typeof b.getMemoryOffset !== 'function' || typeof b.makeOutput !== 'function') return undefined;
  const m = b.wasm;
  const memory = m?.wasmMemory ?? m?.asm?.memory ?? m?.wasmExports?.memory;
  return typeof WebAssembly !== 'undefined' && memory instanceof WebAssembly.Memory ? memory : undefined;
}

/** Byte offset of a tensor's data in wasmMemory(backend) (unsigned). */
export const wasmOffset = (backend: KernelBackend, info: TensorInfo): number =>
  (backend as WasmBackendInternals).getMemoryOffset(info.dataId) >>> 0;

/** The first value of a float32 tensor on the wasm heap (a scalar parameter), without a view of its data. */
export function wasmFirstValue(backend: KernelBackend, info: TensorInfo): number {
  const memory = wasmMemory(backend)!;
  return new DataView(memory.buffer).getFloat32(wasmOffset(backend, info), true);
}

/** Frees a temporary made with wasmOutput. */
export const wasmDispose = (backend: KernelBackend, info: TensorInfo): void => {
  backend.disposeData(info.dataId, true);
};

/** True if the memory is shared (tfjs's threaded build): a module importing it must say so. */
export const isSharedMemory = (memory: WebAssembly.Memory): boolean =>
  typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;

// The smallest module with a v128 instruction: (func (result v128) v128.const 0).
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

/** True if this JavaScript engine runs WebAssembly SIMD (the wasm backend may still use its plain build). */
export function wasmSimdSupported(): boolean {
  try {
    return typeof WebAssembly !== 'undefined' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// tensorflow (@tensorflow/tfjs-node, also -gpu): TensorFlow ops on device handles.
// ---------------------------------------------------------------------------------------------

interface TfOpAttr {
  name: string;
  type: number;
  value: boolean | number | string | number[];
}

interface TfBinding {
  TF_FLOAT: number;
  TF_BOOL: number;
  TF_ATTR_TYPE: number;
  TF_ATTR_FLOAT: number;
  executeOp(name: string, attrs: TfOpAttr[], inputIds: number[], numOutputs: number): Array<{ id: number; shape: number[]; dtype: number }>;
  createTensor(shape: number[], dtype: number, values: Float32Array): number;
  deleteTensor(id: number): void;
}

interface TensorflowBackendInternals extends KernelBackend {
  binding: TfBinding;
  getInputTensorIds(inputs: TensorInfo[]): number[];
  tensorMap: { set(dataId: object, data: { shape: number[]; dtype: number; id: number; values: null; refCount: number }): void };
}

/** How an op's attributes are given: its element type, and any float attributes (e.g. alpha). */
export interface TfOpOptions {
  /** Whether the op takes the element type attribute T (logical ops do not). */
  typed?: boolean;
  floatAttrs?: Readonly<Record<string, number>>;
}

/**
 * A session of TensorFlow ops on device handles: inputs are the handles of tfjs tensors, every
 * intermediate handle is deleted at the end, and the result becomes a tfjs tensor. Nothing is
 * copied to the host (tfjs-node-gpu keeps everything on the GPU).
 */
export interface TfOpSession {
  /** Handles of tfjs tensors (uploads values tfjs has not sent to TensorFlow yet, once). */
  inputs(infos: TensorInfo[]): number[];
  /** A float32 scalar handle (cached per value for constants). */
  scalar(value: number): number;
  /** Runs a TensorFlow op with one output, returning its handle. */
  op(name: string, inputs: number[], options?: TfOpOptions): number;
  /** Frees a handle `op` returned, once nothing needs it (a 4 MB temporary freed early is reused). */
  free(handle: number): void;
}

const scalarCaches = new WeakMap<KernelBackend, Map<number, number>>();
const MAX_CACHED_SCALARS = 4096;

/** True if `backend` is tfjs-node's (has the TensorFlow binding we drive). */
export function isTensorflowBackend(backend: KernelBackend): boolean {
  const b = backend as Partial<TensorflowBackendInternals>;
  return typeof b.binding?.executeOp === 'function' && typeof b.getInputTensorIds === 'function' && b.tensorMap !== undefined;
}

/** Runs `body` in a TfOpSession and returns the handle it returns as a float32 tfjs tensor of `shape`. */
export function runTensorflowOps(backend: KernelBackend, shape: number[], body: (s: TfOpSession) => number): TensorInfo {
  const b = backend as TensorflowBackendInternals;
  const binding = b.binding;
  const typeAttr: TfOpAttr = { name: 'T', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT };
  let cache = scalarCaches.get(backend);
  if (!cache) scalarCaches.set(backend, (cache = new Map()));
  const constants = cache;
  const temporaries = new Set<number>();
  const inputIds = new Set<number>();
  const session: TfOpSession = {
    inputs: (infos) => {
      const ids = b.getInputTensorIds(infos);
      ids.forEach((id) => inputIds.add(id));
      return ids;
    },
    scalar: (value) => {
      const key = Object.is(value, -0) ? -0 : value;
      let id = constants.get(key);
      if (id === undefined) {
        if (constants.size >= MAX_CACHED_SCALARS) {
          for (const old of constants.values()) binding.deleteTensor(old);
          constants.clear();
        }
        id = binding.createTensor([], binding.TF_FLOAT, Float32Array.of(value));
        constants.set(key, id);
      }
      return id;
    },
    op: (name, ins, options = {}) => {
      const attrs: TfOpAttr[] = options.typed === false ? [] : [typeAttr];
      for (const [k, v] of Object.entries(options.floatAttrs ?? {})) attrs.push({ name: k, type: binding.TF_ATTR_FLOAT, value: v });
      const id = binding.executeOp(name, attrs, ins, 1)[0].id;
      temporaries.add(id);
      return id;
    },
    free: (handle) => {
      if (temporaries.delete(handle)) binding.deleteTensor(handle);
    },
  };
  let result: number;
  try {
    result = body(session);
  } catch (e) {
    for (const id of temporaries) binding.deleteTensor(id);
    throw e;
  }
  for (const id of temporaries) if (id !== result) binding.deleteTensor(id);
  if (!temporaries.has(result)) {
    // The result is an input or a cached scalar: give tfjs a handle of its own.
    result = binding.executeOp('Identity', [typeAttr], [result], 1)[0].id;
  }
  const dataId = {};
  b.tensorMap.set(dataId, { shape, dtype: binding.TF_FLOAT, id: result, values: null, refCount: 1 });
  return { dataId, shape, dtype: 'float32' };
}

// ---------------------------------------------------------------------------------------------
// webgl (@tensorflow/tfjs-backend-webgl): GPGPU programs. The program object is the one tfjs's own
// kernels pass (GPGPUProgram); tfjs compiles it once per key (class name, input/output shapes
// unless enableShapeUniforms, userCode) and keeps the binary for the page's lifetime.
// ---------------------------------------------------------------------------------------------

/** What runWebGLProgram reads of a program (tfjs-backend-webgl's GPGPUProgram). */
export interface WebGLProgram {
  /** Samplers: each gets getName(), getNameAtOutCoords(), … in the shader. */
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  packedInputs?: boolean;
  packedOutput?: boolean;
  /** Shapes as uniforms instead of constants (one binary for every shape of a rank; ranks ≤ 4). */
  enableShapeUniforms?: boolean;
  customUniforms?: Array<{ name: string; type: 'float' }>;
}

interface WebGLBackendInternals extends KernelBackend {
  runWebGLProgram(program: WebGLProgram, inputs: TensorInfo[], outputDtype: DataType, customUniformValues?: number[][]): TensorInfo;
}

/** True if `backend` runs GPGPU programs (tfjs-backend-webgl). */
export const isWebGLBackend = (backend: KernelBackend): boolean =>
  typeof (backend as Partial<WebGLBackendInternals>).runWebGLProgram === 'function';

/** Runs a GLSL program over `inputs` into a new float32 tensor; `uniforms` in customUniforms' order. */
export function runWebGLProgram(backend: KernelBackend, program: WebGLProgram, inputs: TensorInfo[], uniforms?: number[][]): TensorInfo {
  return (backend as WebGLBackendInternals).runWebGLProgram(program, inputs, 'float32', uniforms);
}

// ---------------------------------------------------------------------------------------------
// webgpu (@tensorflow/tfjs-backend-webgpu): compute programs. tfjs prepends the bindings, the
// Uniforms struct (NAN, INFINITY, shapes, then `size` and the program's own uniforms), getters
// per input (getXByOutputIndex, …) and calls `main(index)` for a flat dispatch layout. Pipelines
// are cached under `shaderKey` plus ranks and dtypes, never the WGSL text, so the key must name
// everything that changes the code. Compile errors do not throw: they invalidate the batch.
// ---------------------------------------------------------------------------------------------

/** What runWebGPUProgram reads of a program (tfjs-backend-webgpu's WebGPUProgram). */
export interface WebGPUProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  /** Adds `size : i32` (the output's size) to the uniforms. */
  size: boolean;
  /** Extra uniform fields, e.g. 'alpha : f32, beta : f32,'. */
  uniforms?: string;
  getUserCode(): string;
}

interface WebGPUBackendInternals extends KernelBackend {
  runWebGPUProgram(
    program: WebGPUProgram,
    inputs: TensorInfo[],
    outputDtype: DataType,
    uniforms?: Array<{ type: 'float32'; data: number[] }>,
  ): TensorInfo;
}

/** True if `backend` runs WebGPU compute programs (tfjs-backend-webgpu). */
export const isWebGPUBackend = (backend: KernelBackend): boolean =>
  typeof (backend as Partial<WebGPUBackendInternals>).runWebGPUProgram === 'function';

/**
 * A program over all of `shape` with one invocation per element (what tfjs's flatDispatchLayout
 * and computeDispatch give; tfjs spreads a dispatch beyond the per-dimension limit over y and z).
 */
export function flatDispatch(shape: number[], workgroupSize: number): Pick<WebGPUProgram, 'dispatchLayout' | 'dispatch' | 'workgroupSize'> {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    dispatchLayout: { x: shape.map((_, i) => i) },
    dispatch: [Math.ceil(size / workgroupSize), 1, 1],
    workgroupSize: [workgroupSize, 1, 1],
  };
}

/** Runs a WGSL program over `inputs` into a new float32 tensor; `uniforms` in the order of program.uniforms. */
export function runWebGPUProgram(backend: KernelBackend, program: WebGPUProgram, inputs: TensorInfo[], uniforms: number[]): TensorInfo {
  return (backend as WebGPUBackendInternals).runWebGPUProgram(
    program, inputs, 'float32', uniforms.map((v) => ({ type: 'float32', data: [v] })),
  );
}

// ---------------------------------------------------------------------------------------------
// Serialization: the class map tfjs deserializes layers, activations and initializers from.
// ---------------------------------------------------------------------------------------------

/** tfjs's map from serialization names to [class, fromConfig] (read to tell who holds a name). */
export function serializationClassMap(): Record<string, unknown> {
  return (tfc.serialization.SerializationMap.getMap() as unknown as { classNameMap: Record<string, unknown> }).classNameMap;
}

/** What tfjs saves for an initializer, regularizer or constraint. */
export interface SavedObject {
  className: string;
  config: tfc.serialization.ConfigDict;
}

/**
 * The object a saved form {className, config} describes, built by the class registered under that
 * name: what tfjs-layers' own deserialize does (not exported).
 */
export function deserializeRegistered<T>(saved: SavedObject): T {
  const entry = serializationClassMap()[saved.className] as [tfc.serialization.SerializableConstructor<tfc.serialization.Serializable>, tfc.serialization.FromConfigMethod<tfc.serialization.Serializable>] | undefined;
  if (!entry) throw new Error(`tfjs-activations: no class is registered with tf.serialization as '${saved.className}'`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, { ...saved.config }) as unknown as T;
}

// ---------------------------------------------------------------------------------------------
// The engine's gradient tape.
// ---------------------------------------------------------------------------------------------

interface EngineState {
  gradientDepth: number;
  activeTape?: Array<{ saved?: Array<{ dispose(): void }> }>;
}

/**
 * Throws `error` from inside a gradient function. tfjs disposes the tape's saved tensors only when a
 * backward pass completes, so a gradient that throws leaves them kept for good (7 per attempt, even
 * inside tf.tidy). They are released first when this is the outermost backward pass (gradient depth
 * 0), whose tape nothing will read again; uses tfjs's engine state, which has no public alternative.
 */
export function throwFromGradient(error: Error): never {
  const state = (tfc.engine() as unknown as { state: EngineState }).state;
  if (state.gradientDepth === 0 && state.activeTape) {
    for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
  }
  throw error;
}

// ---------------------------------------------------------------------------------------------
// The engine's variable registry.
// ---------------------------------------------------------------------------------------------

/** Names of the variables registered with the engine now (see disposeVariablesRegisteredSince). */
export function registeredVariableNames(): Set<string> {
  return new Set(Object.keys(tfc.engine().registeredVariables));
}

/**
 * Disposes the variables registered since `before`. A tfjs layers build that fails half-way leaves
 * the variables of the layers it built registered and unreachable, and LayersModel.dispose() keeps
 * those of a layer called more than once; the engine's registry is the only handle on them.
 */
export function disposeVariablesRegisteredSince(before: Set<string>): void {
  const all = tfc.engine().registeredVariables;
  for (const name of Object.keys(all)) if (!before.has(name)) all[name].dispose();
}
