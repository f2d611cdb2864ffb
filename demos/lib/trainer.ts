/**
 * A small deterministic trainer: our own seeded batch order, a manual optimizer loop (loss, grads,
 * applyGradients), and lock-step training of several models on the very same batches, so twins
 * (our activation and tfjs's built-in, same initial weights) can be compared step by step.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from './datasets';
import type { BuiltModel } from './models';
import { mulberry32, permutation } from './rng';

export type OptimizerName = 'adam' | 'sgd' | 'momentum';

/** tf.train.adam whose learning rate can change between steps (tfjs keeps it in a protected field). */
export class ScheduledAdam extends tf.AdamOptimizer {
  constructor(learningRate: number) {
    super(learningRate, 0.9, 0.999);
  }
  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }
}

export function makeOptimizer(name: OptimizerName, lr: number): tf.Optimizer {
  switch (name) {
    case 'adam':
      return new ScheduledAdam(lr);
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      return tf.train.momentum(lr, 0.9);
  }
}

/** x and one-hot y tensors for rows `idx` of a dataset. */
export function batchTensors(d: Dataset, idx: ArrayLike<number>): { x: tf.Tensor; y: tf.Tensor } {
  const f = d.x.length / d.n;
  const xs = new Float32Array(idx.length * f);
  const ys = new Float32Array(idx.length * d.classes);
  for (let i = 0; i < idx.length; i++) {
    xs.set(d.x.subarray(idx[i] * f, (idx[i] + 1) * f), i * f);
    ys[i * d.classes + d.y[idx[i]]] = 1;
  }
  return { x: tf.tensor(xs, [idx.length, ...d.shape]), y: tf.tensor2d(ys, [idx.length, d.classes]) };
}

/** All rows of a dataset as tensors. */
export function allTensors(d: Dataset): { x: tf.Tensor; y: tf.Tensor } {
  return batchTensors(d, Array.from({ length: d.n }, (_, i) => i));
}

export function lossOf(logits: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
}

/** Mean loss and accuracy of a model on a dataset (inference mode, batches of `batch`). */
export function evaluate(model: tf.LayersModel, d: Dataset, batch = 500): { loss: number; acc: number } {
  let loss = 0;
  let correct = 0;
  for (let s = 0; s < d.n; s += batch) {
    const idx = Array.from({ length: Math.min(batch, d.n - s) }, (_, i) => s + i);
    const sums = tf.tidy(() => {
      const { x, y } = batchTensors(d, idx);
      const logits = model.predict(x) as tf.Tensor;
      return tf.stack([lossOf(logits, y).mul(idx.length), logits.argMax(-1).equal(y.argMax(-1)).sum().cast('float32')]);
    });
    // Read outside tidy (the rule for the demos: tidy walks returned arrays).
    const [l, c] = sums.dataSync();
    sums.dispose();
    loss += l;
    correct += c;
  }
  return { loss: loss / d.n, acc: correct / d.n };
}

/** One optimizer step; returns the batch loss (NaN if it was not finite). */
export function trainStep(m: tf.LayersModel, opt: tf.Optimizer, x: tf.Tensor, y: tf.Tensor): number {
  const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
  const cost = opt.minimize(() => lossOf(m.apply(x, { training: true }) as tf.Tensor, y), true, vars);
  const v = cost!.dataSync()[0];
  cost!.dispose();
  return v;
}

export interface EpochRecord {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  trainLoss: number;
  testLoss: number;
  testAcc: number;
  /** Seconds spent in training steps in this epoch (evaluation excluded). */
  seconds: number;
}

export interface RunHistory {
  label: string;
  stepLoss: number[];
  epochs: EpochRecord[];
  /** Non-finite losses seen (training stops for that model at the first one). */
  nanEvents: number;
  diverged: boolean;
  /** Training seconds (evaluation excluded). */
  trainSeconds: number;
  /** Set when a training step threw (e.g. a built-in whose gradient fails); training stopped there. */
  error?: string;
  /** First epoch (1-based) whose test accuracy reached the target, and training seconds until then. */
  epochsToTarget?: number;
  secondsToTarget?: number;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Seed of the batch order (the same for every model in the lock-step). */
  seed: number;
  optimizer: () => tf.Optimizer;
  test?: Dataset;
  targetAcc?: number;
  /** A loss above this counts as divergence. */
  divergeAbove?: number;
  /** Called after every step with the step number (for progress bars). */
  onStep?: (step: number, total: number) => void;
  /** Called after every step with each model's loss (for probes). */
  afterStep?: (step: number, losses: number[]) => void;
  /** Stop after this many steps in total. */
  maxSteps?: number;
  /** Checked after every step: true stops training (e.g. a target was reached). */
  shouldStop?: () => boolean;
  /** Learning rate of each epoch (1-based), set on every model's optimizer before the epoch; default: the optimizer's own. */
  learningRate?: (epoch: number) => number;
}

/** Optimizers whose learning rate can be set (tfjs's SGD and momentum, our ScheduledAdam). */
function setLearningRate(opt: tf.Optimizer, lr: number): void {
  const o = opt as tf.Optimizer & { setLearningRate?: (lr: number) => void };
  if (!o.setLearningRate) throw new Error(`the ${opt.getClassName()} optimizer has no settable learning rate`);
  o.setLearningRate(lr);
}

/**
 * Trains `models` in lock-step on identical batches (same seeded order), each with its own optimizer.
 * Returns one history per model.
 */
export function trainLockstep(models: BuiltModel[], train: Dataset, o: TrainOptions): RunHistory[] {
  const opts = models.map(() => o.optimizer());
  const hist: RunHistory[] = models.map((m) => ({ label: m.label, stepLoss: [], epochs: [], nanEvents: 0, diverged: false, trainSeconds: 0 }));
  const rand = mulberry32(o.seed);
  const stepsPerEpoch = Math.ceil(train.n / o.batchSize);
  const total = Math.min(o.maxSteps ?? Infinity, stepsPerEpoch * o.epochs);
  let step = 0;
  let stopped = false;
  for (let epoch = 1; epoch <= o.epochs && step < total && !stopped; epoch++) {
    const order = permutation(train.n, rand);
    if (o.learningRate) for (const op of opts) setLearningRate(op, o.learningRate(epoch));
    const epochLoss = models.map(() => 0);
    const epochSteps = models.map(() => 0);
    const epochSeconds = models.map(() => 0);
    for (let s = 0; s < train.n && step < total && !stopped; s += o.batchSize) {
      const { x, y } = batchTensors(train, order.subarray(s, Math.min(s + o.batchSize, train.n)));
      const losses = models.map((m, k) => {
        if (hist[k].diverged || hist[k].error) return NaN;
        const t0 = performance.now();
        let l: number;
        try {
          l = trainStep(m.model, opts[k], x, y);
        } catch (e) {
          hist[k].error = (e as Error).message.split('\n')[0].slice(0, 200);
          return NaN;
        }
        epochSeconds[k] += (performance.now() - t0) / 1000;
        hist[k].stepLoss.push(l);
        if (!Number.isFinite(l) || l > (o.divergeAbove ?? 1e4)) {
          hist[k].nanEvents += Number.isFinite(l) ? 0 : 1;
          hist[k].diverged = true;
        } else {
          epochLoss[k] += l;
          epochSteps[k]++;
        }
        return l;
      });
      x.dispose();
      y.dispose();
      step++;
      o.afterStep?.(step, losses);
      o.onStep?.(step, total);
      if (o.shouldStop?.()) stopped = true;
    }
    models.forEach((m, k) => {
      const h = hist[k];
      h.trainSeconds += epochSeconds[k];
      const ev = o.test && !h.diverged && !h.error ? evaluate(m.model, o.test) : { loss: NaN, acc: NaN };
      h.epochs.push({ epoch, trainLoss: epochLoss[k] / Math.max(1, epochSteps[k]), testLoss: ev.loss, testAcc: ev.acc, seconds: epochSeconds[k] });
      if (o.targetAcc !== undefined && h.epochsToTarget === undefined && ev.acc >= o.targetAcc) {
        h.epochsToTarget = epoch;
        h.secondsToTarget = h.trainSeconds;
      }
    });
  }
  opts.forEach((op) => op.dispose());
  return hist;
}

/** Largest |a_i − b_i| over the steps both runs took. */
export function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(d)) return NaN;
    if (d > m) m = d;
  }
  return m;
}
