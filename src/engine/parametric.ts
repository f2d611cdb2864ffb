/**
 * Kernels for learnable parameters. Every numeric parameter arrives as a tensor input: a scalar
 * for a fixed value, or the learnable weight broadcast to x's shape (broadcastTo's own gradient sums
 * dp back to the weight's shape). The backward kernel computes dx = dy * f'(x; p) or
 * dp = dy * df/dp(x; p) from the definition's parameter derivatives. Boolean parameters stay attrs;
 * a null numeric parameter travels as NaN (never a valid value) and is turned back into null.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { AnyDefinition } from '../definition';
import type { ParamSpec } from '../params';
import { runnerFor } from './backends';
import { ENGINE_KERNEL_MARK, kernelNames } from './names';

export interface ParametricNames {
  forward: string;
  backward: string;
}

export function parametricNames(id: string): ParametricNames {
  const base = kernelNames(id).forward;
  return { forward: `${base}_param`, backward: `${base}_param_grad` };
}

/** Attr naming what the backward kernel differentiates with respect to: 'x' or a parameter. */
const WRT_ATTR = '__wrt';

/** The numeric parameters of a definition, in a fixed order. */
export function numericParams(def: AnyDefinition): string[] {
  return Object.entries(def.params as Record<string, ParamSpec>)
    .filter(([, s]) => s.type === 'number')
    .map(([k]) => k);
}

type Scalar = (x: number, p: Record<string, unknown>) => number;

/** Evaluates `fn` per element with per-element (or scalar) parameter values. */
function elementwise(
  fn: Scalar,
  names: string[],
  attrs: tfc.NamedAttrMap | undefined,
  xs: ArrayLike<number>,
  ps: ArrayLike<number>[],
  dys: ArrayLike<number> | null,
  out: Float32Array,
): void {
  const p: Record<string, unknown> = { ...attrs };
  delete p[WRT_ATTR];
  const scalar = ps.map((a) => a.length === 1);
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < names.length; j++) {
      const v = scalar[j] ? ps[j][0] : ps[j][i];
      p[names[j]] = v !== v ? null : v;
    }
    const x = xs[i];
    out[i] = x !== x ? NaN : dys ? dys[i] * fn(x, p) : fn(x, p);
  }
}

function forwardKernel(def: AnyDefinition, backendName: string): tfc.KernelFunc {
  const run = runnerFor(backendName);
  const names = numericParams(def);
  const fn = def.forward.bind(def) as Scalar;
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as tfc.TensorInfo;
    const ins = [x, ...names.map((n) => inputs[n] as tfc.TensorInfo)];
    return run(backend as tfc.KernelBackend, ins, x.shape, ([xs, ...ps], out) =>
      elementwise(fn, names, attrs, xs, ps, null, out),
    );
  };
}

function backwardKernel(def: AnyDefinition, backendName: string): tfc.KernelFunc {
  const run = runnerFor(backendName);
  const names = numericParams(def);
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as tfc.TensorInfo;
    const dy = inputs.dy as tfc.TensorInfo;
    const ins = [dy, x, ...names.map((n) => inputs[n] as tfc.TensorInfo)];
    const wrt = attrs?.[WRT_ATTR] as string;
    const fn = (wrt === 'x' ? def.derivative.bind(def) : def.paramDerivatives[wrt]!) as Scalar;
    return run(backend as tfc.KernelBackend, ins, x.shape, ([dys, xs, ...ps], out) =>
      elementwise(fn, names, attrs, xs, ps, dys, out),
    );
  };
}

/** Registers the learnable-parameter kernels of `def` for a backend name (idempotent). */
export function registerParametricKernelsFor(def: AnyDefinition, backendName: string): void {
  if (numericParams(def).length === 0) return;
  const names = parametricNames(def.id);
  const make = [forwardKernel, backwardKernel];
  [names.forward, names.backward].forEach((kernelName, i) => {
    const existing = tfc.getKernel(kernelName, backendName) as { [ENGINE_KERNEL_MARK]?: true } | undefined;
    if (existing) {
      if (existing[ENGINE_KERNEL_MARK]) return;
      throw new Error(`tfjs-activations: a kernel named '${kernelName}' is already registered for '${backendName}' by someone else.`);
    }
    tfc.registerKernel({ kernelName, backendName, kernelFunc: make[i](def, backendName), [ENGINE_KERNEL_MARK]: true } as tfc.KernelConfig);
  });
}

/** Registers the gradients of the parametric kernels (idempotent). */
export function registerParametricGradientFor(def: AnyDefinition): void {
  const params = numericParams(def);
  if (params.length === 0) return;
  const names = parametricNames(def.id);
  const grads: tfc.GradConfig[] = [
    {
      kernelName: names.forward,
      inputsToSave: ['x', ...params],
      gradFunc: (dy, saved, attrs) => {
        const [x, ...ps] = saved;
        const inputs: tfc.NamedTensorMap = { dy: dy as tfc.Tensor, x };
        params.forEach((n, j) => (inputs[n] = ps[j]));
        const wrt = (name: string) => () =>
          tfc.engine().runKernel(names.backward, inputs, { ...attrs, [WRT_ATTR]: name }) as tfc.Tensor;
        const result: Record<string, () => tfc.Tensor> = { x: wrt('x') };
        for (const n of params) result[n] = wrt(n);
        return result;
      },
    },
    {
      kernelName: names.backward,
      gradFunc: () => {
        throw new Error(`${def.id}: second derivatives through learnable parameters are not available; ` +
          'use the op (fixed parameters) for higher-order gradients.');
      },
    },
  ];
  for (const g of grads) {
    const existing = tfc.getGradient(g.kernelName) as { [ENGINE_KERNEL_MARK]?: true } | undefined;
    if (existing) {
      if (existing[ENGINE_KERNEL_MARK]) continue;
      throw new Error(`tfjs-activations: a gradient for '${g.kernelName}' is already registered by someone else.`);
    }
    tfc.registerGradient({ ...g, [ENGINE_KERNEL_MARK]: true } as tfc.GradConfig);
  }
}

/**
 * f(x; p) where some numeric parameters are tensors that broadcast to x (learnable weights) and the
 * rest are the already-resolved values in `fixed`.
 */
export function applyWithTensorParams(
  def: AnyDefinition,
  x: tfc.Tensor,
  fixed: Record<string, unknown>,
  tensors: Record<string, tfc.Tensor>,
): tfc.Tensor {
  const numeric = numericParams(def);
  const attrs: tfc.NamedAttrMap = {};
  for (const [k, v] of Object.entries(fixed)) if (!numeric.includes(k)) attrs[k] = v as tfc.NamedAttrMap[string];
  const kernel = parametricNames(def.id).forward;
  if (!tfc.getKernel(kernel, tfc.getBackend())) registerParametricKernelsFor(def, tfc.getBackend());
  return tfc.tidy(() => {
    const inputs: tfc.NamedTensorMap = { x };
    for (const n of numeric) {
      inputs[n] = tensors[n]
        ? tfc.broadcastTo(tensors[n], x.shape)
        : tfc.scalar(fixed[n] === null ? NaN : (fixed[n] as number));
    }
    return tfc.engine().runKernel(kernel, inputs, attrs) as tfc.Tensor;
  });
}
