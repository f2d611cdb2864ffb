/**
 * The wasm backend's SIMD kernels (src/engine/generate/wasm.ts, src/engine/wasm/). Their accuracy
 * against the bar is fast.test.ts's; here:
 * - the generated code on a memory of our own: every element in place for any n and any 4-byte
 *   offset (vector loop, single lanes at the end, nothing outside written), parameter streams with
 *   a period, a shared memory (tfjs's threaded build);
 * - on the backend: the kernels run in place, no JavaScript loop and no view of tensor data
 *   (spied), while 'exact' runs the float64 loops; odd sizes; the heap growing under a kernel;
 *   learnable parameters (forward, dx, dp) against float64 sums written here; the JavaScript loops
 *   where SIMD is missing and while an asynchronous compile runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from './helpers/backends';
import * as act from '../src';
import * as internal from '../src/internal';
import type { AnyDefinition } from '../src/definition';
import { expr, type Expr } from '../src/engine/expr';
import { evaluate32 } from '../src/engine/eval32';
import { fusedExpr, guardNaN } from '../src/engine/fused';
import { resetWasmKernels, wasmKernelsSettled } from '../src/engine/generate/wasm';
import * as loops from '../src/engine/loops';
import { applyWithTensorParams } from '../src/engine/parametric';
import * as adapter from '../src/engine/tfjs-adapter';
import * as codegen from '../src/engine/wasm/codegen';
import { buildModule, importedFunctions } from '../src/engine/wasm/codegen';
import { lower } from '../src/engine/wasm/lower';
import { uniform } from '../demos/lib/bench-harness';

const EPS = 2 ** -23;
const opOf = (id: string) => (act.ops as unknown as Record<string, (x: tf.Tensor, p?: object) => tf.Tensor>)[id];
const defaults = (def: AnyDefinition): Record<string, unknown> =>
  Object.fromEntries(Object.entries(def.params as Record<string, { default: unknown }>).map(([k, s]) => [k, s.default]));

type Kernel = (...args: number[]) => void;

/** One generated kernel, instantiated on `memory`. */
function kernelOn(memory: WebAssembly.Memory, body: ReturnType<typeof lower>, opts: { streams?: number; scalars?: number; shared?: boolean } = {}): Kernel {
  const bytes = buildModule([{ name: 'k', body, streams: opts.streams ?? 2, scalars: opts.scalars ?? 0 }], opts.shared ?? false);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory, ...importedFunctions() } });
  return instance.exports.k as Kernel;
}

describe('generated code, on a memory of its own', () => {
  const sigmoid = act.get('sigmoid') as AnyDefinition;
  const gelu = act.get('gelu') as AnyDefinition;
  const memory = new WebAssembly.Memory({ initial: 4 });
  const f32 = () => new Float32Array(memory.buffer);
  const forward = kernelOn(memory, lower(fusedExpr(sigmoid, 0, {}), {}));
  const backward = kernelOn(memory, lower(fusedExpr(gelu, 1, { approximate: false }), {}));
  const SENTINEL = -12345.5;

  /** Runs `k` over n values at element offsets (x, dy, out); returns the outputs and whether the guards held. */
  function run(k: Kernel, xs: Float32Array, dys: Float32Array, at: { x: number; dy: number; out: number }): { out: Float32Array; guards: boolean } {
    const n = xs.length;
    const h = f32();
    h.fill(0);
    h.set(xs, at.x);
    h.set(dys, at.dy);
    h.fill(SENTINEL, at.out - 8, at.out + n + 8);
    k(4 * at.out, n, n, 4 * at.x, 4 * at.dy);
    const guards = [...h.subarray(at.out - 8, at.out), ...h.subarray(at.out + n, at.out + n + 8)].every((v) => v === SENTINEL);
    return { out: h.slice(at.out, at.out + n), guards };
  }

  const xs = uniform(37, -9, 9, 1);
  const dys = uniform(37, -2, 2, 2);
  // Every element alone, at an aligned offset: what each must equal wherever it sits.
  const alone = (k: Kernel) => Array.from(xs, (_, i) => run(k, xs.subarray(i, i + 1), dys.subarray(i, i + 1), { x: 64, dy: 128, out: 256 }).out[0]);
  const aloneForward = alone(forward);
  const aloneBackward = alone(backward);

  it('computes the function (sigmoid and dy·gelu′ against float64)', () => {
    const p = { approximate: false } as never;
    aloneForward.forEach((y, i) => expect(Math.abs(y - sigmoid.forward(xs[i], {} as never))).toBeLessThanOrEqual(4 * EPS));
    aloneBackward.forEach((y, i) => expect(Math.abs(y - dys[i] * gelu.derivative(xs[i], p))).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(xs[i]))));
  });

  it.each([0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 37])('n = %i: every element in place, the same bits as alone, nothing outside written', (n) => {
    for (const shift of [0, 1, 2, 3]) {  // element offsets: byte offsets 16k + 4·shift
      const f = run(forward, xs.subarray(0, n), dys.subarray(0, n), { x: 1000 + shift, dy: 2000, out: 3000 + ((shift * 3) % 4) });
      const b = run(backward, xs.subarray(0, n), dys.subarray(0, n), { x: 1000 + shift, dy: 2000 + ((shift + 1) % 4), out: 3000 + shift });
      expect([f.guards, b.guards]).toEqual([true, true]);
      expect(Array.from(f.out)).toEqual(aloneForward.slice(0, n));
      expect(Array.from(b.out)).toEqual(aloneBackward.slice(0, n));
    }
  });

  it('reads a parameter stream with a period (a per-channel weight), in blocks whose ends are single lanes', () => {
    // x·p with p a stream of period C: element i uses p[i mod C].
    const k = kernelOn(memory, lower(expr.x.mul(expr.param('p')), { p: { stream: 2 } }), { streams: 3 });
    for (const [n, C] of [[30, 3], [30, 5], [32, 8], [7, 7], [9, 1]]) {
      const h = f32();
      const x = uniform(n, -3, 3, n + C);
      const p = uniform(C, 1, 2, C);
      h.set(x, 100);
      h.set(p, 300);
      h.fill(SENTINEL, 400, 400 + n + 4);
      k(4 * 400, n, C, 4 * 100, 0, 4 * 300);
      expect(Array.from(h.slice(400, 400 + n))).toEqual(Array.from(x, (v, i) => Math.fround(v * p[i % C])));
      expect(h[400 + n]).toBe(SENTINEL);
    }
  });

  it('links against a shared memory (the threaded build) only when built for one', () => {
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true } as WebAssembly.MemoryDescriptor);
    const k = kernelOn(shared, lower(fusedExpr(sigmoid, 0, {}), {}), { shared: true });
    const h = new Float32Array(shared.buffer);
    h.set([-1, 0, 2], 0);
    k(64, 3, 3, 0, 0);
    const want = Array.from([-1, 0, 2], (v) => run(forward, Float32Array.of(v), Float32Array.of(0), { x: 64, dy: 128, out: 256 }).out[0]);
    expect(Array.from(h.slice(16, 19))).toEqual(want);
    expect(() => kernelOn(shared, lower(fusedExpr(sigmoid, 0, {}), {}), { shared: false })).toThrow(/shared/);
  });

  it('exact primitives (comparisons, min/max, select, rounding) give the bits of the float32 evaluation, ±0 and NaN included', () => {
    const x = expr.x;
    const forms: Array<[string, Expr]> = [
      ['max(x, 0)', x.max(0)], ['min(x, 0)', x.min(0)], ['max(x, −0)', x.max(-0)], ['min(x, −0)', x.min(-0)],
      ['max(x, 2)', x.max(2)], ['min(2, x)', expr.min(2, x)], ['min(max(x, 0), 6)', x.max(0).min(6)],
      ['x > 0 ? x : 0', x.gt(0).select(x, 0)], ['x > 0 ? 0 : x', x.gt(0).select(0, x)],
      ['x < 1 ? x : 1', x.lt(1).select(x, 1)], ['x < 1 ? 1 : x', x.lt(1).select(1, x)],
      ['guarded x > ½ ? x : ½', guardNaN(x.gt(0.5).select(x, 0.5))], ['guarded x > 0 ? x : 0', guardNaN(x.gt(0).select(x, 0))],
      ['x ≥ 0 ? x : 0', x.ge(0).select(x, 0)], ['mulNoNan(x, 0)', x.mulNoNan(0)], ['mulNoNan(2, x)', expr.c(2).mulNoNan(x)],
      ['sign', x.sign()], ['floor', x.floor()], ['round', x.round()], ['−|x|', x.abs().neg()], ['|−x|', x.neg().abs()],
    ];
    const xs = Float32Array.from([-0, 0, NaN, Infinity, -Infinity, -1, 1, 0.5, 2, 6, -6, 2.5, -2.5, 1e-45, -1e-45, 3.5]);
    for (const [label, e] of forms) {
      const { out } = run(kernelOn(memory, lower(e, {})), xs, xs, { x: 64, dy: 128, out: 256 });
      const want = evaluate32(e, { x: xs });
      // Bits, except that every NaN is NaN (its sign and payload are not specified).
      const bits = (a: Float32Array) => Array.from(a, (v) => (v !== v ? 'NaN' : new Uint32Array(Float32Array.of(v).buffer)[0]));
      expect([label, bits(out)]).toEqual([label, bits(want)]);
    }
  });

  it('gives sin and cos of arguments beyond 2^16 the digits of π a float32 reduction cannot (float64 for those lanes)', () => {
    const xs = Float32Array.from([1e5, -3.2e9, 1e30, 7.5e4, 2.5, -1e-3, 65535, 65536, 65537, 1e20, 355, -710, 0, -0]);
    for (const [fn, f64] of [['sin', Math.sin], ['cos', Math.cos]] as const) {
      const k = kernelOn(memory, lower(fn === 'sin' ? expr.x.sin() : expr.x.cos(), {}));
      const { out } = run(k, xs, xs, { x: 64, dy: 128, out: 256 });
      out.forEach((y, i) => expect([fn, xs[i], Math.abs(y - f64(xs[i])) <= 2 * EPS]).toEqual([fn, xs[i], true]));
    }
  });
});

describe('on the wasm backend', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    act.setPrecision('default');
  });
  afterEach(() => {
    jest.restoreAllMocks();
    resetWasmKernels();
    act.setPrecision('default');
  });

  const memory = () => adapter.wasmMemory(tf.backend())!;

  it('grows the heap while a kernel allocates its output: the result is still right', () => {
    const before = memory().buffer.byteLength;
    // x takes 60 % of the heap as it is now, so the output cannot fit without growing it.
    const n = Math.floor((0.6 * before) / 4);
    const x = tf.tensor1d(uniform(n, -6, 6, 3));
    const grown = memory().buffer.byteLength;
    const y = opOf('gelu')(x);
    expect(memory().buffer.byteLength).toBeGreaterThan(grown);
    const xv = x.dataSync();
    const yv = y.dataSync();
    const def = act.get('gelu') as AnyDefinition;
    for (let i = 0; i < n; i += 997) expect(Math.abs(yv[i] - def.forward(xv[i], { approximate: false } as never))).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(xv[i])));
    expect(Math.abs(yv[n - 1] - def.forward(xv[n - 1], { approximate: false } as never))).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(xv[n - 1])));
    tf.dispose([x, y]);
  });

  /** Spies on every way the JavaScript loops reach tensor data. */
  function spyOnJavaScript(): () => number {
    const views = jest.spyOn(adapter, 'wasmView');
    const loopSpies = (internal.definitions as readonly AnyDefinition[]).flatMap((def) => {
      const l = loops.kernelLoops(def, 'wasm');
      return [jest.spyOn(l, 'forward'), jest.spyOn(l, 'grad1'), jest.spyOn(l, 'grad2')];
    });
    return () => views.mock.calls.length + loopSpies.reduce((a, s) => a + s.mock.calls.length, 0);
  }

  /** f, tf.grad and tf.grad(tf.grad) of every activation, with odd sizes. */
  function everyActivation(): void {
    for (const id of act.list()) {
      const f = (t: tf.Tensor) => opOf(id)(t);
      for (const n of [1, 5, 13]) {
        const x = tf.tensor1d(uniform(n, -4, 4, n));
        tf.dispose([f(x), tf.grad(f)(x), tf.grad(tf.grad(f))(x), x]);
      }
    }
  }

  it("'fast' (the default on wasm) runs in place: no JavaScript loop, no view of tensor data", () => {
    expect(act.getPrecision('wasm')).toBe('fast');
    const calls = spyOnJavaScript();
    everyActivation();
    expect(calls()).toBe(0);
  });

  it("'exact' runs the float64 JavaScript loops, and gives different bits somewhere", () => {
    const calls = spyOnJavaScript();
    const x = tf.tensor1d(uniform(64, -5, 5, 7));
    const fast = tf.grad((t: tf.Tensor) => opOf('gelu')(t))(x);
    expect(calls()).toBe(0);
    act.setPrecision('exact');
    everyActivation();
    expect(calls()).toBeGreaterThan(0);
    const exact = tf.grad((t: tf.Tensor) => opOf('gelu')(t))(x);
    expect(Array.from(fast.dataSync())).not.toEqual(Array.from(exact.dataSync()));
    tf.dispose([x, fast, exact]);
  });

  it.each(['sigmoid', 'gelu', 'mish', 'relu', 'snake'])('%s: sizes 0, 1, 5 and 1e5 + 3 agree with the exact path (value, f′, f″)', (id) => {
    const f = (t: tf.Tensor) => opOf(id)(t);
    for (const n of [0, 1, 5, 100003]) {
      const x = tf.tensor1d(uniform(n, -8, 8, n + 1));
      const dy = tf.tensor1d(uniform(n, -2, 2, n + 2));
      const run = () => [f(x), tf.grad(f)(x, dy), tf.grad((t: tf.Tensor) => tf.grad(f)(t, dy))(x)].map((t) => {
        const v = Array.from(t.dataSync());
        t.dispose();
        return v;
      });
      const fast = run();
      act.setPrecision('exact');
      const exact = run();
      act.setPrecision('fast');
      for (let order = 0; order < 3; order++) {
        expect(fast[order]).toHaveLength(n);
        const bad = fast[order].filter((v, i) => !(Math.abs(v - exact[order][i]) <= 1e-5 * (1 + Math.abs(exact[order][i]))));
        expect(bad).toEqual([]);
      }
      tf.dispose([x, dy]);
    }
  });

  describe('learnable parameters: forward, dx and dp against float64', () => {
    // [activation, parameters, x shape, the learnable ones' shapes, runs in place]: per channel
    // (period C), per sample (period H·W·C), scalar (an argument), and a weight shared along the
    // innermost axis (broadcast to x's shape in a temporary first, by a JavaScript copy).
    const CASES: Array<[string, Record<string, number>, number[], Record<string, number[]>, boolean]> = [
      ['leakyRelu', { alpha: 0.2 }, [2, 3, 4, 5], { alpha: [5] }, true],
      ['swish', { beta: 1 }, [3, 7, 3], { beta: [7, 3] }, true],
      ['elu', { alpha: 1 }, [4, 6], { alpha: [1] }, true],
      ['hardTanh', { minVal: -1, maxVal: 1 }, [3, 9], { minVal: [9], maxVal: [1] }, true],
      ['softplus', { beta: 1 }, [2, 3, 13], { beta: [13] }, true],
      ['snake', { frequency: 1 }, [2, 5, 6], { frequency: [5, 1] }, false],
    ];

    it.each(CASES)('%s %j: x %j, learnable %j (in place: %s)', (id, base, xShape, shapes, inPlace) => {
      const def = act.get(id as act.ActivationId) as AnyDefinition;
      const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
      const n = size(xShape);
      const xv = uniform(n, -4, 4, n);
      const dyv = uniform(n, -1, 1, n + 1);
      const names = Object.keys(shapes);
      const pv = Object.fromEntries(names.map((k, j) => [k, uniform(size(shapes[k]), 0.5, 1.5, 10 + j).map((v) => (k === 'minVal' ? -v : v))]));
      // The index of parameter k's value for element i (right-aligned broadcasting), computed here.
      const paramIndex = (k: string, i: number): number => {
        const s = shapes[k];
        let idx = 0;
        let stride = 1;
        let rest = i;
        const coords = xShape.map(() => 0);
        for (let a = xShape.length - 1; a >= 0; a--) {
          coords[a] = rest % xShape[a];
          rest = Math.floor(rest / xShape[a]);
        }
        for (let a = s.length - 1; a >= 0; a--) {
          const c = s[a] === 1 ? 0 : coords[a + xShape.length - s.length];
          idx += c * stride;
          stride *= s[a];
        }
        return idx;
      };
      const p = (i: number) => ({ ...defaults(def), ...base, ...Object.fromEntries(names.map((k) => [k, pv[k][paramIndex(k, i)]])) }) as never;

      const x = tf.tensor(xv, xShape);
      const dy = tf.tensor(dyv, xShape);
      const params = Object.fromEntries(names.map((k) => [k, tf.tensor(pv[k], shapes[k])]));
      const f = (xt: tf.Tensor, ...ps: tf.Tensor[]) =>
        applyWithTensorParams(def, xt, { ...defaults(def), ...base }, Object.fromEntries(names.map((k, j) => [k, ps[j]])));
      const calls = spyOnJavaScript();
      const y = f(x, ...names.map((k) => params[k]));
      const grads = tf.grads(f)([x, ...names.map((k) => params[k])], dy);
      if (inPlace) expect(calls()).toBe(0);
      else expect(calls()).toBeGreaterThan(0);

      const yv = y.dataSync();
      const dx = grads[0].dataSync();
      for (let i = 0; i < n; i++) {
        const want = def.forward(xv[i], p(i));
        expect(Math.abs(yv[i] - want)).toBeLessThanOrEqual(8 * EPS * (Math.abs(want) + Math.abs(xv[i]) + 1e-30));
        const wantDx = dyv[i] * def.derivative(xv[i], p(i));
        expect(Math.abs(dx[i] - wantDx)).toBeLessThanOrEqual(16 * EPS * (1 + Math.abs(xv[i])));
      }
      names.forEach((k, j) => {
        const got = grads[j + 1].dataSync();
        expect(grads[j + 1].shape).toEqual(shapes[k]);
        const want = new Float64Array(got.length);
        const scale = new Float64Array(got.length);
        for (let i = 0; i < n; i++) {
          const idx = paramIndex(k, i);
          const term = dyv[i] * def.paramDerivatives[k]!(xv[i], p(i));
          want[idx] += term;
          scale[idx] += Math.abs(term) + Math.abs(dyv[i]);
        }
        want.forEach((w, m) => expect(Math.abs(got[m] - w)).toBeLessThanOrEqual(1e-5 * scale[m]));
      });
      tf.dispose([x, dy, y, ...grads, ...Object.values(params)]);
    });

    it('a layout that is not per channel (a weight shared along the innermost axis) is broadcast to x first, and right', () => {
      const def = act.get('leakyRelu') as AnyDefinition;
      const x = tf.tensor(uniform(24, -3, 3, 5), [2, 3, 4]);
      const alpha = tf.tensor([[0.1], [0.2], [0.3]], [3, 1]);
      const y = applyWithTensorParams(def, x, { alpha: 0.2 }, { alpha });
      const xv = x.dataSync();
      Array.from(y.dataSync()).forEach((v, i) => {
        const a = [0.1, 0.2, 0.3][Math.floor(i / 4) % 3];
        expect(v).toBeCloseTo(xv[i] > 0 ? xv[i] : a * xv[i], 6);
      });
      tf.dispose([x, alpha, y]);
    });
  });

  it('without WebAssembly SIMD, fast runs the JavaScript loops (the same bits as exact)', () => {
    jest.spyOn(adapter, 'wasmSimdSupported').mockReturnValue(false);
    resetWasmKernels();
    const calls = spyOnJavaScript();
    const x = tf.tensor1d(uniform(33, -6, 6, 9));
    const f = (t: tf.Tensor) => opOf('mish')(t);
    const fast = [f(x), tf.grad(f)(x)];
    expect(calls()).toBeGreaterThan(0);
    act.setPrecision('exact');
    const exact = [f(x), tf.grad(f)(x)];
    expect(fast.map((t) => Array.from(t.dataSync()))).toEqual(exact.map((t) => Array.from(t.dataSync())));
    tf.dispose([x, ...fast, ...exact]);
  });

  it('compiled asynchronously (a browser main thread), runs the JavaScript loops until the module is ready', async () => {
    resetWasmKernels('async');
    const calls = spyOnJavaScript();
    const x = tf.tensor1d(uniform(40, -6, 6, 4));
    const first = opOf('swish')(x);
    expect(calls()).toBeGreaterThan(0);
    await wasmKernelsSettled();
    const before = calls();
    const second = opOf('swish')(x);
    expect(calls()).toBe(before);
    const a = first.dataSync();
    Array.from(second.dataSync()).forEach((v, i) => expect(Math.abs(v - a[i])).toBeLessThanOrEqual(4 * EPS * (1 + Math.abs(a[i]))));
    tf.dispose([x, first, second]);
  });

  it('a form the generator cannot emit leaves the JavaScript loops running, with one warning', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    jest.spyOn(codegen, 'buildModule').mockImplementation(() => {
      throw new Error('cannot emit');
    });
    resetWasmKernels();
    const x = tf.tensor1d([-1, 0, 2]);
    const ys = [opOf('softsign')(x), opOf('softsign')(x)];
    expect(ys.map((y) => Array.from(y.dataSync()))).toEqual([0, 1].map(() => Array.from(x.dataSync(), (v) => Math.fround(v / (1 + Math.abs(v))))));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/softsign did not compile; using JavaScript loops .*cannot emit/);
    tf.dispose([x, ...ys]);
  });

  it('a module that does not compile leaves the JavaScript loops running, with one warning', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    jest.spyOn(WebAssembly, 'Module').mockImplementation(() => {
      throw new WebAssembly.CompileError('simulated');
    });
    resetWasmKernels();
    const x = tf.tensor1d([-1, 0, 2]);
    const ys = [opOf('tanh')(x), opOf('tanh')(x)];
    expect(ys.map((y) => Array.from(y.dataSync()))).toEqual([0, 1].map(() => Array.from(x.dataSync(), (v) => Math.fround(Math.tanh(v)))));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/tanh did not compile; using JavaScript loops .*simulated/);
    tf.dispose([x, ...ys]);
  });
});
