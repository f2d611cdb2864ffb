/**
 * npm run bench [-- --quick] [-- --write-docs]
 *
 * Every activation x backend (cpu, wasm, tensorflow) x size: forward and forward+backward time of
 * our op, tfjs's built-in and a hand composition of tfjs ops, in one process; the machine's limit
 * (plain JavaScript loops); training cost per epoch of an MLP and a CNN with tfjs's layers and act.layers.dense.
 * Writes demos/out/bench/bench.json and bench.md; --write-docs puts bench.md into docs/benchmarks.md
 * between <!-- BEGIN bench --> and <!-- END bench -->.
 *
 * npm run bench -- --keras [--write-docs]: instead, the Keras import (load and predict time of every
 * fixture model on every backend), into keras-bench.json/.md and the `keras-bench` section.
 */
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { availableBackends, tfjsNodeError } from './lib/backend';
import { renderMarkdown, renderTerminal, type BenchResult } from './lib/bench-report';
import { runBench, type BenchOptions } from './lib/bench-run';
import { renderKerasMarkdown, runKerasBench } from './lib/bench-keras';
import { TRAINING_IDS } from './lib/bench-training';
import { progressBar } from './lib/progress';
import { docPath, README_PATH, updateSection } from '../scripts/lib/sections';
import { NODE_RESULTS, speedSummaryFromSaved } from './lib/speed-summary';

const program = new Command()
  .name('bench')
  .description('Benchmark every activation on every backend against tfjs, and against the machine\'s limit')
  .option('--quick', 'about a minute: 1e5 elements only, 3 reps, short training run')
  .option('--backends <names>', 'comma-separated subset of cpu,wasm,tensorflow (default: all available)')
  .option('--sizes <list>', 'comma-separated element counts, e.g. 1e4,1e5,1e6,4e6')
  .option('--reps <n>', 'timed repetitions per cell (default: 7/5/3/2 by size, up to 25 where they take under 1.2 s; 3 with --quick)')
  .option('--only <ids>', 'comma-separated activation keys (e.g. mish,gelu,gelu_new)')
  .option('--no-training', 'skip the training-cost benchmark')
  .option('--out <dir>', 'output folder', path.join(__dirname, 'out', 'bench'))
  .option('--write-docs', 'write the markdown summary into docs/benchmarks.md')
  .option('--final', 'drop the "preliminary" label (for a run on a quiet machine)')
  .option('--keras', 'benchmark the Keras import instead: load and predict time of every fixture model')
  .option('--models <names>', 'with --keras: comma-separated fixture names')
  .option('--from-json <file>', 'no run: re-render the tables (and docs/benchmarks.md) from a saved bench.json')
  .parse();

interface Opts {
  quick?: boolean;
  backends?: string;
  sizes?: string;
  reps?: string;
  only?: string;
  training: boolean;
  out: string;
  writeDocs?: boolean;
  final?: boolean;
  fromJson?: string;
  keras?: boolean;
  models?: string;
}

const opts = program.opts<Opts>();
const list = (s?: string) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);

/** Writes bench.json, bench.md, prints the terminal table and, if asked, docs/benchmarks.md. */
function publish(result: BenchResult, command: string, writeJson: boolean): void {
  fs.mkdirSync(opts.out, { recursive: true });
  const md = renderMarkdown(result, { command });
  if (writeJson) fs.writeFileSync(path.join(opts.out, 'bench.json'), JSON.stringify(result, null, 1));
  fs.writeFileSync(path.join(opts.out, 'bench.md'), md + '\n');
  console.log(renderTerminal(result));
  console.log(`\nwrote ${writeJson ? `${path.join(opts.out, 'bench.json')} and ` : ''}${path.join(opts.out, 'bench.md')}${result.meta.durationS ? ` (run took ${result.meta.durationS} s)` : ''}`);
  if (opts.writeDocs) {
    updateSection(docPath('benchmarks'), 'bench', md);
    if (!opts.fromJson) fs.writeFileSync(NODE_RESULTS, JSON.stringify(result));
    updateSection(README_PATH, 'speed', speedSummaryFromSaved()!);
    console.log(`updated docs/benchmarks.md, ${path.relative(process.cwd(), NODE_RESULTS)} and the README's speed table`);
  }
}

/** The training-cost run: issue 12's activations (those of --only, if given), the MLP and the CNN. */
function trainingOptions(quick: boolean, only?: string[]): NonNullable<BenchOptions['training']> {
  const ids = TRAINING_IDS.filter((id) => !only || only.includes(id));
  // tfjs's cpu Conv2DBackpropFilter reads every element through TensorBuffer.get (about 0.3 s per CNN
  // sample on 2 cores): one small step there.
  return quick
    ? { ids, models: ['mlp', 'cnn'], samples: 512, cnnSamples: { cpu: 16, wasm: 256, tensorflow: 256 }, reps: 2 }
    : { ids, models: ['mlp', 'cnn'], samples: 1024, cnnSamples: { cpu: 32, wasm: 512, tensorflow: 512 }, reps: 3 };
}

async function main(): Promise<void> {
  if (opts.fromJson) {
    const saved = JSON.parse(fs.readFileSync(opts.fromJson, 'utf8')) as BenchResult;
    publish(saved, saved.meta.command ?? 'npm run bench', false);
    return;
  }
  const available = availableBackends();
  const asked = list(opts.backends) ?? ['cpu', 'wasm', 'tensorflow'];
  const unknown = asked.filter((b) => !['cpu', 'wasm', 'tensorflow'].includes(b));
  if (unknown.length) throw new Error(`unknown backend(s) ${unknown.join(', ')}; use cpu, wasm, tensorflow`);
  const backends = asked.filter((b) => available.includes(b));
  const unavailable: Record<string, string> = {};
  for (const b of asked.filter((x) => !available.includes(x))) unavailable[b] = b === 'tensorflow' ? `tfjs-node did not load: ${tfjsNodeError}` : 'not available';
  if (!backends.length) throw new Error('none of the requested backends is available');

  if (opts.keras) return kerasBench(backends);
  const quick = !!opts.quick;
  const sizes = list(opts.sizes)?.map(Number) ?? (quick ? [1e5] : [1e4, 1e5, 1e6, 4e6]);
  if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new Error(`--sizes must be positive integers, got ${opts.sizes}`);
  const fixedReps = opts.reps !== undefined ? Number(opts.reps) : undefined;
  const reps = (size: number) => fixedReps ?? (quick ? 3 : size <= 1e4 ? 7 : size <= 1e5 ? 5 : size <= 1e6 ? 3 : 2);

  const o: BenchOptions = {
    backends,
    unavailable,
    sizes,
    reps,
    warmup: 1,
    bestOnlyAbove: quick ? undefined : 1e6,
    cellBudgetMs: quick ? 3000 : 8000,
    cellFloorMs: fixedReps !== undefined || quick ? undefined : 1200,
    maxReps: 25,
    only: list(opts.only),
    limits: true,
    limitReps: quick ? 5 : 9,
    training: opts.training ? trainingOptions(quick, list(opts.only)) : undefined,
    preliminary: !opts.final,
    notes: [],
  };
  if (!quick) o.notes!.push('Above 1e6 elements only ours and the faster tfjs version at 1e6 are timed (2 repetitions), to keep the run near 10 minutes.');

  console.log(`tfjs-activations benchmark: backends ${backends.join(', ')}${Object.keys(unavailable).length ? ` (unavailable: ${Object.entries(unavailable).map(([b, w]) => `${b}: ${w}`).join('; ')})` : ''}; sizes ${sizes.join(', ')}${quick ? ' (quick)' : ''}`);
  let bar: ReturnType<typeof progressBar> | undefined;
  o.progress = (label, done, total) => {
    bar ??= progressBar('bench', total);
    bar.update(done, label);
  };
  const result = await runBench(o);
  bar?.stop();

  const args = process.argv.slice(2).filter((a) => a !== '--write-docs');
  result.meta.command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
  publish(result, result.meta.command, true);
}

async function kerasBench(backends: string[]): Promise<void> {
  const reps = opts.reps !== undefined ? Number(opts.reps) : opts.quick ? 3 : 10;
  console.log(`Keras import benchmark: backends ${backends.join(', ')}; ${reps} predict repetitions`);
  let bar: ReturnType<typeof progressBar> | undefined;
  const rows = await runKerasBench({
    backends, reps, models: list(opts.models),
    progress: (label, done, total) => {
      bar ??= progressBar('keras', total);
      bar.update(done, label);
    },
  });
  bar?.stop();
  const args = process.argv.slice(2).filter((a) => a !== '--write-docs');
  const command = `npm run bench -- ${args.join(' ')}`;
  const os = await import('os');
  const md = renderKerasMarkdown(rows, { command, date: new Date().toISOString().slice(0, 10), reps, machine: `${os.cpus().length} cores, Node ${process.version}` });
  fs.mkdirSync(opts.out, { recursive: true });
  fs.writeFileSync(path.join(opts.out, 'keras-bench.json'), JSON.stringify(rows, null, 1));
  fs.writeFileSync(path.join(opts.out, 'keras-bench.md'), md + '\n');
  console.log(md);
  const leaks = rows.filter((r) => r.leakedTensors !== 0);
  if (leaks.length) console.log(`\nleaked tensors: ${leaks.map((r) => `${r.backend} ${r.model} ${r.leakedTensors}`).join(', ')}`);
  if (opts.writeDocs) {
    updateSection(docPath('benchmarks'), 'keras-bench', md);
    console.log('updated docs/benchmarks.md');
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
