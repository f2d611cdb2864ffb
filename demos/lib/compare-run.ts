/**
 * The comparison experiment as a library (the CLI is demos/compare.ts): for each experiment, seed and
 * activation, train our layer and (where tfjs has one) tfjs's built-in twin from the same initial
 * weights on the same batches, and collect histories.
 */
import type { Dataset, Split } from './datasets';
import { circles, mnistSplit, moons, reshaped, spirals, splitSeeded, subset } from './datasets';
import { builtinActivationLayer } from './activations';
import { copyWeights, dispose, mlp, stridedCnn, type BuiltModel } from './models';
import { subSeed } from './rng';
import { makeOptimizer, maxAbsDiff, trainLockstep, type OptimizerName, type RunHistory } from './trainer';

export type ExperimentName = 'mnist-mlp' | 'mnist-cnn' | 'spirals' | 'moons' | 'circles';
export const EXPERIMENTS: ExperimentName[] = ['mnist-mlp', 'mnist-cnn', 'spirals', 'moons', 'circles'];

export interface ExperimentConfig {
  name: ExperimentName;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  lr: number;
  /** Learning rate of epoch e: lr · lrDecay^(e − 1) (default 1: constant). */
  lrDecay?: number;
  /** Training examples used (from the train split). */
  trainSize: number;
  testSize: number;
  hidden: number[];
  targetAcc: number;
  /** Train tfjs's built-in next to ours where one exists. */
  twins: boolean;
}

export interface RunRecord {
  experiment: ExperimentName;
  activation: string;
  impl: 'ours' | 'builtin';
  seed: number;
  history: RunHistory;
  /** For a built-in twin: max |loss_ours − loss_builtin| over all steps, and per epoch. */
  twinMaxAbsDiff?: number;
  twinMaxAbsDiffPerEpoch?: number[];
}

/** The data of an experiment for a seed (MNIST: the seeded 8,000/2,000 split, then the first trainSize). */
export function experimentData(cfg: ExperimentConfig, seed: number): Split {
  if (cfg.name === 'mnist-mlp' || cfg.name === 'mnist-cnn') {
    const s = mnistSplit(subSeed(seed, 'mnist-split'));
    const take = (d: Dataset, n: number) => (n < d.n ? subset(d, Array.from({ length: n }, (_, i) => i), d.name) : d);
    let train = take(s.train, cfg.trainSize);
    let test = take(s.test, cfg.testSize);
    if (cfg.name === 'mnist-cnn') {
      train = reshaped(train, [28, 28, 1]);
      test = reshaped(test, [28, 28, 1]);
    }
    return { train, test };
  }
  const gen = { spirals, moons, circles }[cfg.name];
  const all = gen(cfg.trainSize + cfg.testSize, subSeed(seed, cfg.name));
  return splitSeeded(all, cfg.trainSize, cfg.testSize, subSeed(seed, `${cfg.name}-split`));
}

function build(cfg: ExperimentConfig, id: string, impl: 'ours' | 'builtin', seed: number, d: Dataset): BuiltModel {
  const act = { id, impl };
  if (cfg.name === 'mnist-cnn') return stridedCnn({ classes: d.classes, act, seed });
  return mlp({ inputShape: d.shape, hidden: cfg.hidden, classes: d.classes, act, seed });
}

/** Trains one activation (and its twin) on one seed; returns 1 or 2 records. */
export function runOne(cfg: ExperimentConfig, id: string, seed: number, data: Split, onStep?: (s: number, total: number) => void): RunRecord[] {
  const ours = build(cfg, id, 'ours', seed, data.train);
  const models = [ours];
  if (cfg.twins && builtinActivationLayer(id)) {
    const twin = build(cfg, id, 'builtin', seed, data.train);
    copyWeights(ours.model, twin.model);
    models.push(twin);
  }
  const hist = trainLockstep(models, data.train, {
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    seed: subSeed(seed, `${cfg.name}-batches`),
    optimizer: () => makeOptimizer(cfg.optimizer, cfg.lr),
    learningRate: cfg.lrDecay !== undefined && cfg.lrDecay !== 1 ? (epoch) => cfg.lr * cfg.lrDecay! ** (epoch - 1) : undefined,
    test: data.test,
    targetAcc: cfg.targetAcc,
    onStep,
  });
  models.forEach(dispose);
  const recs: RunRecord[] = [{ experiment: cfg.name, activation: id, impl: 'ours', seed, history: hist[0] }];
  if (hist[1]) {
    const perEpoch: number[] = [];
    const spe = Math.ceil(data.train.n / cfg.batchSize);
    for (let e = 0; e < cfg.epochs; e++) perEpoch.push(maxAbsDiff(hist[0].stepLoss.slice(e * spe, (e + 1) * spe), hist[1].stepLoss.slice(e * spe, (e + 1) * spe)));
    recs.push({
      experiment: cfg.name,
      activation: id,
      impl: 'builtin',
      seed,
      history: hist[1],
      twinMaxAbsDiff: hist[1].error ? NaN : maxAbsDiff(hist[0].stepLoss, hist[1].stepLoss),
      twinMaxAbsDiffPerEpoch: perEpoch,
    });
  }
  return recs;
}
