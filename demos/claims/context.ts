/** What every claim gets (run options, the shared data) and what it returns. */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { RenderedChart } from '../lib/charts';
import { mnistSplit, type Dataset, type Split } from '../lib/datasets';
import type { Table } from '../lib/report';
import { subSeed } from '../lib/rng';
import { batchTensors } from '../lib/trainer';
import type { Verdict } from '../lib/verdict';

export const CLAIMS = ['saturation', 'zero-centred', 'relu-vs-tanh', 'dead-relu', 'ranking'] as const;
export type ClaimName = (typeof CLAIMS)[number];

export interface ClaimContext {
  quick: boolean;
  /** Seeds per condition, and their list 1..seeds. */
  seeds: number;
  seedList: number[];
  /** Where the claims' charts go. */
  chartDir: string;
  /** Training data: the seeded 8,000/2,000 MNIST split (the same split for every claim). */
  split: Split;
}

export interface ClaimResult {
  name: ClaimName;
  claim: string;
  method: string;
  tables: Table[];
  verdicts: { about: string; verdict: Verdict }[];
  charts: RenderedChart[];
  data: unknown;
  seconds: number;
}

export function claimContext(o: { quick: boolean; seeds?: number; out: string }): ClaimContext {
  const seeds = o.seeds ?? (o.quick ? 1 : 2);
  return {
    quick: o.quick,
    seeds,
    seedList: Array.from({ length: seeds }, (_, i) => i + 1),
    chartDir: path.join(o.out, 'charts'),
    split: mnistSplit(subSeed(0, 'claims-split')),
  };
}

const heldIdx = Array.from({ length: 512 }, (_, i) => i);

/** The held batch the probes look at: the first 512 digits of a dataset. */
export function probeBatch(d: Dataset): { x: tf.Tensor; y: tf.Tensor } {
  return batchTensors(d, heldIdx);
}

export const f3 = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : String(x));
