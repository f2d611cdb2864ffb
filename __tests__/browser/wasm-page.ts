/**
 * The page of __tests__/browser/wasm.test.ts (bundled with esbuild): tfjs's wasm backend and the
 * plugin in Chromium. Every activation's value and gradient runs once while the SIMD modules compile
 * asynchronously (the JavaScript loops answer), then again on the compiled kernels; both against
 * the float64 definitions. Reports through window.wasmReport.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as act from '../../src';
import * as internal from '../../src/internal';
import type { AnyDefinition } from '../../src/definition';
import { wasmKernelsSettled, wasmRunCounts } from '../../src/engine/generate/wasm';
import { isSharedMemory, wasmMemory } from '../../src/engine/tfjs-adapter';

type Report = Record<string, unknown>;
const report: Report = {};
(window as unknown as { wasmReport?: Report }).wasmReport = undefined;

const opOf = (id: string) => (act.ops as unknown as Record<string, (x: tf.Tensor) => tf.Tensor>)[id];
const defaults = (def: AnyDefinition) =>
  Object.fromEntries(Object.entries(def.params as Record<string, { default: unknown }>).map(([k, s]) => [k, s.default])) as never;

/** Worst |got − want| / (1e-6 + 1e-5·|want|) of value and gradient over xs, per activation. */
function worstErrors(xs: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  const x = tf.tensor1d(xs);
  for (const def of internal.definitions as readonly AnyDefinition[]) {
    const f = opOf(def.id);
    const y = f(x);
    const g = tf.grad(f)(x);
    const p = defaults(def);
    let worst = 0;
    const yv = y.dataSync();
    const gv = g.dataSync();
    xs.forEach((v, i) => {
      for (const [got, want] of [[yv[i], def.forward(v, p)], [gv[i], def.derivative(v, p)]]) {
        const e = Math.abs(got - want) / (1e-6 + 1e-5 * Math.abs(want));
        worst = Math.max(worst, e === e ? e : Infinity);
      }
    });
    out[def.id] = worst;
    tf.dispose([y, g]);
  }
  x.dispose();
  return out;
}

async function main(): Promise<void> {
  report.crossOriginIsolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ?? false;
  setWasmPaths('/wasm/');
  report.backendReady = await tf.setBackend('wasm');
  await tf.ready();
  report.backend = tf.getBackend();
  report.precision = act.getPrecision();
  report.threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  report.sharedMemory = isSharedMemory(wasmMemory(tf.backend())!);
  const xs = Array.from({ length: 103 }, (_, i) => -8 + (16 * i) / 102);
  report.whileCompiling = worstErrors(xs);
  report.countsWhileCompiling = { ...wasmRunCounts };
  await wasmKernelsSettled();
  const before = { ...wasmRunCounts };
  report.compiled = worstErrors(xs);
  report.countsCompiled = { simd: wasmRunCounts.simd - before.simd, javascript: wasmRunCounts.javascript - before.javascript };
  report.tensorsLeft = tf.memory().numTensors;
}

main().then(
  () => ((window as unknown as { wasmReport?: Report }).wasmReport = report),
  (e) => ((window as unknown as { wasmReport?: Report }).wasmReport = { ...report, error: String((e as Error)?.stack ?? e) }),
);
