/**
 * Child process for __tests__/integration/hostile.test.ts: loads each .keras file given on the
 * command line (or fuzz cases, with --fuzz <seed> <runs>) on the cpu backend and prints one JSON
 * line per case: how it ended, in how long, the tensors it left, and the process's peak RSS so far.
 * A last line reports the tensors left behind by all the failures together. A case that hangs or crashes the process
 * shows as the last "start" line without its "end".
 */
import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs';
import * as act from '../../src';
import { fuzzCases } from './hostile-fuzz';

const peakRssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);

let leakedByFailures = 0;

async function attempt(label: string, bytes: Uint8Array): Promise<void> {
  console.log(JSON.stringify({ start: label }));
  const t0 = Date.now();
  const tensors = tf.memory().numTensors;
  let outcome: Record<string, unknown>;
  try {
    const model = await act.keras.loadModel(bytes);
    outcome = { ended: 'model', layers: model.layers.length };
    model.dispose();
  } catch (e) {
    const err = e as { name?: string; message?: string; layer?: string; field?: string } | undefined;
    outcome = { ended: e instanceof act.keras.KerasImportError ? 'KerasImportError' : String(err?.name ?? typeof e), message: String(err?.message ?? e), layer: err?.layer, field: err?.field };
  }
  // A model's own dispose() is tfjs's (it keeps the weights of a layer called twice); failures are ours.
  if (outcome.ended !== 'model') leakedByFailures += tf.memory().numTensors - tensors;
  console.log(JSON.stringify({ end: label, ...outcome, ms: Date.now() - t0, tensorsAfter: tf.memory().numTensors - tensors, peakRssMB: peakRssMB() }));
}

(async () => {
  await tf.setBackend('cpu');
  act.register();
  const args = process.argv.slice(2);
  if (args[0] === '--fuzz') {
    for (const [label, bytes] of fuzzCases(Number(args[1]), Number(args[2]))) await attempt(label, bytes);
  } else {
    for (const file of args) await attempt(file, new Uint8Array(fs.readFileSync(file)));
  }
  console.log(JSON.stringify({ done: true, leakedByFailures, peakRssMB: peakRssMB() }));
})();
