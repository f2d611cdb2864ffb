/**
 * The browser benchmark page (run by `npm run bench:browser`, or by hand: bench.html?backend=webgpu):
 * forward+backward (tf.grad) of every activation that tfjs also has (its op, or its layers
 * activation), ours against tfjs's, interleaved so that both see the same machine load; and the
 * kernels each runs (tf.profile). Results go to window.bench; the page only measures.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import * as act from '../../../src';
import * as internal from '../../../src/internal';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export interface BrowserBenchRow {
  backend: string;
  id: string;
  /** The tfjs function compared against, e.g. "tf.elu" or "activation 'gelu'". */
  tfjs: string;
  size: number;
  /** Median ms per forward+backward (tf.grad with a given dy). */
  oursMs: number;
  tfjsMs: number;
  /** Median over rounds of ours ÷ tfjs within the round. */
  ratio: number;
  kernels: { ours: [number, number]; tfjs: [number, number] };
}

export interface BrowserBenchOptions {
  backend: string;
  sizes: number[];
  /** Rounds per cell; each round times both, one after the other, in alternating order. */
  rounds: number;
  ids?: string[];
}

/** tfjs's own version of an activation at our defaults, if tfjs has one. */
function tfjsFunction(def: act.AnyDefinition): { name: string; f: (x: tf.Tensor) => tf.Tensor } | undefined {
  const b = def.builtin;
  if (b?.tfjsOp) return { name: `tf.${b.tfjsOp}`, f: (x) => (tf as Any)[b.tfjsOp!](x) };
  if (b?.tfjsActivation) {
    const layer = tf.layers.activation({ activation: b.tfjsActivation as Any });
    return { name: `activation '${b.tfjsActivation}'`, f: (x) => layer.apply(x) as tf.Tensor };
  }
  return undefined;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** Kernels of f (forward) and of tf.grad beyond it (backward), Identity not counted. */
async function kernelCounts(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, dy: tf.Tensor): Promise<[number, number]> {
  const count = async (g: () => tf.Tensor) => {
    const info = await tf.profile(g);
    tf.dispose(info.result as Any);
    return info.kernels.filter((k) => k.name !== 'Identity').length;
  };
  const forward = await count(() => f(x));
  return [forward, (await count(() => tf.grad(f)(x, dy))) - forward];
}

/** ms per call of `g`: `n` calls, then one read of the last result. */
async function time(g: () => tf.Tensor, n: number): Promise<number> {
  const out: tf.Tensor[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) out.push(g());
  await out[out.length - 1].data();
  const ms = (performance.now() - t0) / n;
  tf.dispose(out);
  return ms;
}

async function run(options: BrowserBenchOptions): Promise<BrowserBenchRow[]> {
  if (!(await tf.setBackend(options.backend).catch(() => false))) {
    await tf.setBackend('cpu');
    throw new Error(`backend '${options.backend}' is not available in this browser`);
  }
  await tf.ready();
  act.setPrecision('default');
  const rows: BrowserBenchRow[] = [];
  for (const def of internal.definitions as readonly act.AnyDefinition[]) {
    if (options.ids && !options.ids.includes(def.id)) continue;
    const theirs = tfjsFunction(def);
    if (!theirs) continue;
    const ours = (x: tf.Tensor) => (act.ops as Any)[def.id](x) as tf.Tensor;
    for (const size of options.sizes) {
      const shape = [size / 1000, 1000];
      // Inputs as a model would hand them over: outputs of tfjs ops (packed textures on webgl).
      const x = tf.tidy(() => tf.mul(tf.randomUniform(shape, -4, 4, 'float32', 1), 1));
      const dy = tf.tidy(() => tf.mul(tf.randomUniform(shape, -1, 1, 'float32', 2), 1));
      const fb = { ours: () => tf.grad(ours)(x, dy), tfjs: () => tf.grad(theirs.f)(x, dy) };
      const n = size >= 1e6 ? 3 : 10;
      await time(fb.ours, 2);
      await time(fb.tfjs, 2);
      const ms = { ours: [] as number[], tfjs: [] as number[] };
      const ratios: number[] = [];
      for (let r = 0; r < options.rounds; r++) {
        const order = r % 2 ? (['tfjs', 'ours'] as const) : (['ours', 'tfjs'] as const);
        const round: Record<string, number> = {};
        for (const k of order) round[k] = await time(fb[k], n);
        ms.ours.push(round.ours);
        ms.tfjs.push(round.tfjs);
        ratios.push(round.ours / round.tfjs);
      }
      rows.push({
        backend: tf.getBackend(),
        id: def.id,
        tfjs: theirs.name,
        size,
        oursMs: median(ms.ours),
        tfjsMs: median(ms.tfjs),
        ratio: median(ratios),
        kernels: { ours: await kernelCounts(ours, x, dy), tfjs: await kernelCounts(theirs.f, x, dy) },
      });
      tf.dispose([x, dy]);
      (window as unknown as { benchProgress: number }).benchProgress = rows.length;
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const status = document.getElementById('status')!;
  (window as unknown as { bench: object }).bench = { run };
  if (!query.get('backend')) {
    status.textContent = 'add ?backend=webgl or ?backend=webgpu to run the benchmark here (npm run bench:browser runs both)';
    return;
  }
  const options: BrowserBenchOptions = { backend: query.get('backend')!, sizes: [1e5, 1e6], rounds: Number(query.get('rounds') ?? 5) };
  status.textContent = `running on ${options.backend}…`;
  const rows = await run(options);
  const table = document.getElementById('results') as HTMLTableElement;
  for (const r of rows) {
    const tr = table.insertRow();
    for (const cell of [r.id, r.tfjs, r.size.toExponential(0), r.oursMs.toFixed(2), r.tfjsMs.toFixed(2), r.ratio.toFixed(2), `${r.kernels.ours.join(' + ')} / ${r.kernels.tfjs.join(' + ')}`]) {
      tr.insertCell().textContent = cell;
    }
  }
  status.textContent = `${options.backend}: forward+backward, ms per call (median of ${options.rounds} interleaved rounds)`;
}

main().catch((e) => {
  document.getElementById('status')!.textContent = `benchmark failed: ${(e as Error).stack ?? e}`;
});
