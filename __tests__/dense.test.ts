/**
 * act.layers.dense: the same layer as tf.layers.dense (outputs, gradients, weights, config) on every
 * backend, for our activations and tfjs's, rank 2 and 3; it trains in model.fit, round-trips
 * through save/load, and skips the input gradient tfjs's Dense computes for non-relu activations.
 */
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
