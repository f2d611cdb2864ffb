/**
 * Precision modes.
 *
 *   'exact'  float64 JavaScript kernels, rounded once: within 0.5 float32 eps of truth for values,
 *            f′ and f″. Needs synchronous reads, so it exists on cpu, wasm, tensorflow and webgl
 *            (where it copies data to the host and back), not on webgpu.
 *   'fast'   fused float32 kernels generated from the definitions' float32 forms: TensorFlow ops
 *            on tensorflow (data never leaves the device), SIMD WebAssembly on wasm, one GLSL/WGSL
 *            program per order on webgl/webgpu. Backward stable within 4 eps.
 *
 * Each backend defaults to the faster of the two; on cpu they are the same kernels (float64
 * JavaScript is cpu's fastest path too).
 */
import * as tfc from '@tensorflow/tfjs-core';

export type Precision = 'exact' | 'fast';

/** What each backend runs unless told otherwise (measured: docs/benchmarks.md). */
const DEFAULTS: Readonly<Record<string, Precision>> = {
  cpu: 'exact',
  wasm: 'fast',
  tensorflow: 'fast',
  webgl: 'fast',
  webgpu: 'fast',
};

/** Backends whose tensors can be read synchronously, so that exact kernels can run there. */
const EXACT_CAPABLE = new Set(['cpu', 'wasm', 'tensorflow', 'webgl']);

let chosen: Precision | undefined;

/**
 * Chooses the precision of every activation op from now on: 'exact' or 'fast', or 'default' for each
 * backend's own default (cpu exact; wasm, tensorflow, webgl and webgpu fast). On webgpu, which cannot
 * read tensors synchronously, 'exact' still runs the fast kernels.
 */
export function setPrecision(mode: Precision | 'default'): void {
  if (mode !== 'exact' && mode !== 'fast' && mode !== 'default') {
    throw new Error(`tfjs-activations: precision must be 'exact', 'fast' or 'default'. Received: ${String(mode)}`);
  }
  chosen = mode === 'default' ? undefined : mode;
}

/** The precision ops run with on a backend (the active one by default). */
export function getPrecision(backendName: string = tfc.getBackend()): Precision {
  if (chosen === 'exact' && !EXACT_CAPABLE.has(backendName)) return 'fast';
  return chosen ?? DEFAULTS[backendName] ?? 'fast';
}

/** True if exact (float64 JavaScript) kernels can run on the backend. */
export const canRunExact = (backendName: string): boolean => EXACT_CAPABLE.has(backendName);
