/**
 * How a JavaScript kernel reads its inputs and writes its output on each backend.
 *
 * cpu: the typed arrays the backend keeps (no copy). wasm: views on the wasm heap (no copy; the
 * output is allocated first because allocating can grow the heap and detach earlier views).
 * Anything else (tensorflow, webgl, ...): readSync copies to the host and makeTensorInfo uploads.
 */
import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

/** Runs `compute` over float32 host views of `inputs`, writing a new float32 tensor of `shape`. */
export type HostRunner = (
  backend: KernelBackend,
  inputs: readonly TensorInfo[],
  shape: number[],
  compute: (inputs: ArrayLike<number>[], out: Float32Array) => void,
) => TensorInfo;

interface CpuLikeBackend extends KernelBackend {
  data: { get(dataId: object): { values?: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: DataType, values?: ArrayLike<number>): TensorInfo;
}

interface WasmLikeBackend extends KernelBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

interface HostCopyBackend extends KernelBackend {
  makeTensorInfo?(shape: number[], dtype: DataType, values?: ArrayLike<number>): TensorInfo;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

const cpuRunner: HostRunner = (backend, inputs, shape, compute) => {
  const b = backend as CpuLikeBackend;
  const views = inputs.map((t) => {
    const values = b.data.get(t.dataId).values;
    return values ?? (b.readSync(t.dataId) as ArrayLike<number>);
  });
  const out = new Float32Array(size(shape));
  compute(views, out);
  return b.makeTensorInfo(shape, 'float32', out);
};

const wasmRunner: HostRunner = (backend, inputs, shape, compute) => {
  const b = backend as WasmLikeBackend;
  const info = b.makeOutput(shape, 'float32');
  if (size(shape) === 0) return info;
  const out = b.typedArrayFromHeap(info);
  compute(inputs.map((t) => b.typedArrayFromHeap(t)), out);
  return info;
};

const hostCopyRunner: HostRunner = (backend, inputs, shape, compute) => {
  const b = backend as HostCopyBackend;
  const views = inputs.map((t) => b.readSync(t.dataId) as ArrayLike<number>);
  const out = new Float32Array(size(shape));
  compute(views, out);
  // tfjs-node has no makeTensorInfo; write() is what makeTensorInfo does elsewhere.
  if (b.makeTensorInfo) return b.makeTensorInfo(shape, 'float32', out);
  return { dataId: b.write(out, shape, 'float32'), shape, dtype: 'float32' };
};

/** Backends our JavaScript kernels are registered for up front (by name, before they load). */
export const NATIVE_KERNEL_BACKENDS = ['cpu', 'wasm', 'tensorflow'] as const;

/** The runner for a backend name. */
export function runnerFor(backendName: string): HostRunner {
  if (backendName === 'cpu') return cpuRunner;
  if (backendName === 'wasm') return wasmRunner;
  return hostCopyRunner;
}

/** True if a backend instance can run host kernels at all. */
export function canRunHostKernels(backend: KernelBackend): boolean {
  return typeof backend.readSync === 'function' && typeof backend.write === 'function';
}
