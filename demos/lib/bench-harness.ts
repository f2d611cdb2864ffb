/**
 * The benchmark harness: times our op, tfjs's built-in and a hand composition for each activation,
 * backend and size, forward and forward+backward (tf.grad with a given dy), in one process.
 *
 * Method (the machine is shared and noisy, so everything is relative and from the same run):
 * - each timing is performance.now() around the call plus a synchronous read of the result
 *   (dataSync, outside any tidy), so asynchronous backends are measured to completion;
 * - warm-up runs are excluded; repetitions are interleaved (ours, built-in, composition, then again,
 *   rotating who goes first) so that a burst of load hits all of them alike;
 * - we report the median and min-max of the repetitions, and ratios computed pair by pair within a
 *   repetition (ours_r / theirs_r), then summarised by their median and min-max;
 * - every tensor is disposed (the number of live tensors is checked after each cell).
 */
import * as tf from '@tensorflow/tfjs';
import { performance } from 'perf_hooks';
import type { BenchCase, Fn, Impl } from './bench-cases';
import { mulberry32 } from './rng';
import { median as medianOf } from './stats';

export type Variant = 'ours' | 'builtin' | 'composition';
export const VARIANTS: readonly Variant[] = ['ours', 'builtin', 'composition'];
export type Mode = 'fwd' | 'fwdbwd';
export const MODES: readonly Mode[] = ['fwd', 'fwdbwd'];

/** A set of repeated timings in ms. */
export interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function stat(xs: readonly number[]): Stat {
  const v = xs.filter((x) => Number.isFinite(x));
  if (!v.length) return { median: NaN, min: NaN, max: NaN, n: 0 };
  return { median: medianOf(v), min: Math.min(...v), max: Math.max(...v), n: v.length };
}

export interface ImplResult {
  name: string;
  /** ms per call. */
  fwd: Stat;
  fwdbwd: Stat;
  /** Nominal throughput: bytes an ideal one-pass kernel moves (fwd 8N: read x, write y; fwd+bwd
   * 20N: that plus read dy and x, write dx) divided by the median time, in GB/s. */
  gbps: { fwd: number; fwdbwd: number };
  error?: string;
}

export interface RatioSet {
  /** ours / built-in, per repetition. */
  vsBuiltin?: Stat;
  /** ours / composition, per repetition. */
  vsComposition?: Stat;
  /** ours / the faster of the two tfjs versions (by median), per repetition. */
  vsBest?: Stat & { best: Variant };
}

export interface OpResult {
  key: string;
  id: string;
  cost: BenchCase['cost'];
  tfjsComposes: boolean;
  backend: string;
  size: number;
  reps: number;
  impls: Partial<Record<Variant, ImplResult>>;
  ratios: Record<Mode, RatioSet>;
  /** Live tensors after the cell minus before (0 when everything was disposed). */
  leakedTensors: number;
}

export interface LimitResult {
  size: number;
  /** y = max(x, 0) over a Float32Array into a preallocated Float32Array. */
  stream: Stat;
  /** The same loop writing into a freshly allocated Float32Array (what a kernel returning a new tensor pays). */
  streamAlloc: Stat;
  /** y = Math.exp(x) over a Float32Array into a preallocated Float32Array. */
  exp: Stat;
  /** Nominal GB/s (8 bytes per element) of the three, by median. */
  gbps: { stream: number; streamAlloc: number; exp: number };
  /** ns per element, by median. */
  nsPerElement: { stream: number; streamAlloc: number; exp: number };
}

export interface OpBenchOptions {
  backends: readonly string[];
  sizes: readonly number[];
  cases: readonly BenchCase[];
  /** Timed repetitions per cell (after warm-up). */
  reps: number;
  warmup: number;
  /** Cap on the time one cell's repetitions may take (reps are reduced, never below minReps). */
  cellBudgetMs?: number;
  minReps?: number;
  /**
   * Cells whose repetitions would take less than this get more of them (up to maxReps): fast cells
   * (tensorflow, wasm) spread 2–6x between repetitions, and a median of three of them is noise.
   */
  cellFloorMs?: number;
  maxReps?: number;
  /** Called after each cell. */
  onCell?: (r: OpResult, done: number, total: number) => void;
  /** Activates a backend (default tf.setBackend + tf.ready). */
  setBackend?: (name: string) => Promise<void>;
  seed?: number;
}

const GB = 1e9;

/** Uniform values in [lo, hi) from a seed. */
export function uniform(n: number, lo: number, hi: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * r();
  return a;
}

/** Runs `make` and reads its result synchronously (outside any tidy); returns ms. */
export function timeCall(make: () => tf.Tensor): number {
  const t0 = performance.now();
  const y = make();
  y.dataSync();
  const ms = performance.now() - t0;
  y.dispose();
  return ms;
}

interface Runner {
  variant: Variant;
  impl: Impl;
  fwd: () => tf.Tensor;
  fwdbwd: () => tf.Tensor;
}

function runnersFor(c: BenchCase, x: tf.Tensor, dy: tf.Tensor): Runner[] {
  const out: Runner[] = [];
  const add = (variant: Variant, impl: Impl | undefined) => {
    if (!impl) return;
    const f: Fn = impl.fn;
    const g = tf.grad((t: tf.Tensor) => f(t));
    out.push({ variant, impl, fwd: () => tf.tidy(() => f(x)), fwdbwd: () => g(x, dy) });
  };
  add('ours', c.ours);
  add('builtin', c.builtin);
  add('composition', c.composition);
  return out;
}

const rotate = <T>(xs: readonly T[], k: number): T[] => xs.map((_, i) => xs[(i + k) % xs.length]);

/** Pairwise ratios a_r / b_r over the repetitions both have. */
function pairRatios(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.min(a.length, b.length);
  const r: number[] = [];
  for (let i = 0; i < n; i++) if (b[i] > 0) r.push(a[i] / b[i]);
  return r;
}

/** Benchmarks one case on the current backend at one size, with x and dy already made. */
export function benchCell(
  c: BenchCase,
  backend: string,
  x: tf.Tensor,
  dy: tf.Tensor,
  opts: Pick<OpBenchOptions, 'reps' | 'warmup' | 'cellBudgetMs' | 'minReps' | 'cellFloorMs' | 'maxReps'>,
): OpResult {
  const size = x.size;
  const before = tf.memory().numTensors;
  let runners = runnersFor(c, x, dy);
  const errors: Partial<Record<Variant, string>> = {};
  // Warm-up (also finds out which variants work at all on this backend); its time sets the reps.
  let warmMs = 0;
  runners = runners.filter((r) => {
    try {
      for (let i = 0; i < Math.max(1, opts.warmup); i++) {
        warmMs += timeCall(r.fwd) + timeCall(r.fwdbwd);
      }
      return true;
    } catch (e) {
      errors[r.variant] = (e as Error).message.split('\n')[0];
      return false;
    }
  });
  const perRep = warmMs / Math.max(1, opts.warmup);
  let reps = opts.reps;
  if (opts.cellFloorMs && perRep > 0) {
    reps = Math.max(reps, Math.min(opts.maxReps ?? reps, Math.floor(opts.cellFloorMs / perRep)));
  }
  if (opts.cellBudgetMs && perRep > 0) {
    reps = Math.max(opts.minReps ?? 1, Math.min(reps, Math.floor(opts.cellBudgetMs / perRep)));
  }
  const times: Record<Variant, Record<Mode, number[]>> = {
    ours: { fwd: [], fwdbwd: [] },
    builtin: { fwd: [], fwdbwd: [] },
    composition: { fwd: [], fwdbwd: [] },
  };
  for (let r = 0; r < reps; r++) {
    for (const mode of MODES) {
      for (const run of rotate(runners, r)) times[run.variant][mode].push(timeCall(run[mode]));
    }
  }
  const impls: Partial<Record<Variant, ImplResult>> = {};
  for (const run of runners) {
    const fwd = stat(times[run.variant].fwd);
    const fwdbwd = stat(times[run.variant].fwdbwd);
    impls[run.variant] = {
      name: run.impl.name,
      fwd,
      fwdbwd,
      gbps: { fwd: (8 * size) / (fwd.median * 1e-3) / GB, fwdbwd: (20 * size) / (fwdbwd.median * 1e-3) / GB },
    };
  }
  for (const [v, msg] of Object.entries(errors)) {
    const impl = v === 'ours' ? c.ours : v === 'builtin' ? c.builtin : c.composition;
    impls[v as Variant] = { name: impl?.name ?? v, fwd: stat([]), fwdbwd: stat([]), gbps: { fwd: NaN, fwdbwd: NaN }, error: msg };
  }
  const ratios = {} as Record<Mode, RatioSet>;
  for (const mode of MODES) {
    const set: RatioSet = {};
    const ours = times.ours[mode];
    if (ours.length) {
      if (times.builtin[mode].length) set.vsBuiltin = stat(pairRatios(ours, times.builtin[mode]));
      if (times.composition[mode].length) set.vsComposition = stat(pairRatios(ours, times.composition[mode]));
      const candidates = (['builtin', 'composition'] as const).filter((v) => times[v][mode].length);
      if (candidates.length) {
        const best = candidates.reduce((a, b) => (medianOf(times[b][mode]) < medianOf(times[a][mode]) ? b : a));
        set.vsBest = { ...stat(pairRatios(ours, times[best][mode])), best };
      }
    }
    ratios[mode] = set;
  }
  return {
    key: c.key,
    id: c.id,
    cost: c.cost,
    tfjsComposes: c.tfjsComposes,
    backend,
    size,
    reps,
    impls,
    ratios,
    leakedTensors: tf.memory().numTensors - before,
  };
}

export async function defaultSetBackend(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`backend '${name}' failed to initialise`);
  await tf.ready();
}

/** Runs every case x backend x size; backends outermost (one switch each), sizes next. */
export async function runOpBench(opts: OpBenchOptions): Promise<OpResult[]> {
  const results: OpResult[] = [];
  const total = opts.backends.length * opts.sizes.length * opts.cases.length;
  const setBackend = opts.setBackend ?? defaultSetBackend;
  const seed = opts.seed ?? 20240601;
  for (const backend of opts.backends) {
    await setBackend(backend);
    for (const size of opts.sizes) {
      const x = tf.tensor1d(uniform(size, -6, 6, seed));
      const dy = tf.tensor1d(uniform(size, -1, 1, seed + 1));
      try {
        for (const c of opts.cases) {
          const r = benchCell(c, backend, x, dy, opts);
          results.push(r);
          opts.onCell?.(r, results.length, total);
        }
      } finally {
        x.dispose();
        dy.dispose();
      }
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// The machine's limit: plain JavaScript loops over Float32Arrays, in the same process.

function streamLoop(x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) out[i] = Math.max(x[i], 0);
}

function expLoop(x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]);
}

let sink = 0;

/** Times the plain loops at each size (interleaved repetitions after a warm-up). */
export function runLimits(sizes: readonly number[], reps: number, seed = 20240601): LimitResult[] {
  return sizes.map((n) => {
    const x = uniform(n, -6, 6, seed);
    const out = new Float32Array(n);
    const t = { stream: [] as number[], streamAlloc: [] as number[], exp: [] as number[] };
    const once = () => {
      let t0 = performance.now();
      streamLoop(x, out);
      const a = performance.now() - t0;
      t0 = performance.now();
      const fresh = new Float32Array(n);
      streamLoop(x, fresh);
      const b = performance.now() - t0;
      sink += fresh[n >> 1];
      t0 = performance.now();
      expLoop(x, out);
      const c = performance.now() - t0;
      sink += out[n >> 1];
      return [a, b, c];
    };
    // Warm-up: enough calls for V8 to optimise the loops at this size.
    for (let i = 0; i < Math.max(3, Math.ceil(2e6 / n)); i++) once();
    for (let r = 0; r < reps; r++) {
      const [a, b, c] = once();
      t.stream.push(a);
      t.streamAlloc.push(b);
      t.exp.push(c);
    }
    const s = { stream: stat(t.stream), streamAlloc: stat(t.streamAlloc), exp: stat(t.exp) };
    const gbps = (st: Stat) => (8 * n) / (st.median * 1e-3) / GB;
    const ns = (st: Stat) => (st.median * 1e6) / n;
    return {
      size: n,
      ...s,
      gbps: { stream: gbps(s.stream), streamAlloc: gbps(s.streamAlloc), exp: gbps(s.exp) },
      nsPerElement: { stream: ns(s.stream), streamAlloc: ns(s.streamAlloc), exp: ns(s.exp) },
    };
  });
}

/** Keeps the loops' results observable (so no engine can drop them). */
export const limitSink = () => sink;
