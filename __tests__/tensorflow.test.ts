/**
 * The tensorflow backend's fast path keeps tensors on the device: for every activation, the op,
 * tf.grad, tf.grad(tf.grad) and a layer with a learnable parameter run without a single read back to
 * the host (no readSync/dataSync, no tensorDataSync of the TensorFlow binding) — which is what lets
 * tfjs-node-gpu keep them on the GPU — and each order is one kernel of ours (tf.profile).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as act from '../src';
import type { AnyDefinition } from '../src/definition';
import { kernelNames } from '../src/engine/names';
import { BACKENDS, useBackend } from './helpers/backends';

const describeOnTensorflow = BACKENDS.includes('tensorflow') ? describe : describe.skip;

interface Spied {
  readSync: number;
  tensorDataSync: number;
}

/** Counts host reads while `f` runs (the binding's own properties are read-only: it is wrapped whole). */
function countHostReads(f: () => void): Spied {
  const { readSync, tensorDataSync } = spyOnBinding(f);
  return { readSync, tensorDataSync };
}

/** Host reads, and the TensorFlow ops run, while `f` runs. */
function spyOnBinding(f: () => void): Spied & { ops: string[] } {
  const backend = tf.backend() as unknown as { readSync: (id: object) => unknown; binding: Record<string, unknown> };
  const counts = { readSync: 0, tensorDataSync: 0, ops: [] as string[] };
  const readSync = backend.readSync;
  const binding = backend.binding;
  const wrapped: Record<string, unknown> = {};
  for (const k of Object.getOwnPropertyNames(binding)) {
    const v = binding[k];
    const call = (...a: unknown[]) => (v as (...b: unknown[]) => unknown).apply(binding, a);
    wrapped[k] = typeof v !== 'function' ? v
      : k === 'tensorDataSync' ? (...a: unknown[]) => (counts.tensorDataSync++, call(...a))
      : k === 'executeOp' ? (...a: unknown[]) => (counts.ops.push(a[0] as string), call(...a))
      : call;
  }
  backend.readSync = (id) => (counts.readSync++, readSync.call(backend, id));
  backend.binding = wrapped;
  try {
    f();
  } finally {
    backend.readSync = readSync;
    backend.binding = binding;
    delete (backend as { readSync?: unknown }).readSync;
  }
  return counts;
}

describeOnTensorflow('on tensorflow, fast precision', () => {
  beforeAll(async () => {
    await useBackend('tensorflow');
    act.setPrecision('fast');
  });
  afterAll(() => act.setPrecision('default'));

  const defs = act.all() as AnyDefinition[];

  it.each(defs.map((d) => [d.id, d] as const))('%s: op, tf.grad and tf.grad(tf.grad) read nothing back to the host', (id) => {
    const op = (t: tf.Tensor) => (act.ops as unknown as Record<string, (x: tf.Tensor) => tf.Tensor>)[id](t);
    const x = tf.tensor2d([[-2, -0.5, 0.25], [1, 3, 40]]);
    const dy = tf.onesLike(x);
    x.dataSync();  // uploads before counting
    dy.dataSync();
    let kept: tf.Tensor[] = [];
    const counts = countHostReads(() => {
      kept = tf.tidy(() => [op(x), tf.grad(op)(x, dy), tf.grad((t: tf.Tensor) => tf.grad(op)(t, dy))(x, dy)].map((t) => tf.keep(t)));
    });
    expect(counts).toEqual({ readSync: 0, tensorDataSync: 0 });
    tf.dispose([x, dy, ...kept]);
  });

  it.each(defs.filter((d) => Object.values(d.params as Record<string, { type: string }>).some((s) => s.type === 'number')).map((d) => [d.id, d] as const))(
    '%s: a layer learning its parameters per channel reads nothing back while training', (id, def) => {
      const numeric = Object.entries(def.params as Record<string, { type: string; default: unknown }>).filter(([, s]) => s.type === 'number');
      const learnable = numeric.map(([k]) => k);
      // A parameter that defaults to null ("none", e.g. relu's cap) needs a starting value to be learned.
      const starts = Object.fromEntries(numeric.filter(([, s]) => s.default === null).map(([k]) => [k, 6]));
      const layer = (act.layers as unknown as Record<string, (a: object) => { apply(x: tf.Tensor): tf.Tensor; trainableWeights: Array<{ read(): tf.Tensor }> }>)[id]({ learnable, ...starts });
      const x = tf.randomUniform([4, 3], -2, 2);
      layer.apply(x);  // builds the weights
      x.dataSync();
      for (const w of layer.trainableWeights) w.read().dataSync();
      let grads: tf.Tensor[] = [];
      const counts = countHostReads(() => {
        const { value, grads: g } = tf.variableGrads(() => tf.sum(layer.apply(x)) as tf.Scalar);
        grads = [value, ...Object.values(g)];
      });
      expect(counts).toEqual({ readSync: 0, tensorDataSync: 0 });
      expect(grads.length).toBe(1 + learnable.length);
      tf.dispose([x, ...grads]);
    });

  it('fuses where TensorFlow has the op: relu is Relu alone (it keeps NaN), relu6′ is Relu6Grad and the NaN guard', () => {
    // 1000 elements with NaN at several offsets: TensorFlow's vectorised loops (8 floats a packet)
    // and their scalar tails both run.
    const xs = Array.from({ length: 1000 }, (_, i) => (i % 97 === 3 || i === 999 ? NaN : ((i * 37) % 200) / 10 - 8));
    const x = tf.tensor1d(xs);
    const dy = tf.onesLike(x);
    x.dataSync();
    dy.dataSync();
    const run = (f: () => tf.Tensor) => {
      let y: tf.Tensor | undefined;
      const { ops } = spyOnBinding(() => (y = f()));
      const values = Array.from(y!.dataSync());
      y!.dispose();
      return { ops, values };
    };
    const f32 = (v: number) => Math.fround(v);
    expect(run(() => act.ops.relu(x))).toEqual({ ops: ['Relu'], values: xs.map((v) => (v !== v ? NaN : f32(Math.max(v, 0)))) });
    expect(run(() => tf.grad((t: tf.Tensor) => act.ops.relu6(t))(x, dy))).toEqual({
      ops: ['Relu6', 'IsNan', 'Relu6Grad', 'SelectV2'],
      values: xs.map((v) => (v !== v ? NaN : f32(v) > 0 && f32(v) < 6 ? 1 : 0)),
    });
    tf.dispose([x, dy]);
  });

  it.each(defs.map((d) => [d.id, d] as const))('%s: one kernel of ours per order, the second included (tf.profile)', async (id) => {
    const names = kernelNames(id);
    const op = (t: tf.Tensor) => (act.ops as unknown as Record<string, (x: tf.Tensor) => tf.Tensor>)[id](t);
    const x = tf.tensor1d([-1, 0.5, 2]);
    const forward = await tf.profile(() => op(x));
    expect(forward.kernels.map((k) => k.name)).toEqual([names.forward]);
    const backward = await tf.profile(() => tf.grad(op)(x));
    expect(backward.kernels.map((k) => k.name).filter((n) => n.startsWith('TfjsActivations'))).toEqual([names.forward, names.grad1]);
    // The second order is one kernel too: g·dy·f″ without a separate multiplication.
    const second = await tf.profile(() => tf.grad(tf.grad(op))(x));
    const secondNames = second.kernels.map((k) => k.name);
    expect(secondNames.filter((n) => n.startsWith('TfjsActivations'))).toEqual([names.forward, names.grad1, names.grad2Scaled]);
    expect(secondNames.filter((n) => n === 'Multiply')).toEqual([]);
    tf.dispose([x, forward.result as tf.Tensor, backward.result as tf.Tensor, second.result as tf.Tensor]);
  });
});
