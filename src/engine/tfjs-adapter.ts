/**
 * The one place where tfjs internals are touched: members of backend objects that tfjs does not
 * document (data stores, heap views, the TensorFlow binding, program runners). Everything else in
 * the plugin uses public tfjs APIs. __tests__/adapter.test.ts checks each entry point against the
 * installed tfjs and fails loudly on an upgrade that changes one; the peer range in package.json
 * names the versions that passed it (4.22.x).
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

interface WasmBackendInternals extends KernelBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/** A new float32 output allocated on the wasm heap (allocate before taking views: it can grow the heap). */
export const wasmOutput = (backend: KernelBackend, shape: number[]): TensorInfo =>
  (backend as WasmBackendInternals).makeOutput(shape, 'float32');

/** A view of a tensor's data on the wasm heap (no copy; invalid once the heap grows). */
export const wasmView = (backend: KernelBackend, info: TensorInfo): Float32Array =>
  (backend as WasmBackendInternals).typedArrayFromHeap(info);

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
