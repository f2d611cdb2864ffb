/**
 * Keras 3 export (act.keras.saveModel), on the models of helpers/export-models.ts (every element-wise
 * activation as layers, learned parameters and names; the structured layers; most tfjs layers):
 *
 * - import(export(m)) is m again, bit for bit (weights and predictions), on cpu, wasm and tensorflow;
 * - Keras 3 loads each export (after `import tfjs_activations_keras`, the generated module) on its
 *   TensorFlow and JAX backends, predicts what tfjs predicts within 1e-5 relative (+1e-6 absolute near
 *   0), writes back the config we wrote, and one SGD step from the same weights gives tfjs's loss and
 *   weights within float32 noise;
 * - every Keras function the registry calls ours has our values, argument names and defaults, as a
 *   function, as its layer and as its keras.ops node; Keras's sparsemax is measured against the true one.
 *
 * The Python half runs in one process per Keras backend (helpers/python.ts makes the venv); without
 * Python it is skipped with a printed reason, except in CI (TFJS_ACTIVATIONS_REQUIRE_PYTHON=1).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import * as act from '../../src';
import type { AnyDefinition } from '../../src';
import { kerasFunctions, kerasParamName, stringParams } from '../../src/keras/functions';
import { describeEachBackend, useBackend } from '../helpers/backends';
import { buildCase, caseData, EXPORT_CASES, otherParams, type ExportCase } from '../helpers/export-models';
import { kerasPython, runPython } from '../helpers/python';

const RTOL = 1e-5;
const ATOL = 1e-6;
const LEARNING_RATE = 0.05;
const KERAS_BACKENDS = ['tensorflow', 'jax'] as const;

const py = kerasPython();
if (py.missing) console.warn(`Keras export: the Python half is skipped: ${py.missing}`);
const describePython = py.python ? describe : describe.skip;

interface Arr { shape: number[]; data: number[] }
interface KerasModelResult {
  predictions: Arr[];
  classes: Record<string, string>;
  config_mismatches: string[];
  loss?: number;
  weights?: Record<string, Arr[]>;
}
interface KerasFunctionResult {
  signature: Record<string, number | boolean | null>;
  required: string[];
  op_class: boolean;
  cases: Array<{ function: Arr; layer?: Arr; op?: Arr; learned?: Arr }>;
}
interface KerasResults {
  backend: string;
  keras_version: string;
  import_seconds: number;
  seconds: number;
  models: Record<string, KerasModelResult>;
  functions: Record<string, KerasFunctionResult>;
  sparsemax: { keras: Arr; ours: Arr };
}

/** The Keras import's fixtures (Keras's own models and outputs), imported, exported and run by Keras again. */
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'keras');
interface Fixture {
  inputs: Array<{ dtype: string; shape: number[]; data: number[] }>;
  outputs: Array<{ shape: number[]; data: number[]; exact?: number[] }>;
}
const REEXPORTED = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.keras') && !f.startsWith('refused_'))
  .map((f) => f.slice(0, -'.keras'.length)).sort();
/** Deep models (20 to 270 layers): float32 sums in another order than Keras's, as in the import's tests. */
const DEEP = new Set(['mobilenet', 'mobilenet_v2', 'mobilenet_v3_small', 'mobilenet_v3_large', 'efficientnet', 'resnet50', 'resnet50_v2', 'convnext',
  'transformer_encoder', 'bilstm_text', 'keras_ops', 'conv_layers', 'nested']);
/**
 * The Keras backend each re-export runs on: TensorFlow, except where generate.py made the fixture with
 * JAX (its JAX_ONLY: TensorFlow's CPU kernels have no channels_first convolution).
 */
const FIXTURE_BACKEND: Record<string, (typeof KERAS_BACKENDS)[number]> = { conv_more: 'jax' };
const fixtureBackend = (name: string) => FIXTURE_BACKEND[name] ?? 'tensorflow';
const fixture = (name: string): Fixture => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));

/** Points away from every kink of the tested parameters. */
const X = [-2.9, -1.3, -0.6, -0.2, -0.04, 0.04, 0.2, 0.6, 1.3, 2.9];
const SPARSEMAX_ROWS = [[0.5, 1, -0.2, 0.9, 0.95], [0.1, -0.4, 0.3, 0.2, 0.25], [2, -1, 0.5, 1.9, 0.1]];

/** What each Keras function case should compute: our definition in float64 at the parameters Keras uses. */
function functionCases(def: AnyDefinition) {
  const f = kerasFunctions().find((k) => k.def === def)!;
  const defaults = Object.fromEntries(Object.entries(def.params).map(([k, s]) => [k, (s as { default: unknown }).default]));
  const cases: Array<{ args: Record<string, unknown>; op: boolean; learned?: number; params: Record<string, unknown> }> = [];
  // Its layer is written with every argument (LeakyReLU's default differs from leaky_relu's: 0.3, 0.2).
  const asString = stringParams(f);
  if (asString) cases.push({ args: {}, op: false, params: { ...defaults, ...asString } });
  const argNames = Object.keys(f.args);
  if (argNames.length > 0) {
    const other = otherParams(def);
    const params = { ...defaults, ...f.fixed, ...Object.fromEntries(argNames.map((k) => [k, other[k]])) };
    // Other arguments: a keras.ops node where Keras has no layer for them (what the export writes in Functional models).
    cases.push({ args: Object.fromEntries(argNames.map((k) => [kerasParamName(def, k), params[k]])), op: !f.layer, params });
  }
  if (f.learnedBy) {
    const value = otherParams(def)[f.learnedBy.param] as number;
    cases.push({ args: {}, op: false, learned: value, params: { ...defaults, [f.learnedBy.param]: value } });
  }
  return { f, cases };
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string, rtol = RTOL, atol = ATOL): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  const bad: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (!(d <= rtol * Math.abs(want[i]) + atol)) bad.push(`${what}[${i}]: got ${got[i]}, want ${want[i]} (difference ${d.toExponential(2)})`);
    if (Math.abs(want[i]) >= 1e-3) worst = Math.max(worst, d / Math.abs(want[i]));
  }
  expect(bad.slice(0, 10)).toEqual([]);
  return worst;
}

const bits = (t: tf.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync() as Float32Array).buffer));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-activations-export-'));
// KERAS_EXPORT_KEEP=1 keeps the exports, the manifest and the Python module (to rerun the Python half by hand).
afterAll(() => (process.env.KERAS_EXPORT_KEEP === '1' ? console.log(`exports kept in ${tmp}`) : fs.rmSync(tmp, { recursive: true, force: true })));

/** Measured worst relative differences, printed at the end (the numbers quoted in the docs). */
const report: string[] = [];
afterAll(() => {
  if (report.length) process.stdout.write(`\nKeras export, worst relative differences (|value| >= 1e-3):\n${report.map((l) => `  ${l}`).join('\n')}\n`);
});

describe('keras export', () => {
  /** Keras's results per Keras backend, from the exports made on cpu. */
  const keras: Partial<Record<(typeof KERAS_BACKENDS)[number], KerasResults>> = {};

  beforeAll(async () => {
    await useBackend('cpu');
    const models = [];
    for (const c of EXPORT_CASES) {
      const model = buildCase(c);
      const file = path.join(tmp, `${c.name}.keras`);
      await act.keras.saveModel(model, file);
      const { xs, y } = caseData(c, model);
      models.push({
        name: c.name, file,
        inputs: xs.map((x) => ({ shape: x.shape, dtype: x.dtype, data: Array.from(x.dataSync()) })),
        targets: c.train ? { shape: y.shape, data: Array.from(y.dataSync()) } : null,
        learning_rate: LEARNING_RATE,
        backends: c.kerasBackends ?? KERAS_BACKENDS,
      });
      tf.dispose([...xs, y]);
      model.dispose();
    }
    for (const name of REEXPORTED) {
      const model = await act.keras.loadModel(fs.readFileSync(path.join(FIXTURES, `${name}.keras`)), { sparsemax: 'exact' });
      const file = path.join(tmp, `fixture_${name}.keras`);
      await act.keras.saveModel(model, file);
      model.dispose();
      models.push({ name: `fixture_${name}`, file, inputs: fixture(name).inputs, targets: null, learning_rate: LEARNING_RATE, backends: [fixtureBackend(name)] });
    }
    fs.writeFileSync(path.join(tmp, 'tfjs_activations_keras.py'), act.keras.pythonModule());
    const functions = act.all().filter((d) => kerasFunctions().some((f) => f.def === d)).map((def) => {
      const { f, cases } = functionCases(def);
      return {
        id: def.id, name: f.name, layer: f.layer ?? null, learned_by: f.learnedBy?.layer ?? null, x: X,
        cases: cases.map((c) => ({
          args: c.args, op: c.op, learned: c.learned ?? null,
          layer_args: Object.fromEntries(Object.keys(f.args).map((p) => [kerasParamName(def, p), c.params[p]])),
        })),
      };
    });
    const manifest = path.join(tmp, 'manifest.json');
    fs.writeFileSync(manifest, JSON.stringify({ python_path: tmp, models, functions, sparsemax: SPARSEMAX_ROWS }));
    if (!py.python) return;
    const script = path.join(__dirname, '..', 'support', 'keras_export_check.py');
    const started = Date.now();
    await Promise.all(KERAS_BACKENDS.map(async (b) => {
      // JAX compiles every initializer and step with XLA: its persistent cache (next to the venv) makes reruns fast.
      const env: Record<string, string> = { KERAS_BACKEND: b, JAX_COMPILATION_CACHE_DIR: path.join(path.dirname(path.dirname(py.python!)), 'jax-cache'),
        JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS: '0' };
      keras[b] = JSON.parse(await runPython(py.python!, [script, manifest], env));
    }));
    const times = KERAS_BACKENDS.map((b) => `${b} ${keras[b]!.seconds.toFixed(1)} s (imports ${keras[b]!.import_seconds.toFixed(1)} s)`).join(', ');
    report.push(`Python half: ${((Date.now() - started) / 1000).toFixed(1)} s wall (${times}), Keras ${keras.tensorflow!.keras_version}`);
  }, 15 * 60 * 1000);

  it('writes a .keras archive that the import reads back as the same graph of layers', async () => {
    const archive = act.keras.readKerasArchive(fs.readFileSync(path.join(tmp, 'activations_functional.keras')));
    expect(archive.config.class_name).toBe('Functional');
    expect(archive.metadata.keras_version).toBe(act.keras.KERAS_FORMAT_VERSION);
    const layers = (archive.config.config as { layers: Array<{ config: { name: string } }> }).layers.map((l) => l.config.name);
    const model = buildCase(EXPORT_CASES[0]);
    expect(layers).toEqual(model.layers.map((l) => l.name));
    model.dispose();
  });

  describeEachBackend((backend) => {
    describe.each(EXPORT_CASES)('$name', (c: ExportCase) => {
      it('import(export(m)) has the same weights and predictions, bit for bit', async () => {
        const model = buildCase(c);
        const { bytes } = await act.keras.exportModel(model);
        const back = await act.keras.loadModel(bytes);
        const { xs, y } = caseData(c, model);
        try {
          for (const layer of model.layers) {
            if (layer.weights.length === 0) continue;
            const ours = layer.getWeights();
            const theirs = back.getLayer(layer.name).getWeights();
            expect(theirs.map((w) => w.shape)).toEqual(ours.map((w) => w.shape));
            ours.forEach((w, i) => expect(bits(theirs[i])).toEqual(bits(w)));
          }
          const a = model.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor;
          const b = back.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor;
          if (c.name === 'tfjs_activations') {
            // tfjs's own activations come back as this plugin's (the same functions, computed more exactly).
            report.push(`${backend} ${c.name} round trip: ${expectClose(b.dataSync(), a.dataSync(), 'prediction', 1e-5, 1e-6).toExponential(1)}`);
          } else {
            expect(bits(b)).toEqual(bits(a));
          }
          tf.dispose([a, b]);
        } finally {
          tf.dispose([...xs, y]);
          model.dispose();
          back.dispose();
        }
      });

      const cannot = c.untrainable?.[backend];
      if (c.train && cannot) {
        it(`cannot train here: ${cannot}`, async () => {
          const model = buildCase(c);
          const { xs, y } = caseData(c, model);
          model.compile({ optimizer: tf.train.sgd(LEARNING_RATE), loss: 'meanSquaredError' });
          await expect(model.trainOnBatch(xs.length === 1 ? xs[0] : xs, y)).rejects.toThrow(cannot);
          tf.dispose([...xs, y]);
          model.dispose();
        });
      }
      describePython.each(c.kerasBackends ?? KERAS_BACKENDS)('in Keras (%s backend)', (kb) => {
        it('loads, predicts what tfjs predicts, and writes back the config we wrote', () => {
          const r = keras[kb]!.models[c.name];
          expect(r.config_mismatches).toEqual([]);
          const model = buildCase(c);
          const { xs, y } = caseData(c, model);
          const ys = model.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor;
          expect(r.predictions[0].shape).toEqual(ys.shape);
          report.push(`${backend} vs Keras/${kb} ${c.name} predictions: ${expectClose(ys.dataSync(), r.predictions[0].data, 'prediction').toExponential(1)}`);
          tf.dispose([...xs, y, ys]);
          model.dispose();
        });

        if (c.train && !cannot) it('one SGD step gives tfjs\'s loss and weights', async () => {
          const r = keras[kb]!.models[c.name];
          const model = buildCase(c);
          const { xs, y } = caseData(c, model);
          model.compile({ optimizer: tf.train.sgd(LEARNING_RATE), loss: 'meanSquaredError' });
          const loss = (await model.trainOnBatch(xs.length === 1 ? xs[0] : xs, y)) as number;
          expectClose([r.loss!], [loss], 'loss', 1e-5, 1e-7);
          let worst = 0;
          for (const layer of model.layers) {
            if (layer.weights.length === 0) continue;
            const theirs = r.weights![layer.name];
            expect(theirs?.length).toBe(layer.weights.length);
            layer.getWeights().forEach((w, i) => {
              worst = Math.max(worst, expectClose(theirs[i].data, w.dataSync(), `${layer.name}/${layer.weights[i].originalName}`));
            });
          }
          report.push(`${backend} vs Keras/${kb} ${c.name} train step: loss ${loss.toPrecision(6)} vs ${r.loss!.toPrecision(6)}, weights ${worst.toExponential(1)}`);
          tf.dispose([...xs, y]);
          model.dispose();
        });
      });
    });
  });

  describe('Keras models imported into tfjs and exported again', () => {
    it.each(REEXPORTED)('%s: export(import(k)) imports as the same tfjs model, bit for bit (cpu)', async (name) => {
      await useBackend('cpu');
      const model = await act.keras.loadModel(fs.readFileSync(path.join(FIXTURES, `${name}.keras`)), { sparsemax: 'exact' });
      const back = await act.keras.loadModel((await act.keras.exportModel(model)).bytes);
      const xs = fixture(name).inputs.map((i) => tf.tensor(i.data, i.shape, i.dtype.startsWith('int') ? 'int32' : 'float32'));
      const a = ([] as tf.Tensor[]).concat(model.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor | tf.Tensor[]);
      const b = ([] as tf.Tensor[]).concat(back.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor | tf.Tensor[]);
      a.forEach((t, i) => expect(bits(b[i])).toEqual(bits(t)));
      tf.dispose([...xs, ...a, ...b]);
      model.dispose();
      back.dispose();
    });

  });

  describePython('Keras models imported into tfjs and exported again, in Keras (tensorflow backend; jax where the fixture was made with it)', () => {
    it.each(REEXPORTED)('%s: Keras runs the re-export and predicts what Keras predicted from the original', (name) => {
      const r = keras[fixtureBackend(name)]!.models[`fixture_${name}`];
      expect(r.config_mismatches).toEqual([]);
      const f = fixture(name);
      const [rtol, atol] = DEEP.has(name) ? [1e-4, 1e-5] : [RTOL, ATOL];
      let worst = 0;
      f.outputs.forEach((o, k) => {
        expect(r.predictions[k].shape).toEqual(o.shape);
        worst = Math.max(worst, expectClose(r.predictions[k].data, o.exact ?? o.data, `output ${k}`, rtol, atol));
      });
      report.push(`Keras -> tfjs -> Keras ${name}: ${worst.toExponential(1)}`);
    });
  });

  describePython.each(KERAS_BACKENDS)('Keras functions the registry calls ours (%s backend)', (kb) => {
    it.each(act.all().filter((d) => kerasFunctions().some((f) => f.def === d)).map((d) => [d.id, d] as const))('%s', (_id, def) => {
      const r = keras[kb]!.functions[def.id];
      const { f, cases } = functionCases(def);
      // Keras takes exactly our arguments, under our Keras names, with the defaults we record.
      const expected = Object.fromEntries(Object.entries(f.args).map(([k, v]) => [kerasParamName(def, k), v]));
      expect(r.signature).toEqual(expected);
      // A null default is "required" unless our parameter is nullable (relu's max_value=None).
      const nullable = (p: string) => (def.params[p] as { nullable?: boolean }).nullable === true;
      expect(r.required.sort()).toEqual(Object.entries(f.args).filter(([p, v]) => v === null && !nullable(p)).map(([p]) => kerasParamName(def, p)).sort());
      cases.forEach((c, i) => {
        const want = X.map((x) => def.forward(x, c.params as never));
        const got = r.cases[i];
        if (c.learned === undefined) expectClose(got.function.data, want, `${f.name}(${JSON.stringify(c.args)})`);
        if (f.layer && c.learned === undefined) expectClose(got.layer!.data, want, `${f.layer}(${JSON.stringify(c.args)})`);
        if (c.op) {
          expect(got.op).toBeDefined();
          expectClose(got.op!.data, want, `ops ${f.name}(${JSON.stringify(c.args)})`);
        }
        if (c.learned !== undefined) expectClose(got.learned!.data, want, `${f.learnedBy!.layer}(alpha=${c.learned})`);
      });
    });
  });

  describePython.each(KERAS_BACKENDS)('sparsemax (%s backend)', (kb) => {
    it('the generated Sparsemax computes sparsemax; Keras 3\'s does not', () => {
      const r = keras[kb]!.sparsemax;
      const x = tf.tensor(SPARSEMAX_ROWS);
      const truth = act.sparsemax(x);
      expectClose(r.ours.data, truth.dataSync(), 'Sparsemax');
      // The docs' example row: Keras's threshold sums the cumulative sums over the whole support.
      expect(r.keras.data.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
      report.push(`Keras/${kb} sparsemax of ${JSON.stringify(SPARSEMAX_ROWS)}: ${JSON.stringify(r.keras.data.map((v) => +v.toFixed(4)))} (true: ${JSON.stringify(Array.from(truth.dataSync()).map((v) => +v.toFixed(4)))})`);
      tf.dispose([x, truth]);
    });
  });
});

describe('npx tfjs-activations export model.json out.keras', () => {
  const tsx = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
  const cli = path.join(__dirname, '..', '..', 'src', 'cli.ts');
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-act-export-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => spawnSync(tsx, [cli, ...args], { encoding: 'utf8', timeout: 120000, cwd: dir });

  /** A case's model as tfjs saves it (model.json + weights.bin), and the model. */
  async function saved(c: ExportCase): Promise<tf.LayersModel> {
    const model = buildCase(c);
    const { modelJson, weightData } = await act.keras.toArtifacts(model);
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJson));
    fs.writeFileSync(path.join(dir, 'weights.bin'), new Uint8Array(weightData));
    return model;
  }

  it('writes the .keras file and the Python module; it imports back as the same model', async () => {
    await useBackend('cpu');
    const c = EXPORT_CASES.find((e) => e.name === 'structured_sequential')!;
    const model = await saved(c);
    const r = run('export', 'model.json', 'out/model.keras');
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('Exported model.json');
    expect(r.stdout).toContain('`import tfjs_activations_keras` before keras.saving.load_model');
    expect(fs.readdirSync(path.join(dir, 'out')).sort()).toEqual(['model.keras', 'tfjs_activations_keras.py']);
    expect(fs.readFileSync(path.join(dir, 'out', 'tfjs_activations_keras.py'), 'utf8')).toBe(act.keras.pythonModule());
    const back = await act.keras.loadModel(fs.readFileSync(path.join(dir, 'out', 'model.keras')));
    const { xs, y } = caseData(c, model);
    expect(bits(back.predict(xs[0]) as tf.Tensor)).toEqual(bits(model.predict(xs[0]) as tf.Tensor));
    tf.dispose([...xs, y]);
    model.dispose();
    back.dispose();
    // Without custom objects there is no module to write.
    const plain = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], activation: act.name('gelu') })] });
    const { modelJson, weightData } = await act.keras.toArtifacts(plain);
    fs.writeFileSync(path.join(dir, 'plain.json'), JSON.stringify({ ...modelJson, weightsManifest: [{ ...modelJson.weightsManifest[0], paths: ['plain.bin'] }] }));
    fs.writeFileSync(path.join(dir, 'plain.bin'), new Uint8Array(weightData));
    expect(run('export', 'plain.json', 'plain.keras', '--no-python-module').status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'plain.keras'))).toBe(true);
    plain.dispose();
  });

  it('fails with one line and exit code 1', async () => {
    const model = await saved(EXPORT_CASES.find((e) => e.name === 'tfjs_activations')!);
    model.dispose();
    const refused = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], activation: 'gelu_new' as never, name: 'hs' })] });
    const { modelJson, weightData } = await act.keras.toArtifacts(refused);
    fs.writeFileSync(path.join(dir, 'refused.json'), JSON.stringify({ ...modelJson, weightsManifest: [{ ...modelJson.weightsManifest[0], paths: ['refused.bin'] }] }));
    fs.writeFileSync(path.join(dir, 'refused.bin'), new Uint8Array(weightData));
    refused.dispose();
    const ours = (stderr: string) => stderr.split('\n').filter((l) => /^(tfjs-activations:|error:)/.test(l));
    const cases: Array<[string[], string]> = [
      [['export', 'model.json', 'model.h5'], 'tfjs-activations: Keras export: saveModel: the file name must end in .keras'],
      [['export', 'refused.json', 'x.keras'], "tfjs-activations: Keras export: layer 'hs' (Dense), field 'activation': tfjs's 'gelu_new' (gelu's tanh approximation)"],
      [['export', 'missing.json', 'x.keras'], "tfjs-activations: cannot read the tfjs model 'missing.json': ENOENT"],
      [['export', 'model.json'], "error: missing required argument 'out.keras'"],
    ];
    for (const [args, message] of cases) {
      const r = run(...args);
      expect([args.join(' '), r.status]).toEqual([args.join(' '), 1]);
      expect(ours(r.stderr)).toEqual([expect.stringContaining(message)]);
    }
  });
});
