/**
 * Engine prototypes measured by the benchmark (not part of the plugin; see the bench report for
 * numbers): (cpu) a branchless, parameter-specialised relu loop vs the generic per-element kernel;
 * (wasm, tensorflow) compositions of native kernels with explicit sigmoid-only derivatives, vs our
 * JavaScript kernels, and the plugin's composite path forced there. (The former FastDense prototype shipped as act.layers.dense, src/layers/dense.ts.)
 */
import * as tf from '@tensorflow/tfjs';
import * as act from '../../src';
import { setCompositeOnly } from '../../src/engine/run';

// ---------------------------------------------------------------------------------------------
// 1. cpu: branchless relu kernel (what a parameter-specialised fast path could look like)

const PROTO_RELU = 'BenchProto_relu';
const PROTO_RELU_GRAD = 'BenchProto_relu_grad';

interface CpuBackendLike {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

/** max(x, 0) without a data-dependent branch; ±Infinity and NaN handled exactly. */
function reluLoop(xs: Float32Array, out: Float32Array): void {
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    const y = 0.5 * (v + Math.abs(v)); // -Inf + Inf = NaN: fixed below, off the hot path
    out[i] = y === y ? y : v === -Infinity ? 0 : v;
  }
}

function reluGradLoop(dys: Float32Array, xs: Float32Array, out: Float32Array): void {
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    // (v > 0) as 0/1 without a branch: the comparison result is converted arithmetically.
    out[i] = v !== v ? NaN : dys[i] * +(v > 0);
  }
}

let protoRegistered = false;

function registerProtoKernels(): void {
  if (protoRegistered) return;
  protoRegistered = true;
  tf.registerKernel({
    kernelName: PROTO_RELU,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as unknown as CpuBackendLike;
      const x = inputs.x as tf.TensorInfo;
      const xs = b.data.get(x.dataId).values;
      const out = new Float32Array(xs.length);
      reluLoop(xs, out);
      return b.makeTensorInfo(x.shape, 'float32', out);
    },
  });
  tf.registerKernel({
    kernelName: PROTO_RELU_GRAD,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as unknown as CpuBackendLike;
      const x = inputs.x as tf.TensorInfo;
      const xs = b.data.get(x.dataId).values;
      const dys = b.data.get((inputs.dy as tf.TensorInfo).dataId).values;
      const out = new Float32Array(xs.length);
      reluGradLoop(dys, xs, out);
      return b.makeTensorInfo(x.shape, 'float32', out);
    },
  });
  tf.registerGradient({
    kernelName: PROTO_RELU,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => tf.engine().runKernel(PROTO_RELU_GRAD, { dy: dy as tf.Tensor, x: saved[0] }) as tf.Tensor }),
  });
}

/** Prototype relu op for the cpu backend (branchless loop, no parameters). */
export function protoReluCpu(x: tf.Tensor): tf.Tensor {
  registerProtoKernels();
  return tf.engine().runKernel(PROTO_RELU, { x }) as tf.Tensor;
}

// ---------------------------------------------------------------------------------------------
// 2. wasm / tensorflow: native-kernel compositions with explicit, cancellation-free derivatives.
// Everything is written with σ(x) and t = σ(−x) (both computed by the native sigmoid kernel), so
// no 1 − σ or 1 − tanh² difference ever forms.

type Unary = (x: tf.Tensor) => tf.Tensor;

const k = (v: number) => tf.scalar(v);

/** swish(x) = x σ(x); swish' = σ(x) + x σ(x) σ(−x). */
export const nativeSwish: Unary = tf.customGrad((x, save) => {
  const xt = x as tf.Tensor;
  const s = tf.sigmoid(xt);
  (save as tf.GradSaveFunc)([xt, s]);
  return {
    value: tf.mul(xt, s),
    gradFunc: (dy, [xs, ss]) => {
      const t = tf.sigmoid(tf.neg(xs));
      return tf.mul(dy, tf.add(ss, tf.mul(xs, tf.mul(ss, t))));
    },
  };
}) as Unary;

/**
 * mish(x) = x tanh(softplus(x)) = x σ(x)(1 + t)/(1 + t²) with t = σ(−x) (1 + eˣ = 1/t);
 * mish' = σ(x)(1 + t)/(1 + t²) + x σ(x) · 4t²/(1 + t²)².
 */
export const nativeMish: Unary = tf.customGrad((x, save) => {
  const xt = x as tf.Tensor;
  const s = tf.sigmoid(xt);
  const t = tf.sigmoid(tf.neg(xt));
  const d = tf.add(k(1), tf.square(t));
  const tsp = tf.div(tf.mul(s, tf.add(k(1), t)), d); // tanh(softplus(x))
  (save as tf.GradSaveFunc)([xt, s, t, d, tsp]);
  return {
    value: tf.mul(xt, tsp),
    gradFunc: (dy, [xs, ss, ts, ds, tsps]) => {
      const sech2 = tf.div(tf.mul(k(4), tf.square(ts)), tf.square(ds));
      return tf.mul(dy, tf.add(tsps, tf.mul(tf.mul(xs, ss), sech2)));
    },
  };
}) as Unary;

const C = Math.sqrt(2 / Math.PI);
const KC = 0.044715;

/** gelu_new(x) = x σ(2u), u = c(x + k x³); gelu_new' = σ(2u) + 2x σ(2u) σ(−2u) u'. */
export const nativeGeluNew: Unary = tf.customGrad((x, save) => {
  const xt = x as tf.Tensor;
  const x2 = tf.square(xt);
  const u2 = tf.mul(tf.mul(k(2 * C), xt), tf.add(k(1), tf.mul(k(KC), x2)));
  const s = tf.sigmoid(u2);
  (save as tf.GradSaveFunc)([xt, x2, u2, s]);
  return {
    value: tf.mul(xt, s),
    gradFunc: (dy, [xs, x2s, u2s, ss]) => {
      const t = tf.sigmoid(tf.neg(u2s));
      const du2 = tf.mul(k(2 * C), tf.add(k(1), tf.mul(k(3 * KC), x2s)));
      return tf.mul(dy, tf.add(ss, tf.mul(tf.mul(xs, tf.mul(ss, t)), du2)));
    },
  };
}) as Unary;

/** The native prototypes by bench case key. */
export const NATIVE_PROTOTYPES: Record<string, { name: string; fn: Unary }> = {
  swish: { name: 'x·σ(x), explicit σ-only derivative', fn: nativeSwish },
  mish: { name: 'x·σ(x)(1+t)/(1+t²), t = σ(−x), explicit derivative', fn: nativeMish },
  gelu_new: { name: 'x·σ(2u), explicit σ-only derivative', fn: nativeGeluNew },
};

/**
 * The plugin's own composite path (what webgl runs: stable float32 tfjs-op forms with the explicit
 * f′ and f″ as gradients), forced on a backend that has our JavaScript kernels. The gradient keeps
 * the path chosen at the forward call, so toggling around the forward call is enough.
 */
export function compositePath(key: string): { name: string; fn: Unary } {
  const id = (key === 'gelu_new' ? 'gelu' : key) as act.ActivationId;
  const params = key === 'gelu_new' ? { approximate: true } : {};
  const op = act.ops[id] as (x: tf.Tensor, p?: object) => tf.Tensor;
  return {
    name: 'composite path (as on webgl)',
    fn: (x) => {
      setCompositeOnly(true);
      try {
        return op(x, params);
      } finally {
        setCompositeOnly(false);
      }
    },
  };
}

/** Keys whose composite path the benchmark times on wasm and tensorflow. */
export const COMPOSITE_PROTOTYPE_KEYS = ['sigmoid', 'swish', 'mish', 'gelu', 'gelu_new', 'softsign'];

/**
 * Worst error of a prototype against our float64 definition, in float32 epsilons (relative, floor
 * 1e-30), over a grid of [-lim, lim], for the value and the derivative (dy = 1).
 */
export function prototypeError(key: string, fn: Unary, n = 20001, lim = 30): { value: number; derivative: number } {
  const id = key === 'gelu_new' ? 'gelu' : key;
  const def = act.get(id as act.ActivationId) as act.AnyDefinition;
  const p = Object.fromEntries(Object.entries(def.params as Record<string, { default: unknown }>).map(([a, s]) => [a, s.default])) as Record<string, unknown>;
  if (key === 'gelu_new') p.approximate = true;
  const xs = new Float32Array(n);
  for (let i = 0; i < n; i++) xs[i] = -lim + (2 * lim * i) / (n - 1);
  const x = tf.tensor1d(xs);
  const y = fn(x);
  const g = tf.grad((t: tf.Tensor) => fn(t))(x);
  const yv = y.dataSync();
  const gv = g.dataSync();
  tf.dispose([x, y, g]);
  const EPS = 2 ** -23;
  let ev = 0;
  let ed = 0;
  for (let i = 0; i < n; i++) {
    const tv = def.forward(xs[i], p as never);
    const td = def.derivative(xs[i], p as never);
    ev = Math.max(ev, Math.abs(yv[i] - tv) / Math.max(Math.abs(tv), 1e-30) / EPS);
    ed = Math.max(ed, Math.abs(gv[i] - td) / Math.max(Math.abs(td), 1e-30) / EPS);
  }
  return { value: ev, derivative: ed };
}
