/**
 * npm run demo:claims [-- <claim>] [--quick] [--seeds n]
 *
 * Measures what the seed article claims about activations and computes a verdict for each:
 *   saturation    sigmoid saturates and kills gradients (per-layer gradient norms in deep MLPs)
 *   zero-centred  sigmoid is not zero-centred and that slows training (vs tanh and sigmoid − 0.5)
 *   relu-vs-tanh  "ReLU converges 6× faster than tanh" (steps to training-error thresholds, CNN)
 *   dead-relu     "about 20% of ReLU units die" (and leaky ReLU / ELU / maxout don't)
 *   ranking       the takeaways: final ranking of relu, leaky relu, elu, maxout, tanh, sigmoid
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';
import { scalarFns } from './lib/activations';
import { barSpec, lineSpec, renderChart, type RenderedChart } from './lib/charts';
import { mnistSplit, reshaped, subset, type Dataset } from './lib/datasets';
import { describeEnv, setupBackend, type RunEnv } from './lib/env';
import { cnn, dispose, mlp, type ActSpec, type BuiltModel, type Init } from './lib/models';
import { gradientNorms, layerOutputs, meanActivation, unitStats } from './lib/probes';
import { progressBar } from './lib/progress';
import { formatTable, htmlReport, markdownTable, writeReports, type Section, type Table } from './lib/report';
import { chartsMarkdown, saveResultsPart, tablesMarkdown } from './lib/results-section';
import { subSeed } from './lib/rng';
import { max, mean, median, min, pm, std } from './lib/stats';
import { batchTensors, evaluate, makeOptimizer, trainLockstep, type OptimizerName } from './lib/trainer';
import { formatVerdict, verdictOver, type Verdict } from './lib/verdict';

const CLAIMS = ['saturation', 'zero-centred', 'relu-vs-tanh', 'dead-relu', 'ranking'] as const;
type ClaimName = (typeof CLAIMS)[number];

const program = new Command()
  .name('npm run demo:claims --')
  .argument('[claims...]', `claims to run (default all): ${CLAIMS.join(', ')}`)
  .option('--quick', 'fewer seeds, steps and conditions')
  .option('--seeds <n>', 'seeds per condition')
  .option('--backend <name>', 'tensorflow | wasm | cpu (default: best available)')
  .option('--out <dir>', 'output folder', path.join(__dirname, 'out', 'claims'))
  .option('--save-results', 'copy the main charts and tables to demos/results/ and rewrite docs/demos.md')
  .parse();
const opts = program.opts<{ quick?: boolean; seeds?: string; backend?: string; out: string; saveResults?: boolean }>();
const chosen = (program.args.length ? program.args : [...CLAIMS]) as ClaimName[];
for (const c of chosen) if (!CLAIMS.includes(c)) throw new Error(`unknown claim '${c}'; known: ${CLAIMS.join(', ')}`);

interface ClaimResult {
  name: ClaimName;
  claim: string;
  method: string;
  tables: Table[];
  verdicts: { about: string; verdict: Verdict }[];
  charts: RenderedChart[];
  data: unknown;
  seconds: number;
}

const quick = !!opts.quick;
const SEEDS = opts.seeds ? Number(opts.seeds) : quick ? 1 : 2;
const seedList = Array.from({ length: SEEDS }, (_, i) => i + 1);
const chartDir = path.join(opts.out, 'charts');
const f3 = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : String(x));

/** Training data: the seeded 8,000/2,000 MNIST split (the same split for every claim). */
const split = mnistSplit(subSeed(0, 'claims-split'));
const heldIdx = Array.from({ length: 512 }, (_, i) => i);

function probeBatch(d: Dataset): { x: tf.Tensor; y: tf.Tensor } {
  return batchTensors(d, heldIdx);
}

// ---------------------------------------------------------------- saturation
async function saturation(): Promise<ClaimResult> {
  const acts = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'selu'];
  const depths = quick ? [10] : [10, 20];
  const steps = quick ? 60 : 200;
  const checkpoints = [0, steps];
  const rows: { act: string; depth: number; seed: number; step: number; norms: number[]; trainAcc?: number }[] = [];
  const bar = progressBar('saturation', acts.length * depths.length * SEEDS);
  let k = 0;
  const { x, y } = probeBatch(split.train);
  for (const depth of depths) {
    for (const seed of seedList) {
      for (const id of acts) {
        const m = mlp({ inputShape: [784], hidden: Array(depth).fill(32), classes: 10, act: { id, impl: 'ours' }, seed });
        rows.push({ act: id, depth, seed, step: 0, norms: gradientNorms(m.model, m.linear, x, y) });
        trainLockstep([m], split.train, { epochs: 100, maxSteps: steps, batchSize: 64, seed: subSeed(seed, 'sat'), optimizer: () => makeOptimizer('momentum', 0.01) });
        rows.push({ act: id, depth, seed, step: steps, norms: gradientNorms(m.model, m.linear, x, y), trainAcc: evaluate(m.model, subset(split.train, Array.from({ length: 1000 }, (_, i) => i))).acc });
        dispose(m);
        bar.update(++k, `${id} depth ${depth}`);
      }
    }
  }
  bar.stop();
  x.dispose();
  y.dispose();
  // attenuation: first hidden layer's gradient norm / last hidden layer's
  const att = (r: (typeof rows)[number]) => r.norms[0] / r.norms[r.norms.length - 1];
  const table: Table = {
    title: 'Gradient attenuation through depth: ‖∂L/∂W₁‖ / ‖∂L/∂W_last hidden‖ (median over seeds)',
    headers: ['activation', ...depths.flatMap((d) => checkpoints.map((s) => `depth ${d}, step ${s}`)), ...depths.map((d) => `train acc % depth ${d} @${steps}`)],
    rows: acts.map((id) => [
      id,
      ...depths.flatMap((d) => checkpoints.map((s) => f3(median(rows.filter((r) => r.act === id && r.depth === d && r.step === s).map(att))))),
      ...depths.map((d) => pm(rows.filter((r) => r.act === id && r.depth === d && r.step === steps).map((r) => r.trainAcc!), 1, 100)),
    ]),
    note: `MLP 784-[32×depth]-10, Glorot-uniform init (Keras default), SGD momentum 0.9 lr 0.01, batch 64, ${steps} steps; norms on a held batch of 512 training digits.`,
  };
  const SAT = 0.01;
  const REL = 10;
  const conds = depths.flatMap((d) =>
    checkpoints.map((s) => {
      const sig = median(rows.filter((r) => r.act === 'sigmoid' && r.depth === d && r.step === s).map(att));
      const relu = median(rows.filter((r) => r.act === 'relu' && r.depth === d && r.step === s).map(att));
      return { label: `depth ${d}, step ${s} (sigmoid ${f3(sig)}, relu ${f3(relu)})`, ok: sig < SAT && relu >= REL * sig };
    }),
  );
  const verdict = verdictOver(`holds where sigmoid's first-layer gradient is < ${SAT} × its last hidden layer's AND relu's ratio is ≥ ${REL}× sigmoid's`, conds);
  const values = rows.flatMap((r) => r.norms.map((n, i) => ({ activation: r.act, layer: i + 1, norm: n, panel: `depth ${r.depth}, ${r.step === 0 ? 'at init' : `after ${r.step} steps`}`, seed: r.seed }))).filter((v) => v.seed === 1);
  const chart = await renderChart(
    lineSpec({ values, x: 'layer', y: 'norm', color: 'activation', facet: 'panel', columns: 2, title: 'Per-layer gradient norm ‖∂L/∂W_l‖ by depth (seed 1, log scale)', xTitle: 'layer (1 = nearest the input)', yTitle: 'gradient norm', logY: true, width: 300, height: 180, points: true }),
    chartDir,
    'saturation-gradient-norms',
    'Per-layer gradient norms in deep MLPs',
  );
  return {
    name: 'saturation',
    claim: 'Sigmoid saturates and kills gradients: the gradient vanishes as it flows upstream through saturated units.',
    method: `Deep MLPs (depth ${depths.join(' and ')}, width 32) with ${acts.join(', ')}; per-layer L2 norm of the loss gradient w.r.t. each hidden kernel at initialisation and after ${steps} training steps, ${SEEDS} seed(s).`,
    tables: [table],
    verdicts: [{ about: 'sigmoid kills gradients in deep nets', verdict }],
    charts: [chart],
    data: rows,
    seconds: 0,
  };
}

// ---------------------------------------------------------------- zero-centred
interface SpeedRun {
  label: string;
  opt: string;
  seed: number;
  steps: number | null;
  curve: { step: number; acc: number }[];
}

/** Steps until training accuracy (on 1,000 held training digits) reaches `target`, checking every `every` steps. */
function stepsToTrainAcc(m: BuiltModel, train: Dataset, o: { opt: OptimizerName; lr: number; target: number; maxSteps: number; every: number; seed: number; held: Dataset }): { steps: number | null; curve: { step: number; acc: number }[] } {
  const curve: { step: number; acc: number }[] = [];
  let reached: number | null = null;
  trainLockstep([m], train, {
    epochs: 1000,
    maxSteps: o.maxSteps,
    batchSize: 64,
    seed: o.seed,
    optimizer: () => makeOptimizer(o.opt, o.lr),
    afterStep: (step) => {
      if (step % o.every === 0) {
        const acc = evaluate(m.model, o.held).acc;
        curve.push({ step, acc });
        if (reached === null && acc >= o.target) reached = step;
      }
    },
    shouldStop: () => reached !== null,
  });
  return { steps: reached, curve };
}

async function zeroCentred(): Promise<ClaimResult> {
  const variants: { label: string; act: ActSpec }[] = [
    { label: 'sigmoid', act: { id: 'sigmoid', impl: 'ours' } },
    { label: 'sigmoid − 0.5', act: { id: 'sigmoid', impl: 'ours', shift: -0.5 } },
    { label: 'tanh', act: { id: 'tanh', impl: 'ours' } },
  ];
  const optsList: { opt: OptimizerName; lr: number }[] = quick ? [{ opt: 'sgd', lr: 0.1 }] : [{ opt: 'sgd', lr: 0.1 }, { opt: 'adam', lr: 1e-3 }];
  const target = 0.9;
  const maxSteps = quick ? 200 : 800;
  const held = subset(split.train, Array.from({ length: 1000 }, (_, i) => i));
  const means: { label: string; layer: number; seed: number; mean: number; absUnitMean: number }[] = [];
  const runs: SpeedRun[] = [];
  const bar = progressBar('zero-centred', variants.length * optsList.length * SEEDS);
  let k = 0;
  const { x } = probeBatch(split.train);
  for (const seed of seedList) {
    for (const v of variants) {
      for (const o of optsList) {
        const m = mlp({ inputShape: [784], hidden: [64, 64, 64], classes: 10, act: v.act, seed });
        if (o === optsList[0]) {
          layerOutputs(m.model, m.acts, x).forEach((out, i) => {
            const s = meanActivation(out);
            means.push({ label: v.label, layer: i + 1, seed, mean: s.mean, absUnitMean: s.meanAbsUnitMean });
          });
        }
        const r = stepsToTrainAcc(m, split.train, { ...o, target, maxSteps, every: 10, seed: subSeed(seed, 'zc'), held });
        runs.push({ label: v.label, opt: `${o.opt} lr ${o.lr}`, seed, ...r });
        dispose(m);
        bar.update(++k, `${v.label} ${o.opt}`);
      }
    }
  }
  bar.stop();
  x.dispose();
  const meanTable: Table = {
    title: 'Mean activation per hidden layer at initialisation (held batch of 512 digits; mean ± std over seeds)',
    headers: ['activation', 'layer 1', 'layer 2', 'layer 3'],
    rows: variants.map((v) => [v.label, ...[1, 2, 3].map((l) => pm(means.filter((q) => q.label === v.label && q.layer === l).map((q) => q.mean), 3))]),
  };
  const optLabels = optsList.map((o) => `${o.opt} lr ${o.lr}`);
  const speedTable: Table = {
    title: `Steps to ${target * 100}% training accuracy (MLP 784-64-64-64-10, batch 64, max ${maxSteps} steps; per seed)`,
    headers: ['activation', ...optLabels],
    rows: variants.map((v) => [v.label, ...optLabels.map((ol) => runs.filter((r) => r.label === v.label && r.opt === ol).map((r) => (r.steps === null ? `>${maxSteps}` : String(r.steps))).join(', '))]),
  };
  const steps = (label: string, ol: string) => runs.filter((r) => r.label === label && r.opt === ol).map((r) => r.steps ?? Infinity);
  const MEAN_LO = 0.3;
  const TANH_MAX = 0.1;
  const sigMeans = means.filter((q) => q.label === 'sigmoid').map((q) => q.mean);
  const tanhMeans = means.filter((q) => q.label === 'tanh').map((q) => Math.abs(q.mean));
  const v1 = verdictOver(`holds if every sigmoid layer's mean activation is ≥ ${MEAN_LO} and every tanh layer's |mean| is < ${TANH_MAX}`, [
    { label: `sigmoid layer means ${f3(min(sigMeans))}…${f3(max(sigMeans))}, tanh |means| ≤ ${f3(max(tanhMeans))}`, ok: min(sigMeans) >= MEAN_LO && max(tanhMeans) < TANH_MAX },
  ]);
  const SLOW = 1.25;
  // A run that never reached the target counts as maxSteps: sigmoid's steps are then a lower bound
  // (fine for "sigmoid is slower"), the other's an upper-bound problem (condition undecided → not held).
  const ratioConds = (other: string) =>
    optLabels.map((ol) => {
      const a = median(steps('sigmoid', ol));
      const b = median(steps(other, ol));
      const aLow = Math.min(a, maxSteps);
      const ratio = aLow / b;
      const txt = (v: number) => (Number.isFinite(v) ? String(v) : `>${maxSteps}`);
      return {
        label: `${ol}: median steps sigmoid ${txt(a)} vs ${other} ${txt(b)} (ratio ${Number.isFinite(b) ? `${Number.isFinite(a) ? '' : '≥'}${ratio.toFixed(2)}` : 'undecided: neither reached it'})`,
        ok: Number.isFinite(b) && aLow >= SLOW * b,
      };
    });
  const v2 = verdictOver(`holds where sigmoid needs ≥ ${SLOW}× the median steps of tanh to reach ${target * 100}% training accuracy (a run that never got there counts as ${maxSteps} steps, a lower bound)`, ratioConds('tanh'));
  const v3 = verdictOver(`isolating zero-centring: holds where sigmoid needs ≥ ${SLOW}× the median steps of sigmoid − 0.5 (same slope, zero-centred)`, ratioConds('sigmoid − 0.5'));
  const curveVals = runs.filter((r) => r.seed === 1).flatMap((r) => r.curve.map((c) => ({ activation: r.label, optimizer: r.opt, step: c.step, 'training accuracy': c.acc })));
  const charts = [
    await renderChart(
      lineSpec({ values: curveVals, x: 'step', y: 'training accuracy', color: 'activation', facet: 'optimizer', columns: 2, title: 'Training accuracy while training: sigmoid vs sigmoid − 0.5 vs tanh (seed 1)', width: 300, height: 180 }),
      chartDir,
      'zero-centred-speed',
      'Training speed: sigmoid, zero-centred sigmoid, tanh',
    ),
  ];
  return {
    name: 'zero-centred',
    claim: "Sigmoid's outputs are not zero-centred (always positive), which constrains gradient directions and slows convergence compared with tanh.",
    method: `Mean activation of each hidden layer on a held batch at initialisation; steps to ${target * 100}% training accuracy for sigmoid, tanh, and sigmoid − 0.5 (= tanh(x/2)/2: zero-centred, same slope as sigmoid, so it separates centring from tanh's 4× larger slope), with ${optLabels.join(' and ')}, ${SEEDS} seed(s).`,
    tables: [meanTable, speedTable],
    verdicts: [
      { about: 'sigmoid outputs are not zero-centred (tanh are)', verdict: v1 },
      { about: 'sigmoid trains slower than tanh', verdict: v2 },
      { about: 'the slowdown is due to zero-centring', verdict: v3 },
    ],
    charts,
    data: { means, runs },
    seconds: 0,
  };
}

// ---------------------------------------------------------------- relu vs tanh
async function reluVsTanh(): Promise<ClaimResult> {
  const thresholds = [0.25, 0.1, 0.05];
  const lrs = quick ? [0.05] : [0.01, 0.05];
  const maxSteps = quick ? 60 : 150;
  const every = 10;
  const train = reshaped(split.train, [28, 28, 1]);
  const held = reshaped(subset(split.train, Array.from({ length: 256 }, (_, i) => i)), [28, 28, 1]);
  const runs: { act: string; lr: number; seed: number; curve: { step: number; err: number }[] }[] = [];
  const bar = progressBar('relu-vs-tanh', 2 * lrs.length * SEEDS);
  let k = 0;
  for (const seed of seedList) {
    for (const lr of lrs) {
      for (const id of ['relu', 'tanh']) {
        const m = cnn({ classes: 10, act: { id, impl: 'ours' }, seed });
        const curve: { step: number; err: number }[] = [];
        trainLockstep([m], train, {
          epochs: 100,
          maxSteps,
          batchSize: 64,
          seed: subSeed(seed, 'rt'),
          optimizer: () => makeOptimizer('momentum', lr),
          afterStep: (step) => {
            if (step % every === 0) curve.push({ step, err: 1 - evaluate(m.model, held).acc });
          },
          shouldStop: () => (curve.at(-1)?.err ?? 1) <= min(thresholds),
        });
        runs.push({ act: id, lr, seed, curve });
        dispose(m);
        bar.update(++k, `${id} lr ${lr}`);
      }
    }
  }
  bar.stop();
  const stepsTo = (c: { step: number; err: number }[], thr: number) => c.find((p) => p.err <= thr)?.step ?? Infinity;
  const rows: (string | number)[][] = [];
  const conds: { label: string; ok: boolean }[] = [];
  const allRatios: number[] = [];
  const TARGET = 6;
  const FACTOR = 0.75;
  for (const lr of lrs) {
    for (const thr of thresholds) {
      // ratio tanh/relu per seed; where tanh never got there, maxSteps/relu is a lower bound (censored)
      const ratios = seedList.map((seed) => {
        const r = stepsTo(runs.find((q) => q.act === 'relu' && q.lr === lr && q.seed === seed)!.curve, thr);
        const t = stepsTo(runs.find((q) => q.act === 'tanh' && q.lr === lr && q.seed === seed)!.curve, thr);
        const censored = Number.isFinite(r) && !Number.isFinite(t);
        return { r, t, censored, ratio: Number.isFinite(r) ? (censored ? maxSteps / r : t / r) : NaN };
      });
      const known = ratios.filter((q) => !Number.isNaN(q.ratio));
      const med = median(known.map((q) => q.ratio));
      const anyCensored = known.some((q) => q.censored);
      allRatios.push(...known.map((q) => q.ratio));
      rows.push([
        `lr ${lr}, train error ≤ ${thr * 100}%`,
        ratios.map((q) => (Number.isFinite(q.r) ? q.r : `>${maxSteps}`)).join(', '),
        ratios.map((q) => (Number.isFinite(q.t) ? q.t : `>${maxSteps}`)).join(', '),
        known.length ? `${anyCensored ? '≥' : ''}${med.toFixed(2)}` : 'relu never reached it',
        known.length > 1 ? std(known.map((q) => q.ratio)).toFixed(2) : '–',
      ]);
      // a censored (lower-bound) ratio proves the claim only if the bound itself is ≥ the threshold
      if (known.length) conds.push({ label: `lr ${lr}, ≤${thr * 100}% error: median ratio ${anyCensored ? '≥' : ''}${med.toFixed(2)}`, ok: med >= TARGET * FACTOR });
    }
  }
  const table: Table = {
    title: 'Steps to a training-error threshold, relu vs tanh (CNN on MNIST; per seed) and the ratio tanh/relu',
    headers: ['condition', 'relu steps', 'tanh steps', 'median ratio', 'std of ratio'],
    rows,
    note: `CNN conv5×5(8)-pool-conv5×5(16)-pool-dense, Glorot init, SGD momentum 0.9, batch 64, max ${maxSteps} steps; training error on 256 held training digits every ${every} steps; ≥ marks a lower bound where tanh never reached the threshold. Overall median ratio: ${median(allRatios).toFixed(2)}.`,
  };
  const verdict = verdictOver(`holds where the median ratio steps(tanh)/steps(relu) is ≥ ${TARGET} × ${FACTOR} = ${TARGET * FACTOR}`, conds);
  const curveVals = runs.filter((r) => r.seed === 1).flatMap((r) => r.curve.map((c) => ({ activation: r.act, lr: `lr ${r.lr}`, step: c.step, 'training error': c.err })));
  const chart = await renderChart(
    lineSpec({ values: curveVals, x: 'step', y: 'training error', color: 'activation', facet: 'lr', columns: 2, title: 'Training error vs step, relu vs tanh CNN on MNIST (seed 1)', width: 300, height: 180, logY: true }),
    chartDir,
    'relu-vs-tanh',
    'ReLU vs tanh: training error by step',
  );
  return {
    name: 'relu-vs-tanh',
    claim: 'ReLU converges 6× faster than tanh (Krizhevsky et al., 2012: a 4-layer CNN on CIFAR-10 reached 25% training error six times faster).',
    method: `Small CNN on MNIST digits with relu or tanh, same initial weights per seed; steps until training error ≤ ${thresholds.map((t) => `${t * 100}%`).join(', ')} at learning rates ${lrs.join(', ')}, ${SEEDS} seed(s). Different data and network than the paper: this tests the general claim, not the paper's setting.`,
    tables: [table],
    verdicts: [{ about: 'ReLU reaches a training-error threshold ~6× faster than tanh', verdict }],
    charts: [chart],
    data: runs,
    seconds: 0,
  };
}

// ---------------------------------------------------------------- dead relu
async function deadRelu(): Promise<ClaimResult> {
  const acts: { label: string; act: ActSpec; df?: (z: number) => number }[] = [
    { label: 'relu', act: { id: 'relu', impl: 'ours' }, df: scalarFns('relu').df },
    { label: 'leakyRelu', act: { id: 'leakyRelu', impl: 'ours' }, df: scalarFns('leakyRelu').df },
    { label: 'elu', act: { id: 'elu', impl: 'ours' }, df: scalarFns('elu').df },
    { label: 'maxout2', act: { maxout: 2 } },
  ];
  const lrs = quick ? [0.01, 1.0] : [0.01, 0.1, 1.0];
  const inits: Init[] = quick ? ['glorotUniform'] : ['glorotUniform', 'largeNormal'];
  const steps = quick ? 100 : 200;
  const probeAt = [0, Math.round(steps / 5), steps];
  const { x } = probeBatch(split.train);
  const rows: { act: string; lr: number; init: Init; seed: number; step: number; deadFrac: number; zeroFrac: number; constFrac: number; finalLoss?: number }[] = [];
  const bar = progressBar('dead-relu', acts.length * lrs.length * inits.length * SEEDS);
  let k = 0;
  for (const seed of seedList) {
    for (const init of inits) {
      for (const lr of lrs) {
        for (const a of acts) {
          const m = mlp({ inputShape: [784], hidden: [64, 64], classes: 10, act: a.act, seed, init });
          const probe = (step: number) => {
            const pre = layerOutputs(m.model, m.linear, x);
            const out = layerOutputs(m.model, m.acts, x);
            let units = 0;
            let dead = 0;
            let zero = 0;
            let constant = 0;
            out.forEach((o, i) => {
              const s = unitStats({ pre: a.df ? pre[i] : undefined, df: a.df, out: o });
              units += s.units;
              dead += a.df ? s.dead : s.constant; // maxout: no gradient only if its output is constant
              zero += s.zeroOutput;
              constant += s.constant;
            });
            rows.push({ act: a.label, lr, init, seed, step, deadFrac: dead / units, zeroFrac: zero / units, constFrac: constant / units });
          };
          probe(0);
          const h = trainLockstep([m], split.train, {
            epochs: 100,
            maxSteps: steps,
            batchSize: 64,
            seed: subSeed(seed, 'dead'),
            optimizer: () => makeOptimizer('sgd', lr),
            afterStep: (step) => {
              if (probeAt.includes(step) && step > 0) probe(step);
            },
          })[0];
          if (h.diverged || h.error) {
            rows.filter((r) => r.act === a.label && r.lr === lr && r.init === init && r.seed === seed).forEach((r) => (r.finalLoss = NaN));
          }
          rows[rows.length - 1].finalLoss = h.stepLoss.at(-1);
          dispose(m);
          bar.update(++k, `${a.label} ${init} lr ${lr}`);
        }
      }
    }
  }
  bar.stop();
  x.dispose();
  const conds = inits.flatMap((init) => lrs.map((lr) => ({ init, lr })));
  const cell = (label: string, init: Init, lr: number, step: number) => rows.filter((r) => r.act === label && r.init === init && r.lr === lr && r.step === step).map((r) => r.deadFrac);
  const table: Table = {
    title: `Fraction of hidden units that are dead (pass no gradient for any of 512 held digits) after ${steps} SGD steps; mean over seeds`,
    headers: ['activation', ...conds.map((c) => `${c.init} lr ${c.lr}`)],
    rows: acts.map((a) => [a.label, ...conds.map((c) => `${(100 * mean(cell(a.label, c.init, c.lr, steps))).toFixed(1)}%`)]),
    note: `MLP 784-64-64-10 (maxout2: 2 pieces per unit), plain SGD, batch 64. Dead = |f′(z)| ≤ 1e-8 for every held example, with f′ from the registry (relu: outputs 0 for every example); maxout: output constant over the batch. At step 0 (initialisation): ${acts.map((a) => `${a.label} ${(100 * max(rows.filter((r) => r.act === a.label && r.step === 0).map((r) => r.deadFrac))).toFixed(1)}%`).join(', ')} (max over conditions).`,
  };
  const LO = 0.1;
  const HI = 0.3;
  const reluConds = conds.map((c) => {
    const f = mean(cell('relu', c.init, c.lr, steps));
    return { label: `${c.init}, lr ${c.lr}: ${(100 * f).toFixed(1)}%`, ok: f >= LO && f <= HI, f };
  });
  const v1 = verdictOver(`"about 20%": holds where the relu dead fraction after training is within [${LO * 100}%, ${HI * 100}%]`, reluConds);
  const FIX = 0.01;
  const v2 = verdictOver(
    `holds where the dead fraction stays ≤ ${FIX * 100}% (at every measured step)`,
    acts.filter((a) => a.label !== 'relu').flatMap((a) => conds.map((c) => {
      const f = max(rows.filter((r) => r.act === a.label && r.init === c.init && r.lr === c.lr).map((r) => r.deadFrac));
      return { label: `${a.label}, ${c.init}, lr ${c.lr}: ${(100 * f).toFixed(1)}%`, ok: f <= FIX };
    })),
  );
  const values = rows.filter((r) => r.seed === 1).map((r) => ({ activation: r.act, condition: `${r.init}, lr ${r.lr}`, step: r.step, 'dead fraction': r.deadFrac }));
  const chart = await renderChart(
    lineSpec({ values, x: 'step', y: 'dead fraction', color: 'activation', facet: 'condition', columns: 3, title: 'Dead hidden units during training, by initialisation and learning rate (seed 1)', width: 200, height: 130, points: true }),
    chartDir,
    'dead-units',
    'Dead units during training',
  );
  return {
    name: 'dead-relu',
    claim: 'About 20% of ReLU units die (output 0 for every input, so they never update), more with large learning rates or unlucky initialisation; leaky ReLU, ELU and maxout do not die.',
    method: `Two-hidden-layer MLP trained with plain SGD at learning rates ${lrs.join(', ')} from ${inits.join(' and ')} initialisation, ${SEEDS} seed(s); after 0, ${probeAt[1]} and ${steps} steps, count hidden units that pass no gradient for any example of a held batch of 512 training digits.`,
    tables: [table],
    verdicts: [
      { about: 'about 20% of ReLU units die', verdict: v1 },
      { about: 'leaky ReLU / ELU / maxout units do not die', verdict: v2 },
    ],
    charts: [chart],
    data: rows,
    seconds: 0,
  };
}

// ---------------------------------------------------------------- ranking
async function ranking(): Promise<ClaimResult> {
  const acts: { label: string; act: ActSpec }[] = [
    { label: 'relu', act: { id: 'relu', impl: 'ours' } },
    { label: 'leakyRelu', act: { id: 'leakyRelu', impl: 'ours' } },
    { label: 'elu', act: { id: 'elu', impl: 'ours' } },
    { label: 'maxout2', act: { maxout: 2 } },
    { label: 'tanh', act: { id: 'tanh', impl: 'ours' } },
    { label: 'sigmoid', act: { id: 'sigmoid', impl: 'ours' } },
  ];
  const seeds = seedList;
  const epochs = quick ? 1 : 3;
  const depths = quick ? [2] : [2, 6];
  const recs: { act: string; depth: number; seed: number; acc: number; loss: number }[] = [];
  const bar = progressBar('ranking', acts.length * seeds.length * depths.length);
  let k = 0;
  for (const depth of depths) {
    for (const seed of seeds) {
      for (const a of acts) {
        const m = mlp({ inputShape: [784], hidden: Array(depth).fill(64), classes: 10, act: a.act, seed });
        const h = trainLockstep([m], split.train, { epochs, batchSize: 128, seed: subSeed(seed, 'rank'), optimizer: () => makeOptimizer('adam', 2e-3), test: split.test })[0];
        recs.push({ act: a.label, depth, seed, acc: h.epochs.at(-1)?.testAcc ?? NaN, loss: h.epochs.at(-1)?.testLoss ?? NaN });
        dispose(m);
        bar.update(++k, `${a.label} depth ${depth}`);
      }
    }
  }
  bar.stop();
  const accOf = (label: string, depth: number) => recs.filter((r) => r.act === label && r.depth === depth).map((r) => r.acc);
  const order = (depth: number) => [...acts].sort((a, b) => mean(accOf(b.label, depth)) - mean(accOf(a.label, depth))).map((a) => a.label);
  const table: Table = {
    title: `Final test accuracy (8,000/2,000 MNIST split, ${epochs} epoch(s), Adam 2e-3; mean ± std over ${seeds.length} seed(s)) and rank`,
    headers: ['activation', ...depths.flatMap((d) => [`acc % (${d} hidden layers)`, `rank`])],
    rows: acts.map((a) => [a.label, ...depths.flatMap((d) => [pm(accOf(a.label, d), 2, 100), String(order(d).indexOf(a.label) + 1)])]),
  };
  const MARGIN = 0.5; // percentage points
  const pp = (x: number) => x * 100;
  const vSig = verdictOver(`"don't use sigmoid": holds where sigmoid ranks last and is ≥ ${MARGIN} pp below the best`, depths.map((d) => {
    const best = max(acts.map((a) => mean(accOf(a.label, d))));
    const s = mean(accOf('sigmoid', d));
    return { label: `${d} hidden layers: sigmoid rank ${order(d).indexOf('sigmoid') + 1}/${acts.length}, ${(pp(best - s)).toFixed(2)} pp below the best`, ok: order(d).at(-1) === 'sigmoid' && pp(best - s) >= MARGIN };
  }));
  const vFix = verdictOver(`"try leaky ReLU / maxout / ELU": holds where the best of them is at least as accurate as relu (≥ relu − ${MARGIN / 5} pp)`, depths.map((d) => {
    const bestFix = max(['leakyRelu', 'elu', 'maxout2'].map((l) => mean(accOf(l, d))));
    const relu = mean(accOf('relu', d));
    return { label: `${d} hidden layers: best fix ${(pp(bestFix)).toFixed(2)}% vs relu ${(pp(relu)).toFixed(2)}%`, ok: pp(bestFix) >= pp(relu) - MARGIN / 5 };
  }));
  const vTanh = verdictOver(`"tanh: don't expect much": holds where tanh is ≥ ${MARGIN} pp below relu`, depths.map((d) => {
    const t = mean(accOf('tanh', d));
    const r = mean(accOf('relu', d));
    return { label: `${d} hidden layers: tanh ${(pp(t)).toFixed(2)}% vs relu ${(pp(r)).toFixed(2)}%`, ok: pp(r - t) >= MARGIN };
  }));
  const chart = await renderChart(
    barSpec({ values: depths.flatMap((d) => acts.map((a) => ({ label: `${a.label} (${d} layers)`, mean: 100 * mean(accOf(a.label, d)), std: 100 * std(accOf(a.label, d)), group: `${d} hidden layers` }))), title: 'Final test accuracy by activation (mean ± std over seeds)', xTitle: 'test accuracy %' }),
    chartDir,
    'ranking',
    'Ranking of the article\'s activations',
  );
  return {
    name: 'ranking',
    claim: "Takeaways: use ReLU (careful with learning rates); try Leaky ReLU, Maxout, ELU; try tanh but don't expect much; don't use sigmoid.",
    method: `MLPs with ${depths.join(' and ')} hidden layers of 64 units (maxout: 2 pieces each) trained on the 8,000-digit split for ${epochs} epoch(s) with Adam, ${seeds.length} seed(s); final test accuracy on the 2,000 held-out digits.`,
    tables: [table],
    verdicts: [
      { about: "don't use sigmoid", verdict: vSig },
      { about: 'leaky ReLU / ELU / maxout are worth trying over relu', verdict: vFix },
      { about: "tanh: don't expect much", verdict: vTanh },
    ],
    charts: [chart],
    data: recs,
    seconds: 0,
  };
}

const RUNNERS: Record<ClaimName, () => Promise<ClaimResult>> = { saturation, 'zero-centred': zeroCentred, 'relu-vs-tanh': reluVsTanh, 'dead-relu': deadRelu, ranking };

async function main(): Promise<void> {
  const t0 = Date.now();
  const env: RunEnv = await setupBackend(opts.backend);
  console.log(`Seed-article claims — ${describeEnv(env)}`);
  for (const n of env.notes) console.log(`  note: ${n}`);
  console.log(`  ${quick ? 'quick run' : 'full run'}; ${SEEDS} seed(s) per condition; data: seeded 8,000/2,000 split of the mnist package's 10,000 digits\n`);
  const results: ClaimResult[] = [];
  for (const name of chosen) {
    const tc = Date.now();
    const r = await RUNNERS[name]();
    r.seconds = (Date.now() - tc) / 1000;
    results.push(r);
    console.log(`\n=== ${name} (${r.seconds.toFixed(0)} s) ===`);
    console.log(`CLAIM: ${r.claim}`);
    console.log(`HOW:   ${r.method}`);
    for (const t of r.tables) console.log('\n' + formatTable(t));
    for (const v of r.verdicts) console.log(`\n[${v.about}]\n${formatVerdict(v.verdict)}`);
  }
  const summary: Table = {
    title: 'Verdicts',
    headers: ['claim', 'statement', 'verdict', 'rule'],
    rows: results.flatMap((r) => r.verdicts.map((v) => [r.name, v.about, v.verdict.verdict, v.verdict.rule])),
  };
  console.log('\n' + formatTable(summary));
  const wall = (Date.now() - t0) / 1000;
  const subtitle = `${describeEnv(env)} | ${quick ? 'quick' : 'full'} run, ${SEEDS} seed(s), ${wall.toFixed(0)} s wall`;
  const sections: Section[] = [
    { heading: 'Verdicts', paragraphs: [subtitle, ...env.notes], tables: [summary] },
    ...results.map((r) => ({
      heading: `${r.name}`,
      paragraphs: [`Claim: ${r.claim}`, `How: ${r.method}`, ...r.verdicts.map((v) => `${v.about}: ${v.verdict.verdict.toUpperCase()} — rule: ${v.verdict.rule}${v.verdict.heldUnder.length && v.verdict.failedUnder.length ? `; held under ${v.verdict.heldUnder.join('; ')}; failed under ${v.verdict.failedUnder.join('; ')}` : ''}`)],
      tables: r.tables,
      charts: r.charts,
    })),
  ];
  const tables = [summary, ...results.flatMap((r) => r.tables)];
  const written = writeReports(opts.out, {
    json: { env, quick, seeds: SEEDS, wallSeconds: wall, results: results.map((r) => ({ ...r, charts: r.charts.map((c) => c.svgPath) })) },
    tables,
    html: htmlReport('tfjs-activations: the seed article\'s claims, measured', subtitle, sections),
    csvNames: ['verdicts', ...results.flatMap((r) => r.tables.map((_, i) => `${r.name}${r.tables.length > 1 ? `-${i + 1}` : ''}`))],
  });
  console.log(`\nWrote ${written.length} report files and ${results.reduce((a, r) => a + r.charts.length, 0) * 2} chart files under ${opts.out}`);
  console.log(`Wall time: ${wall.toFixed(0)} s (${results.map((r) => `${r.name} ${r.seconds.toFixed(0)} s`).join(', ')})`);
  if (opts.saveResults) {
    const charts = results.flatMap((r) => r.charts);
    const md = [
      '### Current results: the seed article\'s claims',
      '',
      `Measured ${env.date.slice(0, 10)} on ${env.cpus} CPU(s) (${env.cpuModel}), backend ${env.backendNote}, node ${env.node}, tfjs ${env.tfjs}; \`npm run demo:claims${quick ? ' -- --quick' : ''}\` took ${wall.toFixed(0)} s.`,
      '',
      markdownTable(summary),
      '',
      ...results.flatMap((r) => [
        `#### ${r.name}`,
        '',
        `*Claim:* ${r.claim}`,
        '',
        `*How:* ${r.method}`,
        '',
        ...tablesMarkdown(r.tables),
        ...r.verdicts.map((v) => `- **${v.about}: ${v.verdict.verdict}** — rule: ${v.verdict.rule}${v.verdict.heldUnder.length && v.verdict.failedUnder.length ? `. Held under: ${v.verdict.heldUnder.join('; ')}. Failed under: ${v.verdict.failedUnder.join('; ')}` : ''}.`),
        '',
        ...chartsMarkdown(r.charts),
        '',
      ]),
    ].join('\n');
    saveResultsPart('claims', md, charts.map((c) => c.pngPath));
    console.log('Saved current results to demos/results/ and docs/demos.md');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
