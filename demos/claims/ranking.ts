/** Claim 'ranking': The takeaways: final ranking of relu, leaky relu, elu, maxout, tanh, sigmoid. */
import { barSpec, renderChart } from '../lib/charts';
import { dispose, mlp, type ActSpec } from '../lib/models';
import { progressBar } from '../lib/progress';
import type { Table } from '../lib/report';
import { subSeed } from '../lib/rng';
import { max, mean, pm, std } from '../lib/stats';
import { makeOptimizer, trainLockstep } from '../lib/trainer';
import { verdictOver } from '../lib/verdict';
import { type ClaimContext, type ClaimResult } from './context';

export async function ranking(ctx: ClaimContext): Promise<ClaimResult> {
  const { quick, seedList, chartDir, split } = ctx;
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
