/**
 * Benchmark results: the JSON shape, target verdicts, the terminal table and the markdown summary
 * (written under demos/out/bench/ and, with --write-docs, into docs/benchmarks.md).
 */
import type { LimitResult, OpResult, Stat, Variant } from './bench-harness';
import { evaluateTrainingTarget, MODEL_TEXT, type TrainResult } from './bench-training';

export interface BenchMeta {
  date: string;
  preliminary: boolean;
  machine: { cpu: string; cores: number; memGB: number; os: string; loadAvg: number[] };
  versions: Record<string, string>;
  backends: string[];
  unavailable: Record<string, string>;
  options: Record<string, unknown>;
  durationS?: number;
  /** act.getPrecision() on each backend during the run (its default unless the run set one). */
  precision?: Record<string, string>;
  /** The command line that produced the result, for the README. */
  command?: string;
  notes: string[];
}

export interface BenchResult {
  meta: BenchMeta;
  limits: LimitResult[];
  ops: OpResult[];
  training: TrainResult[];
}

export interface TargetVerdict {
  target: string;
  met: boolean | null;
  summary: string;
  misses: string[];
}

const fmtSize = (n: number) => {
  const e = Math.floor(Math.log10(n));
  const m = n / 10 ** e;
  return m === 1 ? `1e${e}` : `${+m.toFixed(1)}e${e}`;
};

export const fmtRatio = (s: Stat | undefined, withRange = true): string => {
  if (!s || !Number.isFinite(s.median)) return '–';
  const m = s.median.toFixed(2);
  return withRange && s.n > 1 ? `${m} (${s.min.toFixed(2)}–${s.max.toFixed(2)})` : m;
};

const fmtMs = (ms: number) => (!Number.isFinite(ms) ? '–' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const speedup = (r: number) => (r > 0 ? `${(1 / r).toFixed(1)}x` : '–');

// ---------------------------------------------------------------------------------------------
// Targets

const TARGET_SIZES = [1e5, 1e6];
const COMPOSE_TARGET: Record<string, number> = { cpu: 3, wasm: 1.5, tensorflow: 1.5 };

function limitAt(limits: readonly LimitResult[], size: number): LimitResult | undefined {
  return limits.find((l) => l.size === size);
}

export function evaluateTargets(r: BenchResult): TargetVerdict[] {
  const out: TargetVerdict[] = [];
  const at = (o: OpResult) => TARGET_SIZES.includes(o.size);

  // 1. ours / best-of-tfjs ≤ 1.0 for forward+backward at 1e5 and 1e6.
  {
    const cells = r.ops.filter((o) => at(o) && o.ratios.fwdbwd.vsBest);
    const misses = cells
      .filter((o) => o.ratios.fwdbwd.vsBest!.median > 1)
      .map((o) => `${o.backend} ${o.key} @${fmtSize(o.size)}: ${o.ratios.fwdbwd.vsBest!.median.toFixed(2)} vs ${o.ratios.fwdbwd.vsBest!.best}`);
    const perBackend = r.meta.backends
      .map((b) => {
        const c = cells.filter((o) => o.backend === b);
        return `${b} ${c.length - c.filter((o) => o.ratios.fwdbwd.vsBest!.median > 1).length}/${c.length}`;
      })
      .join(', ');
    out.push({
      target: 'ours / best-of-tfjs ≤ 1.0, forward+backward, at 1e5 and 1e6',
      met: cells.length ? misses.length === 0 : null,
      summary: cells.length ? `met in ${perBackend} cells` : 'not measured (sizes 1e5/1e6 not run)',
      misses,
    });
  }
  // 2. Where tfjs composes: ≥ 3x on cpu, ≥ 1.5x on wasm/tensorflow (vs best-of-tfjs, forward+backward).
  {
    const cells = r.ops.filter((o) => at(o) && o.tfjsComposes && o.ratios.fwdbwd.vsBest);
    const miss = (o: OpResult) => 1 / o.ratios.fwdbwd.vsBest!.median < (COMPOSE_TARGET[o.backend] ?? 1.5);
    const misses = cells
      .filter(miss)
      .map((o) => `${o.backend} ${o.key} @${fmtSize(o.size)}: ${speedup(o.ratios.fwdbwd.vsBest!.median)} (need ${COMPOSE_TARGET[o.backend] ?? 1.5}x)`);
    out.push({
      target: 'where tfjs composes several ops: ≥ 3x faster on cpu, ≥ 1.5x on wasm and tensorflow (fwd+bwd, vs best-of-tfjs)',
      met: cells.length ? misses.length === 0 : null,
      summary: cells.length ? `met in ${cells.length - misses.length}/${cells.length} cells` : 'not measured',
      misses,
    });
  }
  // 3. cpu: cheap activations ≥ 50 % of the streaming loop's speed; exp-bound within 1.5x of Math.exp.
  {
    const cells = r.ops.filter((o) => o.backend === 'cpu' && at(o) && (o.cost === 'cheap' || o.cost === 'exp') && o.impls.ours?.fwd.n);
    const misses: string[] = [];
    let checked = 0;
    for (const o of cells) {
      const l = limitAt(r.limits, o.size);
      if (!l) continue;
      checked++;
      const ours = o.impls.ours!.fwd.median;
      if (o.cost === 'cheap' && ours > 2 * l.stream.median) {
        misses.push(`${o.key} @${fmtSize(o.size)}: ${((100 * l.stream.median) / ours).toFixed(0)} % of the streaming loop`);
      }
      if (o.cost === 'exp' && ours > 1.5 * l.exp.median) {
        misses.push(`${o.key} @${fmtSize(o.size)}: ${(ours / l.exp.median).toFixed(1)}x the Math.exp loop`);
      }
    }
    out.push({
      target: 'cpu forward: cheap activations ≥ 50 % of the streaming loop; exp-bound within 1.5x of the Math.exp loop',
      met: checked ? misses.length === 0 : null,
      summary: checked ? `met in ${checked - misses.length}/${checked} cells` : 'not measured',
      misses,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tables

function sizesOf(ops: readonly OpResult[]): number[] {
  return [...new Set(ops.map((o) => o.size))].sort((a, b) => a - b);
}

function keysOf(ops: readonly OpResult[]): string[] {
  return [...new Set(ops.map((o) => o.key))];
}

function cell(ops: readonly OpResult[], backend: string, key: string, size: number): OpResult | undefined {
  return ops.find((o) => o.backend === backend && o.key === key && o.size === size);
}

/** What runs on a backend at a precision (the plugin's kernel kinds; see docs/design.md). */
const PRECISION_KERNELS: Record<string, string> = {
  'cpu/exact': 'float64 JavaScript kernels',
  'cpu/fast': 'float64 JavaScript kernels, the fastest there too',
  'wasm/exact': 'float64 JavaScript kernels on the wasm heap',
  'wasm/fast': 'WebAssembly SIMD kernels',
  'tensorflow/exact': 'float64 JavaScript kernels (host round trip)',
  'tensorflow/fast': 'TensorFlow ops on the device',
};

/** The markdown summary (also the README section body). */
export function renderMarkdown(r: BenchResult, opts: { command?: string } = {}): string {
  const m = r.meta;
  const L: string[] = [];
  const sizes = sizesOf(r.ops);
  L.push(
    `${m.preliminary ? '**Preliminary numbers** (a shared, noisy 2-core machine; to be rerun on a quiet one). ' : ''}` +
      `Generated by \`${opts.command ?? m.command ?? 'npm run bench'}\` on ${m.date.slice(0, 10)}: ${m.machine.cpu}, ${m.machine.cores} cores, ` +
      `${m.machine.memGB} GB, ${m.machine.os}, load average ${m.machine.loadAvg.map((x) => x.toFixed(1)).join(' / ')}; ` +
      `${Object.entries(m.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.` +
      (Object.keys(m.unavailable).length ? ` Not run: ${Object.entries(m.unavailable).map(([b, why]) => `${b} (${why})`).join('; ')}.` : ''),
  );
  L.push('');
  L.push(
    'Method: one process; `performance.now()` around each call plus a synchronous `dataSync()` of its result (outside `tf.tidy`); ' +
      `warm-up excluded; repetitions interleaved (ours, built-in, composition, rotating)` +
      (typeof m.options.cellFloorMs === 'number'
        ? `, ${Object.values(m.options.reps as Record<string, number>).join('/')} per cell by size, more (up to ${String(m.options.maxReps)}) where they take under ${(m.options.cellFloorMs / 1000).toFixed(1)} s`
        : '') +
      `; ratios are ours/theirs computed pair by pair within a repetition, ` +
      'shown as median (min–max). Inputs uniform in [−6, 6], dy uniform in [−1, 1]. ' +
      '"best tfjs" is the faster (by median) of tfjs\'s built-in (op, or tfjs-layers activation) and a hand composition of tfjs ops with autodiff. ' +
      '**< 1 means ours is faster.**',
  );
  L.push('');

  // Limits
  if (r.limits.length) {
    L.push('#### The machine\'s limit (plain JavaScript loops over Float32Array, same process)');
    L.push('');
    L.push('| elements | y = max(x, 0) | same, into a new array | y = Math.exp(x) |');
    L.push('|---:|---:|---:|---:|');
    for (const l of r.limits) {
      const f = (k: 'stream' | 'streamAlloc' | 'exp') => `${l.nsPerElement[k].toFixed(2)} ns/elem, ${l.gbps[k].toFixed(2)} GB/s`;
      L.push(`| ${fmtSize(l.size)} | ${f('stream')} | ${f('streamAlloc')} | ${f('exp')} |`);
    }
    L.push('');
    L.push('GB/s are nominal: 8 bytes per element (read x, write y) for a forward, 20 for forward+backward (plus read dy and x, write dx).');
    L.push('');
  }

  // Ratios per backend
  for (const backend of m.backends) {
    const ops = r.ops.filter((o) => o.backend === backend);
    if (!ops.length) continue;
    const precision = m.precision?.[backend];
    L.push(`#### ${backend}${precision ? ` (precision '${precision}': ${PRECISION_KERNELS[`${backend}/${precision}`] ?? precision})` : ''}: ours / best tfjs — forward+backward per size, and forward alone at the largest size ≤ 1e6`);
    L.push('');
    const biggest = sizes.filter((s) => s <= 1e6).pop() ?? sizes[sizes.length - 1];
    L.push(`| activation | best tfjs (at ${fmtSize(biggest)}) | ${sizes.map(fmtSize).join(' | ')} | fwd @${fmtSize(biggest)} | ours ms fwd / fwd+bwd @${fmtSize(biggest)} | ours GB/s fwd+bwd @${fmtSize(biggest)} |`);
    L.push(`|---|---|${sizes.map(() => '---:').join('|')}|---:|---:|---:|`);
    for (const key of keysOf(ops)) {
      const big = cell(ops, backend, key, biggest);
      const best = big?.ratios.fwdbwd.vsBest?.best;
      const bestName = best ? (big!.impls[best as Variant]?.name ?? best) : '–';
      const cols = sizes.map((s) => fmtRatio(cell(ops, backend, key, s)?.ratios.fwdbwd.vsBest));
      const ours = big?.impls.ours;
      L.push(
        `| ${key}${big?.tfjsComposes ? ' ◆' : ''} | ${best ? `${best}: \`${mdCell(bestName)}\`` : '–'} | ${cols.join(' | ')} | ${fmtRatio(big?.ratios.fwd.vsBest, false)} | ` +
          `${ours ? `${fmtMs(ours.fwd.median)} / ${fmtMs(ours.fwdbwd.median)}` : '–'} | ${ours ? ours.gbps.fwdbwd.toFixed(2) : '–'} |`,
      );
    }
    L.push('');
    L.push('◆ tfjs composes several ops for the function or its gradient (target: ≥ 3x on cpu, ≥ 1.5x on wasm/tensorflow).');
    L.push('');
  }

  // Targets
  const verdicts = evaluateTargets(r);
  L.push('#### Targets (reported, not asserted)');
  L.push('');
  L.push('| target | status | |');
  L.push('|---|---|---|');
  for (const v of verdicts) {
    const shown = v.misses.slice(0, 8).join('; ') + (v.misses.length > 8 ? `; … ${v.misses.length - 8} more (JSON)` : '');
    L.push(`| ${v.target} | ${v.met === null ? 'not measured' : v.met ? 'met' : '**missed**'}: ${v.summary} | ${shown} |`);
  }
  L.push('');
  for (const n of m.notes) L.push(`- ${n}`);
  if (m.notes.length) L.push('');

  // Training
  if (r.training.length) {
    const t0 = r.training[0];
    const models = [...new Set(r.training.map((t) => t.model ?? 'mlp'))];
    L.push(
      `#### Training cost: ms per epoch (SGD, batch ${t0.batchSize}, synthetic MNIST-shaped data; ` +
        `${models.map((m) => `${MODEL_TEXT[m]}, ${[...new Set(r.training.filter((t) => (t.model ?? 'mlp') === m).map((t) => `${t.samples}${m === 'cnn' ? ` on ${t.backend}` : ''}`))].join(', ')} samples`).join('; ')})`,
    );
    L.push('');
    const target = evaluateTrainingTarget(r.training);
    L.push(
      `Target: ms per epoch with our activations ÷ with tfjs's built-in ≤ 1.0 on every backend (ours: act.layers.dense with \`act.<id>\`; ` +
        `tfjs: tf.layers.dense/conv2d with tfjs's name). ${target.met === null ? 'Not measured' : target.met ? '**Met**' : '**Missed**'}: ${target.summary}` +
        `${target.misses.length ? `; misses: ${target.misses.join(', ')}` : ''}.`,
    );
    L.push('');
    L.push('| backend | model | configuration | ms / epoch | / tfjs built-in | / tfjs \'relu\' |');
    L.push('|---|---|---|---:|---:|---:|');
    for (const t of r.training) {
      L.push(
        `| ${t.backend} | ${(t.model ?? 'mlp').toUpperCase()} | ${t.label} | ${t.error ? `error: ${t.error}` : `${fmtMs(t.epochMs.median)} (${fmtMs(t.epochMs.min)}–${fmtMs(t.epochMs.max)})`} | ` +
          `${fmtRatio(t.vsTfjs)} | ${fmtRatio(t.vsRelu)} |`,
      );
    }
    L.push('');
  }

  return L.join('\n');
}

/** Text safe inside a markdown table cell. */
const mdCell = (s: string) => s.replace(/\|/g, '\\|');

/** A compact terminal table: per backend, ours/best fwd+bwd ratio per size. */
export function renderTerminal(r: BenchResult): string {
  const L: string[] = [];
  const sizes = sizesOf(r.ops);
  for (const backend of r.meta.backends) {
    const ops = r.ops.filter((o) => o.backend === backend);
    if (!ops.length) continue;
    L.push(`\n${backend}: ours / best tfjs, forward+backward — median (min-max); < 1 = ours faster`);
    L.push(['activation'.padEnd(14), ...sizes.map((s) => fmtSize(s).padStart(20)), '  best tfjs @largest'].join(''));
    for (const key of keysOf(ops)) {
      const cells = sizes.map((s) => cell(ops, backend, key, s));
      const last = cells.filter(Boolean).pop();
      L.push(
        [
          key.padEnd(14),
          ...cells.map((c) => fmtRatio(c?.ratios.fwdbwd.vsBest).padStart(20)),
          `  ${last?.ratios.fwdbwd.vsBest?.best ?? '–'}`,
        ].join(''),
      );
    }
  }
  if (r.limits.length) {
    L.push('\nlimit (JS loops): ' + r.limits.map((l) => `${fmtSize(l.size)}: max ${l.nsPerElement.stream.toFixed(2)} ns/elem, exp ${l.nsPerElement.exp.toFixed(2)} ns/elem`).join('; '));
  }
  if (r.training.length) {
    L.push('\ntraining (ms/epoch, ratio to tfjs built-in, to tfjs relu):');
    for (const t of r.training) {
      L.push(`  ${t.backend.padEnd(11)} ${t.label.padEnd(36)} ${t.error ? t.error : fmtMs(t.epochMs.median).padStart(8)}  ${fmtRatio(t.vsTfjs, false).padStart(6)}  ${fmtRatio(t.vsRelu, false).padStart(6)}`);
    }
    const target = evaluateTrainingTarget(r.training);
    L.push(`  [${target.met === null ? ' n/a ' : target.met ? ' met ' : 'MISSED'}] training, ours (act.layers.dense) ÷ tfjs built-in ≤ 1.0: ${target.summary}`);
    for (const m of target.misses) L.push(`           ${m}`);
  }
  L.push('\ntargets:');
  for (const v of evaluateTargets(r)) {
    L.push(`  [${v.met === null ? ' n/a ' : v.met ? ' met ' : 'MISSED'}] ${v.target}: ${v.summary}`);
    for (const m of v.misses.slice(0, 6)) L.push(`           ${m}`);
    if (v.misses.length > 6) L.push(`           … ${v.misses.length - 6} more`);
  }
  return L.join('\n');
}
