/** Claim 'dead-relu': "About 20% of ReLU units die" (and leaky ReLU / ELU / maxout don't): dead units during training. */
import { scalarFns } from '../lib/activations';
import { lineSpec, renderChart } from '../lib/charts';
import { dispose, mlp, type ActSpec, type Init } from '../lib/models';
import { layerOutputs, unitStats } from '../lib/probes';
import { progressBar } from '../lib/progress';
import type { Table } from '../lib/report';
import { subSeed } from '../lib/rng';
import { max, mean } from '../lib/stats';
import { makeOptimizer, trainLockstep } from '../lib/trainer';
import { verdictOver } from '../lib/verdict';
import { probeBatch, type ClaimContext, type ClaimResult } from './context';

export async function deadRelu(ctx: ClaimContext): Promise<ClaimResult> {
  const { quick, seeds: SEEDS, seedList, chartDir, split } = ctx;
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
