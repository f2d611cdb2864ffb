/**
 * Seeded 2-D classification sets (two classes, each feature standardised), free of Node imports so
 * that the browser playground uses the very same data as the Node demos.
 */
import type { Dataset } from './datasets';
import { gaussian, mulberry32 } from './rng';

function make2d(name: string, n: number, classes: number, seed: number, point: (i: number, rand: () => number, normal: () => number) => [number, number, number]): Dataset {
  const rand = mulberry32(seed);
  const normal = gaussian(rand);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const [a, b, c] = point(i, rand, normal);
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = c;
  }
  // standardise each feature
  for (let j = 0; j < 2; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[2 * i + j];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[2 * i + j] - m) ** 2;
    const s = Math.sqrt(v / n) || 1;
    for (let i = 0; i < n; i++) x[2 * i + j] = (x[2 * i + j] - m) / s;
  }
  return { name, x, y, n, shape: [2], classes };
}

/** Two interleaved spirals (1.5 turns each), Gaussian noise of `noise` (in radius units). */
export function spirals(n: number, seed: number, noise = 0.1): Dataset {
  return make2d('spirals', n, 2, seed, (i, rand, normal) => {
    const c = i % 2;
    const t = 0.25 + rand() * 3 * Math.PI; // angle
    const r = t / (3 * Math.PI);
    const a = t + c * Math.PI;
    return [r * Math.cos(a) + noise * 0.3 * normal(), r * Math.sin(a) + noise * 0.3 * normal(), c];
  });
}

/** Two interleaving half circles (scikit-learn's make_moons). */
export function moons(n: number, seed: number, noise = 0.15): Dataset {
  return make2d('moons', n, 2, seed, (i, rand, normal) => {
    const c = i % 2;
    const t = rand() * Math.PI;
    const px = c === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const py = c === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    return [px + noise * normal(), py + noise * normal(), c];
  });
}

/** A small circle inside a large one (scikit-learn's make_circles, factor 0.5). */
export function circles(n: number, seed: number, noise = 0.08, factor = 0.5): Dataset {
  return make2d('circles', n, 2, seed, (i, rand, normal) => {
    const c = i % 2;
    const t = rand() * 2 * Math.PI;
    const r = c === 0 ? 1 : factor;
    return [r * Math.cos(t) + noise * normal(), r * Math.sin(t) + noise * normal(), c];
  });
}

/** Two classes in opposite quadrants (XOR of the coordinates' signs), points uniform in [−1, 1]², kept off the axes. */
export function xor(n: number, seed: number, noise = 0.05): Dataset {
  return make2d('xor', n, 2, seed, (i, rand, normal) => {
    const c = i % 2;
    const sx = rand() < 0.5 ? -1 : 1;
    const sy = c === 0 ? sx : -sx;
    const px = sx * (0.1 + 0.9 * rand());
    const py = sy * (0.1 + 0.9 * rand());
    return [px + noise * normal(), py + noise * normal(), c];
  });
}

export const SYNTHETIC = { spirals, moons, circles, xor } as const;
export type SyntheticName = keyof typeof SYNTHETIC;