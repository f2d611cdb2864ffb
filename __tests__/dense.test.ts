/**
 * act.layers.dense: the same layer as tf.layers.dense (outputs, gradients, weights, config,
 * regularizers and constraints in training) on every backend, for our activations and tfjs's,
 * rank 2 and 3; it trains in model.fit, round-trips through save/load, loads models saved by the
 * version that subclassed tfjs's Dense, and skips the input gradient tfjs's Dense computes for
 * non-relu activations. It is a layer of its own: tfjs's Layer is its direct base class.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import * as act from '../src';
import { describeEachBackend } from './helpers/backends';
import { roundTripMemory } from './helpers/models';

const ACTIVATIONS: string[] = [act.name('gelu'), act.name('mish'), act.name('leakyRelu'), 'relu', 'tanh', 'linear', 'elu', 'gelu'];

type DenseArgs = Parameters<typeof tf.layers.dense>[0];

/** tf.layers.dense and act.layers.dense built for `inputShape`, ours holding tfjs's (random) weights. */
function twins(args: DenseArgs, inputShape: number[]): [tf.layers.Layer, tf.layers.Layer] {
  const theirs = tf.layers.dense({ ...args, kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }), biasInitializer: tf.initializers.randomNormal({ seed: 6 }) });
  const ours = act.layers.dense(args);
  theirs.build(inputShape);
  ours.build(inputShape);
  ours.setWeights(theirs.getWeights());
  return [theirs, ours];
}

/** |a − b| ≤ 1e-5·|b| + 1e-6 element-wise (float32 rounding of matMul sums taken in another order). */
function expectClose(a: tf.Tensor, b: tf.Tensor): void {
  expect(a.shape).toEqual(b.shape);
  const av = a.dataSync();
  const bv = b.dataSync();
  let worst = 0;
  for (let i = 0; i < bv.length; i++) worst = Math.max(worst, Math.abs(av[i] - bv[i]) - 1e-5 * Math.abs(bv[i]));
  expect(worst).toBeLessThanOrEqual(1e-6);
}

/** Layers applied to concrete tensors only cannot be disposed; free their weights. */
function disposeWeights(...layers: tf.layers.Layer[]): void {
  for (const l of layers) for (const w of l.weights) w.dispose();
}

/** Gradients of Σ r·layer(x) with respect to the layer's kernel, bias and x. */
function gradients(layer: tf.layers.Layer, x: tf.Tensor, r: tf.Tensor): tf.Tensor[] {
  const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, r)) as tf.Scalar, [kernel, bias]);
  const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, r)))(x);
  return [grads[kernel.name], grads[bias.name], dx];
}

/** How many matrix multiplications of one gradient step (weights only) produce an input-shaped result: d(input) = dy·Wᵀ. */
async function inputGradientMatMuls(layer: tf.layers.Layer, x: tf.Tensor): Promise<number> {
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const info = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar, vars);
    tf.dispose([value, ...Object.values(grads)]);
  });
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  return info.kernels.filter((k) => /MatMul$/.test(k.name) && k.outputShapes.some((s) => size(s) === x.size)).length;
}

describeEachBackend((backend) => {
  describe.each(ACTIVATIONS)('activation %s', (activation) => {
    it.each([[[6, 5]], [[3, 4, 5]]])('output and gradients equal tf.layers.dense for input shape %j', (shape) => {
      const [theirs, ours] = twins({ units: 7, activation: activation as 'relu' }, shape);
      const x = tf.randomNormal(shape, 0, 1.5, 'float32', 1);
      const r = tf.randomNormal([...shape.slice(0, -1), 7], 0, 1, 'float32', 2);
      const a = ours.apply(x) as tf.Tensor;
      const b = theirs.apply(x) as tf.Tensor;
      expect(a.shape).toEqual([...shape.slice(0, -1), 7]);
      expectClose(a, b);
      const ga = gradients(ours, x, r);
      const gb = gradients(theirs, x, r);
      ga.forEach((g, i) => expectClose(g, gb[i]));
      tf.dispose([x, r, a, b, ...ga, ...gb]);
      disposeWeights(theirs, ours);
    });
  });

  it(`a gradient step with respect to the weights skips d(input), which tfjs's Dense computes with gelu but not relu (${backend})`, async () => {
    const x = tf.randomNormal([8, 5], 0, 1, 'float32', 3); // input size 40, output size 8 × 4 = 32, kernel 20
    const [tfGelu, oursGelu] = twins({ units: 4, activation: act.name('gelu') }, [8, 5]);
    const [tfRelu] = twins({ units: 4, activation: 'relu' }, [8, 5]);
    expect(await inputGradientMatMuls(oursGelu, x)).toBe(0);
    expect(await inputGradientMatMuls(tfRelu, x)).toBe(0);
    expect(await inputGradientMatMuls(tfGelu, x)).toBeGreaterThan(0);
    x.dispose();
    disposeWeights(tfGelu, oursGelu, tfRelu);
  });

  it('trains inside model.fit: the loss falls', async () => {
    const model = tf.sequential({
      layers: [
        act.layers.dense({ units: 16, inputShape: [2], activation: act.name('mish'), kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
        act.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.03), loss: 'meanSquaredError' });
    const x = tf.randomUniform([64, 2], -2, 2, 'float32', 5);
    const y = tf.tidy(() => tf.sin(tf.sum(x, 1, true)));
    const history = await model.fit(x, y, { epochs: 30, batchSize: 64, verbose: 0, shuffle: false });
    const losses = history.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.8);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('trains step for step like tf.layers.dense under regularizers and constraints (same weights after 3 SGD steps)', async () => {
    const args: DenseArgs = {
      units: 3, inputShape: [4], activation: act.name('swish') as 'relu',
      kernelRegularizer: tf.regularizers.l1l2({ l1: 0.01, l2: 0.1 }), biasRegularizer: 'l1l2',
      kernelConstraint: tf.constraints.maxNorm({ maxValue: 0.5 }), biasConstraint: 'nonNeg',
    };
    const make = (dense: (a: DenseArgs) => tf.layers.Layer) => {
      const m = tf.sequential({ layers: [dense(args), dense({ units: 2, kernelConstraint: 'unitNorm' })] });
      m.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
      return m;
    };
    const theirs = make((a) => tf.layers.dense(a));
    const ours = make((a) => act.layers.dense(a));
    // Written to both: tfjs applies a constraint when a weight is written (setWeights), not after a step.
    const start = theirs.getWeights().map((w) => w.clone());
    ours.setWeights(start);
    theirs.setWeights(start);
    tf.dispose(start);
    const x = tf.randomNormal([16, 4], 0, 2, 'float32', 8);
    const y = tf.randomNormal([16, 2], 0, 1, 'float32', 9);
    const fit = (m: tf.LayersModel) => m.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
    const [ha, hb] = [await fit(ours), await fit(theirs)];
    // The regularizers add to the loss as tfjs's do.
    (ha.history.loss as number[]).forEach((l, i) => expect(l).toBeCloseTo(hb.history.loss[i] as number, 5));
    const [wa, wb] = [ours.getWeights(), theirs.getWeights()];
    wa.forEach((w, i) => expectClose(w, wb[i]));
    tf.dispose([x, y]);
    [ours, theirs].forEach((m) => {
      m.optimizer.dispose();
      m.dispose();
    });
  });

  it('loads a model saved by the version that subclassed tfjs\'s Dense: its layers, configs and outputs are tf.layers.dense\'s', async () => {
    const file = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'dense', 'saved-by-0.1.0.json'), 'utf8'));
    const weightData = new Uint8Array(Buffer.from(file.weightData, 'base64')).buffer;
    const load = (topology: object) => tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology, weightSpecs: file.weightSpecs, weightData }));
    const ours = await load(file.modelTopology);
    // The reference: the same topology and weights read by tfjs's own Dense.
    const theirs = await load(JSON.parse(JSON.stringify(file.modelTopology).replace(/"TfjsActivations>Dense"/g, '"Dense"')));
    expect(ours.layers.map((l) => l.getClassName())).toEqual(['TfjsActivations>Dense', 'TfjsActivations>Dense', 'TfjsActivations>Dense']);
    expect(theirs.layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dense', 'Dense']);
    ours.layers.forEach((l, i) => expect(l.getConfig()).toEqual(theirs.layers[i].getConfig()));
    const x = tf.randomNormal([5, 3, 4], 0, 2, 'float32', 4);
    const [a, b] = [ours.predict(x) as tf.Tensor, theirs.predict(x) as tf.Tensor];
    expect(a.shape).toEqual([5, 3, 2]);
    expectClose(a, b);
    tf.dispose([x, a, b]);
    ours.dispose();
    theirs.dispose();
  });

  it('a model saves and loads through memory: same class, config and bit-identical outputs (rank 3)', async () => {
    const model = tf.sequential({
      layers: [
        act.layers.dense({ units: 6, inputShape: [4, 3], activation: act.name('gelu'), kernelRegularizer: tf.regularizers.l2() }),
        act.layers.dense({ units: 2, activation: 'tanh', useBias: false }),
      ],
    });
    const x = tf.randomNormal([5, 4, 3], 0, 2, 'float32', 2);
    const loaded = await roundTripMemory(model);
    expect(loaded.layers[0]).toBeInstanceOf(act.Dense);
    expect(loaded.layers[0].getClassName()).toBe('TfjsActivations>Dense');
    loaded.layers.forEach((l, i) => expect(l.getConfig()).toEqual(model.layers[i].getConfig()));
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(b.shape).toEqual([5, 4, 2]);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });
});

describe('act.layers.dense configuration', () => {
  it("is a layer of its own: tfjs's Layer is its direct base class (not tfjs's unexported Dense)", () => {
    expect(Object.getPrototypeOf(act.Dense)).toBe(tf.layers.Layer);
    expect(act.layers.dense({ units: 2 })).not.toBeInstanceOf(tf.layers.dense({ units: 2 }).constructor);
  });

  const ANY = null as unknown as number;
  // [label, arguments, input shape, whether the starting weights are determined (seeded or constant)]
  const CASES: Array<[string, DenseArgs, number[], boolean]> = [
    ['defaults', { units: 4 }, [ANY, 3], false],
    ['inputShape and our activation name', { units: 2, inputShape: [5], activation: act.name('mish') as 'relu' }, [ANY, 5], false],
    ['batchInputShape, rank 4, tfjs activation name', { units: 3, batchInputShape: [2, 3, 4, 5], activation: 'gelu' }, [2, 3, 4, 5], false],
    ['inputDim and batchSize', { units: 3, inputDim: 6, batchSize: 8, activation: 'softmax' }, [8, 6], false],
    ['initializers by name', { units: 3, kernelInitializer: 'ones', biasInitializer: 'zeros', useBias: true }, [ANY, 2], true],
    ['seeded initializer objects', { units: 3, kernelInitializer: tf.initializers.heNormal({ seed: 3 }), biasInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 4 }) }, [ANY, 7], true],
    ['regularizers and constraints by name and object', { units: 2, kernelRegularizer: 'l1l2', biasRegularizer: tf.regularizers.l2({ l2: 0.3 }), kernelConstraint: 'maxNorm', biasConstraint: tf.constraints.minMaxNorm({ minValue: 0.1, maxValue: 2 }) }, [ANY, 3], false],
    ['no bias, not trainable, named', { units: 5, useBias: false, trainable: false, name: 'frozen', kernelInitializer: tf.initializers.constant({ value: 0.25 }) }, [ANY, 2], true],
  ];

  it.each(CASES)("%s: tf.layers.dense's config, weights (names, shapes, trainable, starting values) and output shape", (_label, args, shape, determined) => {
    const named = { name: 'same', ...args };
    const ours = act.layers.dense(named);
    const theirs = tf.layers.dense(named);
    expect(ours.getConfig()).toEqual(theirs.getConfig());
    ours.build(shape);
    theirs.build(shape);
    const described = (l: tf.layers.Layer) => l.weights.map((w) => [w.originalName, w.shape, w.trainable]);
    expect(described(ours)).toEqual(described(theirs));
    if (determined) ours.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(theirs.getWeights()[i].dataSync())));
    expect(ours.computeOutputShape(shape)).toEqual(theirs.computeOutputShape(shape));
    expect(ours.losses.length).toBe(theirs.losses.length);
    for (const l of [ours, theirs]) for (const w of l.weights) w.dispose();
  });

  it('refuses an unknown argument, naming the nearest known one', () => {
    expect(() => act.layers.dense({ units: 2, kernelInitialiser: 'zeros' } as unknown as DenseArgs)).toThrow(
      /Dense layer: unknown argument `kernelInitialiser`.*did you mean `kernelInitializer`/,
    );
  });

  it("gives tfjs's errors for tfjs's argument checks and refuses an activity regularizer when applied, as tfjs does", () => {
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(message(() => act.layers.dense({ units: 0 }))).toBe(message(() => tf.layers.dense({ units: 0 })));
    expect(message(() => act.layers.dense({ units: 2, activation: 'noSuchName' as 'relu' }))).toBe(message(() => tf.layers.dense({ units: 2, activation: 'noSuchName' as 'relu' })));
    const x = tf.ones([1, 2]);
    const withActivity = (d: (a: DenseArgs) => tf.layers.Layer) => message(() => d({ units: 2, activityRegularizer: 'l1l2' }).apply(x));
    expect(withActivity((a) => act.layers.dense(a))).toBe(withActivity((a) => tf.layers.dense(a)));
    expect(withActivity((a) => act.layers.dense(a))).not.toBe('no error');
    x.dispose();
  });

  it("has tf.layers.dense's config, weights and output shape", () => {
    const args: DenseArgs = { units: 3, activation: 'act.swish' as 'relu', useBias: true, kernelInitializer: 'heNormal', biasConstraint: 'nonNeg' };
    const ours = act.layers.dense({ ...args, name: 'same' });
    const theirs = tf.layers.dense({ ...args, name: 'same' });
    expect(ours.getConfig()).toEqual(theirs.getConfig());
    ours.build([null, 9]);
    theirs.build([null, 9]);
    const described = (l: tf.layers.Layer) => l.weights.map((w) => [w.originalName, w.shape, w.trainable]);
    expect(described(ours)).toEqual(described(theirs));
    expect(ours.computeOutputShape([null, 2, 9])).toEqual([null, 2, 3]);
  });

  it("gets a default name like our other layers, and is registered as 'TfjsActivations>Dense'", () => {
    expect(act.layers.dense({ units: 1 }).name).toMatch(/^dense_\d+$/);
    const map = (tf.serialization.SerializationMap.getMap() as unknown as { classNameMap: Record<string, [unknown]> }).classNameMap;
    expect(map['TfjsActivations>Dense'][0]).toBe(act.Dense);
    expect(map.Dense[0]).not.toBe(act.Dense);
  });
});
