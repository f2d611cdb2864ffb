/**
 * Kernels for learnable parameters. Every numeric parameter arrives as a tensor input: a scalar
 * for a fixed value, or the learnable weight in its own shape, broadcasting to x's shape (aligned
 * on the right, like tfjs's broadcasting; never materialised at x's size). The kernels walk x in
 * blocks of its innermost run of axes and index each parameter through its strides. The backward
 * kernel computes dx = dy * f'(x; p) (x's shape), or dp = Σ dy * df/dp(x; p) summed over the
 * broadcast elements straight into the parameter's shape (float64 sums), from the definition's
 * parameter derivatives. Boolean parameters stay attrs; a null numeric parameter travels as NaN
 * (never a valid value) and is turned back into null.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { AnyDefinition } from '../definition';
import type { ParamSpec } from '../params';
import { runnerFor } from './backends';
import { fastRunnerFor, runsFast } from './kernels';
import { paramLoops, type ParamLoops } from './loops';
import { claim, markOurs } from './claim';
import { kernelNames } from './names';
import { canRunExact } from './precision';
import { throwFromGradient } from './tfjs-adapter';

export interface ParametricNames {
  forward: string;
  /** dx, or dp summed into the parameter's shape (exact path). */
  backward: string;
  /** dy·∂f/∂p in x's shape, not summed (fast path; the gradient sums it with tf.sum). */
  paramTerms: string;
}

export function parametricNames(id: string): ParametricNames {
  const base = kernelNames(id).forward;
  return { forward: `${base}_param`, backward: `${base}_param_grad`, paramTerms: `${base}_param_dp` };
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

/**
 * x viewed as [outer..., inner] (axes of size 1 dropped, neighbouring axes merged where every
 * parameter either follows both contiguously or is broadcast along both), with each parameter's
 * strides per view axis (0 where it is broadcast).
 */
export interface BroadcastLayout {
  outerSizes: number[];
  /** [parameter][outer axis] */
  outerStrides: number[][];
  inner: number;
  /** [parameter]: 0 or 1 */
  innerStrides: number[];
}

/** Where parameter j's values for block `blk` of a layout start (the outer dimensions' offset). */
export function blockOffset(layout: BroadcastLayout, j: number, blk: number): number {
  const { outerSizes } = layout;
  const strides = layout.outerStrides[j];
  let off = 0;
  for (let d = outerSizes.length - 1, r = blk; d >= 0; d--) {
    const c = r % outerSizes[d];
    r = (r - c) / outerSizes[d];
    off += c * strides[d];
  }
  return off;
}

/** The layout of parameters of shapes `pShapes` broadcasting to `xShape`, or null if one does not. */
export function broadcastLayout(xShape: readonly number[], pShapes: ReadonlyArray<readonly number[]>): BroadcastLayout | null {
  const rank = xShape.length;
  if (pShapes.some((s) => s.length > rank)) return null;
  const running = pShapes.map(() => 1);
  const axes: Array<{ size: number; strides: number[] }> = []; // innermost first
  for (let a = rank - 1; a >= 0; a--) {
    const size = xShape[a];
    const strides = pShapes.map((s, j) => {
      const d = s[a - (rank - s.length)] ?? 1;
      const stride = d === 1 ? 0 : running[j];
      running[j] *= d;
      return d === size || d === 1 ? stride : NaN;
    });
    if (strides.some((v) => v !== v)) return null;
    if (size === 1) continue;
    const inside = axes[axes.length - 1];
    if (inside && strides.every((v, j) => v === inside.strides[j] * inside.size)) inside.size *= size;
    else axes.push({ size, strides });
  }
  if (axes.length === 0) axes.push({ size: 1, strides: pShapes.map(() => 0) });
  const outer = axes.slice(1).reverse();
  return {
    outerSizes: outer.map((o) => o.size),
    outerStrides: pShapes.map((_, j) => outer.map((o) => o.strides[j])),
    inner: axes[0].size,
    innerStrides: axes[0].strides,
  };
}

/**
 * Evaluates dy * fn(x; p) (or fn(x; p) without dy) per element of x, with parameters indexed
 * through `layout`. Writes it to `out` (x's size), or, with `sumInto`, adds it up per element of
 * parameter `sumInto.param` in `sumInto.acc`.
 */
function evaluate(
  fn: Scalar,
  names: string[],
  attrs: tfc.NamedAttrMap | undefined,
  xs: ArrayLike<number>,
  ps: ArrayLike<number>[],
  layout: BroadcastLayout,
  dys: ArrayLike<number> | null,
  out: Float32Array | null,
  sumInto: { param: number; acc: Float64Array } | null,
  oneParam?: { loops: ParamLoops; kind: 'forward' | 'dx' | 'dp' },
): void {
  const p: Record<string, unknown> = { ...attrs };
  delete p[WRT_ATTR];
  if (oneParam && names.length === 1 && ps[0].length > 1) {
    evaluateOneParam(oneParam.loops[oneParam.kind], xs, ps[0], layout, dys, (sumInto?.acc ?? out)!, p);
    return;
  }
  // Parameters with one value are set once; the others per element.
  const varying: number[] = [];
  names.forEach((name, j) => {
    if (ps[j].length === 1) p[name] = ps[j][0] !== ps[j][0] ? null : ps[j][0];
    else varying.push(j);
  });
  const nv = varying.length;
  const vNames = varying.map((j) => names[j]);
  const vValues = varying.map((j) => ps[j]);
  const vInner = varying.map((j) => layout.innerStrides[j]);
  const vOffsets = new Array<number>(nv).fill(0);
  const { outerSizes, outerStrides, inner } = layout;
  const sumParam = sumInto ? sumInto.param : -1;
  const acc = sumInto ? sumInto.acc : null;
  const accStride = sumInto ? layout.innerStrides[sumParam] : 0;
  const blocks = outerSizes.reduce((a, b) => a * b, 1);
  for (let blk = 0; blk < blocks; blk++) {
    // Parameter offsets of this block, from its coordinates along the outer axes.
    vOffsets.fill(0);
    let accOffset = 0;
    for (let d = outerSizes.length - 1, r = blk; d >= 0; d--) {
      const c = r % outerSizes[d];
      r = (r - c) / outerSizes[d];
      for (let v = 0; v < nv; v++) vOffsets[v] += c * outerStrides[varying[v]][d];
      if (acc) accOffset += c * outerStrides[sumParam][d];
    }
    const base = blk * inner;
    for (let t = 0; t < inner; t++) {
      for (let v = 0; v < nv; v++) {
        const pv = vValues[v][vOffsets[v] + t * vInner[v]];
        p[vNames[v]] = pv !== pv ? null : pv;
      }
      const i = base + t;
      const x = xs[i];
      const y = x !== x ? NaN : dys ? dys[i] * fn(x, p) : fn(x, p);
      if (acc) acc[accOffset + t * accStride] += y;
      else out![i] = y;
    }
  }
}

/** evaluate() for a definition with one (varying) parameter, block by block through its own loop. */
function evaluateOneParam(
  loop: ParamLoops['forward'],
  xs: ArrayLike<number>,
  ps: ArrayLike<number>,
  layout: BroadcastLayout,
  dys: ArrayLike<number> | null,
  out: Float32Array | Float64Array,
  p: Record<string, unknown>,
): void {
  const { outerSizes, inner } = layout;
  const stride = layout.innerStrides[0];
  const blocks = outerSizes.reduce((a, b) => a * b, 1);
  for (let blk = 0; blk < blocks; blk++) {
    const off = blockOffset(layout, 0, blk);
    loop(dys, xs, ps, blk * inner, inner, off, stride, out, p);
  }
}

function layoutOrThrow(owner: string, x: tfc.TensorInfo, params: tfc.TensorInfo[]): BroadcastLayout {
  const layout = broadcastLayout(x.shape, params.map((t) => t.shape));
  if (!layout) {
    throw new Error(`${owner}: parameter shapes [${params.map((t) => `[${t.shape.join(', ')}]`).join(', ')}] ` +
      `do not broadcast to the input shape [${x.shape.join(', ')}]`);
  }
  return layout;
}

/** The numeric parameters of a kernel call, as tensors by name. */
const tensorParamsOf = (names: string[], inputs: tfc.NamedTensorInfoMap) =>
  Object.fromEntries(names.map((n) => [n, inputs[n] as tfc.TensorInfo]));

/** Attributes without the engine's own (what fast runners see as the fixed parameters). */
function plainAttrs(attrs: tfc.NamedAttrMap | undefined): tfc.NamedAttrMap {
  const a = { ...attrs };
  delete a[WRT_ATTR];
  return a;
}

function forwardKernel(def: AnyDefinition, backendName: string): tfc.KernelFunc {
  const run = runnerFor(backendName);
  const names = numericParams(def);
  const fn = def.forward.bind(def) as Scalar;
  const loops = oneParamLoops(def, backendName);
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as tfc.TensorInfo;
    const fast = fastRunnerFor(backendName);
    if (fast && (runsFast(backendName) || !canRunExact(backendName))) {
      layoutOrThrow(def.id, x, names.map((n) => inputs[n] as tfc.TensorInfo));
      return fast({ def, which: 0, attrs: plainAttrs(attrs), x, tensorParams: tensorParamsOf(names, inputs), backend: backend as tfc.KernelBackend });
    }
    const params = names.map((n) => inputs[n] as tfc.TensorInfo);
    const layout = layoutOrThrow(def.id, x, params);
    return run(backend as tfc.KernelBackend, [x, ...params], x.shape, ([xs, ...ps], out) =>
      evaluate(fn, names, attrs, xs, ps, layout, null, out, null, loops && { loops, kind: 'forward' }),
    );
  };
}

/** Own loops (loops.ts) for a definition with exactly one numeric parameter. */
function oneParamLoops(def: AnyDefinition, backendName: string): ParamLoops | undefined {
  const names = numericParams(def);
  return names.length === 1 ? paramLoops(def, names[0], backendName) : undefined;
}

function backwardKernel(def: AnyDefinition, backendName: string): tfc.KernelFunc {
  const run = runnerFor(backendName);
  const names = numericParams(def);
  const loops = oneParamLoops(def, backendName);
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as tfc.TensorInfo;
    const dy = inputs.dy as tfc.TensorInfo;
    const params = names.map((n) => inputs[n] as tfc.TensorInfo);
    const layout = layoutOrThrow(def.id, x, params);
    const wrt = attrs?.[WRT_ATTR] as string;
    const fast = fastRunnerFor(backendName);
    if (wrt === 'x' && fast && (runsFast(backendName) || !canRunExact(backendName))) {
      return fast({ def, which: 1, attrs: plainAttrs(attrs), x, dy, tensorParams: tensorParamsOf(names, inputs), backend: backend as tfc.KernelBackend });
    }
    const ins = [dy, x, ...params];
    if (wrt === 'x') {
      const fn = def.derivative.bind(def) as Scalar;
      return run(backend as tfc.KernelBackend, ins, x.shape, ([dys, xs, ...ps], out) =>
        evaluate(fn, names, attrs, xs, ps, layout, dys, out, null, loops && { loops, kind: 'dx' }),
      );
    }
    const fn = def.paramDerivatives[wrt]! as Scalar;
    const param = names.indexOf(wrt);
    return run(backend as tfc.KernelBackend, ins, params[param].shape, ([dys, xs, ...ps], out) => {
      const acc = new Float64Array(out.length);
      evaluate(fn, names, attrs, xs, ps, layout, dys, null, { param, acc }, loops && { loops, kind: 'dp' });
      out.set(acc);
    });
  };
}

/** dy·∂f/∂p in x's shape, for the fast path (summed into p's shape by the gradient). */
function paramTermsKernel(def: AnyDefinition, backendName: string): tfc.KernelFunc {
  const names = numericParams(def);
  return ({ inputs, backend, attrs }) => {
    const fast = fastRunnerFor(backendName)!;
    const wrt = attrs?.[WRT_ATTR] as string;
    return fast({
      def, which: { param: wrt }, attrs: plainAttrs(attrs), x: inputs.x as tfc.TensorInfo, dy: inputs.dy as tfc.TensorInfo,
      tensorParams: tensorParamsOf(names, inputs), backend: backend as tfc.KernelBackend,
    });
  };
}

/** Registers the learnable-parameter kernels of `def` for a backend name (idempotent). */
export function registerParametricKernelsFor(def: AnyDefinition, backendName: string): void {
  if (numericParams(def).length === 0) return;
  const names = parametricNames(def.id);
  const make = [forwardKernel, backwardKernel, paramTermsKernel];
  const kernels = [names.forward, names.backward, ...(fastRunnerFor(backendName) ? [names.paramTerms] : [])];
  kernels.forEach((kernelName, i) => {
    claim(`a kernel named '${kernelName}' for '${backendName}'`, tfc.getKernel(kernelName, backendName), () =>
      tfc.registerKernel(markOurs({ kernelName, backendName, kernelFunc: make[i](def, backendName) })));
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
        // Fast path: the terms in x's shape, summed over the axes the parameter is broadcast along.
        const summed = (name: string, shape: number[]) => () => {
          const terms = tfc.engine().runKernel(names.paramTerms, inputs, { ...attrs, [WRT_ATTR]: name }) as tfc.Tensor;
          const axes = tfc.backend_util.getReductionAxes(shape, terms.shape);
          return tfc.reshape(axes.length ? tfc.sum(terms, axes) : terms, shape);
        };
        const fast = runsFast(tfc.getBackend()) && tfc.getKernel(names.paramTerms, tfc.getBackend()) !== undefined;
        const result: Record<string, () => tfc.Tensor> = { x: wrt('x') };
        params.forEach((n, j) => (result[n] = fast ? summed(n, ps[j].shape) : wrt(n)));
        return result;
      },
    },
    {
      kernelName: names.backward,
      gradFunc: () =>
        throwFromGradient(new Error(`${def.id}: second derivatives through learnable parameters are not available; ` +
          'use the op (fixed parameters) for higher-order gradients.')),
    },
    {
      kernelName: names.paramTerms,
      gradFunc: () =>
        throwFromGradient(new Error(`${def.id}: second derivatives through learnable parameters are not available; ` +
          'use the op (fixed parameters) for higher-order gradients.')),
    },
  ];
  for (const g of grads) {
    claim(`a gradient for '${g.kernelName}'`, tfc.getGradient(g.kernelName), () => tfc.registerGradient(markOurs({ ...g })));
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
    for (const n of numeric) inputs[n] = tensors[n] ?? tfc.scalar(fixed[n] === null ? NaN : (fixed[n] as number));
    // A parameter of x's rank or lower broadcasts inside the kernels; anything else goes through
    // broadcastTo (which reports shapes that do not fit).
    const given = numeric.filter((n) => tensors[n]);
    if (!broadcastLayout(x.shape, given.map((n) => tensors[n].shape))) {
      for (const n of given) inputs[n] = tfc.broadcastTo(tensors[n], x.shape);
    }
    return tfc.engine().runKernel(kernel, inputs, attrs) as tfc.Tensor;
  });
}
