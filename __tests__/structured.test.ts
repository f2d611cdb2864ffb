/**
 * Maxout, GLU, Softmin, Sparsemax and RReLU: values against independent float64 references written
 * here from the papers' definitions, gradients against finite differences of those references,
 * validation messages, config and save/load round trips, on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import * as act from '../src';
import { describeEachBackend } from './helpers/backends';
import { roundTripMemory } from './helpers/models';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Sparsemax of one vector, Algorithm 1 of Martins & Astudillo (2016), float64. */
function sparsemaxRef(z: number[]): number[] {
  const sorted = [...z].sort((a, b) => b - a);
  let cumulative = 0;
  let k = 0;
  let sumK = 0;
  sorted.forEach((v, i) => {
    cumulative += v;
    if (1 + (i + 1) * v > cumulative) {
      k = i + 1;
      sumK = cumulative;
    }
  });
  const tau = (sumK - 1) / k;
  return z.map((v) => Math.max(v - tau, 0));
}
const softminRef = (z: number[]) => {
  const m = Math.min(...z);
  const e = z.map((v) => Math.exp(-(v - m)));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
const gluRef = (z: number[]) => {
  const h = z.length / 2;
  return z.slice(0, h).map((a, i) => a * sigmoid(z[h + i]));
};
const maxoutRef = (z: number[], units: number) => {
  const k = z.length / units;
  return Array.from({ length: units }, (_, u) => Math.max(...z.slice(u * k, (u + 1) * k)));
};

/** Gradient of sum(w ⊙ ref(z)) by central differences, float64. */
function fdGradient(ref: (z: number[]) => number[], z: number[], w: number[]): number[] {
  return z.map((_, i) => {
    const h = 1e-6;
    const plus = [...z];
    const minus = [...z];
    plus[i] += h;
    minus[i] -= h;
    const f = (v: number[]) => ref(v).reduce((s, y, j) => s + w[j] * y, 0);
    return (f(plus) - f(minus)) / (2 * h);
  });
}

/** One of each structured layer (both Maxout forms), for the training and save/load checks. */
const STRUCTURED_LAYERS: Array<[string, () => tf.layers.Layer]> = [
  ['maxout (dense)', () => act.layers.maxout({ units: 3, pieces: 2 })],
  ['maxout (weight-free)', () => act.layers.maxout({ units: 2 })],
  ['glu', () => act.layers.glu()],
  ['softmin', () => act.layers.softmin()],
  ['sparsemax', () => act.layers.sparsemax()],
  ['rrelu', () => act.layers.rrelu({ lower: 0.05, upper: 0.2, seed: 1 })],
];

const rows: number[][] = [
  [1, 0.9, 0.8, -0.3, 0.05, 2.1],
  [0.31, -1.7, 0.02, 0.5, 0.49, -0.2],
  [3.3, 3.1, -2.2, 0.7, 1.9, 0.0],
];

function check(name: string, fn: (x: tf.Tensor) => tf.Tensor, ref: (z: number[]) => number[]) {
  it(`${name}: values match the float64 reference`, () => {
    const x = tf.tensor2d(rows);
    const y = fn(x);
    const got = y.arraySync() as number[][];
    rows.forEach((r, i) => ref(r).forEach((v, j) => expect(got[i][j]).toBeCloseTo(v, 5)));
    tf.dispose([x, y]);
  });
  it(`${name}: gradients match finite differences of the reference`, () => {
    const x = tf.tensor2d(rows);
    const outWidth = ref(rows[0]).length;
    const w = tf.tensor2d(rows.map((_, i) => Array.from({ length: outWidth }, (_, j) => Math.cos(1 + i * 7 + j * 3))));
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(w, fn(t))))(x);
    const got = g.arraySync() as number[][];
    const wv = w.arraySync() as number[][];
    rows.forEach((r, i) => fdGradient(ref, r.map(Math.fround), wv[i]).forEach((v, j) => expect(got[i][j]).toBeCloseTo(v, 4)));
    tf.dispose([x, w, g]);
  });
}

describeEachBackend(() => {
  describe('references', () => {
    check('sparsemax', (x) => act.sparsemax(x), sparsemaxRef);
    check('softmin', (x) => act.softmin(x), softminRef);
    check('glu', (x) => act.glu(x), gluRef);
    check('weight-free maxout', (x) => act.layers.maxout({ units: 3 }).apply(x) as tf.Tensor, (z) => maxoutRef(z, 3));

    it('sparsemax of [1, .9, .8] is [.433, .333, .233] (Keras 3 returns zeros here)', () => {
      const y = act.sparsemax(tf.tensor([[1, 0.9, 0.8]]));
      const v = y.dataSync();
      expect(v[0]).toBeCloseTo(0.43333, 4);
      expect(v[1]).toBeCloseTo(0.33333, 4);
      expect(v[2]).toBeCloseTo(0.23333, 4);
      y.dispose();
    });

    it('sparsemax, softmin and glu work along another axis', () => {
      const x = tf.tensor3d([[[1, 2], [0.5, -1], [3, 0.9]]]);  // [1, 3, 2]; axis 1 has 3 entries
      const s = act.sparsemax(x, 1).arraySync() as number[][][];
      const col0 = sparsemaxRef([1, 0.5, 3]);
      col0.forEach((v, i) => expect(s[0][i][0]).toBeCloseTo(v, 5));
      const m = act.softmin(x, 1).arraySync() as number[][][];
      softminRef([2, -1, 0.9]).forEach((v, i) => expect(m[0][i][1]).toBeCloseTo(v, 5));
      const g = act.glu(tf.tensor3d([[[1, 2], [0.5, -1]]]), 1).arraySync() as number[][][];
      expect(g[0][0][0]).toBeCloseTo(1 * sigmoid(0.5), 5);
    });

    it('dense maxout is the max over pieces of affine maps', () => {
      const layer = act.layers.maxout({ units: 2, pieces: 3 });
      const x = tf.tensor2d(rows.map((r) => r.slice(0, 4)));
      const y = (layer.apply(x) as tf.Tensor).arraySync() as number[][];
      const [kernel, bias] = layer.getWeights().map((t) => t.arraySync()) as [number[][], number[]];
      rows.forEach((r, i) => {
        const z = Array.from({ length: 6 }, (_, c) => r.slice(0, 4).reduce((s, v, j) => s + v * kernel[j][c], bias[c]));
        maxoutRef(z, 2).forEach((v, u) => expect(y[i][u]).toBeCloseTo(v, 5));
      });
    });

    it('RReLU: mean slope at inference, seeded random slopes in [lower, upper] while training', () => {
      const layer = act.layers.rrelu({ lower: 0.1, upper: 0.3, seed: 7 });
      const x = tf.fill([200], -1);
      const inference = (layer.apply(x) as tf.Tensor).dataSync();
      expect(Array.from(new Set(inference))).toEqual([Math.fround(-0.2)]);
      const training = (layer.apply(x, { training: true }) as tf.Tensor).dataSync();
      const slopes = Array.from(training).map((v) => -v);
      expect(Math.min(...slopes)).toBeGreaterThanOrEqual(0.1 - 1e-6);
      expect(Math.max(...slopes)).toBeLessThanOrEqual(0.3 + 1e-6);
      expect(new Set(slopes).size).toBeGreaterThan(100);
      const again = act.layers.rrelu({ lower: 0.1, upper: 0.3, seed: 7 });
      expect(Array.from((again.apply(x, { training: true }) as tf.Tensor).dataSync())).toEqual(Array.from(training));
      const positive = (layer.apply(tf.tensor([2, 0.5]), { training: true }) as tf.Tensor).dataSync();
      expect(Array.from(positive)).toEqual([2, 0.5]);
    });

    it('RReLU: the gradient of a negative input is the slope that was used', () => {
      const x = tf.tensor1d([-1.5, -0.5, 2]);
      const slope = tf.tensor1d([0.2, 0.15, 0.25]);
      const g = tf.grad((t: tf.Tensor) => tf.sum(act.rrelu(t, slope)))(x).dataSync();
      expect(Array.from(g)).toEqual([Math.fround(0.2), Math.fround(0.15), 1]);
    });
  });

  describe('training inside model.fit', () => {
    it.each(STRUCTURED_LAYERS)('%s: gradients flow through fit and the loss is finite', async (_n, make) => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [3] }), make(), tf.layers.dense({ units: 1 })] });
      model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
      const x = tf.randomNormal([16, 3], 0, 1, 'float32', 5);
      const y = tf.randomNormal([16, 1], 0, 1, 'float32', 6);
      const before = model.layers[0].getWeights()[0].dataSync().slice();
      const history = await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
      expect((history.history.loss as number[]).every(Number.isFinite)).toBe(true);
      expect(Array.from(model.layers[0].getWeights()[0].dataSync())).not.toEqual(Array.from(before));
      tf.dispose([x, y]);
      model.dispose();
    });
  });

  describe('save and load', () => {
    it.each(STRUCTURED_LAYERS)('%s round-trips with identical predictions', async (_n, make) => {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [3] }), make()] });
      const loaded = await roundTripMemory(model);
      expect(loaded.layers[1].getConfig()).toEqual(model.layers[1].getConfig());
      const x = tf.randomNormal([4, 3], 0, 1, 'float32', 4);
      expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
    });
  });
});

describe('structured layer validation', () => {
  it('Maxout whose input size is not divisible by units', () => {
    const layer = act.layers.maxout({ units: 4 });
    expect(() => layer.apply(tf.zeros([2, 6]))).toThrow('Maxout layer: the size of axis -1 (6) must be divisible by `units`. Received: units=4');
    expect(() => act.layers.maxout({ units: 0 })).toThrow('Maxout layer: `units` must be an integer >= 1. Received: units=0');
    expect(() => act.layers.maxout({ units: 2, pieces: 1.5 })).toThrow('`pieces` must be an integer >= 1. Received: pieces=1.5');
  });
  it('Sparsemax on an axis that does not exist', () => {
    const layer = act.layers.sparsemax({ axis: 3 });
    expect(() => layer.apply(tf.zeros([2, 5]))).toThrow('Sparsemax layer: `axis` must be an integer within [-2, 1] for an input of rank 2. Received: axis=3');
  });
  it('GLU on an odd-sized axis', () => {
    expect(() => act.layers.glu().apply(tf.zeros([2, 5]))).toThrow('GLU layer: the size of axis -1 must be even');
  });
  it('RReLU with lower > upper', () => {
    expect(() => act.layers.rrelu({ lower: 0.5, upper: 0.1 })).toThrow('RReLU layer: `lower` must not exceed `upper`. Received: lower=0.5, upper=0.1');
  });
});

/**
 * Sparsemax where Algorithm 1 has no finite answer, as the limit the docs state: +Inf entries share
 * the mass equally, −Inf entries get 0, a row of only −Inf is uniform, a NaN makes the row NaN.
 */
function sparsemaxLimitRef(z: number[]): number[] {
  if (z.some(Number.isNaN)) return z.map(() => NaN);
  const inf = z.filter((v) => v === Infinity).length;
  if (inf > 0) return z.map((v) => (v === Infinity ? 1 / inf : 0));
  if (z.every((v) => v === -Infinity)) return z.map(() => 1 / z.length);
  const finite = z.filter(Number.isFinite);
  const top = Math.max(...finite);
  const p = sparsemaxRef(finite.map((v) => v - top));  // shift-invariant; float64 loses 1 next to 6e38
  let j = 0;
  return z.map((v) => (Number.isFinite(v) ? p[j++] : 0));
}

describeEachBackend((backend) => {
  describe('sparsemax edge cases give one answer on every backend', () => {
    const rows = [
      [Infinity, 1, 2],
      [Infinity, Infinity, 0],
      [1, -Infinity, 2],
      [-Infinity, -Infinity, -Infinity],
      [NaN, 1, 2],
      [3e38, 3e38, 1],   // finite, but their sum overflows float32
    ];
    it.each(rows.map((r) => [JSON.stringify(r.map(String)), r]))(`%s (${backend})`, (_, row) => {
      const got = Array.from(act.sparsemax(tf.tensor2d([row])).dataSync());
      sparsemaxLimitRef(row).forEach((v, j) => (Number.isNaN(v) ? expect(got[j]).toBeNaN() : expect(got[j]).toBeCloseTo(v, 6)));
    });

    it(`an empty axis gives an empty result (${backend})`, () => {
      for (const shape of [[2, 0], [0, 3], [0]]) {
        const y = act.sparsemax(tf.zeros(shape));
        expect(y.shape).toEqual(shape);
        y.dispose();
      }
    });
  });

  describe('the exported structured functions check their arguments, leaving no tensor behind', () => {
    const cases: Array<[string, () => unknown, string]> = [
      ['int32 sparsemax', () => act.sparsemax(tf.tensor([1, 2], undefined, 'int32')), "Argument 'x' passed to 'sparsemax' must be float32 tensor, but got int32 tensor"],
      ['sparsemax axis 3 of rank 1', () => act.sparsemax(tf.tensor([1, 2]), 3), 'sparsemax: `axis` must be an integer within [-1, 0] for an input of rank 1. Received: axis=3'],
      ['softmin axis 1.5', () => act.softmin([[1, 2]], 1.5), 'softmin: `axis` must be an integer within [-2, 1] for an input of rank 2. Received: axis=1.5'],
      ['softmin of a scalar', () => act.softmin(tf.scalar(1)), 'softmin: needs an input of rank >= 1'],
      ['glu on an odd axis', () => act.glu([[1, 2, 3]]), 'glu: the size of axis -1 must be even to split it in halves. Received: size 3'],
      ['glu axis "a"', () => act.glu(tf.tensor([[1, 2]]), 'a' as never), "glu: `axis` must be an integer within [-2, 1] for an input of rank 2. Received: axis='a'"],
      ['rrelu slope shape', () => act.rrelu(tf.tensor([1, -1]), [0.1]), 'rrelu: `slope` must have the shape of x ([2]). Received: slope of shape [1]'],
      ['rrelu int32 slope', () => act.rrelu([1, -1], tf.tensor([1, 1], undefined, 'int32')), "Argument 'slope' passed to 'rrelu' must be float32 tensor"],
    ];
    it.each(cases)(`%s (${backend})`, (_, f, message) => {
      // Inputs made by the case itself are counted once, then every further attempt must add nothing.
      expect(f).toThrow(message);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 20; i++) expect(() => tf.tidy(() => { f(); })).toThrow(message);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
