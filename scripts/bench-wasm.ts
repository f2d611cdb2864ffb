/**
 * npx tsx scripts/bench-wasm.ts [--sizes 1e5,1e6] [--reps 15] [--runs 3] [--only gelu,mish] [--accuracy] [--write-docs]
 *
 * The wasm backend's SIMD kernels against tfjs: for every activation, our op ('fast', the wasm
 * default), tfjs's built-in and a hand composition of tfjs ops (demos/lib/bench-cases.ts), forward
 * and forward+backward (tf.grad with a given dy), interleaved repetitions in one process
 * (demos/lib/bench-harness.ts), and the float64 JavaScript loops ('exact') for scale. --runs repeats
 * the whole sweep (on a shared machine a burst of load can skew one) and reports the median run. With
 * --write-docs the table goes into docs/benchmarks-wasm.md between <!-- BEGIN wasm-bench --> and
 * <!-- END wasm-bench -->.
 *
 * --accuracy instead measures the kernels against the backward-stability bar of __tests__/fast.test.ts
 * (the mpmath reference points and a dense grid): the worst |computed − exact| ÷ bar per activation and
 * order (≤ 1 passes), into the section wasm-accuracy.
 */
import * as os from 'os';
import { Command } from 'commander';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as path from 'path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as act from '../src';
import { selectCases, type BenchCase } from '../demos/lib/bench-cases';
import { benchCell, uniform, type OpResult } from '../demos/lib/bench-harness';
import { evaluateOrders, loadReference } from '../__tests__/support/accuracy';
import { casePoints, worstRatios } from '../__tests__/support/fast-bar';
import { docPath, updateSection } from './lib/sections';

const program = new Command()
  .option('--sizes <list>', 'element counts', '1e5,1e6')
  .option('--reps <n>', 'timed repetitions per cell', '15')
  .option('--runs <n>', 'sweeps over every cell; the table shows the median sweep', '1')
  .option('--only <ids>', 'comma-separated bench keys (e.g. gelu,gelu_new,mish)')
  .option('--accuracy', 'measure against the backward-stability bar instead of timing')
  .option('--write-docs', 'write the table into docs/benchmarks-wasm.md')
  .parse();
const opts = program.opts<{ sizes: string; reps: string; runs: string; only?: string; accuracy?: boolean; writeDocs?: boolean }>();

function cpuModel(): string {
  const m = /^model name\s*:\s*(.+)$/m.exec(require('fs').readFileSync('/proc/cpuinfo', 'utf8'));
  return m ? m[1].trim() : os.cpus()[0]?.model ?? 'unknown';
}

setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), path.sep));

const fmt = (r: number | undefined): string => (r === undefined || !Number.isFinite(r) ? '–' : r < 10 ? r.toFixed(2) : r.toFixed(1));

interface Row {
  c: BenchCase;
  size: number;
  /** One result per sweep. */
  fast: OpResult[];
  /** ours 'exact' ÷ ours 'fast', forward+backward (medians, first sweep). */
  exactOverFast?: number;
}

const median = (xs: number[]): number => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return v.length ? (v.length % 2 ? v[v.length >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : NaN;
};

async function main(): Promise<void> {
  if (opts.accuracy) return accuracy();
  const sizes = opts.sizes.split(',').map(Number);
  const reps = Number(opts.reps);
  const cases = selectCases(opts.only ? opts.only.split(',') : []);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  await tf.ready();
  const t0 = Date.now();
  const rows: Row[] = [];
  for (let run = 0; run < Number(opts.runs); run++) {
    for (const size of sizes) {
      const x = tf.tensor1d(uniform(size, -6, 6, 20240601));
      const dy = tf.tensor1d(uniform(size, -1, 1, 20240602));
      for (const c of cases) {
        act.setPrecision('fast');
        const fast = benchCell(c, 'wasm', x, dy, { reps, warmup: size <= 1e5 ? 30 : 10, cellBudgetMs: 30000, minReps: 5 });
        let row = rows.find((r) => r.c.key === c.key && r.size === size);
        if (!row) {
          // The exact loops, for scale (once, fewer repetitions: they are the slow path).
          act.setPrecision('exact');
          const exact = benchCell({ ...c, builtin: undefined, composition: undefined }, 'wasm', x, dy, { reps: 3, warmup: 1 });
          rows.push((row = { c, size, fast: [], exactOverFast: exact.impls.ours!.fwdbwd.median / fast.impls.ours!.fwdbwd.median }));
        }
        act.setPrecision('default');
        row.fast.push(fast);
        const r = fast.ratios;
        console.log(`run ${run + 1} ${c.key.padEnd(14)} ${size.toExponential(0)}  fwd ${fmt(r.fwd.vsBest?.median)}  fwd+bwd ${fmt(r.fwdbwd.vsBest?.median)} (vs ${r.fwdbwd.vsBest?.best ?? '–'})  exact/fast ${fmt(row.exactOverFast)}`);
      }
      x.dispose();
      dy.dispose();
    }
  }
  const md = render(rows, sizes, reps, (Date.now() - t0) / 1000);
  console.log(`\n${md}`);
  if (opts.writeDocs) {
    updateSection(docPath('benchmarks-wasm'), 'wasm-bench', md);
    console.log('updated docs/benchmarks-wasm.md');
  }
}

function render(rows: Row[], sizes: number[], reps: number, seconds: number): string {
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' / ');
  const args = process.argv.slice(2).filter((a) => a !== '--write-docs');
  const lines = [
    `Generated by \`npx tsx scripts/bench-wasm.ts${args.length ? ` ${args.join(' ')}` : ''}\` on ${new Date().toISOString().slice(0, 10)} ` +
      `(${Math.round(seconds)} s): ${cpuModel()}, ${os.cpus().length} cores, load average ${load} after the run; node ${process.version}, ` +
      `tfjs ${tf.version.tfjs}, tfjs-backend-wasm (SIMD build, 1 thread).`,
    '',
    `Each cell: ours ÷ the faster of tfjs's built-in and a hand composition (by median), median of ${reps} interleaved ` +
      `repetitions of per-repetition ratios${Number(opts.runs) > 1 ? `, then the median of ${opts.runs} sweeps (in brackets: the lowest and highest sweep)` : ''}, ` +
      'after 30 warm-up calls (10 above 1e5); **< 1 means ours is faster**. fwd+bwd is `tf.grad(f)(x, dy)`. ' +
      '◆ tfjs composes several ops for the function or its gradient (target ≥ 1.5x faster, i.e. ≤ 0.67). ' +
      '"exact ÷ fast" is our float64 JavaScript loops over our SIMD kernels, forward+backward.',
    '',
    `| activation | best tfjs | ${sizes.map((s) => `fwd @${s.toExponential(0).replace('+', '')} | fwd+bwd @${s.toExponential(0).replace('+', '')}`).join(' | ')} | ours ms fwd / fwd+bwd @${sizes[sizes.length - 1].toExponential(0).replace('+', '')} | exact ÷ fast @${sizes[sizes.length - 1].toExponential(0).replace('+', '')} |`,
    `|---|---|${sizes.map(() => '---:|---:').join('|')}|---:|---:|`,
  ];
  const keys = [...new Set(rows.map((r) => r.c.key))];
  for (const key of keys) {
    const mine = rows.filter((r) => r.c.key === key);
    const last = mine[mine.length - 1];
    const lastFast = last.fast[last.fast.length - 1];
    const best = lastFast.ratios.fwdbwd.vsBest?.best;
    const bestName = best ? `${best}: \`${lastFast.impls[best]!.name.replace(/\|/g, '\\|')}\`` : '–';
    const cell = (results: OpResult[], mode: 'fwd' | 'fwdbwd'): string => {
      const per = results.map((r) => r.ratios[mode].vsBest?.median ?? NaN);
      return per.length > 1 ? `${fmt(median(per))} (${fmt(Math.min(...per))}–${fmt(Math.max(...per))})` : fmt(per[0]);
    };
    const cells = sizes.map((s) => {
      const results = mine.find((m) => m.size === s)!.fast;
      return `${cell(results, 'fwd')} | ${cell(results, 'fwdbwd')}`;
    });
    const oursMs = (mode: 'fwd' | 'fwdbwd') => median(last.fast.map((r) => r.impls.ours![mode].median)).toFixed(2);
    lines.push(`| ${key}${last.c.tfjsComposes ? ' ◆' : ''} | ${bestName} | ${cells.join(' | ')} | ${oursMs('fwd')} / ${oursMs('fwdbwd')} | ${fmt(last.exactOverFast)} |`);
  }
  return lines.join('\n');
}

async function accuracy(): Promise<void> {
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  act.setPrecision('fast');
  const reference = loadReference();
  const lines = [
    `Generated by \`npx tsx scripts/bench-wasm.ts --accuracy\` on ${new Date().toISOString().slice(0, 10)}: tfjs ${tf.version.tfjs}, wasm backend, precision 'fast' (our SIMD kernels).`,
    '',
    'Worst |computed − exact| ÷ bar over the reference points (mpmath, 60 digits) and a dense grid (every 0.01 in [−30, 30], ' +
      '±10^k for k in [−30, 30] in quarter steps), through the public op, `tf.grad` and `tf.grad(tf.grad)`. The bar is ' +
      "__tests__/support/stability.ts's: 4·eps·(|g| + |x·g′|) plus a 2^−112 floor; **≤ 1 passes** (`npm test` requires it).",
    '',
    '| activation | f | f′ | f″ |',
    '|---|---:|---:|---:|',
  ];
  for (const c of reference.cases) {
    const worst = worstRatios(c, evaluateOrders(c.id, c.params, casePoints(c))).map((w) => w.ratio);
    const label = Object.keys(c.params).length ? `${c.id} ${JSON.stringify(c.params)}` : c.id;
    lines.push(`| ${label} | ${worst.map((w) => (w === 0 ? '0' : w < 0.01 ? w.toExponential(0) : w.toFixed(2))).join(' | ')} |`);
    console.log(lines[lines.length - 1]);
  }
  const md = lines.join('\n');
  if (opts.writeDocs) {
    updateSection(docPath('benchmarks-wasm'), 'wasm-accuracy', md);
    console.log('updated docs/benchmarks-wasm.md');
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
