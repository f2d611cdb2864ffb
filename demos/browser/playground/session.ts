/**
 * One panel of the playground: a small MLP on a 2-D data set with one activation from the registry,
 * trained full-batch step by step, with what the page plots (loss, decision boundary, the activation
 * and its derivatives, dead and saturated units). Plain tfjs + the plugin, so it runs in Node tests too.
 * Every read is asynchronous (data(), not dataSync()): webgpu cannot read synchronously at any speed.
 */
import * as tf from '@tensorflow/tfjs';
import * as act from '../../../src';
import type { ActivationId } from '../../../src';
import type { Dataset } from '../../lib/datasets';
import { SYNTHETIC, type SyntheticName } from '../../lib/synthetic';
import { saturatedUnits, unitStats } from '../../lib/unit-stats';

export type ParamValues = Record<string, number | boolean | null>;

export interface SessionOptions {
  dataset: SyntheticName;
  /** Hidden layer widths, e.g. [8, 8]. */
  hidden: number[];
  learningRate: number;
  /** Seeds the data and the initial weights: two panels with the same seed start from the same weights. */
  seed: number;
  points: number;
}

export const DEFAULT_OPTIONS: SessionOptions = { dataset: 'spirals', hidden: [16, 16], learningRate: 0.03, seed: 1, points: 300 };

export interface UnitCounts {
  units: number;
  dead: number;
  saturated: number;
}

/** Activation parameters with the registry's defaults filled in. */
export function withDefaults(id: ActivationId, params: ParamValues): ParamValues {
  const specs = act.get(id).params as Record<string, { default: number | boolean | null }>;
  const full: ParamValues = {};
  for (const [name, spec] of Object.entries(specs)) full[name] = name in params ? params[name] : spec.default;
  return full;
}

/** The activation and its first and second derivatives on [lo, hi], computed by the plugin's ops on the active backend. */
export async function curves(id: ActivationId, params: ParamValues, lo = -5, hi = 5, n = 201): Promise<{ x: number[]; f: number[]; d1: number[]; d2: number[] }> {
  const x = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const [f, d1, d2] = tf.tidy(() => {
    const t = tf.tensor1d(x);
    const def = act.get(id);
    return [act.ops[id](t, params as never), act.derivative(def, t, params, 1), act.derivative(def, t, params, 2)];
  });
  const read = async (t: tf.Tensor) => Array.from(await t.data());
  const out = { x, f: await read(f), d1: await read(d1), d2: await read(d2) };
  tf.dispose([f, d1, d2]);
  return out;
}

export class Session {
  readonly data: Dataset;
  readonly model: tf.LayersModel;
  readonly losses: number[] = [];
  private readonly denses: tf.layers.Layer[] = [];
  private readonly x: tf.Tensor2D;
  private readonly y: tf.Tensor2D;
  private readonly optimizer: tf.Optimizer;
  private readonly probe: tf.LayersModel;
  private readonly df: (z: number) => number;
  private readonly peak: number;

  /** Throws the plugin's own error (e.g. "elu: alpha must be …. Received: …") for bad parameters. */
  constructor(readonly activation: ActivationId, readonly params: ParamValues, readonly options: SessionOptions = DEFAULT_OPTIONS) {
    const full = withDefaults(activation, params);
    const layerFactory = act.layers[activation] as (args: object) => tf.layers.Layer;
    const activationLayers = options.hidden.map(() => layerFactory(full));
    this.data = SYNTHETIC[options.dataset](options.points, options.seed);
    const input = tf.input({ shape: [2] });
    let h: tf.SymbolicTensor = input;
    options.hidden.forEach((units, i) => {
      const dense = tf.layers.dense({ units, kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed + i }) });
      this.denses.push(dense);
      h = activationLayers[i].apply(dense.apply(h)) as tf.SymbolicTensor;
    });
    const logits = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed + 99 }) }).apply(h) as tf.SymbolicTensor;
    this.model = tf.model({ inputs: input, outputs: logits });
    this.probe = tf.model({ inputs: input, outputs: this.denses.map((d) => d.output as tf.SymbolicTensor) });
    this.x = tf.tensor2d(this.data.x, [this.data.n, 2]);
    this.y = tf.tensor2d(Float32Array.from(this.data.y), [this.data.n, 1]);
    this.optimizer = tf.train.adam(options.learningRate);
    const def = act.get(activation);
    this.df = (z) => def.derivative(z, full as never);
    this.peak = Math.max(...Array.from({ length: 601 }, (_, i) => Math.abs(this.df(-3 + i / 100))).filter(Number.isFinite));
  }

  /** `steps` full-batch Adam steps; returns the last loss (sigmoid cross-entropy). The losses are read once, at the end. */
  async train(steps: number): Promise<number> {
    const losses: tf.Scalar[] = [];
    for (let s = 0; s < steps; s++) {
      losses.push(this.optimizer.minimize(
        () => tf.losses.sigmoidCrossEntropy(this.y, this.model.apply(this.x) as tf.Tensor) as tf.Scalar,
        true,
      ) as tf.Scalar);
    }
    for (const loss of losses) this.losses.push((await loss.data())[0]);
    tf.dispose(losses);
    return this.losses[this.losses.length - 1];
  }

  /** P(class 1) on an n × n grid over [lo, hi]², rows of y, then x. */
  async boundary(n = 40, lo = -2.5, hi = 2.5): Promise<{ n: number; lo: number; hi: number; p: Float32Array }> {
    const step = (hi - lo) / (n - 1);
    const grid = new Float32Array(n * n * 2);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) grid.set([lo + i * step, lo + j * step], 2 * (j * n + i));
    const probs = tf.tidy(() => tf.sigmoid(this.model.predict(tf.tensor2d(grid, [n * n, 2])) as tf.Tensor));
    const p = (await probs.data()) as Float32Array;
    probs.dispose();
    return { n, lo, hi, p };
  }

  /** Training accuracy (threshold 0.5). */
  async accuracy(): Promise<number> {
    const logits = this.model.predict(this.x) as tf.Tensor;
    const z = await logits.data();
    logits.dispose();
    let right = 0;
    for (let i = 0; i < this.data.n; i++) if ((z[i] > 0 ? 1 : 0) === this.data.y[i]) right++;
    return right / this.data.n;
  }

  /**
   * Hidden units over the training points: dead (f'(z) = 0 on every point: no gradient at all) and
   * saturated (alive, but |f'(z)| ≤ 5 % of f''s peak on [−3, 3] for at least 90 % of the points).
   */
  async units(): Promise<UnitCounts> {
    const outs = tf.tidy(() => {
      const o = this.probe.predict(this.x);
      return Array.isArray(o) ? o : [o];
    });
    const counts: UnitCounts = { units: 0, dead: 0, saturated: 0 };
    for (const t of outs) {
      const units = t.shape[1] as number;
      const pre = { data: await t.data(), rows: this.data.n, units };
      counts.units += units;
      counts.dead += unitStats({ pre, df: this.df }).dead;
      counts.saturated += saturatedUnits(pre, this.df, this.peak);
    }
    tf.dispose(outs);
    return counts;
  }

  dispose(): void {
    tf.dispose([this.x, this.y]);
    this.optimizer.dispose();
    this.model.layers.forEach((l) => l.dispose());
  }
}
