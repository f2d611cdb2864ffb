/**
 * Keras import benchmark (npm run bench -- --keras): for every fixture model in
 * __tests__/fixtures/keras and every backend, the time act.keras.loadModel takes (read, translate,
 * build, set weights) and the time one predict on the fixture's sample inputs takes (median of
 * `reps`, after one warm-up call), with the worst difference from Keras's output.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import * as act from '../../src';

export const KERAS_FIXTURES = path.join(__dirname, '..', '..', '__tests__', 'fixtures', 'keras');

export interface KerasBenchRow {
  model: string;
  backend: string;
  /** .keras file size in bytes. */
  bytes: number;
  layers: number;
  parameters: number;
  /** Inputs' batch size. */
  batch: number;
  loadMs: number;
  predictMs: number;
  /** max |ours − Keras| / (|Keras| + 1e-3) over all outputs. */
  worstRelative: number;
  leakedTensors: number;
}

export interface KerasBenchOptions {
  backends: string[];
  models?: string[];
  reps: number;
  progress?: (label: string, done: number, total: number) => void;
}

interface Fixture {
  inputs: Array<{ dtype: string; shape: number[]; data: number[] }>;
  /** `exact`: the true function where Keras's differs (sparsemax; the import is asked for it). */
  outputs: Array<{ data: Array<number | string>; exact?: number[] }>;
}

/** Fixture models that load (not the refused_* ones). */
export function kerasBenchModels(): string[] {
  return fs.readdirSync(KERAS_FIXTURES).filter((f) => f.endsWith('.keras') && !f.startsWith('refused_')).map((f) => f.slice(0, -6)).sort();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runKerasBench(o: KerasBenchOptions): Promise<KerasBenchRow[]> {
  const models = o.models ?? kerasBenchModels();
  const rows: KerasBenchRow[] = [];
  let done = 0;
  for (const backend of o.backends) {
    await tf.setBackend(backend);
    await tf.ready();
    for (const model of models) {
      o.progress?.(`${backend} ${model}`, done++, o.backends.length * models.length);
      const file = path.join(KERAS_FIXTURES, `${model}.keras`);
      const f = JSON.parse(fs.readFileSync(path.join(KERAS_FIXTURES, `${model}.json`), 'utf8')) as Fixture;
      const before = tf.memory().numTensors;
      const bytes = fs.readFileSync(file);
      const t0 = performance.now();
      const m = await act.keras.loadModel(new Uint8Array(bytes), { sparsemax: 'exact' });
      const loadMs = performance.now() - t0;
      const xs = f.inputs.map((i) => tf.tensor(i.data, i.shape, i.dtype.startsWith('int') ? 'int32' : 'float32'));
      const run = () => {
        const ys = m.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor | tf.Tensor[];
        const list = Array.isArray(ys) ? ys : [ys];
        const values = list.map((y) => y.dataSync());  // waits for the backend
        tf.dispose(list);
        return values;
      };
      const values = run();
      const times: number[] = [];
      for (let r = 0; r < o.reps; r++) {
        const t = performance.now();
        run();
        times.push(performance.now() - t);
      }
      let worst = 0;
      values.forEach((v, k) => (f.outputs[k].exact ?? f.outputs[k].data).forEach((e, i) => {
        const want = Number(e);
        worst = Math.max(worst, Math.abs(v[i] - want) / (Math.abs(want) + 1e-3));
      }));
      rows.push({
        model, backend, bytes: bytes.length, layers: m.layers.length, parameters: m.countParams(), batch: f.inputs[0].shape[0],
        loadMs, predictMs: median(times), worstRelative: worst, leakedTensors: 0,
      });
      tf.dispose(xs);
      m.dispose();
      rows[rows.length - 1].leakedTensors = tf.memory().numTensors - before;
    }
  }
  o.progress?.('done', done, o.backends.length * models.length);
  return rows;
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Markdown: one row per model, load and predict time per backend. */
export function renderKerasMarkdown(rows: KerasBenchRow[], meta: { command: string; date: string; reps: number; machine: string }): string {
  const backends = [...new Set(rows.map((r) => r.backend))];
  const models = [...new Set(rows.map((r) => r.model))];
  const cell = (m: string, b: string) => rows.find((r) => r.model === m && r.backend === b);
  const head = `| model | .keras | tfjs layers | parameters | batch | ${backends.map((b) => `${b} load / predict (ms)`).join(' | ')} |`;
  const lines = [
    `Keras import: \`act.keras.loadModel\` time (read the archive, translate, build, set the weights) and the median time of one`,
    `\`predict\` on the fixture's sample batch (${meta.reps} repetitions after a warm-up call), per fixture model and backend.`,
    `\`${meta.command}\`, ${meta.date}, ${meta.machine}. Worst difference from Keras over all runs: ` +
      `${Math.max(...rows.map((r) => r.worstRelative)).toExponential(1)} relative (|Keras| + 1e-3 in the denominator, so small outputs count ` +
      'in absolute terms; the import tests hold every output to 1e-4·|Keras| + 1e-5, docs/keras-import.md).' +
      (rows.some((r) => r.leakedTensors) ? ' Tensors left after dispose(): tfjs keeps the weights of a layer called more than once (its reference count is per call).' : ''),
    '',
    head,
    `|---|---:|---:|---:|---:|${backends.map(() => '---:|').join('')}`,
  ];
  for (const m of models) {
    const any = rows.find((r) => r.model === m)!;
    lines.push(`| ${m} | ${(any.bytes / 1e6).toFixed(2)} MB | ${any.layers} | ${any.parameters.toLocaleString('en-US')} | ${any.batch} | ` +
      `${backends.map((b) => { const r = cell(m, b); return r ? `${ms(r.loadMs)} / ${ms(r.predictMs)}` : '—'; }).join(' | ')} |`);
  }
  return lines.join('\n');
}
