/**
 * npm run demo [-- --quick] [--activations relu,gelu] [--experiments mnist-mlp,spirals] [--seeds 3]
 *
 * The comparison demo: every activation in the registry trained in the same MLP / CNN on MNIST digits
 * and in the same MLP on synthetic 2-D sets, over several seeds, with tfjs's built-in twin (same
 * initial weights, same batches) where one exists. Terminal table + JSON/CSV/SVG/PNG/HTML reports.
 */
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';
import { allIds } from './lib/activations';
import { availableBackends } from './lib/backend';
import {
  dropInTable, experimentTable, renderCompareCharts, saveCompareResults, writeCompareReports, type CompareRun,
} from './lib/compare-report';
import { EXPERIMENTS, experimentData, runOne, type ExperimentConfig, type ExperimentName, type RunRecord } from './lib/compare-run';
import { describeEnv, precisionNote, setupBackend, type RunEnv } from './lib/env';
import { progressBar } from './lib/progress';
import { formatTable, type Table } from './lib/report';

const program = new Command()
  .name('npm run demo --')
  .option('--quick', 'small, fast version (< 2 min)')
  .option('--activations <ids>', 'comma-separated activation ids (default: all in the registry)')
  .option('--experiments <names>', `comma-separated, from ${EXPERIMENTS.join(',')}`)
  .option('--seeds <n>', 'seeds per activation (MNIST MLP and synthetic sets)')
  .option('--cnn-seeds <n>', 'seeds per activation for the CNN')
  .option('--epochs <n>', 'epochs of the MNIST MLP')
  .option('--no-twins', "don't train tfjs's built-in twins")
  .option('--cnn-twins', "train tfjs's built-in twins in the CNN too (off by default: they double its time)")
  .option('--backend <name>', 'tensorflow | wasm | cpu for every experiment (default: best available; synthetic sets on wasm)')
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
  cnnTwins?: boolean;
  backend?: string;
  out: string;
  saveResults?: boolean;
}
const opts = program.opts<Opts>();

const SYNTHETIC: readonly ExperimentName[] = ['spirals', 'moons', 'circles'];

/**
 * Default sizes: chosen so that the full run fits 10 min on 2 cores with tfjs-node while other work
 * shares the machine (measured: docs/demos.md), --quick 2 min. The CNN gets the time
 * act.layers.dense and the synthetic sets on wasm save: 8,000 digits, 3 epochs, a decaying rate.
 */
function experimentConfigs(env: RunEnv, quick: boolean): { cfgs: Record<ExperimentName, ExperimentConfig>; seeds: number; cnnSeeds: number; notes: string[] } {
  const notes: string[] = [];
  const mnistMlp: ExperimentConfig = { name: 'mnist-mlp', epochs: 3, batchSize: 128, optimizer: 'adam', lr: 2e-3, trainSize: 8000, testSize: 2000, hidden: [64, 64], targetAcc: 0.9, twins: opts.twins };
  const mnistCnn: ExperimentConfig = { name: 'mnist-cnn', epochs: 3, batchSize: 128, optimizer: 'adam', lr: 4e-3, lrDecay: 0.5, trainSize: 8000, testSize: 2000, hidden: [], targetAcc: 0.97, twins: opts.twins && !!opts.cnnTwins };
  const synth = (name: ExperimentName): ExperimentConfig => ({ name, epochs: quick ? 15 : 20, batchSize: 200, optimizer: 'adam', lr: 3e-2, trainSize: 600, testSize: 400, hidden: [32, 32], targetAcc: 0.95, twins: false });
  let seeds = 2;
  let cnnSeeds = 1;
  if (quick) {
    seeds = 1;
    Object.assign(mnistMlp, { epochs: 1, trainSize: 3000, testSize: 1000, targetAcc: 0.8 });
    Object.assign(mnistCnn, { epochs: 1, trainSize: 2000, testSize: 500, targetAcc: 0.8 });
    notes.push('--quick: 1 seed; MNIST MLP 1 epoch on 3,000 training digits (target 80%); CNN 1 epoch on 2,000 digits (target 80%); synthetic sets 15 epochs');
  }
  const cfgs = { 'mnist-mlp': mnistMlp, 'mnist-cnn': mnistCnn, spirals: synth('spirals'), moons: synth('moons'), circles: synth('circles') };
  if (!env.native) {
    if (env.backend === 'wasm') {
      cfgs['mnist-cnn'].trainSize = Math.min(cfgs['mnist-cnn'].trainSize, quick ? 320 : 2000);
      notes.push(`no tfjs-node: smaller CNN training set on wasm (${cfgs['mnist-cnn'].trainSize} digits)`);
    } else {
      cfgs['mnist-cnn'].trainSize = Math.min(cfgs['mnist-cnn'].trainSize, 300);
      cfgs['mnist-mlp'].trainSize = Math.min(cfgs['mnist-mlp'].trainSize, quick ? 1000 : 3000);
      notes.push('no tfjs-node and no wasm: cpu backend, much smaller MNIST training sets');
    }
  }
  if (opts.twins && !opts.cnnTwins) notes.push("the CNN trains without tfjs built-in twins (--cnn-twins adds them); the MLP's twins are the drop-in proof");
  if (opts.epochs) cfgs['mnist-mlp'].epochs = Number(opts.epochs);
  if (opts.seeds) seeds = Number(opts.seeds);
  if (opts.cnnSeeds) cnnSeeds = Number(opts.cnnSeeds);
  return { cfgs, seeds, cnnSeeds, notes };
}

/**
 * The backend of each experiment: --backend for all, else the best one for MNIST and wasm for the
 * synthetic sets, whose 2→32→32→2 MLPs are all per-op overhead, several times lower there than on
 * tfjs-node.
 */
function experimentBackends(env: RunEnv): Record<ExperimentName, string> {
  const synthetic = !opts.backend && env.backend === 'tensorflow' && availableBackends().includes('wasm') ? 'wasm' : env.backend;
  return Object.fromEntries(EXPERIMENTS.map((e) => [e, SYNTHETIC.includes(e) ? synthetic : env.backend])) as Record<ExperimentName, string>;
}

function chosenIds(): string[] {
  const ids = opts.activations ? opts.activations.split(',').map((s) => s.trim()) : allIds();
  for (const id of ids) if (!allIds().includes(id)) throw new Error(`unknown activation '${id}'; known: ${allIds().join(', ')}`);
  return ids;
}

function chosenExperiments(): ExperimentName[] {
  const exps = (opts.experiments ? opts.experiments.split(',') : EXPERIMENTS) as ExperimentName[];
  for (const e of exps) if (!EXPERIMENTS.includes(e)) throw new Error(`unknown experiment '${e}'; known: ${EXPERIMENTS.join(', ')}`);
  return exps;
}

/** Backend, sizes and the activations and experiments asked for; prints the setup. */
async function prepareRun(): Promise<CompareRun> {
  const env = await setupBackend(opts.backend);
  const quick = !!opts.quick;
  const { cfgs, seeds, cnnSeeds, notes } = experimentConfigs(env, quick);
  const ids = chosenIds();
  const exps = chosenExperiments();
  const backendOf = experimentBackends(env);
  const used = [...new Set(exps.map((e) => backendOf[e]))];
  if (used.length > 1) notes.push(`backends: ${exps.map((e) => `${e} ${backendOf[e]}`).join(', ')} (tiny MLPs run faster on wasm)`);
  notes.push(...used.map(precisionNote));
  console.log(`Comparison demo — ${describeEnv(env)}`);
  for (const n of [...env.notes, ...notes]) console.log(`  note: ${n}`);
  return { env, quick, ids, exps, cfgs, seeds, cnnSeeds, backendOf, notes };
}

async function useBackend(name: string): Promise<void> {
  if (tf.getBackend() === name) return;
  if (!(await tf.setBackend(name))) throw new Error(`backend '${name}' failed to initialise`);
  await tf.ready();
}

/** Trains every activation (and twin) of one experiment over its seeds; prints its table. */
async function trainExperiment(run: CompareRun, name: ExperimentName): Promise<{ records: RunRecord[]; table: Table; seconds: number; cpuSeconds: number }> {
  const cfg = run.cfgs[name];
  await useBackend(run.backendOf[name]);
  const nSeeds = name === 'mnist-cnn' ? run.cnnSeeds : run.seeds;
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const bar = progressBar(name, run.ids.length * nSeeds);
  const records: RunRecord[] = [];
  let done = 0;
  for (let seed = 1; seed <= nSeeds; seed++) {
    const data = experimentData(cfg, seed);
    for (const id of run.ids) {
      bar.update(done, `${id} seed ${seed}`);
      records.push(...runOne(cfg, id, seed, data));
      bar.update(++done, `${id} seed ${seed}`);
    }
  }
  bar.stop();
  const seconds = (Date.now() - t0) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu0);
  const table = experimentTable(cfg, records, run.ids, run.backendOf[name]);
  table.note = `${nSeeds} seed(s); mean ± std over seeds; NaN/div = non-finite losses / diverged runs; twin = tfjs's built-in from the same initial weights on the same batches (max over seeds and steps of |loss_ours − loss_builtin|). ${seconds.toFixed(0)} s.`;
  console.log('\n' + formatTable(table) + '\n');
  return { records, table, seconds, cpuSeconds };
}

/** CPU seconds of this process (every thread, TensorFlow's included) since `start`. */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
}

interface Trained {
  records: RunRecord[];
  /** One table per experiment, in run order. */
  tables: Table[];
  /** Wall and CPU seconds per experiment. */
  timings: { wall: Record<string, number>; cpu: Record<string, number> };
}

async function trainAllExperiments(run: CompareRun): Promise<Trained> {
  const trained: Trained = { records: [], tables: [], timings: { wall: {}, cpu: {} } };
  for (const name of run.exps) {
    const r = await trainExperiment(run, name);
    trained.records.push(...r.records);
    trained.tables.push(r.table);
    trained.timings.wall[name] = r.seconds;
    trained.timings.cpu[name] = r.cpuSeconds;
  }
  return trained;
}

/** Wall and CPU time since the clock started, and the load average at its start and now. */
function startClock(): () => { wall: number; cpu: number; loadAverage: number[] } {
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const load0 = os.loadavg()[0];
  return () => ({ wall: (Date.now() - t0) / 1000, cpu: cpuSecondsSince(cpu0), loadAverage: [load0, os.loadavg()[0]] });
}

/** The drop-in table, charts, report files and (--save-results) docs/demos.md; prints where they went. */
async function reportRun(run: CompareRun, trained: Trained, clock: ReturnType<typeof startClock>): Promise<void> {
  const { records, tables, timings } = trained;
  const twinTable = dropInTable(records);
  if (twinTable) console.log(formatTable(twinTable) + '\n');
  const charts = await renderCompareCharts(records, run.ids, run.exps, path.join(opts.out, 'charts'));
  const allCharts = Object.values(charts).flat();
  const { wall, cpu, loadAverage } = clock();
  const load = loadAverage.map((l) => l.toFixed(1)).join(' → ');
  const subtitle = `${describeEnv(run.env)} | ${run.quick ? 'quick' : 'full'} run, ${wall.toFixed(0)} s wall (${cpu.toFixed(0)} s CPU), load average ${load}`;
  const written = writeCompareReports(opts.out, run, { tables, twinTable, charts, records, timings, subtitle, wall });
  const perExperiment = (t: Record<string, number>) => Object.entries(t).map(([k, v]) => `${k} ${v.toFixed(0)} s`).join(', ');
  console.log(`Wrote ${written.length} report files and ${allCharts.length * 2} chart files under ${opts.out}`);
  console.log(`  ${path.join(opts.out, 'report.html')}`);
  console.log(`Wall time: ${wall.toFixed(0)} s (${perExperiment(timings.wall)}); CPU time: ${cpu.toFixed(0)} s (${perExperiment(timings.cpu)}); load average ${load}`);
  if (opts.saveResults) {
    saveCompareResults(run, { tables: [...tables, ...(twinTable ? [twinTable] : [])], charts: allCharts, wall, cpu, loadAverage });
    console.log('Saved current results to demos/results/ and docs/demos.md');
  }
}

async function main(): Promise<void> {
  const clock = startClock();
  const run = await prepareRun();
  const trained = await trainAllExperiments(run);
  await reportRun(run, trained, clock);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
