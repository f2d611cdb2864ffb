/**
 * The Keras 3 export's translation (in memory, no Python): what each activation becomes (Keras's own
 * where the registry records a Keras function computing the same at those parameters, else this
 * plugin's custom object), Keras's weight layout, the import reading our custom objects back, the
 * generated Python module, and every refusal naming the layer. Keras itself checks the exports in
 * __tests__/integration/keras-export.test.ts.
 */
import './helpers/backends';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import * as act from '../src';
import { toSnakeCase } from '../src/registry';
import type { AnyDefinition } from '../src';
import { kerasFunctionOf, kerasParamName, stringParams } from '../src/keras/functions';
import { kerasModelParts } from '../src/keras/export/model';
import { MultiHeadAttention } from '../src/layers';
import { kerasPythonModule } from '../src/engine/generate/keras-python';
import { otherParams } from './helpers/export-models';

type Json = Record<string, unknown>;
type Entry = { module: string | null; class_name: string; registered_name: string | null; config: Json; build_config?: Json };

const layersOf = (m: tf.LayersModel) => (kerasModelParts(m).config.config as { layers: Entry[] }).layers;
const entry = (m: tf.LayersModel, name: string) => layersOf(m).find((l) => l.config.name === name)!;
const sym = (x: unknown) => x as tf.SymbolicTensor;
const factories = act.layers as unknown as Record<string, (a: object) => tf.layers.Layer>;

/** One layer after an input of shape [null, 4], in a Functional or a Sequential model. */
function wrap(layer: tf.layers.Layer, functional: boolean): tf.LayersModel {
  if (!functional) return tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [4] }), layer] });
  const x = tf.input({ shape: [4], name: 'x' });
  return tf.model({ inputs: x, outputs: sym(layer.apply(x)) });
}

function refusal(f: () => unknown): InstanceType<typeof act.keras.KerasExportError> {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(act.keras.KerasExportError);
    return e as InstanceType<typeof act.keras.KerasExportError>;
  }
  throw new Error('the export accepted it');
}

const withKeras = act.all().filter((d) => kerasFunctionOf(d));

describe('activations in Keras', () => {
  it.each(withKeras.map((d) => [d.id, d] as const))('%s at its defaults is Keras\'s own layer or Activation (no custom object)', (_id, def) => {
    const f = kerasFunctionOf(def)!;
    for (const functional of [true, false]) {
      const e = entry(wrap(factories[def.id]({ name: 'a' }), functional), 'a');
      if (f.layer) expect(e.class_name).toBe(f.layer);
      else if (stringParams(f)) expect([e.class_name, e.config.activation]).toEqual(['Activation', f.name]);
      // No string form (arguments required): a keras.ops node where Keras has them, else our layer.
      else if (functional) expect([e.module, e.registered_name]).toEqual(['keras.src.ops.nn', e.class_name]);
      else expect(e.registered_name).toBe(`TfjsActivations>${def.id[0].toUpperCase()}${def.id.slice(1)}`);
      expect(e.registered_name === null || e.module === 'keras.src.ops.nn' || !functional).toBe(true);
    }
  });

  it.each(withKeras.filter((d) => Object.keys(kerasFunctionOf(d)!.args).length > 0).map((d) => [d.id, d] as const))(
    '%s at other arguments: its Keras layer or keras.ops node with those arguments, under Keras\'s names', (_id, def) => {
      const f = kerasFunctionOf(def)!;
      const params = otherParams(def);
      const e = entry(wrap(factories[def.id]({ ...params, name: 'a' }), true), 'a');
      for (const p of Object.keys(f.args)) expect(e.config[kerasParamName(def, p)]).toBe(params[p]);
      expect(e.class_name).toBe(f.layer ?? f.name.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join(''));
      if (!f.layer) expect(() => kerasModelParts(wrap(factories[def.id]({ ...params, name: 'a' }), false))).not.toThrow();
    });

  it.each(act.all().filter((d) => Object.keys(d.params).length > 0).map((d) => [d.id, d] as const))(
    '%s with parameters Keras does not take is this plugin\'s custom layer, parameters under Keras names', (_id, def) => {
      const f = kerasFunctionOf(def);
      const fixed = Object.keys(f?.fixed ?? {});
      if (f && fixed.length === 0) return;  // Keras takes all its parameters (tested above)
      const params = otherParams(def);
      const e = entry(wrap(factories[def.id]({ ...params, name: 'a' }), true), 'a');
      expect(e.module).toBe(act.keras.PYTHON_MODULE);
      expect(e.registered_name).toBe(`TfjsActivations>${e.class_name}`);
      for (const [p, v] of Object.entries(params)) expect(e.config[kerasParamName(def, p)]).toBe(v);
    });

  it('learned parameters: leakyRelu\'s alpha is Keras\'s PReLU (with shared axes); any other is our layer with `learnable` in Keras names', () => {
    const prelu = entry(wrap(act.layers.leakyRelu({ alpha: 0.25, learnable: ['alpha'], sharedAxes: [1], name: 'a' }), true), 'a');
    expect([prelu.class_name, prelu.config.shared_axes, (prelu.config.alpha_initializer as Json).config]).toEqual(['PReLU', [1], { value: 0.25 }]);
    for (const def of act.all() as readonly AnyDefinition[]) {
      const numeric = Object.entries(def.params).filter(([, s]) => (s as { type: string }).type === 'number').map(([k]) => k);
      if (numeric.length === 0 || kerasFunctionOf(def)?.learnedBy) continue;
      const e = entry(wrap(factories[def.id]({ ...otherParams(def), learnable: numeric, name: 'a' }), true), 'a');
      expect(e.registered_name).toBe(`TfjsActivations>${e.class_name}`);
      expect(e.config.learnable).toEqual(numeric.map((p) => kerasParamName(def, p)));
      expect(e.build_config).toEqual({ input_shape: [null, 4] });
    }
  });

  it('activation names: Keras\'s string where Keras computes ours at our defaults, else our registered function', () => {
    for (const def of act.all() as readonly AnyDefinition[]) {
      const e = entry(wrap(tf.layers.dense({ units: 2, activation: act.name(def.id as never), name: 'd' }), true), 'd');
      const f = kerasFunctionOf(def);
      const asString = f && stringParams(f);
      if (asString) expect(e.config.activation).toBe(f!.name);
      else expect(e.config.activation).toEqual({ module: 'builtins', class_name: 'function', config: expect.stringMatching(/^TfjsActivations>/), registered_name: 'function' });
    }
  });

  it('tfjs\'s own activations: the Keras function of the same semantics, Keras 2\'s hardSigmoid as our custom object, gelu_new refused', () => {
    const dense = (activation: string) => wrap(tf.layers.dense({ units: 2, activation: activation as never, name: 'd' }), true);
    expect(entry(dense('relu'), 'd').config.activation).toBe('relu');
    expect(entry(dense('swish'), 'd').config.activation).toBe('silu');
    expect(entry(dense('softmax'), 'd').config.activation).toBe('softmax');
    // tfjs's 'hardSigmoid' is Keras 2's x/5 + 1/2, which Keras 3 lacks: the registry's definition of it, as a custom object.
    const keras2 = act.all().find((d) => d.builtin?.tfjsActivation === 'hardSigmoid')!;
    expect(keras2.forward(1, {})).toBeCloseTo(0.7, 12);
    expect(entry(dense('hardSigmoid'), 'd').config.activation).toEqual({ module: 'builtins', class_name: 'function', config: `TfjsActivations>${toSnakeCase(keras2.id)}`, registered_name: 'function' });
    expect(refusal(() => kerasModelParts(dense('gelu_new'))).message).toContain("tfjs's 'gelu_new' (gelu's tanh approximation) has no Keras 3 string name");
  });
});

describe('Keras\'s model layout', () => {
  it('Sequential: an InputLayer first, build_input_shape, weight groups by class in layer order (no InputLayer group)', () => {
    const m = tf.sequential({ name: 'seq' });
    m.add(tf.layers.dense({ units: 3, inputShape: [4], name: 'd1' }));
    m.add(act.layers.leakyRelu({ learnable: ['alpha'], name: 'p' }));
    m.add(tf.layers.dense({ units: 2, name: 'd2' }));
    const parts = kerasModelParts(m);
    expect(parts.config.class_name).toBe('Sequential');
    const cfg = parts.config.config as { layers: Entry[]; build_input_shape: unknown };
    expect(cfg.layers.map((l) => l.class_name)).toEqual(['InputLayer', 'Dense', 'PReLU', 'Dense']);
    expect(cfg.build_input_shape).toEqual([null, 4]);
    expect(parts.weights.layers.map(([k, t]) => [k, t.name, t.vars.map((v) => v.variable.shape)])).toEqual([
      ['dense', 'd1', [[4, 3], [3]]], ['p_re_lu', 'p', [[3]]], ['dense_1', 'd2', [[3, 2], [2]]],
    ]);
    expect(parts.metadata.keras_version).toBe(act.keras.KERAS_FORMAT_VERSION);
  });

  it('Functional: InputLayers in the weight groups, Keras tensors with shapes, keras.ops nodes outside model.layers, RNN cells nested', () => {
    const x = tf.input({ shape: [5, 3], name: 'x' });
    const r = sym(tf.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid', name: 'rnn' }).apply(x));
    const t = sym(act.layers.threshold({ threshold: 0.5, value: -1, name: 'thr' }).apply(r));
    const m = tf.model({ inputs: x, outputs: sym(tf.layers.add({ name: 'sum' }).apply([t, r])), name: 'fun' });
    const parts = kerasModelParts(m);
    const layers = (parts.config.config as { layers: Array<Entry & { inbound_nodes: Array<{ args: unknown[] }> }> }).layers;
    const thr = layers.find((l) => l.config.name === 'thr')!;
    expect([thr.module, thr.class_name, thr.config]).toEqual(['keras.src.ops.nn', 'Threshold', { name: 'thr', threshold: 0.5, default_value: -1 }]);
    const sum = layers.find((l) => l.config.name === 'sum')!;
    expect(sum.inbound_nodes[0].args).toEqual([[
      { class_name: '__keras_tensor__', config: { shape: [null, 5, 4], dtype: 'float32', keras_history: ['thr', 0, 0] } },
      { class_name: '__keras_tensor__', config: { shape: [null, 5, 4], dtype: 'float32', keras_history: ['rnn', 0, 0] } },
    ]]);
    const groups = parts.weights.layers.map(([k, tree]) => [k, tree.vars.length, tree.children.map(([c, sub]) => [c, sub.vars.map((v) => v.variable.shape)])]);
    expect(groups).toEqual([['input_layer', 0, []], ['lstm', 0, [['cell', [[3, 16], [4, 16], [16]]]]], ['add', 0, []]]);
  });

  it('the import reads our custom objects back as the same tfjs layers and activation names', () => {
    const x = tf.input({ shape: [4], name: 'x' });
    let h = sym(tf.layers.dense({ units: 4, activation: act.name('snake'), name: 'd' }).apply(x));
    h = sym(act.layers.swish({ beta: 1.5, learnable: ['beta'], sharedAxes: [1], name: 's' }).apply(h));
    h = sym(act.layers.maxout({ units: 2, pieces: 3, name: 'mo' }).apply(h));
    h = sym(act.layers.sparsemax({ name: 'sm' }).apply(h));
    const m = tf.model({ inputs: x, outputs: h });
    const { topology } = act.keras.translateConfig(kerasModelParts(m).config);
    const tfjs = (topology.config as { layers: Array<{ class_name: string; config: Json }> }).layers;
    const by = (n: string) => tfjs.find((l) => l.config.name === n)!;
    expect(by('d').config.activation).toBe('act.snake');
    expect([by('s').class_name, by('s').config.beta, by('s').config.learnable, by('s').config.shared_axes]).toEqual(['TfjsActivations>Swish', 1.5, ['beta'], [1]]);
    expect([by('mo').class_name, by('mo').config.units, by('mo').config.pieces]).toEqual(['TfjsActivations>Maxout', 2, 3]);
    expect(by('sm').class_name).toBe('TfjsActivations>Sparsemax');
  });
});

describe('refusals name the layer', () => {
  it('a layer class the export does not know', () => {
    const e = refusal(() => kerasModelParts(wrap(tf.layers.gaussianNoise({ stddev: 0.1, name: 'noise' }), true)));
    expect(e.message).toMatch(/^Keras export: layer 'noise' \(GaussianNoise\): layer class 'GaussianNoise' is not exported\. Exported: /);
    expect(e.layer).toBe('noise');
  });

  it('constraints, bilinear upsampling, nested models, Bidirectional sequences under masks; all at once', () => {
    const c = refusal(() => kerasModelParts(wrap(tf.layers.dense({ units: 2, kernelConstraint: tf.constraints.maxNorm({ maxValue: 2 }), name: 'd' }), true)));
    expect(c.message).toContain("layer 'd' (Dense), field 'kernel_constraint': is not exported (only null is)");
    const img = tf.input({ shape: [2, 2, 1] });
    const up = tf.model({ inputs: img, outputs: sym(tf.layers.upSampling2d({ interpolation: 'bilinear', name: 'up' }).apply(img)) });
    expect(refusal(() => kerasModelParts(up)).message).toContain("field 'interpolation': tfjs's bilinear UpSampling2D samples at corner-aligned points");
    const inner = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [4] })], name: 'inner' });
    expect(refusal(() => kerasModelParts(wrap(inner as unknown as tf.layers.Layer, true))).message).toContain('nested models are not exported yet');
    const tokens = tf.input({ shape: [3] });
    const e = sym(tf.layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true }).apply(tokens));
    const bi = sym(tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 2, returnSequences: true, recurrentActivation: 'sigmoid' }) as never, name: 'bi' }).apply(e));
    const masked = tf.model({ inputs: tokens, outputs: sym(tf.layers.dense({ units: 2, activation: 'gelu_new' as never, name: 'hs' }).apply(bi)) });
    const both = refusal(() => kerasModelParts(masked));
    expect(both.message).toMatch(/^Keras export: 2 layers cannot be exported:/);
    expect(both.message).toContain("layer 'bi' (Bidirectional), field 'layer': returns sequences in a model with masks");
    expect(both.message).toContain("layer 'hs' (Dense), field 'activation'");
  });

  it('saveModel writes .keras files only', async () => {
    const m = wrap(tf.layers.dense({ units: 2 }), true);
    await expect(act.keras.saveModel(m, 'file://model.h5')).rejects.toThrow("saveModel: the file name must end in .keras (Keras loads no other). Received: 'model.h5'");
  });
});

describe('the generated Python module', () => {
  const source = kerasPythonModule();
  it('registers a layer and a function for every definition, and the structured layers, under TfjsActivations', () => {
    for (const def of act.all() as readonly AnyDefinition[]) {
      const cls = def.id[0].toUpperCase() + def.id.slice(1);
      expect(source).toContain(`@keras.saving.register_keras_serializable(package=PACKAGE, name="${cls}")\nclass ${cls}(_Elementwise):`);
      expect(source).toContain(`_DEFINITIONS["${def.id}"] = {`);
    }
    for (const cls of ['GLU', 'Softmin', 'Sparsemax', 'Maxout', 'RReLU']) expect(source).toContain(`name="${cls}")\nclass ${cls}(keras.layers.Layer):`);
    expect(source).toContain('PACKAGE = "TfjsActivations"');
    expect(act.keras.pythonModule()).toBe(source);
  });

  it('writes each float32 form as keras.ops code: one assignment per operation, floats only', () => {
    // Every constant is a Python float (ints would make keras.ops results integer tensors).
    const assignments = source.split('\n').filter((l) => /^ {4}t\d+ = /.test(l));
    expect(assignments.length).toBeGreaterThan(100);
    for (const l of assignments) expect(l).not.toMatch(/[(,] -?\d+[,)]/);
    expect(source).not.toMatch(/ops\.undefined|undefined\(/);
  });
});

describe('weights Keras keeps as integers', () => {
  it("Normalization's adapted sample count is written as int64, and must be a whole number", async () => {
    const model = wrap(act.layers.normalization({ name: 'norm' }), true);
    const [mean, variance] = model.getLayer('norm').getWeights();
    model.getLayer('norm').setWeights([mean, variance, tf.scalar(2.5)]);
    await expect(act.keras.exportModel(model)).rejects.toThrow("Keras export: layer 'norm': weight norm/count must hold whole numbers, which Keras keeps as int64. Received: 2.5");
    model.getLayer('norm').setWeights([mean, variance, tf.scalar(12)]);
    const back = await act.keras.loadModel((await act.keras.exportModel(model)).bytes);
    expect(back.getLayer('norm').getWeights()[2].dataSync()[0]).toBe(12);
  });
});

describe('the layers the Keras import makes for Keras 3 features, back in Keras', () => {
  const load = (name: string) => act.keras.loadModel(fs.readFileSync(path.join(__dirname, 'fixtures', 'keras', `${name}.keras`)));
  type Node = { args: unknown[]; kwargs: Json };
  const nodes = (e: Entry) => (e as Entry & { inbound_nodes: Node[] }).inbound_nodes;
  const tensorOf = (v: unknown) => ((v as { config: { keras_history: unknown[] } }).config.keras_history[0]);

  it('GroupedConv1D/2D are Conv1D/Conv2D with groups, causal padding and channels_first', async () => {
    const model = await load('conv_more');
    const pick = (e: Entry) => [e.class_name, e.config.groups, e.config.padding, e.config.data_format];
    expect(pick(entry(model, 'causal'))).toEqual(['Conv1D', 1, 'causal', 'channels_last']);
    expect(pick(entry(model, 'first1d_grouped_causal'))).toEqual(['Conv1D', 2, 'causal', 'channels_first']);
    expect(pick(entry(model, 'first2d_grouped'))).toEqual(['Conv2D', 2, 'same', 'channels_first']);
    model.dispose();
  });

  it("this plugin's GRU is GRU(reset_after=True), its variables in gru_cell; in Bidirectional too", async () => {
    const model = await load('gru');
    const e = entry(model, 'gru_seq');
    expect([e.class_name, e.config.reset_after]).toEqual(['GRU', true]);
    const bi = entry(model, 'bigru').config as { layer: Entry; backward_layer: Entry };
    expect([bi.layer.class_name, bi.layer.config.reset_after, bi.backward_layer.config.go_backwards]).toEqual(['GRU', true, true]);
    const tree = kerasModelParts(model).weights.layers.find(([, t]) => t.name === 'gru_seq')![1];
    expect(tree.children.map(([k, t]) => [k, t.name, t.vars.map((v) => v.variable.shape)])).toEqual([['cell', 'gru_cell', [[6, 15], [5, 15], [2, 15]]]]);
    model.dispose();
  });

  it("MultiHeadAttention: Keras's options and call arguments; the masks Keras computes itself are left to it", async () => {
    const model = await load('attention_more');
    const layers = layersOf(model);
    expect(layers.filter((l) => String(l.config.name).includes('_keras_mask_'))).toEqual([]);
    const self = entry(model, 'self_masked');
    expect(nodes(self)[0].kwargs).toEqual({});
    const gated = entry(model, 'gated');
    expect([gated.config.use_gate, gated.config.output_shape]).toEqual([true, [2, 3]]);
    const kwargs = nodes(gated)[0].kwargs;
    expect(Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, tensorOf(v)]))).toEqual({ key: 'key_proj', value_mask: 'vm', key_mask: 'km', attention_mask: 'am' });
    const tree = kerasModelParts(model).weights.layers.find(([, t]) => t.name === 'gated')![1];
    expect(tree.children.map(([k]) => k)).toEqual(['query_dense', 'key_dense', '_gate_dense', 'value_dense', 'output_dense']);
    expect(entry(model, 'window').config.sliding_window).toBe(2);
    expect(entry(model, 'axes2').config.attention_axes).toEqual([2]);
    expect(nodes(entry(model, 'axes2'))[0].kwargs).toEqual({ return_attention_scores: true });
    // The model input only an ignored query_mask read stays an input.
    expect((kerasModelParts(model).config.config as { input_layers: unknown[][] }).input_layers.map((r) => r[0])).toContain('qm');
    model.dispose();
  });

  it('a MultiHeadAttention query mask Keras cannot take is refused, naming the layer and field', () => {
    const q = tf.input({ shape: [3, 4], name: 'q' });
    const m = tf.input({ shape: [3], name: 'm' });
    const mha = new MultiHeadAttention({ numHeads: 1, keyDim: 2, withQueryMask: true, name: 'mha' });
    const model = tf.model({ inputs: [q, m], outputs: sym(mha.apply([q, q, m])) });
    const e = refusal(() => kerasModelParts(model));
    expect([e.layer, e.field]).toEqual(['mha', 'with_query_mask']);
    model.dispose();
  });

  it('Softmax and GlobalAveragePooling1D called with a mask; LayerNormalization(rms_scaling=True)', async () => {
    const model = await load('layers_more');
    const soft = entry(model, 'masked_softmax');
    expect([soft.class_name, soft.config.axis, tensorOf(nodes(soft)[0].kwargs.mask)]).toEqual(['Softmax', -1, 'not_equal']);
    const rms = entry(model, 'rms_scaled_2axes');
    expect([rms.class_name, rms.config.rms_scaling, rms.config.axis]).toEqual(['LayerNormalization', true, [1, 2]]);
    expect(entry(model, 'up_first').config.data_format).toBe('channels_first');
    model.dispose();
    const pooled = await load('masked_pooling');
    const gap = entry(pooled, 'gap_masked_keep');
    expect([gap.class_name, gap.config.keepdims, Object.keys(nodes(gap)[0].kwargs)]).toEqual(['GlobalAveragePooling1D', true, ['mask']]);
    pooled.dispose();
  });

  it('keras.ops nodes called several times, one on its own output (block(block(x)))', async () => {
    const model = await load('shared_calls');
    expect(nodes(entry(model, 'multiply')).map((n) => tensorOf(n.args[0]))).toEqual(['x', 'y', 'x', 'subtract']);
    const item = nodes(entry(model, 'get_item'))[0].args[1];
    expect(item).toEqual([{ class_name: '__slice__', config: { start: null, stop: null, step: null } }, { class_name: '__slice__', config: { start: null, stop: null, step: -1 } }]);
    model.dispose();
  });
});
