/**
 * npm run accuracy [-- --write-docs] [--backends cpu,wasm]
 *
 * Worst error (in float32 epsilons, relative, |truth| floored at 1e-30) of every activation's value,
 * first and second derivative against the 60-digit mpmath reference, on every available backend,
 * through the public ops and tf.grad. For scale, tfjs's own op for the same function on cpu, and our
 * composite path (tfjs-core ops: what webgl and other backends without our JS kernels run) forced
 * on cpu; its per-activation bounds are in __tests__/composite.test.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import * as tf from '@tensorflow/tfjs';
import '../src';
import { availableBackends, chooseBackend } from '../demos/lib/backend';
import { caseErrors, errorInEps, loadReference, parseTruth, TOLERANCE_EPS, type ReferenceCase } from '../__tests__/support/accuracy';
import { docPath, updateSection } from './lib/sections';
import * as act from '../src/base';
import { setCompositeOnly } from '../src/engine/run';

const program = new Command()
  .option('--backends <list>', 'comma-separated backends', availableBackends().join(','))
  .option('--write-docs', 'rewrite the table in docs/accuracy.md')
  .option('--out <dir>', 'output folder', path.join(__dirname, '..', 'demos', 'out', 'accuracy'))
  .parse();
const opts = program.opts<{ backends: string; writeDocs?: boolean; out: string }>();

type Worst = [number, number, number];

function fmt(e: number): string {
  if (!Number.isFinite(e)) return '∞';
  if (e >= 1e4) return e.toExponential(0);
  return e < 10 ? e.toFixed(2) : e.toFixed(0);
}

/** Worst errors of tfjs's own op (same function at our defaults), or undefined where it has none. */
function builtinWorst(c: ReferenceCase): Worst | string | undefined {
  const def = act.get(c.id);
  const opName = def.builtin?.tfjsOp;
  if (!opName || Object.keys(c.params).length) return undefined;
  const op = (tf as unknown as Record<string, (x: tf.Tensor) => tf.Tensor>)[opName];
  const worst: Worst = [0, 0, 0];
  const x = tf.tensor1d(c.x);
  const fns: Array<() => tf.Tensor> = [() => op(x), () => tf.grad(op)(x), () => tf.grad(tf.grad(op))(x)];
  const truths = [c.y, c.dy, c.d2y];
  let failure: string | undefined;
  fns.forEach((fn, order) => {
    let values: Float32Array;
    try {
      const t = fn();
      values = t.dataSync() as Float32Array;
      t.dispose();
    } catch (e) {
      failure ??= `order ${order} fails: ${(e as Error).message.slice(0, 60)}`;
      worst[order] = NaN;
      return;
    }
    truths[order].forEach((s, i) => {
      if (s === null) return;
      worst[order] = Math.max(worst[order], errorInEps(values[i], parseTruth(s)));
    });
  });
  x.dispose();
  return failure && worst.every((w) => Number.isNaN(w)) ? failure : worst;
}

async function main() {
  const reference = loadReference();
  const backends = opts.backends.split(',').filter(Boolean);
  const results: Record<string, Record<string, Worst>> = {};
  const builtin: Record<string, Worst | string> = {};
  for (const backend of backends) {
    const choice = await chooseBackend(backend);
    console.log(`measuring on ${choice.note}`);
    for (const c of reference.cases) {
      const worst = (results[c.id] ??= {})[backend] ?? [0, 0, 0];
      for (const e of caseErrors(c)) worst[e.order] = Math.max(worst[e.order], e.errorEps);
      results[c.id][backend] = worst;
      if (backend === 'cpu') {
        const b = builtinWorst(c);
        if (b !== undefined) builtin[c.id] = b;
      }
    }
  }
  // The composite path forced on cpu (not held to the 4-eps bar: float32 throughout).
  const composite: Record<string, Worst> = {};
  await chooseBackend('cpu');
  setCompositeOnly(true);
  try {
    for (const c of reference.cases) {
      const worst = (composite[c.id] ??= [0, 0, 0]);
      for (const e of caseErrors(c)) worst[e.order] = Math.max(worst[e.order], e.errorEps);
    }
  } finally {
    setCompositeOnly(false);
  }
  const ids = act.list();
  const header =
    `| activation | ${backends.map((b) => `${b}: value / f′ / f″`).join(' | ')} | composite on cpu: value / f′ / f″ ` +
    '| tfjs built-in on cpu: value / f′ / f″ |';
  const rule = `|---|${backends.map(() => '---|').join('')}---|---|`;
  const rows = ids.map((id) => {
    const cells = backends.map((b) => results[id][b].map(fmt).join(' / '));
    const bi = builtin[id];
    const biCell = bi === undefined ? '—' : typeof bi === 'string' ? bi : bi.map((v) => (Number.isNaN(v) ? 'fails' : fmt(v))).join(' / ');
    return `| ${id} | ${cells.join(' | ')} | ${composite[id].map(fmt).join(' / ')} | ${biCell} |`;
  });
  const worstOverall = Math.max(...ids.flatMap((id) => backends.flatMap((b) => results[id][b])));
  const cpuModel = (os.cpus()[0]?.model ?? 'unknown cpu').trim();
  const stamp =
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpuModel} (${os.cpus().length} cores), ` +
    `tfjs ${tf.version.tfjs}, backends ${backends.join(', ')}, against ${reference.cases.length} reference cases ` +
    `(${reference.cases.reduce((n, c) => n + c.x.length, 0)} points, mpmath ${reference.mpmathDps} digits). ` +
    `Bar: ${TOLERANCE_EPS} eps. Worst of ours: ${fmt(worstOverall)} eps. The composite column is the ` +
    'float32 tfjs-core-ops path that backends without our kernels run, forced on cpu; it is held ' +
    'to the per-activation bounds of __tests__/composite.test.ts, not to the bar.';
  const table = [stamp, '', header, rule, ...rows].join('\n');
  console.log(`\n${table}\n`);
  fs.mkdirSync(opts.out, { recursive: true });
  fs.writeFileSync(path.join(opts.out, 'accuracy.json'), JSON.stringify({ stamp, backends, results, composite, builtin }, null, 1));
  fs.writeFileSync(path.join(opts.out, 'accuracy.md'), table + '\n');
  console.log(`wrote ${path.join(opts.out, 'accuracy.json')} and accuracy.md`);
  if (opts.writeDocs) {
    updateSection(docPath('accuracy'), 'accuracy', table);
    console.log('updated the table in docs/accuracy.md');
  }
  if (worstOverall > TOLERANCE_EPS) {
    console.error(`FAILED: worst error ${fmt(worstOverall)} eps exceeds the bar of ${TOLERANCE_EPS} eps`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
