/**
 * Training cost: ms per epoch of two MNIST-shaped models (SGD, batch 128, synthetic data — the cost
 * does not depend on the values), with each activation given as `activation:` of the layers:
 *   - MLP 784 → 128 → 64 → 10;
 *   - CNN 28×28×1 → conv5×5/2(32) → conv3×3/2(64) → dense(128) → 10 (the comparison demo's CNN).
 * Per activation: tfjs's built-in name vs our 'act.<id>' name on the same tfjs layers, plus our name
 * with act.layers.dense for the dense layers, which trains every activation the way tfjs's Dense
 * trains 'relu' (src/layers/dense.ts). The convolutions are tfjs's in every row (the plugin has no
 * conv layer).
 */
import * as tf from '@tensorflow/tfjs';
import { performance } from 'perf_hooks';
import * as act from '../../src';
import { defaultSetBackend, stat, uniform, type Stat } from './bench-harness';
import { installWasmConv2dFilterGrad } from './wasm-conv-shim';

/** The activations of the training target (issue 12): ours ÷ tfjs's built-in ≤ 1.0 on every backend. */
export const TRAINING_IDS = ['relu', 'gelu', 'mish', 'swish'] as const;

export type ModelKind = 'mlp' | 'cnn';
/** 'dense': tf.layers.dense; 'actDense': act.layers.dense. */
export type DenseKind = 'dense' | 'actDense';

export const MODEL_TEXT: Record<ModelKind, string> = {
  mlp: 'MLP 784 → 128 → 64 → 10',
  cnn: 'CNN 28×28×1 → conv5×5/2(32) → conv3×3/2(64) → dense(128) → 10',
};

export interface TrainConfig {
  /** Row label, e.g. 'mish: tf Dense + tfjs', 'mish: tf Dense + ours', 'mish: act.layers.dense + ours'. */
  label: string;
  model: ModelKind;
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
  /** Pairwise ratio to the tfjs built-in of the same activation on tfjs's layers (per repetition). */
  vsTfjs?: Stat;
  /** Pairwise ratio to tfjs 'relu' on tfjs's layers (the fast path). */
  vsRelu?: Stat;
  leakedTensors: number;
  error?: string;
}

export interface TrainBenchOptions {
  backends: readonly string[];
  /** Activation ids (each with a tfjs built-in name; 'linear' is always added). */
  ids: readonly string[];
  /** Models to time (default: the MLP). */
  models?: readonly ModelKind[];
  /** Samples per epoch of the MLP, and of the CNN (default: the MLP's; per backend where given by name). */
  samples: number;
  cnnSamples?: number | Readonly<Record<string, number>>;
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

export function trainConfigs(ids: readonly string[], models: readonly ModelKind[] = ['mlp']): TrainConfig[] {
  const out: TrainConfig[] = [];
  for (const model of models) {
    const [prefix, layers] = model === 'mlp' ? ['', 'tf Dense'] : ['CNN ', 'tf layers'];
    out.push({ label: `${prefix}linear: ${layers} + tfjs`, model, activationId: 'linear', impl: 'tfjs', activation: 'linear', dense: 'dense' });
    for (const id of ids) {
      const t = tfjsName(id);
      const ours = act.name(id as act.ActivationId) as string;
      if (t) out.push({ label: `${prefix}${id}: ${layers} + tfjs`, model, activationId: id, impl: 'tfjs', activation: t, dense: 'dense' });
      out.push({ label: `${prefix}${id}: ${layers} + ours`, model, activationId: id, impl: 'ours', activation: ours, dense: 'dense' });
      out.push({ label: `${prefix}${id}: act.layers.dense + ours`, model, activationId: id, impl: 'ours', activation: ours, dense: 'actDense' });
    }
  }
  return out;
}

function buildModel(cfg: TrainConfig, seed: number): tf.LayersModel {
  const dense = (units: number, activation: string, inputShape?: number[]) => {
    const args = {
      units,
      activation: activation as 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + units }),
      ...(inputShape ? { inputShape } : {}),
    };
    return cfg.dense === 'actDense' ? act.layers.dense(args) : tf.layers.dense(args);
  };
  const conv = (filters: number, kernelSize: number, inputShape?: number[]) =>
    tf.layers.conv2d({
      filters, kernelSize, strides: 2, activation: cfg.activation as 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + filters }),
      ...(inputShape ? { inputShape } : {}),
    });
  const layers =
    cfg.model === 'mlp'
      ? [dense(128, cfg.activation, [784]), dense(64, cfg.activation)]
      : [conv(32, 5, [28, 28, 1]), conv(64, 3), tf.layers.flatten(), dense(128, cfg.activation)];
  const model = tf.sequential({ layers: [...layers, tf.layers.dense({ units: 10, activation: 'softmax' })] });
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

/** Times one model kind's configs on the active backend: one warm-up epoch each, then repetitions interleaved. */
async function timeModel(model: ModelKind, configs: TrainConfig[], o: { backend: string; samples: number; batchSize: number; reps: number; tick: (label: string) => void }): Promise<TrainResult[]> {
  const before = tf.memory().numTensors;
  const shape = model === 'mlp' ? [784] : [28, 28, 1];
  const xs = tf.tensor(uniform(o.samples * 784, 0, 1, 7), [o.samples, ...shape]);
  const labels = uniform(o.samples, 0, 10, 8);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(labels, Math.floor), 'int32'), 10).toFloat());
  const models = new Map<TrainConfig, tf.LayersModel>();
  const errors = new Map<TrainConfig, string>();
  for (const cfg of configs) {
    try {
      const m = buildModel(cfg, 11);
      await epochMs(m, xs, ys, o.batchSize); // warm-up
      models.set(cfg, m);
    } catch (e) {
      errors.set(cfg, (e as Error).message.split('\n')[0]);
    }
    o.tick(`${o.backend} warm-up ${cfg.label}`);
  }
  const times = new Map<TrainConfig, number[]>(configs.map((c) => [c, []]));
  const live = configs.filter((c) => models.has(c));
  for (let r = 0; r < o.reps; r++) {
    const order = live.map((_, i) => live[(i + r) % live.length]);
    for (const cfg of order) times.get(cfg)!.push(await epochMs(models.get(cfg)!, xs, ys, o.batchSize));
  }
  for (const m of models.values()) {
    m.optimizer.dispose(); // SGD keeps its learning rate as a tensor
    m.dispose();
  }
  xs.dispose();
  ys.dispose();
  const leaked = tf.memory().numTensors - before;
  const pair = (a: number[], b: number[] | undefined) => (b && b.length ? stat(a.slice(0, b.length).map((v, i) => v / b[i])) : undefined);
  const reluTfjs = configs.find((c) => c.activationId === 'relu' && c.impl === 'tfjs');
  return configs.map((cfg) => {
    const t = times.get(cfg)!;
    const tfjsTwin = configs.find((c) => c.activationId === cfg.activationId && c.impl === 'tfjs' && c.dense === 'dense');
    return {
      ...cfg,
      backend: o.backend,
      samples: o.samples,
      batchSize: o.batchSize,
      epochMs: stat(t),
      vsTfjs: tfjsTwin && tfjsTwin !== cfg ? pair(t, times.get(tfjsTwin)) : undefined,
      vsRelu: reluTfjs && reluTfjs !== cfg ? pair(t, times.get(reluTfjs)) : undefined,
      leakedTensors: leaked,
      error: errors.get(cfg),
    };
  });
}

/** Times one epoch per config, per backend and model, repetitions interleaved within a model. */
export async function runTrainBench(opts: TrainBenchOptions): Promise<TrainResult[]> {
  const batchSize = opts.batchSize ?? 128;
  const setBackend = opts.setBackend ?? defaultSetBackend;
  const models = opts.models ?? ['mlp'];
  const configs = trainConfigs(opts.ids, models);
  const results: TrainResult[] = [];
  const total = opts.backends.length * configs.length;
  let done = 0;
  const tick = (label: string) => opts.onResult?.(++done, total, label);
  for (const backend of opts.backends) {
    await setBackend(backend);
    // tfjs-backend-wasm 4.22 cannot train conv layers without it (demos/lib/wasm-conv-shim.ts).
    if (backend === 'wasm' && models.includes('cnn')) installWasmConv2dFilterGrad();
    for (const model of models) {
      const cnn = typeof opts.cnnSamples === 'number' ? opts.cnnSamples : opts.cnnSamples?.[backend];
      const samples = model === 'cnn' ? cnn ?? opts.samples : opts.samples;
      results.push(...(await timeModel(model, configs.filter((c) => c.model === model), { backend, samples, batchSize, reps: opts.reps, tick })));
    }
  }
  return results;
}

export interface TrainingTarget {
  met: boolean | null;
  summary: string;
  /** 'wasm CNN gelu: 1.07', one per miss. */
  misses: string[];
}

/**
 * The training target: ms per epoch with our activations ÷ with tfjs's built-in ≤ 1.0, for every
 * backend, model and activation measured. Ours is taken the plugin's way, act.layers.dense with
 * our name (the same-layer row, tfjs's layers with our name, is in the table next to it).
 */
export function evaluateTrainingTarget(results: readonly TrainResult[]): TrainingTarget {
  const cells = results.filter((r) => r.impl === 'ours' && r.dense === 'actDense' && r.vsTfjs && Number.isFinite(r.vsTfjs.median));
  const misses = cells
    .filter((r) => r.vsTfjs!.median > 1)
    .map((r) => `${r.backend} ${r.model === 'cnn' ? 'CNN' : 'MLP'} ${r.activationId}: ${r.vsTfjs!.median.toFixed(2)}`);
  const per = [...new Set(cells.map((r) => `${r.backend} ${r.model === 'cnn' ? 'CNN' : 'MLP'}`))]
    .map((k) => {
      const c = cells.filter((r) => `${r.backend} ${r.model === 'cnn' ? 'CNN' : 'MLP'}` === k);
      return `${k} ${c.filter((r) => r.vsTfjs!.median <= 1).length}/${c.length}`;
    })
    .join(', ');
  return {
    met: cells.length ? misses.length === 0 : null,
    summary: cells.length ? `met in ${per}` : 'not measured',
    misses,
  };
}
