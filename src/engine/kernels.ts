/**
 * Kernels and gradients generated from a definition.
 *
 * Three kernels per activation, all one pass over float32 data with float64 math:
 *   forward  y = f(x)
 *   grad1    dx = dy * f'(x)
 *   grad2    dx = dy * f''(x)
 * Gradients: d forward = grad1; d grad1 = (grad1 for dy, grad2 for x); d grad2 = (grad2 for dy,
 * an error for x: third derivatives are not part of a definition). So tf.grad(tf.grad(f)) works and
 * nothing differentiates the forward formula. Some definitions have dedicated forward/grad1 loops
 * (loops.ts) that compute the same values faster than the generic loop here.
 */
import {
  ENGINE_KERNEL_MARK,
  type KernelNames,
} from './names';
import * as tfc from '@tensorflow/tfjs-core';
import type { AnyDefinition } from '../definition';
import { runnerFor } from './backends';
import { DEDICATED_LOOPS } from './loops';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Scalar = (x: number, p: any) => number;

/** A kernel function for one order of one definition on one backend. */
function makeKernelFunc(def: AnyDefinition, order: 0 | 1 | 2, backendName: string): tfc.KernelFunc {
  const run = runnerFor(backendName);
  const fn: Scalar =
    order === 0 ? def.forward.bind(def) : order === 1 ? def.derivative.bind(def) : def.secondDerivative.bind(def);
  const dedicated = Object.prototype.hasOwnProperty.call(DEDICATED_LOOPS, def.id) ? DEDICATED_LOOPS[def.id] : undefined;
  if (dedicated && order === 0) {
    return ({ inputs, backend, attrs }) => {
      const x = inputs.x as tfc.TensorInfo;
      return run(backend as tfc.KernelBackend, [x], x.shape, ([xs], out) => dedicated.forward(xs, out, attrs));
    };
  }
  if (dedicated && order === 1) {
    return ({ inputs, backend, attrs }) => {
      const x = inputs.x as tfc.TensorInfo;
      const dy = inputs.dy as tfc.TensorInfo;
      return run(backend as tfc.KernelBackend, [dy, x], x.shape, ([dys, xs], out) => dedicated.grad1(dys, xs, out, attrs));
    };
  }
  if (order === 0) {
    return ({ inputs, backend, attrs }) => {
      const x = inputs.x as tfc.TensorInfo;
      return run(backend as tfc.KernelBackend, [x], x.shape, ([xs], out) => {
        for (let i = 0; i < out.length; i++) {
          const v = xs[i];
          out[i] = v !== v ? NaN : fn(v, attrs);
        }
      });
    };
  }
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as tfc.TensorInfo;
    const dy = inputs.dy as tfc.TensorInfo;
    return run(backend as tfc.KernelBackend, [dy, x], x.shape, ([dys, xs], out) => {
      for (let i = 0; i < out.length; i++) {
        const v = xs[i];
        out[i] = v !== v ? NaN : dys[i] * fn(v, attrs);
      }
    });
  };
}

/** Registers the three kernels of `def` for a backend name; skips those already there. */
export function registerKernelsFor(def: AnyDefinition, names: KernelNames, backendName: string): void {
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
      kernelFunc: makeKernelFunc(def, order as 0 | 1 | 2, backendName),
      [ENGINE_KERNEL_MARK]: true,
    };
    tfc.registerKernel(config);
  });
}
