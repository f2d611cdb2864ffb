/**
 * npm run accuracy [-- --write-docs] [--backends cpu,wasm]
 *
 * Both precision modes on every available backend, through the public ops and tf.grad, against the
 * 60-digit mpmath reference: 'exact' as the worst relative error in float32 epsilons (|truth|
 * floored at 1e-30; bar 0.5), 'fast' as the worst |error| ÷ the 4-eps backward-stability bar of
 * __tests__/support/stability.ts (bar 1), with the composite path forced on cpu. For scale, tfjs's
 * own op for the same function on cpu.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import * as tf from '@tensorflow/tfjs';
import '../src';
import { availableBackends, chooseBackend } from '../demos/lib/backend';
import { caseErrors, errorInEps, evaluateOrders, loadReference, parseTruth, type ReferenceCase } from '../__tests__/support/accuracy';
import { casePoints, worstRatios } from '../__tests__/support/fast-bar';
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

/** The exact mode's promise: correctly rounded but for half an ulp. */
const EXACT_BAR_EPS = 0.5;

const fmtRatio = (r: number): string => (!Number.isFinite(r) ? '∞' : r.toFixed(2));

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

/** Worst value, f′ and f″ over the reference cases of each activation, per column. */
type Table = Record<string, Record<string, Worst>>;

function mergeWorst(table: Table, id: string, column: string, orders: readonly number[]): void {
  const worst = ((table[id] ??= {})[column] ??= [0, 0, 0]);
  orders.forEach((v, order) => (worst[order] = Math.max(worst[order], v)));
}

/** Exact mode: plain relative error in eps at the fixture points (bar 0.5 eps). */
function exactErrors(table: Table, column: string, cases: readonly ReferenceCase[]): void {
  for (const c of cases) {
    const worst: Worst = [0, 0, 0];
    for (const e of caseErrors(c)) worst[e.order] = Math.max(worst[e.order], e.errorEps);
    mergeWorst(table, c.id, column, worst);
  }
}

/** Fast mode: the largest |error| / backward-stability bar, fixture points and the dense grid (≤ 1 passes). */
function fastRatios(table: Table, column: string, cases: readonly ReferenceCase[]): void {
  for (const c of cases) mergeWorst(table, c.id, column, worstRatios(c, evaluateOrders(c.id, c.params, casePoints(c))).map((w) => w.ratio));
}

async function main() {
  const reference = loadReference();
  const backends = opts.backends.split(',').filter(Boolean);
  const exact: Table = {};
  const fast: Table = {};
  const builtin: Record<string, Worst | string> = {};
  try {
    for (const backend of backends) {
      const choice = await chooseBackend(backend);
      console.log(`measuring on ${choice.note} (default precision there: ${act.getPrecision()})`);
      act.setPrecision('exact');
      exactErrors(exact, backend, reference.cases);
      act.setPrecision('fast');
      fastRatios(fast, backend, reference.cases);
      act.setPrecision('default');
      if (backend === 'cpu') {
        for (const c of reference.cases) {
          const b = builtinWorst(c);
          if (b !== undefined) builtin[c.id] = b;
        }
      }
    }
    // The composite of tfjs-core ops (what a backend without kernels of ours runs), forced on cpu.
    await chooseBackend('cpu');
    act.setPrecision('fast');
    setCompositeOnly(true);
    fastRatios(fast, 'composite', reference.cases);
  } finally {
    setCompositeOnly(false);
    act.setPrecision('default');
  }
  const ids = act.list();
  const fastColumns = [...backends, 'composite'];
  const biCell = (id: string) => {
    const bi = builtin[id];
    return bi === undefined ? '—' : typeof bi === 'string' ? bi : bi.map((v) => (Number.isNaN(v) ? 'fails' : fmt(v))).join(' / ');
  };
  const exactRows = ids.map((id) => `| ${id} | ${backends.map((b) => exact[id][b].map(fmt).join(' / ')).join(' | ')} | ${biCell(id)} |`);
  const fastRows = ids.map((id) => `| ${id} | ${fastColumns.map((b) => fast[id][b].map(fmtRatio).join(' / ')).join(' | ')} |`);
  const worstExact = Math.max(...ids.flatMap((id) => backends.flatMap((b) => exact[id][b])));
  const worstFast = Math.max(...ids.flatMap((id) => fastColumns.flatMap((b) => fast[id][b])));
  const cpuModel = (os.cpus()[0]?.model ?? 'unknown cpu').trim();
  const stamp =
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpuModel} (${os.cpus().length} cores), ` +
    `tfjs ${tf.version.tfjs}, backends ${backends.join(', ')}, against ${reference.cases.length} reference cases ` +
    `(${reference.cases.reduce((n, c) => n + c.x.length, 0)} points, mpmath ${reference.mpmathDps} digits).`;
  const table = [
    stamp,
    '',
    `#### Precision 'exact': worst relative error in float32 eps (bar ${EXACT_BAR_EPS}; worst of ours ${fmt(worstExact)})`,
    '',
    `| activation | ${backends.map((b) => `${b}: value / f′ / f″`).join(' | ')} | tfjs built-in on cpu: value / f′ / f″ |`,
    `|---|${backends.map(() => '---|').join('')}---|`,
    ...exactRows,
    '',
    `#### Precision 'fast': worst |error| ÷ the 4-eps backward-stability bar (≤ 1 passes; worst of ours ${fmtRatio(worstFast)})`,
    '',
    'At the fixture points and on a dense grid (every 0.01 in [−30, 30] and ±10^k, k in [−30, 30]); "composite" is the ' +
      "tfjs-core-ops path of backends without kernels of ours, forced on cpu. webgl and webgpu are held to the same bar " +
      'in headless Chromium by `__tests__/browser/gpu.test.ts`.',
    '',
    `| activation | ${fastColumns.map((b) => `${b}: value / f′ / f″`).join(' | ')} |`,
    `|---|${fastColumns.map(() => '---|').join('')}`,
    ...fastRows,
  ].join('\n');
  console.log(`\n${table}\n`);
  fs.mkdirSync(opts.out, { recursive: true });
  fs.writeFileSync(path.join(opts.out, 'accuracy.json'), JSON.stringify({ stamp, backends, exact, fast, builtin }, null, 1));
  fs.writeFileSync(path.join(opts.out, 'accuracy.md'), table + '\n');
  console.log(`wrote ${path.join(opts.out, 'accuracy.json')} and accuracy.md`);
  if (opts.writeDocs) {
    updateSection(docPath('accuracy'), 'accuracy', table);
    console.log('updated the tables in docs/accuracy.md');
  }
  if (worstExact > EXACT_BAR_EPS || worstFast > 1) {
    console.error(`FAILED: worst exact error ${fmt(worstExact)} eps (bar ${EXACT_BAR_EPS}), worst fast ratio ${fmtRatio(worstFast)} (bar 1)`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
