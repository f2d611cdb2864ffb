/**
 * Runs the whole benchmark (limits, ops, training) and returns one BenchResult.
 * Used by demos/bench.ts (npm run bench) and by __tests__/bench.test.ts on a tiny size.
 */
import * as tf from '@tensorflow/tfjs';
import * as act from '../../src';
import * as fs from 'fs';
import * as os from 'os';
import { performance } from 'perf_hooks';
import { type BenchCase, selectCases } from './bench-cases';
import { benchCell, defaultSetBackend, runLimits, uniform, type OpResult, type Variant } from './bench-harness';
import type { BenchMeta, BenchResult } from './bench-report';
import { runTrainBench, trainConfigs, type ModelKind, type TrainResult } from './bench-training';

export interface BenchOptions {
  backends: string[];
  /** Backends asked for but unavailable, with the reason (reported). */
  unavailable?: Record<string, string>;
  sizes: number[];
  /** Timed repetitions per size (after warm-up). */
  reps: (size: number) => number;
  warmup: number;
  /** Above this size only ours and the best tfjs version (by the largest smaller size) are timed. */
  bestOnlyAbove?: number;
  /** Cap per cell (reps are reduced, never below 2). */
  cellBudgetMs?: number;
  /** More repetitions, up to maxReps, for cells faster than this (see OpBenchOptions). */
  cellFloorMs?: number;
  maxReps?: number;
  only?: string[];
  limits: boolean;
  limitReps: number;
  /** Training cost: activations, models (default the MLP), samples per epoch (MLP, CNN) and repetitions. */
  training?: { ids: string[]; samples: number; reps: number; models?: ModelKind[]; cnnSamples?: number | Record<string, number> };
  preliminary: boolean;
  notes?: string[];
  /** Progress callback: (what, done, total). */
  progress?: (label: string, done: number, total: number) => void;
  quiet?: boolean;
}

function cpuModel(): string {
  try {
    const m = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m) return m[1].trim();
  } catch {
    /* not linux */
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

async function versions(backends: readonly string[]): Promise<Record<string, string>> {
  const v: Record<string, string> = { node: process.version, 'tfjs-core': tf.version_core };
  try {
    v['tfjs-backend-wasm'] = require('@tensorflow/tfjs-backend-wasm').version_wasm;
  } catch {
    /* not installed */
  }
  if (backends.includes('wasm')) {
    try {
      await tf.setBackend('wasm');
      await tf.ready();
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
      v['tfjs-backend-wasm'] += ` (SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'})`;
    } catch {
      /* reported elsewhere */
    }
  }
  if (backends.includes('tensorflow')) {
    try {
      const node = require('@tensorflow/tfjs-node');
      v['tfjs-node'] = node.version['tfjs-node'];
      await tf.setBackend('tensorflow');
      const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding;
      if (binding?.TF_Version) v.libtensorflow = binding.TF_Version;
    } catch {
      /* reported elsewhere */
    }
  }
  return v;
}

export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const t0 = performance.now();
  const cases = selectCases(o.only ?? []);
  const meta: BenchMeta = {
    date: new Date().toISOString(),
    preliminary: o.preliminary,
    machine: {
      cpu: cpuModel(),
      cores: os.cpus().length,
      memGB: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      loadAvg: os.loadavg(),
    },
    versions: await versions(o.backends),
    backends: o.backends,
    unavailable: o.unavailable ?? {},
    options: {
      sizes: o.sizes,
      reps: Object.fromEntries(o.sizes.map((s) => [s, o.reps(s)])),
      warmup: o.warmup,
      bestOnlyAbove: o.bestOnlyAbove ?? null,
      cellBudgetMs: o.cellBudgetMs ?? null,
      cellFloorMs: o.cellFloorMs ?? null,
      maxReps: o.maxReps ?? null,
      only: o.only ?? [],
      training: o.training ?? null,
    },
    notes: [...(o.notes ?? [])],
  };

  const opsTotal = o.backends.length * o.sizes.length * cases.length;
  const trainTotal = o.training ? o.backends.length * trainConfigs(o.training.ids, o.training.models).length : 0;
  const total = opsTotal + trainTotal + (o.limits ? 1 : 0);
  let done = 0;
  const tick = (label: string) => o.progress?.(label, ++done, total);

  const limits = o.limits ? runLimits(o.sizes, o.limitReps) : [];
  if (o.limits) tick('limits');

  const ops: OpResult[] = [];
  for (const backend of o.backends) {
    await defaultSetBackend(backend);
    (meta.precision ??= {})[backend] = act.getPrecision();
    for (const size of o.sizes) {
      const x = tf.tensor1d(uniform(size, -6, 6, 1));
      const dy = tf.tensor1d(uniform(size, -1, 1, 2));
      try {
        for (const c of cases) {
          let use: BenchCase = c;
          if (o.bestOnlyAbove !== undefined && size > o.bestOnlyAbove) {
            const prev = ops.filter((r) => r.backend === backend && r.key === c.key && r.size < size).pop();
            const best = prev?.ratios.fwdbwd.vsBest?.best as Variant | undefined;
            if (best) use = { ...c, builtin: best === 'builtin' ? c.builtin : undefined, composition: best === 'composition' ? c.composition : undefined };
          }
          ops.push(benchCell(use, backend, x, dy, { reps: o.reps(size), warmup: o.warmup, cellBudgetMs: o.cellBudgetMs, minReps: 2, cellFloorMs: o.cellFloorMs, maxReps: o.maxReps }));
          tick(`${backend} ${c.key} ${size}`);
        }
      } finally {
        tf.dispose([x, dy]);
      }
    }
  }

  let training: TrainResult[] = [];
  if (o.training) {
    training = await runTrainBench({
      backends: o.backends,
      ids: o.training.ids,
      models: o.training.models,
      samples: o.training.samples,
      cnnSamples: o.training.cnnSamples,
      reps: o.training.reps,
      onResult: (_d, _t, label) => tick(label),
    });
  }

  const leaks = ops.filter((r) => r.leakedTensors !== 0);
  if (leaks.length) meta.notes.push(`Tensors left alive after ${leaks.length} cells: ${leaks.slice(0, 5).map((r) => `${r.backend} ${r.key} ${r.size}: ${r.leakedTensors}`).join(', ')}.`);
  const errs = ops.flatMap((r) => Object.entries(r.impls).filter(([, i]) => i?.error).map(([v, i]) => `${r.backend} ${r.key} ${v}: ${i!.error}`));
  if (errs.length) meta.notes.push(`Errors: ${[...new Set(errs)].slice(0, 10).join('; ')}.`);
  meta.durationS = Math.round((performance.now() - t0) / 1000);
  return { meta, limits, ops, training };
}
