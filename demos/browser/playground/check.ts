/**
 * The composite check page: every activation's f, f′ and f″ on this page's backend (webgl: the
 * composite path, tfjs ops with explicit derivatives) against the cpu backend (the plugin's float64
 * kernels, correctly rounded to float32), on a grid over [−8, 8] plus points near 0.
 */
import * as tf from '@tensorflow/tfjs';
import * as act from '../../../src';
import * as internal from '../../../src/internal';

/** |got − want| ≤ ABS + REL·|want|: about 250 float32 ulps, for a handful of float32 GPU ops (the composite bounds in __tests__/composite.test.ts reach 128). */
export const TOLERANCE = { abs: 1e-6, rel: 3e-5 };

export interface CheckRow {
  id: string;
  composite: boolean;
  /** Largest |got − want| / (ABS + REL·|want|) over the grid for f, f′, f″ (≤ 1 passes). */
  worst: [number, number, number];
  /** Where the worst f, f′, f″ error is. */
  at: [number, number, number];
  pass: boolean;
}

const GRID = [
  ...Array.from({ length: 161 }, (_, i) => -8 + i / 10),
  -1e-3, -1e-6, 1e-6, 1e-3, -0.05, 0.05,
];

function orders(id: string): number[][] {
  const def = act.get(id as act.ActivationId);
  // Read outside tidy: tidy walks a returned array element by element.
  const tensors = tf.tidy(() => {
    const x = tf.tensor1d(GRID);
    return [act.ops[def.id](x), act.derivative(def, x, {}, 1), act.derivative(def, x, {}, 2)];
  });
  const values = tensors.map((t) => Array.from(t.dataSync()));
  tf.dispose(tensors);
  return values;
}

export async function runCheck(target: string): Promise<CheckRow[]> {
  await tf.setBackend('cpu');
  const want = new Map(act.list().map((id) => [id, orders(id)]));
  if (!(await tf.setBackend(target).catch(() => false))) throw new Error(`backend '${target}' is not available in this browser`);
  return act.list().map((id) => {
    const got = orders(id);
    const ref = want.get(id)!;
    const worst: [number, number, number] = [0, 0, 0];
    const at: [number, number, number] = [NaN, NaN, NaN];
    for (let k = 0; k < 3; k++) {
      GRID.forEach((x, i) => {
        const [g, w] = [got[k][i], ref[k][i]];
        const e = Number.isNaN(w) && Number.isNaN(g) ? 0 : Math.abs(g - w) / (TOLERANCE.abs + TOLERANCE.rel * Math.abs(w));
        if (!(e <= worst[k])) {
          worst[k] = Number.isNaN(e) ? Infinity : e;
          at[k] = x;
        }
      });
    }
    const composite = !tf.getKernel(internal.kernelNames(id).forward, target);
    return { id, composite, worst, at, pass: worst.every((e) => e <= 1) };
  });
}

async function main(): Promise<void> {
  const target = new URLSearchParams(location.search).get('backend') ?? 'webgl';
  const status = document.getElementById('status')!;
  status.textContent = `checking ${act.list().length} activations on ${target} against cpu…`;
  const rows = await runCheck(target);
  const table = document.getElementById('results') as HTMLTableElement;
  for (const r of rows) {
    const tr = table.insertRow();
    for (const cell of [r.id, r.composite ? 'composite' : 'plugin kernels', ...r.worst.map((e, k) => `${e.toFixed(3)} (x = ${r.at[k]})`), r.pass ? 'pass' : 'FAIL']) {
      tr.insertCell().textContent = cell;
    }
    if (!r.pass) tr.className = 'fail';
  }
  const failed = rows.filter((r) => !r.pass).length;
  status.textContent = `${target} vs cpu: ${rows.length - failed} of ${rows.length} activations within |Δ| ≤ ${TOLERANCE.abs} + ${TOLERANCE.rel}·|cpu| (worst ratio shown; ≤ 1 passes).`;
  (window as unknown as { check: object }).check = { backend: tf.getBackend(), tolerance: TOLERANCE, rows };
}

main().catch((e) => {
  document.getElementById('status')!.textContent = `check failed: ${(e as Error).stack ?? e}`;
  (window as unknown as { check: object }).check = { error: String((e as Error).stack ?? e) };
});
