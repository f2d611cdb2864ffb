/**
 * How an exact (float64 JavaScript) kernel reads its inputs and writes its output on each backend.
 *
 * cpu: the typed arrays the backend keeps (no copy). wasm: views on the wasm heap (no copy; the
 * output is allocated first because allocating can grow the heap and detach earlier views).
 * Anything else (tensorflow, webgl, ...): readSync copies to the host and the result is uploaded.
 */
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { cpuValues, makeTensorInfo, wasmOutput, wasmView } from './tfjs-adapter';

/** Runs `compute` over float32 host views of `inputs`, writing a new float32 tensor of `shape`. */
export type HostRunner = (
  backend: KernelBackend,
  inputs: readonly TensorInfo[],
  shape: number[],
  compute: (inputs: ArrayLike<number>[], out: Float32Array) => void,
) => TensorInfo;

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

const cpuRunner: HostRunner = (backend, inputs, shape, compute) => {
  const views = inputs.map((t) => cpuValues(backend, t) ?? (backend.readSync(t.dataId) as ArrayLike<number>));
  const out = new Float32Array(size(shape));
  compute(views, out);
  return makeTensorInfo(backend, shape, out);
};

const wasmRunner: HostRunner = (backend, inputs, shape, compute) => {
  const info = wasmOutput(backend, shape);
  if (size(shape) === 0) return info;
  const out = wasmView(backend, info);
  compute(inputs.map((t) => wasmView(backend, t)), out);
  return info;
};

const hostCopyRunner: HostRunner = (backend, inputs, shape, compute) => {
  const views = inputs.map((t) => backend.readSync(t.dataId) as ArrayLike<number>);
  const out = new Float32Array(size(shape));
  compute(views, out);
  return makeTensorInfo(backend, shape, out);
};

/** Backends our exact kernels are always registered for (by name, before they load). */
export const NATIVE_KERNEL_BACKENDS = ['cpu', 'wasm', 'tensorflow'] as const;

/** The runner for a backend name. */
export function runnerFor(backendName: string): HostRunner {
  if (backendName === 'cpu') return cpuRunner;
  if (backendName === 'wasm') return wasmRunner;
  return hostCopyRunner;
}
