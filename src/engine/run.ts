/**
 * Running a definition's kernels on the current backend, registering host kernels on the fly for
 * backends we did not know about (webgl, webgpu, ...), which then compute on the CPU.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { AnyDefinition } from '../definition';
import { canRunHostKernels } from './backends';
import { registerKernelsFor } from './kernels';
import { kernelNames } from './names';

const warnedBackends = new Set<string>();

/** Makes sure `def`'s kernels exist for the active backend. */
export function ensureKernels(def: AnyDefinition): void {
  const backendName = tfc.getBackend();
  const names = kernelNames(def.id);
  if (tfc.getKernel(names.forward, backendName)) return;
  const backend = tfc.backend();
  if (!canRunHostKernels(backend)) {
    throw new Error(
      `tfjs-activations: backend '${backendName}' cannot read tensors synchronously, so ${def.id} cannot run on it.`,
    );
  }
  if (!warnedBackends.has(backendName)) {
    warnedBackends.add(backendName);
    console.warn(
      `tfjs-activations: no native kernels for backend '${backendName}'; computing activations on the ` +
        'CPU (exact, but each call copies data to the host and back).',
    );
  }
  registerKernelsFor(def, names, backendName);
}

/** y = f(x) (order 0), or dy * f'(x) / dy * f''(x) (orders 1, 2). `attrs` are resolved params. */
export function runOrder(
  def: AnyDefinition,
  order: 0 | 1 | 2,
  dy: tfc.Tensor | null,
  x: tfc.Tensor,
  attrs: tfc.NamedAttrMap,
): tfc.Tensor {
  ensureKernels(def);
  const names = kernelNames(def.id);
  if (order === 0) return tfc.engine().runKernel(names.forward, { x }, attrs) as tfc.Tensor;
  const kernel = order === 1 ? names.grad1 : names.grad2;
  return tfc.engine().runKernel(kernel, { dy: dy as tfc.Tensor, x }, attrs) as tfc.Tensor;
}
