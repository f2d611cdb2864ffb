/**
 * The demo library (demos/lib): deterministic data, the adapter layers, one tiny training epoch with
 * a built-in twin, the probes on hand-built networks with known answers, verdicts, reports and charts.
 * Runs on cpu with tiny data (the demos themselves are `npm run demo` / `npm run demo:claims`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../helpers/backends';
import '../../src';
import { builtinActivationLayer, idsWithBuiltin, maxoutLayer, ourActivationLayer, scalarFns } from '../../demos/lib/activations';
import { renderChart, lineSpec } from '../../demos/lib/charts';
import { circles, loadMnist, mnistSplit, moons, spirals, splitSeeded } from '../../demos/lib/datasets';
import { copyWeights, mlp } from '../../demos/lib/models';
import { gradientNorms, layerOutputs, meanActivation, unitStats } from '../../demos/lib/probes';
import { formatTable, htmlReport, markdownTable, toCsv, writeReports } from '../../demos/lib/report';
import { mulberry32, permutation } from '../../demos/lib/rng';
import { makeOptimizer, maxAbsDiff, trainLockstep } from '../../demos/lib/trainer';
import { verdictOver } from '../../demos/lib/verdict';
import { installWasmConv2dFilterGrad } from '../../demos/lib/wasm-conv-shim';

beforeAll(() => useBackend('cpu'));

describe('rng and datasets', () => {
  it('mulberry32 and permutations are deterministic', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    const p = permutation(50, mulberry32(1));
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...permutation(50, mulberry32(1))]).toEqual([...p]);
    expect([...permutation(50, mulberry32(2))]).not.toEqual([...p]);
  });

  it('MNIST: 10,000 real digits in [0, 1], a seeded disjoint 8,000/2,000 split', () => {
    const all = loadMnist();
    expect(all.n).toBe(10000);
    expect(all.x.length).toBe(10000 * 784);
    expect(Math.min(...all.x.subarray(0, 784 * 10))).toBe(0);
    expect(Math.max(...all.x.subarray(0, 784 * 10))).toBeLessThanOrEqual(1);
    const s1 = mnistSplit(3);
    const s2 = mnistSplit(3);
    const s3 = mnistSplit(4);
    expect(s1.train.n).toBe(8000);
    expect(s1.test.n).toBe(2000);
    expect(Buffer.from(s1.train.x.buffer).equals(Buffer.from(s2.train.x.buffer))).toBe(true);
    expect([...s1.test.y]).toEqual([...s2.test.y]);
    expect([...s1.test.y.subarray(0, 50)]).not.toEqual([...s3.test.y.subarray(0, 50)]);
    for (let c = 0; c < 10; c++) expect(s1.train.y.filter((v) => v === c).length).toBeGreaterThan(500);
  });

  it.each([
    ['spirals', spirals],
    ['moons', moons],
    ['circles', circles],
  ] as const)('%s: deterministic, standardised, balanced', (_name, gen) => {
    const a = gen(200, 5);
    const b = gen(200, 5);
    expect([...a.x]).toEqual([...b.x]);
    expect([...gen(200, 6).x]).not.toEqual([...a.x]);
    expect(a.y.filter((v) => v === 1).length).toBe(100);
    let m = 0;
    for (let i = 0; i < a.n; i++) m += a.x[2 * i];
    expect(Math.abs(m / a.n)).toBeLessThan(1e-5);
    const s = splitSeeded(a, 150, 50, 1);
    expect(s.train.n + s.test.n).toBe(200);
  });
});

describe('activation adapter', () => {
  const x = tf.tensor2d([[-3, -0.5, 0, 0.5, 3, 10]]);

  it.each(idsWithBuiltin())("our %s layer computes what tfjs's built-in computes", (id) => {
    const ours = ourActivationLayer(id).apply(x) as tf.Tensor;
    const theirs = builtinActivationLayer(id)!.apply(x) as tf.Tensor;
    const d = tf.max(tf.abs(ours.sub(theirs))).dataSync()[0];
    expect(d).toBeLessThan(1e-5);
  });

  it('has built-in twins for the functions tfjs has', () => {
    expect(idsWithBuiltin()).toEqual(expect.arrayContaining(['relu', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus', 'softsign', 'swish', 'mish', 'gelu', 'relu6', 'leakyRelu']));
    expect(builtinActivationLayer('snake')).toBeUndefined();
  });

  it('maxout takes the max over groups of consecutive units', () => {
    const y = maxoutLayer(2, 3).apply(tf.tensor2d([[1, 5, -2, -3, 0, 7]])) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([5, -2, 7]);
  });
});

describe('trainer', () => {
  it('trains one tiny epoch; the built-in twin from the same weights has the same losses', () => {
    const data = moons(64, 1);
    const ours = mlp({ inputShape: [2], hidden: [8], classes: 2, act: { id: 'tanh', impl: 'ours' }, seed: 1 });
    const twin = mlp({ inputShape: [2], hidden: [8], classes: 2, act: { id: 'tanh', impl: 'builtin' }, seed: 2 });
    copyWeights(ours.model, twin.model);
    const [h1, h2] = trainLockstep([ours, twin], data, { epochs: 1, batchSize: 16, seed: 3, optimizer: () => makeOptimizer('adam', 0.01), test: data, targetAcc: 0 });
    expect(h1.stepLoss).toHaveLength(4);
    expect(h1.stepLoss.every(Number.isFinite)).toBe(true);
    expect(h1.epochs).toHaveLength(1);
    expect(h1.epochs[0].testAcc).toBeGreaterThanOrEqual(0);
    expect(h1.epochsToTarget).toBe(1);
    expect(maxAbsDiff(h1.stepLoss, h2.stepLoss)).toBeLessThan(1e-5);
    // the same seed gives the same run
    const again = mlp({ inputShape: [2], hidden: [8], classes: 2, act: { id: 'tanh', impl: 'ours' }, seed: 1 });
    const [h3] = trainLockstep([again], data, { epochs: 1, batchSize: 16, seed: 3, optimizer: () => makeOptimizer('adam', 0.01) });
    expect(h3.stepLoss).toEqual(h1.stepLoss);
  });

  it("sets each epoch's learning rate: rate 0 leaves the weights, and without a schedule our Adam is tf.train.adam step for step", () => {
    const data = moons(64, 2);
    const build = () => mlp({ inputShape: [2], hidden: [8], classes: 2, act: { id: 'relu', impl: 'ours' }, seed: 4 });
    const frozen = build();
    const before = frozen.model.getWeights().map((w) => Array.from(w.dataSync()));
    trainLockstep([frozen], data, { epochs: 2, batchSize: 16, seed: 3, optimizer: () => makeOptimizer('adam', 0.05), learningRate: () => 0 });
    expect(frozen.model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    const ours = build();
    const theirs = build();
    const [a] = trainLockstep([ours], data, { epochs: 2, batchSize: 16, seed: 3, optimizer: () => makeOptimizer('adam', 0.05) });
    const [b] = trainLockstep([theirs], data, { epochs: 2, batchSize: 16, seed: 3, optimizer: () => tf.train.adam(0.05) });
    expect(a.stepLoss).toEqual(b.stepLoss);
    // A halving schedule trains differently from the constant rate from epoch 2 on, not before.
    const halved = build();
    const [c] = trainLockstep([halved], data, { epochs: 2, batchSize: 16, seed: 3, optimizer: () => makeOptimizer('adam', 0.05), learningRate: (e) => 0.05 * 0.5 ** (e - 1) });
    expect(c.stepLoss.slice(0, 5)).toEqual(a.stepLoss.slice(0, 5));
    expect(c.stepLoss.slice(5)).not.toEqual(a.stepLoss.slice(5));
    [frozen, ours, theirs, halved].forEach((m) => m.model.dispose());
  });
});

/** input(2) → dense(2, kernel W1, no bias) → activation → dense(2, kernel W2, no bias) logits. */
function handBuilt(act: tf.layers.Layer, w1: number[][], w2: number[][]) {
  const hidden = tf.layers.dense({ units: 2, useBias: false, inputShape: [2] });
  const out = tf.layers.dense({ units: 2, useBias: false });
  const model = tf.sequential({ layers: [hidden, act, out] });
  hidden.setWeights([tf.tensor2d(w1)]);
  out.setWeights([tf.tensor2d(w2)]);
  return { model, hidden, act, out };
}

describe('probes on hand-built networks', () => {
  it('gradient norms per layer match the hand computation', () => {
    // x = [3, 4], W1 = W2 = I, relu: h = z = [3, 4]; p = softmax(z) = [σ(−1), σ(1)], y = [1, 0]:
    // dL/dz = [−σ(1), σ(1)]; dL/dW2 = h ⊗ dz, dL/dW1 = x ⊗ dz: both have norm 5·√2·σ(1).
    const { model, hidden, out } = handBuilt(ourActivationLayer('relu'), [[1, 0], [0, 1]], [[1, 0], [0, 1]]);
    const n = gradientNorms(model, [hidden, out], tf.tensor2d([[3, 4]]), tf.tensor2d([[1, 0]]));
    const expected = 5 * Math.SQRT2 / (1 + Math.exp(-1));
    expect(n[0]).toBeCloseTo(expected, 4);
    expect(n[1]).toBeCloseTo(expected, 4);
    // W2 = 0: nothing flows back to W1; dL/dW2 = h ⊗ [−0.5, 0.5] has norm 5·√0.5
    const z = handBuilt(ourActivationLayer('relu'), [[1, 0], [0, 1]], [[0, 0], [0, 0]]);
    const n0 = gradientNorms(z.model, [z.hidden, z.out], tf.tensor2d([[3, 4]]), tf.tensor2d([[1, 0]]));
    expect(n0[0]).toBe(0);
    expect(n0[1]).toBeCloseTo(5 * Math.SQRT1_2, 4);
  });

  it('dead units: a relu unit negative for every input is dead, a leaky one is not', () => {
    // unit 0 = −x1 − x2 < 0 for positive inputs (dead under relu); unit 1 = x1 (alive)
    const xs = tf.tensor2d([[1, 2], [3, 1], [0.5, 0.5], [2, 2]]);
    for (const [id, dead] of [['relu', 1], ['leakyRelu', 0], ['elu', 0]] as const) {
      const net = handBuilt(ourActivationLayer(id), [[-1, 1], [-1, 0]], [[1, 0], [0, 1]]);
      const [pre] = layerOutputs(net.model, [net.hidden], xs);
      const [out] = layerOutputs(net.model, [net.act], xs);
      const s = unitStats({ pre, df: scalarFns(id).df, out });
      expect(s.units).toBe(2);
      expect(s.dead).toBe(dead);
      expect(s.zeroOutput).toBe(id === 'relu' ? 1 : 0);
    }
  });

  it('mean activation: sigmoid of zero pre-activations is 0.5, tanh 0', () => {
    const xs = tf.tensor2d([[1, -1], [-2, 2]]);
    for (const [id, m] of [['sigmoid', 0.5], ['tanh', 0]] as const) {
      const net = handBuilt(ourActivationLayer(id), [[1, 1], [1, 1]], [[1, 0], [0, 1]]);
      const [out] = layerOutputs(net.model, [net.act], xs);
      expect(meanActivation(out).mean).toBeCloseTo(m, 6);
    }
  });
});

describe('verdicts and reports', () => {
  it('verdicts are computed from the conditions', () => {
    expect(verdictOver('r', [{ label: 'a', ok: true }, { label: 'b', ok: true }]).verdict).toBe('holds');
    expect(verdictOver('r', [{ label: 'a', ok: false }]).verdict).toBe('does not hold');
    const v = verdictOver('r', [{ label: 'a', ok: true }, { label: 'b', ok: false }]);
    expect(v.verdict).toBe('holds only under conditions');
    expect(v.heldUnder).toEqual(['a']);
  });

  it('writes JSON, CSV, HTML and SVG/PNG charts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demos-test-'));
    const t = { title: 'T', headers: ['a', 'b'], rows: [['x', 1.5], ['y, z', NaN]] };
    expect(formatTable(t)).toContain('y, z');
    expect(markdownTable(t).split('\n')).toHaveLength(4);
    expect(toCsv(t)).toBe('a,b\nx,1.5\n"y, z",NaN\n');
    const chart = await renderChart(lineSpec({ values: [{ s: 1, v: 2, c: 'a' }, { s: 2, v: 1, c: 'a' }], x: 's', y: 'v', color: 'c', title: 'test' }), dir, 'c1');
    expect(chart.svg.startsWith('<svg')).toBe(true);
    expect(fs.readFileSync(chart.pngPath).subarray(1, 4).toString()).toBe('PNG');
    const html = htmlReport('R', 'sub', [{ heading: 'H', tables: [t], charts: [chart] }]);
    const files = writeReports(dir, { json: { a: NaN }, tables: [t], html });
    expect(files.map((f) => path.basename(f))).toEqual(['results.json', 't.csv', 'report.html']);
    const page = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(page).toContain('<svg');
    expect(page).not.toMatch(/<script|<link|src="http/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'))).toEqual({ a: 'NaN' });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('prelu variant', () => {
  it('our learnable-alpha leakyRelu and tf.layers.prelu compute the same and carry the same weight shape', () => {
    const x = tf.randomNormal([4, 6], 0, 2, 'float32', 11);
    const ours = ourActivationLayer('prelu');
    const theirs = builtinActivationLayer('prelu')!;
    const a = ours.apply(x) as tf.Tensor;
    const b = theirs.apply(x) as tf.Tensor;
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(ours.getWeights()[0].shape).toEqual(theirs.getWeights()[0].shape);
    tf.dispose([x, a, b]);
  });
});


describe('wasm Conv2DBackpropFilter bridge', () => {
  /** d/dW of Σ r·conv2d(x, W) on the active backend. */
  function filterGradient(x: number[], xs: number[], w: number[], ws: number[], strides: number, pad: 'valid' | 'same'): number[] {
    return tf.tidy(() => {
      const xt = tf.tensor4d(x, xs as [number, number, number, number]);
      const wt = tf.tensor4d(w, ws as [number, number, number, number]);
      const f = (k: tf.Tensor4D) => tf.conv2d(xt, k, strides, pad);
      const r = tf.randomNormal(f(wt).shape, 0, 1, 'float32', 3);
      return Array.from(tf.grad((k: tf.Tensor) => tf.sum(tf.mul(f(k as tf.Tensor4D), r)))(wt).dataSync());
    });
  }

  afterAll(() => useBackend('cpu'));

  it.each([
    [1, 'valid'], [1, 'same'], [2, 'valid'], [2, 'same'], [3, 'valid'],
  ] as const)('gives the cpu filter gradient on wasm at stride %d, %s padding', async (strides, pad) => {
    const xs = [2, 9, 8, 3];
    const ws = [3, 2, 3, 4];
    const x = Array.from({ length: 2 * 9 * 8 * 3 }, (_, i) => Math.sin(i * 1.7));
    const w = Array.from({ length: 3 * 2 * 3 * 4 }, (_, i) => Math.cos(i * 0.9));
    await useBackend('cpu');
    const expected = filterGradient(x, xs, w, ws, strides, pad);
    await useBackend('wasm');
    installWasmConv2dFilterGrad();
    const got = filterGradient(x, xs, w, ws, strides, pad);
    expect(got).toHaveLength(expected.length);
    got.forEach((g, i) => expect(Math.abs(g - expected[i])).toBeLessThan(1e-4 * (1 + Math.abs(expected[i]))));
  });
});
