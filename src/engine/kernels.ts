/**
 * Kernels and gradients generated from a definition.
 *
 * Three kernels per activation, all one pass over float32 data with float64 math:
 *   forward  y = f(x)
 *   grad1    dx = dy * f'(x)
 *   grad2    dx = dy * f''(x)
 * Gradients: d forward = grad1; d grad1 = (grad1 for dy, grad2 for x); d grad2 = (grad2 for dy,
 * an error for x: third derivatives are not part of a definition). So tf.grad(tf.grad(f)) works and
 * nothing differentiates the forward formula. The loops themselves are in loops.ts (one copy per
 * definition and backend, so each call to the definition's function is monomorphic).
 */
import {
  ENGINE_KERNEL_MARK,
  type KernelNames,
} from './names';
import * as tfc from '@tensorflow/tfjs-core';
import type { AnyDefinition } from '../definition';
import { runnerFor } from './backends';
import { kernelLoops, type KernelLoops } from './loops';

/** A kernel function for one order of one definition on one backend. */
function makeKernelFunc(order: 0 | 1 | 2, loops: KernelLoops, backendName: string): tfc.KernelFunc {
  const run = runnerFor(backendName);
  if (order === 0) {
    return ({ inputs, backend, attrs }) => {
      const x = inputs.x as tfc.TensorInfo;
      return run(backend as tfc.KernelBackend, [x], x.shape, ([xs], out) => loops.forward(xs, out, attrs));
    };
  }
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as tfc.TensorInfo;
    const dy = inputs.dy as tfc.TensorInfo;
    return run(backend as tfc.KernelBackend, [dy, x], x.shape, ([dys, xs], out) =>
      (order === 1 ? loops.grad1 : loops.grad2)(dys, xs, out, attrs));
  };
}

/** Registers the three kernels of `def` for a backend name; skips those already there. */
export function registerKernelsFor(def: AnyDefinition, names: KernelNames, backendName: string): void {
  const loops = kernelLoops(def, backendName);
  const orders = [names.forward, names.grad1, names.grad2];
  orders.forEach((kernelName, order) => {
    const existing = tfc.getKernel(kernelName, backendName) as (tfc.KernelConfig & { [ENGINE_KERNEL_MARK]?: true }) | undefined;
    if (existing) {
      if (existing[ENGINE_KERNEL_MARK]) return;  // ours (maybe from another copy of the plugin)
      throw new Error(
        `tfjs-activations: a kernel named '${kernelName}' is already registered for '${backendName}' by ` +
          'someone else; refusing to replace it.',
      );
    }
    const config: tfc.KernelConfig & { [ENGINE_KERNEL_MARK]: true } = {
      kernelName,
      backendName,
      kernelFunc: makeKernelFunc(order as 0 | 1 | 2, loops, backendName),
      [ENGINE_KERNEL_MARK]: true,
    };
    tfc.registerKernel(config);
  });
}
