/**
 * String names in `activation:` of dense, conv, recurrent and activation layers, directly and after
 * a save/load round trip; tfjs's own names keep their meaning; gelu_new loads again; opt-in override.
 */
import * as tf from '@tensorflow/tfjs';
import * as act from '../src';
import type { AnyDefinition } from '../src';
import { describeEachBackend } from './helpers/backends';
import { roundTripMemory, savedTopology } from './helpers/models';
import * as internal from '../src/internal';

const defs = act.all() as AnyDefinition[];
const opOf = (id: string) => (act.ops as unknown as Record<string, (x: tf.Tensor) => tf.Tensor>)[id];
const allNames = defs.flatMap((d) => internal.activationNamesOf(d).map((n) => [n, d.id] as const));

describe('the names we register', () => {
  it('include act.<id>, the id, its snake_case form and every Keras 3 name whose meaning is safe', () => {
    const names = new Set(allNames.map(([n]) => n));
    for (const n of ['act.mish', 'act.hardSigmoid', 'leakyRelu', 'leaky_relu', 'silu', 'hard_silu', 'hardSilu', 'hard_swish',
      'hardSwish', 'celu', 'log_sigmoid', 'hard_tanh', 'soft_shrink', 'hard_shrink', 'tanh_shrink', 'squareplus',
      'sparse_plus', 'sparse_sigmoid', 'exponential', 'snake', 'lisht']) {
      expect(names).toContain(n);
    }
  });
  it('never include a tfjs name, or a name that would load back as a tfjs name', () => {
    for (const [n] of allNames) {
      expect(internal.TFJS_ACTIVATION_NAMES).not.toContain(n);
      expect(internal.TFJS_ACTIVATION_NAMES).not.toContain(internal.toCamelCase(n));
    }
  });
  it('every name survives tfjs\'s snake_case/camelCase round trip to a name that is also ours', () => {
    const names = new Set(allNames.map(([n]) => n));
    for (const [n] of allNames) expect(names).toContain(internal.toCamelCase(internal.toSnakeCase(n)));
  });
  it('act.name() returns the always-ours name and checks the id', () => {
    expect(act.name('hardSwish')).toBe('act.hardSwish');
    expect(() => act.name('hardSwishh' as never)).toThrow(/Did you mean 'hardSwish'/);
  });
});

describeEachBackend(() => {
  describe.each(allNames)('activation: %s', (name, id) => {
    it(`in a dense layer computes ${id}, directly and after save/load`, async () => {
      const model = tf.sequential({
        layers: [tf.layers.dense({ units: 5, inputShape: [3], activation: name as never, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })],
      });
      const x = tf.randomNormal([4, 3], 0, 3, 'float32', 2);
      const linear = tf.tidy(() => tf.add(tf.matMul(x, model.getWeights()[0]), model.getWeights()[1]));
      const want = opOf(id)(linear);
      const got = model.predict(x) as tf.Tensor;
      expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
      const loaded = await roundTripMemory(model);
      const again = loaded.predict(x) as tf.Tensor;
      expect(Array.from(again.dataSync())).toEqual(Array.from(want.dataSync()));
      tf.dispose([x, linear, want, got, again]);
    });
  });

  describe('other layer kinds take our names', () => {
    const names = ['act.mish', 'leaky_relu', 'hard_silu', 'squareplus'];
    it.each(names)('conv2d, simpleRNN, lstm and activation layers with %s, after save/load', async (name) => {
      const input = tf.input({ shape: [6, 6, 2] });
      const conv = tf.layers.conv2d({ filters: 3, kernelSize: 3, activation: name as never }).apply(input) as tf.SymbolicTensor;
      const seq = tf.layers.reshape({ targetShape: [4, 12] }).apply(conv) as tf.SymbolicTensor;
      const rnn = tf.layers.simpleRNN({ units: 4, activation: name as never, returnSequences: true }).apply(seq) as tf.SymbolicTensor;
      const lstm = tf.layers.lstm({ units: 3, activation: name as never, recurrentActivation: name as never }).apply(rnn) as tf.SymbolicTensor;
      const out = tf.layers.activation({ activation: name as never }).apply(lstm) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: out });
      const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 3);
      const a = model.predict(x) as tf.Tensor;
      const loaded = await roundTripMemory(model);
      const b = loaded.predict(x) as tf.Tensor;
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      expect(Array.from(a.dataSync()).every(Number.isFinite)).toBe(true);
      tf.dispose([x, a, b]);
    });
  });
});

describe("tfjs's own names", () => {
  it("keep tfjs's meaning: 'hardSigmoid' is still Keras 2's 0.2x + 0.5", () => {
    const y = tf.layers.activation({ activation: 'hardSigmoid' }).apply(tf.tensor([1])) as tf.Tensor;
    expect(y.dataSync()[0]).toBeCloseTo(0.7, 6);
    expect(act.get('hardSigmoid').forward(1, {})).toBeCloseTo(1 / 6 + 0.5, 12);
  });

  it("'hard_sigmoid' is not registered by default: it would load back as tfjs's 'hardSigmoid'", () => {
    expect(internal.activationNamesOf(act.get('hardSigmoid'))).not.toContain('hard_sigmoid');
  });

  it("a model using tfjs's 'gelu_new' now loads again (tfjs saves it but cannot load it alone)", async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], activation: 'gelu_new' as never })] });
    expect(await savedTopology(model)).toContain('"activation":"gelu_new"');
    const loaded = await roundTripMemory(model);
    const x = tf.tensor2d([[0.5, -1], [2, 0.25]]);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    Array.from(a).forEach((v, i) => expect(b[i]).toBeCloseTo(v, 5));
  });

  it('an unknown name fails at load time with tfjs\'s message naming it', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], activation: 'act.mish' as never })] });
    const topology = (await savedTopology(model)).replace('act.mish', 'act.nope');
    await expect(tf.models.modelFromJSON({ modelTopology: JSON.parse(topology) })).rejects.toThrow(/Unknown activation: act.nope/);
  });
});

describe('typed names', () => {
  it('act.name() is accepted by tfjs layer configs without a cast', () => {
    // This file is type-checked by `npm test` (tsc -p __tests__): no `as any` needed here.
    const layer = tf.layers.dense({ units: 2, activation: act.name('squareplus') });
    expect(layer.getConfig().activation).toBe('act.squareplus');
  });
});

describe('opting in to our implementation of tfjs names', () => {
  afterAll(() => {
    // Restore tfjs's class for later test files in this worker.
    jest.resetModules();
  });
  it("useOurActivationsFor(['hardSigmoid']) makes 'hardSigmoid' and 'hard_sigmoid' Keras 3's x/6 + 1/2", () => {
    act.useOurActivationsFor(['hardSigmoid']);
    const y = tf.layers.activation({ activation: 'hardSigmoid' }).apply(tf.tensor([1])) as tf.Tensor;
    expect(y.dataSync()[0]).toBeCloseTo(1 / 6 + 0.5, 6);
    const z = tf.layers.activation({ activation: 'hard_sigmoid' as never }).apply(tf.tensor([1])) as tf.Tensor;
    expect(z.dataSync()[0]).toBeCloseTo(1 / 6 + 0.5, 6);
  });
  it('refuses ids tfjs has no name for', () => {
    expect(() => act.useOurActivationsFor(['squareplus'])).toThrow("tfjs has no activation named like 'squareplus'");
  });
});
