/**
 * npm run demo [-- --quick] [--activations relu,gelu] [--experiments mnist-mlp,spirals] [--seeds 3]
 *
 * The comparison demo: every activation in the registry trained in the same MLP / CNN on MNIST digits
 * and in the same MLP on synthetic 2-D sets, over several seeds, with tfjs's built-in twin (same
 * initial weights, same batches) where one exists. Terminal table + JSON/CSV/SVG/PNG/HTML reports.
 */
import * as path from 'path';
import { Command } from 'commander';
import { allIds, builtinName, idsWithBuiltin, VARIANTS } from './lib/activations';
import { activationGallerySpec, barSpec, lineSpec, renderChart, type RenderedChart, type VlSpec } from './lib/charts';
import { EXPERIMENTS, experimentData, runOne, type ExperimentConfig, type ExperimentName, type RunRecord } from './lib/compare-run';
import { describeEnv, setupBackend, type RunEnv } from './lib/env';
import { progressBar } from './lib/progress';
import { formatTable, htmlReport, writeReports, type Section, type Table } from './lib/report';
import { chartsMarkdown, saveResultsPart, tablesMarkdown } from './lib/results-section';
import { max, mean, pm, std } from './lib/stats';

const program = new Command()
  .name('npm run demo --')
  .option('--quick', 'small, fast version (< 2 min)')
  .option('--activations <ids>', 'comma-separated activation ids (default: all in the registry)')
  .option('--experiments <names>', `comma-separated, from ${EXPERIMENTS.join(',')}`)
  .option('--seeds <n>', 'seeds per activation (MNIST MLP and synthetic sets)')
  .option('--cnn-seeds <n>', 'seeds per activation for the CNN')
  .option('--epochs <n>', 'epochs of the MNIST MLP')
  .option('--no-twins', "don't train tfjs's built-in twins")
  .option('--backend <name>', 'tensorflow | wasm | cpu (default: best available)')
  .option('--out <dir>', 'output folder', path.join(__dirname, 'out', 'compare'))
  .option('--save-results', 'copy the main charts and tables to demos/results/ and rewrite docs/demos.md')
  .parse();

interface Opts {
  quick?: boolean;
  activations?: string;
  experiments?: string;
  seeds?: string;
  cnnSeeds?: string;
  epochs?: string;
  twins: boolean;
  backend?: string;
  out: string;
  saveResults?: boolean;
}
const opts = program.opts<Opts>();

/** Default sizes: chosen so the full run fits 10 min on 2 cores with tfjs-node (measured), --quick 2 min. */
function configs(env: RunEnv, quick: boolean): { cfgs: Record<ExperimentName, ExperimentConfig>; seeds: number; cnnSeeds: number; notes: string[] } {
  const notes: string[] = [];
  const fast = env.native;
  const mnistMlp: ExperimentConfig = { name: 'mnist-mlp', epochs: 3, batchSize: 128, optimizer: 'adam', lr: 2e-3, trainSize: 8000, testSize: 2000, hidden: [64, 64], targetAcc: 0.9, twins: opts.twins };
  const mnistCnn: ExperimentConfig = { name: 'mnist-cnn', epochs: 1, batchSize: 64, optimizer: 'adam', lr: 2e-3, trainSize: 2500, testSize: 2000, hidden: [], targetAcc: 0.9, twins: opts.twins };
  const synth = (name: ExperimentName): ExperimentConfig => ({ name, epochs: 20, batchSize: 200, optimizer: 'adam', lr: 3e-2, trainSize: 600, testSize: 400, hidden: [32, 32], targetAcc: 0.95, twins: false });
  let seeds = 2;
  let cnnSeeds = 1;
  if (quick) {
    seeds = 1;
    Object.assign(mnistMlp, { epochs: 1, trainSize: 3000, testSize: 1000, targetAcc: 0.8 });
    Object.assign(mnistCnn, { trainSize: 640, testSize: 500, targetAcc: 0.5 });
    notes.push('--quick: 1 seed; MNIST MLP 1 epoch on 3,000 training digits (target 80%); CNN 1 epoch on 640 digits (target 50%); synthetic sets 15 epochs');
  }
  const cfgs = { 'mnist-mlp': mnistMlp, 'mnist-cnn': mnistCnn, spirals: synth('spirals'), moons: synth('moons'), circles: synth('circles') };
  if (quick) for (const n of ['spirals', 'moons', 'circles'] as const) cfgs[n].epochs = 15;
  if (!fast) {
    if (env.backend === 'wasm') {
      cfgs['mnist-cnn'].trainSize = Math.min(cfgs['mnist-cnn'].trainSize, quick ? 320 : 2000);
      notes.push(`no tfjs-node: smaller CNN training set on wasm (${cfgs['mnist-cnn'].trainSize} digits)`);
    } else {
      cfgs['mnist-cnn'].trainSize = Math.min(cfgs['mnist-cnn'].trainSize, 300);
      cfgs['mnist-mlp'].trainSize = Math.min(cfgs['mnist-mlp'].trainSize, quick ? 1000 : 3000);
      notes.push('no tfjs-node and no wasm: cpu backend, much smaller MNIST training sets');
    }
  }
  if (opts.epochs) cfgs['mnist-mlp'].epochs = Number(opts.epochs);
  if (opts.seeds) seeds = Number(opts.seeds);
  if (opts.cnnSeeds) cnnSeeds = Number(opts.cnnSeeds);
  return { cfgs, seeds, cnnSeeds, notes };
}

const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(1) : 'n/a');

function summarise(cfg: ExperimentConfig, recs: RunRecord[], ids: string[]): Table {
  const rows = ids.map((id) => {
    const ours = recs.filter((r) => r.activation === id && r.impl === 'ours');
    const twin = recs.filter((r) => r.activation === id && r.impl === 'builtin');
    const acc = ours.map((r) => r.history.epochs.at(-1)?.testAcc ?? NaN);
    const loss = ours.map((r) => r.history.epochs.at(-1)?.testLoss ?? NaN);
    const reached = ours.filter((r) => r.history.epochsToTarget !== undefined);
    const sPerEpoch = ours.map((r) => r.history.trainSeconds / Math.max(1, r.history.epochs.length));
    const events = ours.reduce((a, r) => a + r.history.nanEvents, 0);
    const div = ours.filter((r) => r.history.diverged).length;
    const twinAcc = twin.map((r) => r.history.epochs.at(-1)?.testAcc ?? NaN);
    const twinErr = twin.find((r) => r.history.error)?.history.error;
    const diff = twin.length ? max(twin.map((r) => r.twinMaxAbsDiff ?? NaN)) : NaN;
    return [
      id,
      `${pm(acc, 1, 100)}`,
      pm(loss, 3),
      reached.length ? `${mean(reached.map((r) => r.history.epochsToTarget!)).toFixed(1)} (${reached.length}/${ours.length})` : `– (0/${ours.length})`,
      reached.length ? mean(reached.map((r) => r.history.secondsToTarget!)).toFixed(1) : '–',
      mean(sPerEpoch).toFixed(2),
      `${events}/${div}`,
      twin.length ? (twinErr ? 'built-in fails (see drop-in table)' : pm(twinAcc, 1, 100)) : '',
      twin.length ? (twinErr ? '' : diff.toExponential(1)) : '',
    ];
  });
  return {
    title: `${cfg.name}: ${cfg.name.startsWith('mnist') ? `${cfg.trainSize}/${cfg.testSize} digits` : `${cfg.trainSize}/${cfg.testSize} points`}, ${cfg.name === 'mnist-cnn' ? 'CNN' : `MLP ${cfg.hidden.join('-')}`}, ${cfg.optimizer} lr ${cfg.lr}, batch ${cfg.batchSize}, ${cfg.epochs} epoch(s)`,
    headers: ['activation', 'test acc %', 'test loss', `epochs→${pct(cfg.targetAcc)}%`, `s→${pct(cfg.targetAcc)}%`, 's/epoch', 'NaN/div', 'tfjs built-in acc %', 'max|Δloss| twin'],
    rows,
  };
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const env = await setupBackend(opts.backend);
  console.log(`Comparison demo — ${describeEnv(env)}`);
  for (const n of env.notes) console.log(`  note: ${n}`);
  const quick = !!opts.quick;
  const { cfgs, seeds, cnnSeeds, notes } = configs(env, quick);
  for (const n of notes) console.log(`  note: ${n}`);
  const ids = opts.activations ? opts.activations.split(',').map((s) => s.trim()) : allIds();
  for (const id of ids) if (!allIds().includes(id)) throw new Error(`unknown activation '${id}'; known: ${allIds().join(', ')}`);
  const exps = (opts.experiments ? opts.experiments.split(',') : EXPERIMENTS) as ExperimentName[];
  for (const e of exps) if (!EXPERIMENTS.includes(e)) throw new Error(`unknown experiment '${e}'; known: ${EXPERIMENTS.join(', ')}`);

  const records: RunRecord[] = [];
  const tables: Table[] = [];
  const timings: Record<string, number> = {};
  for (const name of exps) {
    const cfg = cfgs[name];
    const nSeeds = name === 'mnist-cnn' ? cnnSeeds : seeds;
    const te = Date.now();
    const bar = progressBar(name, ids.length * nSeeds);
    let done = 0;
    for (let seed = 1; seed <= nSeeds; seed++) {
      const data = experimentData(cfg, seed);
      for (const id of ids) {
        bar.update(done, `${id} seed ${seed}`);
        records.push(...runOne(cfg, id, seed, data));
        bar.update(++done, `${id} seed ${seed}`);
      }
    }
    bar.stop();
    timings[name] = (Date.now() - te) / 1000;
    const t = summarise(cfg, records.filter((r) => r.experiment === name), ids);
    t.note = `${nSeeds} seed(s); mean ± std over seeds; NaN/div = non-finite losses / diverged runs; twin = tfjs's built-in from the same initial weights on the same batches (max over seeds and steps of |loss_ours − loss_builtin|). ${timings[name].toFixed(0)} s.`;
    tables.push(t);
    console.log('\n' + formatTable(t) + '\n');
  }

  // Drop-in proof summary.
  const twins = records.filter((r) => r.impl === 'builtin');
  const twinIds = [...new Set(twins.map((r) => r.activation))];
  const twinTable: Table = {
    title: 'Drop-in proof: our layer vs the tfjs built-in, same initial weights and batches',
    headers: ['activation', 'tfjs built-in', 'experiments', 'steps compared', 'max|Δloss| (all steps)', 'max|Δloss| last epoch', 'Δ final test acc (pp)'],
    rows: twinIds.map((id) => {
      const all = twins.filter((r) => r.activation === id);
      const failed = all.filter((r) => r.history.error);
      const rs = all.filter((r) => !r.history.error);
      const failNote = failed.length ? `built-in fails in ${[...new Set(failed.map((r) => r.experiment))].join(', ')}: ${failed[0].history.error!.slice(0, 60)}` : '';
      const accDiff = rs.map((r) => {
        const o = records.find((q) => q.impl === 'ours' && q.activation === id && q.seed === r.seed && q.experiment === r.experiment)!;
        return Math.abs((o.history.epochs.at(-1)?.testAcc ?? NaN) - (r.history.epochs.at(-1)?.testAcc ?? NaN)) * 100;
      });
      return [
        id,
        builtinName(id) ?? '',
        [...new Set(rs.map((r) => r.experiment))].join(', ') || 'none',
        `${rs.reduce((a, r) => a + r.history.stepLoss.length, 0)}${failNote ? ` (${failNote})` : ''}`,
        rs.length ? max(rs.map((r) => r.twinMaxAbsDiff ?? NaN)).toExponential(2) : 'n/a',
        rs.length ? max(rs.map((r) => r.twinMaxAbsDiffPerEpoch?.at(-1) ?? NaN)).toExponential(2) : 'n/a',
        rs.length ? max(accDiff).toFixed(2) : 'n/a',
      ];
    }),
  };
  if (twinIds.length) {
    const worst = max(twins.filter((r) => !r.history.error).map((r) => r.twinMaxAbsDiff ?? NaN));
    twinTable.note = `Largest difference between the twins' loss curves over every compared step: ${worst.toExponential(2)}.`;
    console.log(formatTable(twinTable) + '\n');
    tables.push(twinTable);
  }

  // Charts.
  const chartDir = path.join(opts.out, 'charts');
  const charts: Record<string, RenderedChart[]> = { overview: [] };
  const cbar = progressBar('charts', 1 + exps.length * 2 + 2);
  let c = 0;
  charts.overview.push(await renderChart(activationGallerySpec(ids.filter((id) => !VARIANTS[id])), chartDir, 'activations', 'Each activation (f) and its derivative (f′) from the registry'));
  cbar.update(++c);
  const heat: object[] = [];
  for (const name of exps) {
    charts[name] = [];
    const rs = records.filter((r) => r.experiment === name);
    const ours = rs.filter((r) => r.impl === 'ours');
    const barVals = ids.map((id) => {
      const acc = ours.filter((r) => r.activation === id).map((r) => r.history.epochs.at(-1)?.testAcc ?? NaN);
      heat.push({ activation: id, experiment: name, acc: mean(acc) });
      return { label: id, mean: mean(acc) * 100, std: std(acc) * 100 };
    });
    const finite = barVals.filter((v) => Number.isFinite(v.mean));
    const lo = Math.max(0, Math.floor(Math.min(...finite.map((v) => v.mean - v.std)) / 5) * 5);
    charts[name].push(await renderChart(barSpec({ values: finite, title: `${name}: final test accuracy (mean ± std over seeds)`, xTitle: 'test accuracy %', domain: [lo, 100] }), chartDir, `${name}-accuracy`, `${name}: final test accuracy`));
    cbar.update(++c);
    const curve: object[] = [];
    for (const id of ids) {
      for (const impl of ['ours', 'builtin'] as const) {
        const runs = rs.filter((r) => r.activation === id && r.impl === impl && !r.history.error);
        if (!runs.length) continue;
        const n = Math.max(...runs.map((r) => r.history.epochs.length));
        for (let e = 0; e < n; e++) {
          curve.push({ activation: id, impl: impl === 'ours' ? 'ours' : 'tfjs built-in', epoch: e + 1, 'test loss': mean(runs.map((r) => r.history.epochs[e]?.testLoss ?? NaN)), 'test accuracy': mean(runs.map((r) => r.history.epochs[e]?.testAcc ?? NaN)) });
        }
      }
    }
    const spec: VlSpec = lineSpec({ values: curve, x: 'epoch', y: 'test loss', color: 'impl', facet: 'activation', columns: 6, title: `${name}: test loss per epoch (mean over seeds; ours vs tfjs built-in)`, width: 120, height: 80, points: true });
    charts[name].push(await renderChart(spec, chartDir, `${name}-loss-curves`, `${name}: test loss curves per activation`));
    cbar.update(++c);
    if (name === 'mnist-mlp' || name === 'mnist-cnn') {
      const steps: object[] = [];
      for (const r of rs.filter((q) => q.seed === 1 && twinIds.includes(q.activation) && !q.history.error)) {
        r.history.stepLoss.forEach((l, i) => {
          if (i % 4 === 0) steps.push({ activation: r.activation, impl: r.impl === 'ours' ? 'ours' : 'tfjs built-in', step: i + 1, 'training loss': l });
        });
      }
      if (steps.length) {
        charts[name].push(
          await renderChart(
            lineSpec({ values: steps, x: 'step', y: 'training loss', color: 'impl', strokeDash: 'impl', facet: 'activation', columns: 5, title: `${name}: per-step training loss, ours vs tfjs built-in (seed 1, same weights and batches)`, width: 150, height: 90, logY: true }),
            chartDir,
            `${name}-twins`,
            `${name}: per-step training loss, ours vs tfjs built-in (same weights, same batches)`,
          ),
        );
      }
    }
  }
  charts.overview.push(
    await renderChart(
      {
        title: 'Final test accuracy by activation and experiment (mean over seeds)',
        data: { values: heat },
        width: 60 * exps.length,
        height: 14 * ids.length,
        encoding: { y: { field: 'activation', type: 'nominal', sort: ids, title: null }, x: { field: 'experiment', type: 'nominal', sort: exps, title: null } },
        layer: [
          { mark: 'rect', encoding: { color: { field: 'acc', type: 'quantitative', title: 'accuracy', scale: { scheme: 'viridis' } } } },
          { mark: { type: 'text', fontSize: 9 }, encoding: { text: { field: 'acc', type: 'quantitative', format: '.3f' }, color: { condition: { test: 'datum.acc > 0.8', value: 'black' }, value: 'white' } } },
        ],
      },
      chartDir,
      'accuracy-heatmap',
      'Final test accuracy, activation × experiment',
    ),
  );
  cbar.update(++c);
  cbar.stop();

  const wall = (Date.now() - t0) / 1000;
  const subtitle = `${describeEnv(env)} | ${quick ? 'quick' : 'full'} run, ${wall.toFixed(0)} s wall`;
  const sections: Section[] = [
    { heading: 'Setup', paragraphs: [subtitle, ...env.notes, ...notes, `Experiments: ${exps.join(', ')}; activations: ${ids.length}; seeds: ${seeds} (CNN: ${cnnSeeds}).`], charts: charts.overview },
    ...exps.map((name, i) => ({ heading: name, tables: [tables[i]], charts: charts[name] })),
    ...(twinIds.length ? [{ heading: 'Drop-in proof', tables: [twinTable] }] : []),
  ];
  const html = htmlReport('tfjs-activations: comparison demo', subtitle, sections);
  const written = writeReports(opts.out, {
    json: { env, quick, seeds, cnnSeeds, configs: exps.map((n) => cfgs[n]), timings, wallSeconds: wall, tables, records },
    tables,
    html,
    csvNames: [...exps, ...(twinIds.length ? ['twins'] : [])],
  });
  const allCharts = Object.values(charts).flat();
  console.log(`Wrote ${written.length} report files and ${allCharts.length * 2} chart files under ${opts.out}`);
  console.log(`  ${path.join(opts.out, 'report.html')}`);
  console.log(`Wall time: ${wall.toFixed(0)} s (${Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(0)} s`).join(', ')})`);

  if (opts.saveResults) {
    const main = ['activations', 'accuracy-heatmap', 'mnist-mlp-twins', 'mnist-mlp-accuracy'].map((n) => allCharts.find((ch) => ch.name === n)).filter((ch): ch is RenderedChart => !!ch);
    const md = [
      `### Current comparison results`,
      '',
      `Measured ${env.date.slice(0, 10)} on ${env.cpus} CPU(s) (${env.cpuModel}), backend ${env.backendNote}, node ${env.node}, tfjs ${env.tfjs}; \`npm run demo${quick ? ' -- --quick' : ''}\` took ${wall.toFixed(0)} s.`,
      ...[...env.notes, ...notes].map((n) => `Note: ${n}.`),
      '',
      ...tablesMarkdown(tables),
      ...chartsMarkdown(main),
      '',
    ].join('\n');
    saveResultsPart('compare', md, main.map((ch) => ch.pngPath));
    console.log('Saved current results to demos/results/ and docs/demos.md');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
