/**
 * Training cost: ms per epoch of an MNIST-shaped MLP (784 → 128 → 64 → 10, SGD, batch 128,
 * synthetic data — the cost does not depend on the values) with each activation given as
 * `activation:` of tf.layers.dense: tfjs's built-in name vs our 'act.<id>' name, on the same Dense
 * code path, plus our name in act.layers.dense, which trains every activation the way tfjs's Dense
 * trains 'relu' (src/layers/dense.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { performance } from 'perf_hooks';
import * as act from '../../src';
import { defaultSetBackend, stat, uniform, type Stat } from './bench-harness';

/** 'dense': tf.layers.dense; 'actDense': act.layers.dense. */
export type DenseKind = 'dense' | 'actDense';

export interface TrainConfig {
  /** Row label, e.g. 'mish: tf Dense + tfjs', 'mish: tf Dense + ours', 'mish: act.layers.dense + ours'. */
  label: string;
  activationId: string;
  impl: 'tfjs' | 'ours';
  /** The string given to `activation:`. */
  activation: string;
  dense: DenseKind;
}

export interface TrainResult extends TrainConfig {
  backend: string;
  samples: number;
  batchSize: number;
  /** ms per epoch of `samples` samples. */
  epochMs: Stat;
  /** Pairwise ratio to the tfjs built-in of the same activation on tf.layers.dense (per repetition). */
  vsTfjs?: Stat;
  /** Pairwise ratio to tfjs 'relu' on tf.layers.dense (the fast path). */
  vsRelu?: Stat;
  leakedTensors: number;
  error?: string;
}

export interface TrainBenchOptions {
  backends: readonly string[];
  /** Activation ids (each with a tfjs built-in name; 'linear' is always added). */
  ids: readonly string[];
  samples: number;
  batchSize?: number;
  reps: number;
  setBackend?: (name: string) => Promise<void>;
  onResult?: (done: number, total: number, label: string) => void;
}

/** tfjs-layers' name for the same function, where there is one. */
function tfjsName(id: string): string | undefined {
  const b = act.get(id as act.ActivationId).builtin;
  return b?.tfjsActivation;
}

export function trainConfigs(ids: readonly string[]): TrainConfig[] {
  const out: TrainConfig[] = [
    { label: 'linear: tf Dense + tfjs', activationId: 'linear', impl: 'tfjs', activation: 'linear', dense: 'dense' },
  ];
  for (const id of ids) {
    const t = tfjsName(id);
    const ours = act.name(id as act.ActivationId) as string;
    if (t) out.push({ label: `${id}: tf Dense + tfjs`, activationId: id, impl: 'tfjs', activation: t, dense: 'dense' });
    out.push({ label: `${id}: tf Dense + ours`, activationId: id, impl: 'ours', activation: ours, dense: 'dense' });
    out.push({ label: `${id}: act.layers.dense + ours`, activationId: id, impl: 'ours', activation: ours, dense: 'actDense' });
  }
  return out;
}

function buildModel(cfg: TrainConfig, seed: number): tf.LayersModel {
  const make = (units: number, activation: string, inputShape?: number[]) => {
    const args = {
      units,
      activation: activation as 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + units }),
      ...(inputShape ? { inputShape } : {}),
    };
    return cfg.dense === 'actDense' ? act.layers.dense(args) : tf.layers.dense(args);
  };
  const model = tf.sequential({
    layers: [make(128, cfg.activation, [784]), make(64, cfg.activation), tf.layers.dense({ units: 10, activation: 'softmax' })],
  });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
  return model;
}

async function epochMs(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor, batchSize: number): Promise<number> {
  const t0 = performance.now();
  await model.fit(xs, ys, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
  // fit reads the loss of every batch synchronously-enough; make sure the last update has landed.
  model.getWeights()[0].dataSync();
  return performance.now() - t0;
}

/** Times one epoch per config, repetitions interleaved across configs, after one warm-up epoch each. */
export async function runTrainBench(opts: TrainBenchOptions): Promise<TrainResult[]> {
  const batchSize = opts.batchSize ?? 128;
  const setBackend = opts.setBackend ?? defaultSetBackend;
  const configs = trainConfigs(opts.ids);
  const results: TrainResult[] = [];
  const total = opts.backends.length * configs.length;
  let done = 0;
  for (const backend of opts.backends) {
    await setBackend(backend);
    const before = tf.memory().numTensors;
    const xs = tf.tensor2d(uniform(opts.samples * 784, 0, 1, 7), [opts.samples, 784]);
    const labels = uniform(opts.samples, 0, 10, 8);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(labels, Math.floor), 'int32'), 10).toFloat());
    const models = new Map<TrainConfig, tf.LayersModel>();
    const errors = new Map<TrainConfig, string>();
    for (const cfg of configs) {
      try {
        const m = buildModel(cfg, 11);
        await epochMs(m, xs, ys, batchSize); // warm-up
        models.set(cfg, m);
      } catch (e) {
        errors.set(cfg, (e as Error).message.split('\n')[0]);
      }
      opts.onResult?.(++done, total, `${backend} warm-up ${cfg.label}`);
    }
    const times = new Map<TrainConfig, number[]>(configs.map((c) => [c, []]));
    const live = configs.filter((c) => models.has(c));
    for (let r = 0; r < opts.reps; r++) {
      const order = live.map((_, i) => live[(i + r) % live.length]);
      for (const cfg of order) times.get(cfg)!.push(await epochMs(models.get(cfg)!, xs, ys, batchSize));
    }
    for (const m of models.values()) {
      m.optimizer.dispose(); // SGD keeps its learning rate as a tensor
      m.dispose();
    }
    xs.dispose();
    ys.dispose();
    const leaked = tf.memory().numTensors - before;
    const pair = (a: number[], b: number[] | undefined) =>
      b && b.length ? stat(a.slice(0, b.length).map((v, i) => v / b[i])) : undefined;
    const reluTfjs = configs.find((c) => c.activationId === 'relu' && c.impl === 'tfjs');
    for (const cfg of configs) {
      const t = times.get(cfg)!;
      const tfjsTwin = configs.find((c) => c.activationId === cfg.activationId && c.impl === 'tfjs' && c.dense === 'dense');
      results.push({
        ...cfg,
        backend,
        samples: opts.samples,
        batchSize,
        epochMs: stat(t),
        vsTfjs: tfjsTwin && tfjsTwin !== cfg ? pair(t, times.get(tfjsTwin)) : undefined,
        vsRelu: reluTfjs && reluTfjs !== cfg ? pair(t, times.get(reluTfjs)) : undefined,
        leakedTensors: leaked,
        error: errors.get(cfg),
      });
    }
  }
  return results;
}
