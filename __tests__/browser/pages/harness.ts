/**
 * The page behind __tests__/browser/gpu.test.ts: runs the plugin on the page's backend (webgl or
 * webgpu) and hands raw float32 results back to Node (base64), where they are checked against
 * float64 and the fixtures. Nothing is judged here. WebGPU validation errors (a bad WGSL program
 * never throws by itself) are caught with error scopes and reported as failures.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import * as act from '../../../src';
import type { AnyDefinition } from '../../../src/definition';
import { kernelNames } from '../../../src/engine/names';
import { resolveDefinitionParams } from '../../../src/engine/op';
import { applyWithTensorParams, numericParams } from '../../../src/engine/parametric';
import { setCompositeOnly } from '../../../src/engine/run';
import * as internal from '../../../src/internal';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

// ?webgl1: a WebGL 1 context (set before the webgl backend starts), where the kernels run on the host.
if (new URLSearchParams(location.search).has('webgl1')) tf.env().set('WEBGL_VERSION', 1);

export type Mode = { precision: 'fast' | 'exact' | 'default'; composite?: boolean };

const encode = (a: ArrayLike<number>): string => {
  const bytes = new Uint8Array(Float32Array.from(a).buffer);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

function setMode(mode: Mode): void {
  act.setPrecision(mode.precision);
  setCompositeOnly(mode.composite ?? false);
}

/** Runs `body`; on webgpu, fails if any GPU validation error happened meanwhile. */
async function checked<T>(body: () => Promise<T>): Promise<T> {
  const device = (tf.backend() as Any).device as GPUDevice | undefined;
  if (!device) return body();
  device.pushErrorScope('validation');
  let result: T;
  let failure: unknown;
  try {
    result = await body();
  } catch (e) {
    failure = e;
  }
  // The scope is popped whatever happened; a validation error explains a failure better than it.
  const error = await device.popErrorScope();
  if (error) throw new Error(`WebGPU validation error: ${error.message}`);
  if (failure !== undefined) throw failure;
  return result!;
}

async function read(t: tf.Tensor): Promise<string> {
  return encode((await t.data()) as Float32Array);
}

const opFor = (id: string, params: object) => (x: tf.Tensor) => (act.ops as Any)[id](x, params) as tf.Tensor;

/** GPU programs run by `body` (each runWebGLProgram / runWebGPUProgram call), by program name. */
function countPrograms<T>(body: () => T): { result: T; programs: string[] } {
  const b = tf.backend() as Any;
  const method = typeof b.runWebGLProgram === 'function' ? 'runWebGLProgram' : 'runWebGPUProgram';
  const original = b[method];
  const programs: string[] = [];
  b[method] = function (program: Any, ...rest: Any[]) {
    programs.push(program.shaderKey ?? (program.userCode?.includes('ta_fused') ? 'tfjsActivations' : program.constructor.name));
    return original.call(this, program, ...rest);
  };
  try {
    return { result: body(), programs };
  } finally {
    b[method] = original;
  }
}

const harness = {
  /** Activates a backend; reports what it is (and the WebGPU adapter). */
  async use(backend: string): Promise<{ backend: string; adapter?: string; error?: string }> {
    let ok = false;
    try {
      ok = await tf.setBackend(backend);
    } catch (e) {
      return { backend: tf.getBackend(), error: String(e) };
    }
    if (!ok) return { backend: tf.getBackend(), error: `tf.setBackend('${backend}') returned false` };
    await tf.ready();
    const adapter = (tf.backend() as Any).adapterInfo;
    return { backend: tf.getBackend(), adapter: adapter ? `${adapter.vendor} ${adapter.architecture}` : undefined };
  },

  /** f, f′ (tf.grad) and f″ (tf.grad of tf.grad) at xs, through the public op, for each case. */
  async orders(cases: Array<{ id: string; params: object }>, xs: number[], mode: Mode): Promise<Array<[string, string, string]>> {
    setMode(mode);
    try {
      return await checked(async () => {
        const out: Array<[string, string, string]> = [];
        const x = tf.tensor1d(xs);
        for (const c of cases) {
          const f = opFor(c.id, c.params);
          const ts = [f(x), tf.grad(f)(x), tf.grad(tf.grad(f))(x)];
          out.push((await Promise.all(ts.map(read))) as [string, string, string]);
          tf.dispose(ts);
        }
        x.dispose();
        return out;
      });
    } finally {
      setMode({ precision: 'default' });
    }
  },

  /** Our kernel counts per order, and tfjs's for its own op or layer activation (tf.profile). */
  async kernels(shape: number[]): Promise<Array<Record<string, unknown>>> {
    setMode({ precision: 'default' });
    const size = shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor(Float32Array.from({ length: size }, (_, i) => ((i * 7919) % 2001) / 250 - 4), shape);
    const dy = tf.tensor(Float32Array.from({ length: size }, (_, i) => ((i * 104729) % 1999) / 1000 - 1), shape);
    const names = async (f: () => tf.Tensor | tf.Tensor[]) => {
      const info = await tf.profile(() => {
        const r = f();
        return r;
      });
      tf.dispose(info.result as Any);
      return info.kernels.map((k) => k.name).filter((n) => n !== 'Identity');
    };
    const rows: Array<Record<string, unknown>> = [];
    await checked(async () => {
      for (const def of internal.definitions as readonly AnyDefinition[]) {
        const op = opFor(def.id, {});
        const k = kernelNames(def.id);
        const attrs = resolveDefinitionParams(def, {}) as tf.NamedAttrMap;
        const row: Record<string, unknown> = { id: def.id };
        row.forward = await names(() => op(x));
        row.forwardBackward = await names(() => tf.grad(op)(x, dy));
        row.grad2 = await names(() => tf.engine().runKernel(k.grad2, { dy, x }, attrs) as tf.Tensor);
        // tf.grad(tf.grad(f)) with an upstream gradient: the second order through tfjs's autodiff.
        row.secondOrder = await names(() => tf.grad((t: tf.Tensor) => tf.grad(op)(t, dy))(x, dy));
        const programs = countPrograms(() => {
          const r = [op(x), tf.engine().runKernel(k.grad1, { dy, x }, attrs) as tf.Tensor, tf.engine().runKernel(k.grad2, { dy, x }, attrs) as tf.Tensor];
          return r;
        });
        await Promise.all(programs.result.map((t) => t.data()));
        tf.dispose(programs.result);
        row.programs = programs.programs;
        const builtin = def.builtin;
        let tfjs: ((t: tf.Tensor) => tf.Tensor) | undefined;
        if (builtin?.tfjsOp) {
          const fn = (tf as Any)[builtin.tfjsOp];
          tfjs = (t) => fn(t);
          row.tfjs = `tf.${builtin.tfjsOp}`;
        } else if (builtin?.tfjsActivation) {
          const layer = tf.layers.activation({ activation: builtin.tfjsActivation as Any });
          tfjs = (t) => layer.apply(t) as tf.Tensor;
          row.tfjs = `activation '${builtin.tfjsActivation}'`;
        }
        if (tfjs) {
          row.tfjsForward = await names(() => tfjs!(x));
          row.tfjsForwardBackward = await names(() => tf.grad(tfjs!)(x, dy));
        }
        rows.push(row);
      }
    });
    tf.dispose([x, dy]);
    return rows;
  },

  /**
   * A definition with tensor parameters (learnable weights) broadcast against x: forward, dx and
   * each dp through tf.grads, on the page's backend.
   */
  async learnable(
    id: string,
    xShape: number[],
    fixed: Record<string, number | boolean | null>,
    params: Record<string, { shape: number[]; values: number[] }>,
    x: number[],
    dy: number[],
    mode: Mode,
  ): Promise<Record<string, string>> {
    setMode(mode);
    try {
      return await checked(async () => {
        const def = act.get(id as act.ActivationId) as AnyDefinition;
        const names = Object.keys(params);
        const xt = tf.tensor(x, xShape);
        const dyt = tf.tensor(dy, xShape);
        const ps = names.map((n) => tf.tensor(params[n].values, params[n].shape));
        const f = (...ts: tf.Tensor[]) => applyWithTensorParams(def, ts[0], { ...resolvedDefaults(def), ...fixed }, Object.fromEntries(names.map((n, i) => [n, ts[i + 1]])));
        const y = f(xt, ...ps);
        const grads = tf.grads(f)([xt, ...ps], dyt);
        const out: Record<string, string> = { y: await read(y), dx: await read(grads[0]) };
        for (let i = 0; i < names.length; i++) out[`d_${names[i]}`] = await read(grads[i + 1]);
        tf.dispose([xt, dyt, ...ps, y, ...grads]);
        return out;
      });
    } finally {
      setMode({ precision: 'default' });
    }
  },

  /** Our compiled programs the backend holds (webgl binaries keyed by userCode, webgpu pipelines by shaderKey). */
  compiledPrograms(): number {
    const b = tf.backend() as Any;
    return Object.keys(b.binaryCache ?? b.pipelineCache ?? {}).filter((k) => k.includes('ta_fused') || k.startsWith('tfjsActivations')).length;
  },

  /** tf.grad of one activation (f and dy·f′) on a tensor of `shape`; the GPU programs that ran. */
  async run(id: string, params: object, shape: number[]): Promise<string[]> {
    return checked(async () => {
      const size = shape.reduce((a, b) => a * b, 1);
      const x = tf.tensor(Float32Array.from({ length: size }, (_, i) => (i % 17) / 4 - 2), shape);
      const f = opFor(id, params);
      const { result, programs } = countPrograms(() => [tf.grad(f)(x)]);
      await Promise.all(result.map((t) => t.data()));
      tf.dispose([x, ...result]);
      return programs;
    });
  },

  /**
   * A small model with our activations (by name in a dense layer, our layer with a learnable
   * parameter) trained on a synthetic regression: the losses per epoch and whether every weight
   * stayed finite.
   */
  async train(epochs: number): Promise<{ losses: number[]; finite: boolean; activationKernels: string[] }> {
    return checked(async () => {
      const n = 256;
      const xs = tf.tidy(() => tf.randomUniform([n, 4], -2, 2, 'float32', 7));
      const ys = tf.tidy(() => tf.sum(tf.sin(xs), 1, true));
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ inputShape: [4], units: 16, activation: act.name('mish') as Any, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
          act.layers.leakyRelu({ learnable: ['alpha'] }) as unknown as tf.layers.Layer,
          tf.layers.dense({ units: 16, activation: act.name('gelu') as Any, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
          tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
      const kernels = new Set<string>();
      const info = await tf.profile(() => model.predict(xs) as tf.Tensor);
      tf.dispose(info.result as Any);
      info.kernels.forEach((k) => k.name.startsWith('TfjsActivations') && kernels.add(k.name));
      const history = await model.fit(xs, ys, { epochs, batchSize: 64, shuffle: false, verbose: 0 });
      const weights = await Promise.all(model.getWeights().map((w) => w.data()));
      const finite = weights.every((w) => Array.from(w).every(Number.isFinite));
      tf.dispose([xs, ys]);
      model.dispose();
      return { losses: history.history.loss as number[], finite, activationKernels: [...kernels].sort() };
    });
  },

  /** f and dy·f′ (tf.grad) of one activation on tensors of each shape (values cycling through xs). */
  async shapes(id: string, params: object, shapes: number[][], xs: number[], dys: number[]): Promise<Array<[string, string]>> {
    return checked(async () => {
      const f = opFor(id, params);
      const out: Array<[string, string]> = [];
      for (const shape of shapes) {
        const n = shape.reduce((a, b) => a * b, 1);
        const x = tf.tensor(Array.from({ length: n }, (_, i) => xs[i % xs.length]), shape);
        const dy = tf.tensor(Array.from({ length: n }, (_, i) => dys[i % dys.length]), shape);
        const [y, dx] = [f(x), tf.grad(f)(x, dy)];
        if (y.shape.join() !== shape.join() || dx.shape.join() !== shape.join()) throw new Error(`shape [${shape}] came back as [${y.shape}] / [${dx.shape}]`);
        out.push([await read(y), await read(dx)]);
        tf.dispose([x, dy, y, dx]);
      }
      return out;
    });
  },

  setFlag: (name: string, value: boolean | number) => tf.env().set(name, value),
  webglVersion: () => tf.env().getNumber('WEBGL_VERSION'),
  numericParams: (id: string) => numericParams(act.get(id as act.ActivationId) as AnyDefinition),
  precision: () => act.getPrecision(),
  setPrecision: (p: 'fast' | 'exact' | 'default') => act.setPrecision(p),
  memory: () => tf.memory().numTensors,
};

function resolvedDefaults(def: AnyDefinition): Record<string, unknown> {
  return Object.fromEntries(Object.entries(def.params as Record<string, { default: unknown }>).map(([k, s]) => [k, s.default]));
}

(window as unknown as { harness: typeof harness }).harness = harness;
