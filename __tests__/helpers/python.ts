/**
 * Python with Keras 3, TensorFlow and JAX for the export tests: a venv made once from the configured
 * pip index and cached in the user cache (scripts/keras-venv.js). Where it cannot be made, the Python
 * half of the tests is skipped with a printed reason; CI sets TFJS_ACTIVATIONS_REQUIRE_PYTHON=1, which
 * turns that into a failure.
 */
import { spawn } from 'child_process';
import { requirePython } from '../support/python';

// A plain Node script (also run by hand and by the docs): required, not imported, so ts-jest leaves it alone.
const { ensureKerasVenv } = require('../../scripts/keras-venv.js') as {
  ensureKerasVenv(log?: (m: string) => void): { python?: string; error?: string; made?: boolean; seconds?: number };
};

let cached: { python?: string; missing?: string } | undefined;

/** The venv's python, or why there is none (made on first use; throws under TFJS_ACTIVATIONS_REQUIRE_PYTHON=1). */
export function kerasPython(): { python?: string; missing?: string } {
  if (!cached) {
    const r = ensureKerasVenv((m) => process.stdout.write(`${m}\n`));
    cached = r.python ? { python: r.python } : { missing: `no Python venv with Keras 3 (${r.error})` };
    if (r.made) process.stdout.write(`made the Keras venv in ${r.seconds?.toFixed(0)} s\n`);
  }
  if (cached.missing) requirePython(`there is ${cached.missing}`);
  return cached;
}

/** Runs a Python script to the end; resolves with stdout, rejects with the tail of stderr. */
export function runPython(python: string, args: string[], env: Record<string, string> = {}, timeoutMs = 10 * 60 * 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${python} ${args.join(' ')} failed (exit ${code}):\n${err.split('\n').slice(-40).join('\n')}`));
    });
  });
}
