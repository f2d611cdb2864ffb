/**
 * Backend selection for scripts: tfjs-node when it loads, otherwise wasm, otherwise cpu; always
 * says which one ran and why.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export interface BackendChoice {
  name: string;
  note: string;
  tfjsNodeError?: string;
}

let tfjsNodeError: string | undefined;
try {
  require('@tensorflow/tfjs-node');
} catch (e) {
  tfjsNodeError = (e as Error).message.split('\n')[0];
}

/** Names of the backends that can run in this process. */
export function availableBackends(): string[] {
  return ['cpu', 'wasm', ...(tfjsNodeError ? [] : ['tensorflow'])];
}

/** Activates `preferred` (or the best available) and reports the choice. */
export async function chooseBackend(preferred?: string): Promise<BackendChoice> {
  const order = preferred ? [preferred] : ['tensorflow', 'wasm', 'cpu'];
  for (const name of order) {
    if (name === 'tensorflow' && tfjsNodeError) continue;
    if (await tf.setBackend(name).catch(() => false)) {
      await tf.ready();
      const note =
        name === 'tensorflow'
          ? 'tfjs-node (TensorFlow C library)'
          : `${name}${tfjsNodeError ? ` (tfjs-node unavailable: ${tfjsNodeError})` : ''}`;
      return { name, note, tfjsNodeError };
    }
  }
  throw new Error(`no usable backend among ${order.join(', ')}${tfjsNodeError ? `; tfjs-node: ${tfjsNodeError}` : ''}`);
}

export { tfjsNodeError };
