/**
 * The Keras import's config translation on hostile configs (in memory, no files): every refusal is
 * a KerasImportError naming the layer and the field, whatever names and values the file holds.
 */
import * as tf from '@tensorflow/tfjs-core';
import './helpers/backends';
import * as act from '../src';

const { translateConfig, KerasImportError } = act.keras;

/** A Sequential config with one layer after an input of shape [null, 4]. */
function sequential(layer: Record<string, unknown>): Record<string, unknown> {
  return {
    class_name: 'Sequential',
    config: {
      name: 'seq',
      layers: [
        { class_name: 'InputLayer', config: { name: 'in', batch_shape: [null, 4], dtype: 'float32' } },
        layer,
      ],
    },
  };
}

function refusal(config: Record<string, unknown>, options: act.keras.ImportOptions = {}): InstanceType<typeof KerasImportError> {
  try {
    translateConfig(config, options);
  } catch (e) {
    expect(e).toBeInstanceOf(KerasImportError);
    return e as InstanceType<typeof KerasImportError>;
  }
  throw new Error('translateConfig accepted the config');
}

const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty'];

describe('names from the file never reach Object.prototype', () => {
  it.each(PROTOTYPE_NAMES)('layer class %s is an unsupported class', (name) => {
    const e = refusal(sequential(JSON.parse(`{"class_name": "${name}", "config": {"name": "x"}}`)));
    expect(e.layer).toBe('x');
    expect(e.field).toBe('class_name');
    expect(e.message).toContain(`layer class '${name}' is not supported`);
  });

  it.each(PROTOTYPE_NAMES)('activation %s is an unknown activation', (name) => {
    const e = refusal(sequential({ class_name: 'Activation', config: { name: 'a', activation: name } }));
    expect(e.layer).toBe('a');
    expect(e.field).toBe('activation');
    expect(e.message).toContain(`unknown activation '${name}'`);
  });

  it.each(PROTOTYPE_NAMES)('Dense activation %s is an unknown activation', (name) => {
    const e = refusal(sequential({ class_name: 'Dense', config: { name: 'd', units: 2, activation: name } }));
    expect([e.layer, e.field]).toEqual(['d', 'activation']);
  });
});

/** A Keras 3 tensor reference, as inbound_nodes and keras_history hold them. */
const tensor = (layer: string, node = 0, index = 0) => ({ class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: [layer, node, index] } });
const call = (...inputs: ReturnType<typeof tensor>[]) => ({ args: inputs.length === 1 ? inputs : [inputs], kwargs: {} });
const dense = (name: string, ...nodes: unknown[]) => ({ class_name: 'Dense', config: { name, units: 4 }, inbound_nodes: nodes });
const input = { class_name: 'InputLayer', config: { name: 'in', batch_shape: [null, 4], dtype: 'float32' }, inbound_nodes: [] };

function functional(layers: unknown[], outputs: unknown = [['d', 0, 0]]): Record<string, unknown> {
  return { class_name: 'Functional', config: { name: 'f', layers, input_layers: [['in', 0, 0]], output_layers: outputs } };
}

describe('a Functional graph is checked before anything is built', () => {
  it('accepts a valid graph (the baseline of the cases below)', () => {
    expect(() => translateConfig(functional([input, dense('d', call(tensor('in')))]))).not.toThrow();
  });

  it('refuses an input read from a node its layer does not have', () => {
    const e = refusal(functional([input, dense('d', call(tensor('in', 5)))]));
    expect([e.layer, e.field]).toEqual(['d', 'inbound_nodes']);
    expect(e.message).toContain("refers to node 5 of layer 'in', which has 1 node");
  });

  it('refuses an input from a layer that does not exist', () => {
    const e = refusal(functional([input, dense('d', call(tensor('ghost')))]));
    expect([e.layer, e.field]).toEqual(['d', 'inbound_nodes']);
    expect(e.message).toContain("refers to layer 'ghost', which is not in the model");
  });

  it('refuses a cycle of two layers', () => {
    const e = refusal(functional([input, dense('a', call(tensor('b'))), dense('b', call(tensor('a'))), dense('d', call(tensor('b')))]));
    expect(e.field).toBe('inbound_nodes');
    expect(e.message).toMatch(/the graph has a cycle through layers 'a', 'b'|the graph has a cycle through layers 'b', 'a'/);
  });

  it('refuses a layer that reads its own output', () => {
    const e = refusal(functional([input, dense('d', call(tensor('d')))]));
    expect(e.message).toContain("cycle through layer 'd'");
  });

  it('refuses an output layer that does not exist, or a node it does not have', () => {
    let e = refusal(functional([input, dense('d', call(tensor('in')))], [['nope', 0, 0]]));
    expect([e.layer, e.field]).toEqual(['nope', 'output_layers']);
    e = refusal(functional([input, dense('d', call(tensor('in')))], [['d', 1, 0]]));
    expect(e.message).toContain("refers to node 1 of layer 'd', which has 1 node");
  });

  it.each([
    ['Keras 3', { args: [[]], kwargs: {} }],
    ['Keras 3, constants only', { args: [{ class_name: '__tensor__', config: { value: [1, 2, 3, 4], dtype: 'float32' } }], kwargs: {} }],
    ['Keras 2', []],
  ])('refuses a layer call without inputs, %s node format (tfjs never builds it, and waits forever for it)', (_, node) => {
    const e = refusal(functional([input, dense('a', node), dense('d', call(tensor('a')))]));
    expect([e.layer, e.field]).toEqual(['a', 'inbound_nodes']);
    expect(e.message).toContain('a layer call has no inputs');
  });

  it("refuses a shared layer whose calls tfjs would build out of order (a valid Keras graph it would wire differently)", () => {
    // 'shared' is called on m's output (call 0) and on the input (call 1); m is listed after it, so
    // tfjs's fromConfig would build call 1 first and hand its output to whoever reads call 0.
    const e = refusal(functional([input, dense('shared', call(tensor('m')), call(tensor('in'))), dense('m', call(tensor('in'))),
      dense('d', call(tensor('shared', 0)))]));
    expect([e.layer, e.field]).toEqual(['shared', 'inbound_nodes']);
    expect(e.message).toContain('tfjs would build call 0 of this layer from the inputs of call 1');
  });

  it('accepts a shared layer called in order, even when its later call reads a layer listed after it', () => {
    expect(() => translateConfig(functional([input, dense('shared', call(tensor('in')), call(tensor('m'))), dense('m', call(tensor('shared'))),
      dense('d', call(tensor('shared', 1)))]))).not.toThrow();
  });

  it('inlines a nested model called on a layer listed after it, wired as in Keras', () => {
    const inner = { name: 'n', layers: [{ class_name: 'InputLayer', config: { name: 'n_in', batch_shape: [null, 4] }, inbound_nodes: [] }, dense('n_d', call(tensor('n_in')))],
      input_layers: [['n_in', 0, 0]], output_layers: [['n_d', 0, 0]] };
    const t = translateConfig(functional([input, { class_name: 'Functional', config: inner, inbound_nodes: [call(tensor('m'))] },
      dense('m', call(tensor('in'))), dense('d', call(tensor('n')))]));
    const wiring = Object.fromEntries((t.topology.config as { layers: Array<{ name: string; inbound_nodes: unknown[][][] }> }).layers
      .map((l) => [l.name, l.inbound_nodes.map((node) => node.map((r) => r[0]))]));
    expect(wiring).toEqual({ in: [], m: [['in']], n_d: [['m']], d: [['n_d']] });
  });

  it('refuses a nested model called on its own output, naming it', () => {
    const inner = { name: 'n', layers: [{ class_name: 'InputLayer', config: { name: 'n_in', batch_shape: [null, 4] }, inbound_nodes: [] }, dense('n_d', call(tensor('n_in')))],
      input_layers: [['n_in', 0, 0]], output_layers: [['n_d', 0, 0]] };
    const e = refusal(functional([input, { class_name: 'Functional', config: inner, inbound_nodes: [call(tensor('in')), call(tensor('n'))] },
      dense('d', call(tensor('n', 1)))]));
    expect([e.layer, e.field]).toEqual(['n', 'inbound_nodes']);
    expect(e.message).toContain('called on the output of a nested model that waits for it');
  });

  /** A nested Functional model 'n': a chain of `length` Dense layers. */
  const chainModel = (length: number) => ({
    class_name: 'Functional',
    config: {
      name: 'n',
      layers: [{ class_name: 'InputLayer', config: { name: 'n_in', batch_shape: [null, 4] }, inbound_nodes: [] },
        ...Array.from({ length }, (_, i) => dense(`n_${i}`, call(tensor(i === 0 ? 'n_in' : `n_${i - 1}`))))],
      input_layers: [['n_in', 0, 0]], output_layers: [[`n_${length - 1}`, 0, 0]],
    },
  });

  it('counts the calls of a nested model once per call of it against limits.maxNodes (inlining multiplies them)', () => {
    // 13 nodes in the two configs, 25 calls once the model called 5 times is inlined.
    const config = functional([input, { ...chainModel(5), inbound_nodes: Array.from({ length: 5 }, () => call(tensor('in'))) },
      { class_name: 'Concatenate', config: { name: 'd' }, inbound_nodes: [call(...Array.from({ length: 5 }, (_, k) => tensor('n', k)))] }]);
    expect(() => translateConfig(config, { limits: { maxNodes: 25 + 2 } })).not.toThrow();
    const e = refusal(config, { limits: { maxNodes: 20 } });
    expect(e.message).toContain('the model has more than 20 layer calls (nodes) once nested models are inlined, over the budget limits.maxNodes = 20');
  });

  it('stops at a nested model over a budget instead of collecting it with the other blockers', () => {
    const lambda = { class_name: 'Lambda', config: { name: 'l', function: 'x' }, inbound_nodes: [call(tensor('in'))] };
    const config = functional([input, lambda, { ...chainModel(30), inbound_nodes: [call(tensor('l'))] }, dense('d', call(tensor('n')))]);
    expect(refusal(config).layer).toBe('l');
    const e = refusal(config, { limits: { maxLayers: 20 } });
    expect(e.message).toMatch(/^Keras import: the model has 31 layers, over the budget limits.maxLayers = 20\./);
    expect(e.message).not.toContain('Lambda');
  });

  it.each([
    ['a call argument', { args: [tensor('in')], kwargs: { initial_state: tensor('in') } }, 'inbound_nodes.kwargs.initial_state'],
    ['its input as a keyword (tfjs would get a call without inputs)', { args: [], kwargs: { inputs: tensor('in') } }, 'inbound_nodes'],
  ])("checks a shared layer's later calls like its first: refuses %s", (_, later, field) => {
    const e = refusal(functional([input, dense('shared', call(tensor('in')), later), dense('d', call(tensor('shared', 1)))]));
    expect([e.layer, e.field]).toEqual(['shared', field]);
  });

  it('refuses a Keras layer named like a layer the import inserts', () => {
    const glu = { class_name: 'Dense', config: { name: 'g', units: 4, activation: 'glu' }, inbound_nodes: [call(tensor('in'))] };
    const e = refusal(functional([input, glu, dense('g_activation', call(tensor('g'))), dense('d', call(tensor('g_activation')))]));
    expect(e.field).toBe('name');
    expect(e.message).toContain('its tfjs name is taken twice');
  });

  it('refuses a null layer entry', () => {
    expect(refusal(functional([input, null, dense('d', call(tensor('in')))])).message).toContain('layer 1 of the model config is not an object');
  });

  it('refuses two layers with one name', () => {
    const e = refusal(functional([input, dense('d', call(tensor('in'))), dense('d', call(tensor('in')))]));
    expect([e.layer, e.field]).toEqual(['d', 'name']);
  });

  it('counts layers and nodes against limits.maxLayers and limits.maxNodes, naming the option', () => {
    const chain = [input, ...Array.from({ length: 20 }, (_, i) => dense(i === 19 ? 'd' : `l${i}`, call(tensor(i === 0 ? 'in' : `l${i - 1}`))))];
    expect(() => translateConfig(functional(chain))).not.toThrow();
    let e = refusal(functional(chain), { limits: { maxLayers: 10 } });
    expect(e.message).toContain('the model has 21 layers, over the budget limits.maxLayers = 10');
    expect(e.message).toContain('{limits: {maxLayers: ...}}');
    e = refusal(functional(chain), { limits: { maxNodes: 5 } });
    expect(e.message).toContain('limits.maxNodes = 5');
  });
});

describe('layer fields are checked with Keras-style messages', () => {
  it.each([
    ['units', -3, 'must be an integer >= 1. Received: units=-3'],
    ['units', 0, 'Received: units=0'],
    ['units', 2.5, 'Received: units=2.5'],
    ['units', '4', 'Received: units="4"'],
    ['use_bias', 'yes', 'must be true or false. Received: use_bias="yes"'],
  ])('Dense %s=%p', (field, value, message) => {
    const e = refusal(sequential({ class_name: 'Dense', config: { name: 'd', units: 4, [field]: value } }));
    expect([e.layer, e.field]).toEqual(['d', field]);
    expect(e.message).toContain(message);
  });

  it.each([
    [[-4, 3]],
    [[null, '4']],
    [[null, 2.5]],
  ])('input shape %p', (shape) => {
    const config = sequential({ class_name: 'Dense', config: { name: 'd', units: 4 } });
    ((config.config as { layers: Array<{ config: Record<string, unknown> }> }).layers[0].config).batch_shape = shape;
    const e = refusal(config);
    expect([e.layer, e.field]).toEqual(['in', 'batch_shape']);
  });

  it.each([
    ['Conv2D', { filters: 0, kernel_size: [3, 3] }, 'filters'],
    ['Conv2D', { filters: 2, kernel_size: [3, -1] }, 'kernel_size'],
    ['Conv2D', { filters: 2, kernel_size: 3, padding: 'full' }, 'padding'],
    ['Embedding', { input_dim: -1, output_dim: 2 }, 'input_dim'],
    ['Dropout', { rate: 1.5 }, 'rate'],
    ['Reshape', { target_shape: [-1, -1] }, 'target_shape'],
    ['LSTM', { units: 'many' }, 'units'],
    ['MaxPooling2D', { pool_size: [0, 2] }, 'pool_size'],
  ])('%s %p refuses %s', (cls, config, field) => {
    const e = refusal(sequential({ class_name: cls, config: { name: 'x', ...config } }));
    expect([e.layer, e.field]).toEqual(['x', field]);
  });
});

describe('building: tfjs errors are wrapped, and a failed build leaves no tensor', () => {
  const ones = (shape: number[]) => ({ path: `w[${shape}]`, shape, values: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1) });
  const weights = new Map([
    ['a', [ones([4, 4]), ones([4])]],
    ['b', [ones([4, 3]), ones([3])]],
  ]);
  // An archive as readKerasArchive returns it: the variables, and the same as Keras's saved objects.
  const archive = (config: Record<string, unknown>): act.keras.KerasArchive => ({
    config, metadata: {}, weights,
    groups: new Map([...weights].map(([name, vars]) => [name, { path: `layers/${name}`, name, vars, children: new Map() }])),
  });
  // Two Dense layers of different widths added together: the translation is fine, tfjs's Add is not.
  const config = functional([input, dense('a', call(tensor('in'))), { ...dense('b', call(tensor('in'))), config: { name: 'b', units: 3 } },
    { class_name: 'Add', config: { name: 'd' }, inbound_nodes: [call(tensor('a'), tensor('b'))] }]);

  it("names the Keras layer tfjs's message is about", async () => {
    const e = await act.keras.modelFromArchive(archive(config)).catch((x) => x);
    expect(e).toBeInstanceOf(KerasImportError);
    expect(e.layer).toBe('d');
    expect(e.message).toMatch(/^Keras import: layer 'd' \(Add\): tfjs could not build this layer: /);
  });

  it('20 failed builds (after two layers were built) leave no tensor behind', async () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) await expect(act.keras.modelFromArchive(archive(config))).rejects.toThrow("layer 'd' (Add)");
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a config implying more weights than the file holds fails before allocating them, leaving no tensor', async () => {
    const huge = sequential({ class_name: 'Dense', config: { name: 'a', units: 1e9 } });
    const before = tf.memory().numTensors;
    const t0 = Date.now();
    await expect(act.keras.modelFromArchive(archive(huge))).rejects.toThrow(
      "Keras import: layer 'a': weight a/kernel has shape [4,1000000000] in tfjs but w[4,4] has shape [4,4].");
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(tf.memory().numTensors).toBe(before);
  });
});
