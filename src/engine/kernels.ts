/**
 * Kernels and their registration.
 *
 * Four kernels per activation, each one pass over the data:
 *   forward      y = f(x)
 *   grad1        dx = dy * f'(x)
 *   grad2        dx = dy * f''(x)
 *   grad2Scaled  dx = dy * s * f''(x)
 * Gradients (gradients.ts): d forward = grad1; d grad1 = (grad1 for dy, grad2Scaled(g, dy) for x, one
 * kernel where a product and grad2 would be two); d grad2 and d grad2Scaled = the same kernels for dy
 * and s, an error for x (third derivatives are not part of a definition). So tf.grad(tf.grad(f))
 * works, one kernel per order, and nothing differentiates the forward formula.
 *
 * On each backend a kernel runs one of two implementations, chosen per call by the precision mode
 * (precision.ts): the exact float64 JavaScript loops (loops.ts, on host views of the data), or the
 * backend's fast runner, a fused float32 kernel generated from the definition's float32 forms
 * (src/engine/generate/). Backends with neither run the tfjs-ops composite (run.ts).
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { AnyDefinition } from '../definition';
import { runnerFor } from './backends';
import { GRAD_SCALE, type FusedWhich } from './fused';
import { kernelLoops, scaledSecondOrder, type KernelLoops } from './loops';
import { claim, markOurs } from './claim';
import type { KernelNames } from './names';
import { canRunExact, getPrecision } from './precision';

/** What a backend's fused float32 kernels are given. */
export interface FastKernelArgs {
  def: AnyDefinition;
  which: FusedWhich;
  /** Resolved parameters: numbers (null travels as null), booleans. */
  attrs: tfc.NamedAttrMap;
  x: tfc.TensorInfo;
  dy?: tfc.TensorInfo;
  /** Numeric parameters given as tensors that broadcast to x (learnable weights). */
  tensorParams?: Readonly<Record<string, tfc.TensorInfo>>;
  backend: tfc.KernelBackend;
}

/** A backend's fused kernels (src/engine/generate/*): one output of x's shape per call. */
export type FastRunner = (args: FastKernelArgs) => tfc.TensorInfo;

const fastRunners = new Map<string, FastRunner>();

/** Makes `runner` the fast path of a backend (called by the generators when they load). */
export function registerFastRunner(backendName: string, runner: FastRunner): void {
  fastRunners.set(backendName, runner);
}

/** The fast runner of a backend, if it has one. */
export const fastRunnerFor = (backendName: string): FastRunner | undefined => fastRunners.get(backendName);

/** Backends that get our registered kernels (the rest run the composite). */
export function kernelBackends(): string[] {
  const names = new Set<string>(['cpu', 'wasm', 'tensorflow']);
  for (const name of fastRunners.keys()) names.add(name);
  return [...names];
}

/** True when kernels of ours for `backendName` run the fast path now. */
export function runsFast(backendName: string): boolean {
  return getPrecision(backendName) === 'fast' && fastRunners.has(backendName);
}

/** What a registered kernel computes: an order or dy·s·f″ (parameter derivatives run inside layers' kernels). */
type KernelWhich = Exclude<FusedWhich, { param: string }>;

/** A kernel function for one order of one definition on one backend. */
function makeKernelFunc(def: AnyDefinition, which: KernelWhich, backendName: string): tfc.KernelFunc {
  const exact = canRunExact(backendName) ? runnerFor(backendName) : undefined;
  let compiled: KernelLoops | undefined;
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as tfc.TensorInfo;
    const dy = inputs.dy as tfc.TensorInfo | undefined;
    const scale = inputs.scale as tfc.TensorInfo | undefined;
    const fast = fastRunners.get(backendName);
    if (fast && (getPrecision(backendName) === 'fast' || !exact)) {
      const tensorParams = scale ? { [GRAD_SCALE]: scale } : undefined;
      return fast({ def, which, attrs: attrs ?? {}, x, dy, tensorParams, backend: backend as tfc.KernelBackend });
    }
    if (!exact) throw new Error(`tfjs-activations: backend '${backendName}' has no kernels for ${def.id}`);
    const loops = (compiled ??= kernelLoops(def, backendName));
    if (which === 0) return exact(backend as tfc.KernelBackend, [x], x.shape, ([xs], out) => loops.forward(xs, out, attrs));
    if (which === 'scaled2') {
      return exact(backend as tfc.KernelBackend, [dy!, scale!, x], x.shape, ([dys, ss, xs], out) =>
        scaledSecondOrder(loops, dys, ss, xs, out, attrs));
    }
    return exact(backend as tfc.KernelBackend, [dy!, x], x.shape, ([dys, xs], out) =>
      (which === 1 ? loops.grad1 : loops.grad2)(dys, xs, out, attrs));
  };
}

/** Registers the four kernels of `def` for a backend name; skips those already there. */
export function registerKernelsFor(def: AnyDefinition, names: KernelNames, backendName: string): void {
  const kernels: Array<[string, KernelWhich]> = [[names.forward, 0], [names.grad1, 1], [names.grad2, 2], [names.grad2Scaled, 'scaled2']];
  for (const [kernelName, which] of kernels) {
    claim(`a kernel named '${kernelName}' for '${backendName}'`, tfc.getKernel(kernelName, backendName), () =>
      tfc.registerKernel(markOurs({ kernelName, backendName, kernelFunc: makeKernelFunc(def, which, backendName) })));
  }
}
