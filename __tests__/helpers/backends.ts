/**
 * The backends every test file loops over: cpu and wasm always, tensorflow (tfjs-node) whenever it
 * loads. CI sets TFJS_ACTIVATIONS_REQUIRE_TFJS_NODE=1 so that a missing tfjs-node fails the run.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs'; // the union package: registers cpu/webgl and every built-in gradient
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as path from 'path';

function loadTfjsNode(): string | undefined {
  try {
    require('@tensorflow/tfjs-node');
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

const tfjsNodeError = loadTfjsNode();

if (tfjsNodeError && process.env.TFJS_ACTIVATIONS_REQUIRE_TFJS_NODE === '1') {
  throw new Error(`tfjs-node is required here (TFJS_ACTIVATIONS_REQUIRE_TFJS_NODE=1) but did not load: ${tfjsNodeError}`);
}

// In jest the wasm binary must be found on disk, next to the package's dist files.
setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), path.sep));

/** Backend names available in this process. */
export const BACKENDS: string[] = ['cpu', 'wasm', ...(tfjsNodeError ? [] : ['tensorflow'])];

/** Why tfjs-node is missing, if it is. */
export const TFJS_NODE_ERROR = tfjsNodeError;

/** Activates a backend (for beforeAll). */
export async function useBackend(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`backend '${name}' failed to initialise`);
  await tf.ready();
  if (tf.getBackend() !== name) throw new Error(`asked for '${name}', got '${tf.getBackend()}'`);
}

/** describe.each over the backends, switching to each one first. */
export function describeEachBackend(body: (backend: string) => void): void {
  describe.each(BACKENDS)('on %s', (backend) => {
    beforeAll(() => useBackend(backend));
    body(backend);
  });
}
