/**
 * A python3 with given modules for tests that need one (the mpmath reference generator): the system
 * python3 if it already has them, else a venv under the tfjs-activations cache filled from the
 * configured pip index. Without one, tests are skipped with the reason, except where
 * TFJS_ACTIVATIONS_REQUIRE_PYTHON=1 (CI) makes that a failure.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const cacheRoot = () =>
  process.env.TFJS_ACTIVATIONS_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'tfjs-activations');

const has = (python: string, modules: string[]) =>
  spawnSync(python, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' }).status === 0;

/** A python3 path with `modules` importable, or the reason there is none. */
export function pythonWith(modules: string[]): { python?: string; reason?: string } {
  if (has('python3', modules)) return { python: 'python3' };
  const venv = path.join(cacheRoot(), `venv-${modules.join('-')}`);
  const python = path.join(venv, 'bin', 'python');
  if (fs.existsSync(python) && has(python, modules)) return { python };
  const made = spawnSync('python3', ['-m', 'venv', venv], { encoding: 'utf8' });
  if (made.status !== 0) return { reason: `python3 -m venv failed: ${(made.stderr || made.error?.message || '').trim()}` };
  const pip = spawnSync(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', ...modules], { encoding: 'utf8', timeout: 300_000 });
  if (pip.status !== 0 || !has(python, modules)) return { reason: `pip install ${modules.join(' ')} failed: ${(pip.stderr || '').trim().split('\n').pop()}` };
  return { python };
}

/** Throws (CI) or returns the reason to skip. */
export function requirePython(reason: string): string {
  if (process.env.TFJS_ACTIVATIONS_REQUIRE_PYTHON === '1') {
    throw new Error(`python is required here (TFJS_ACTIVATIONS_REQUIRE_PYTHON=1), but ${reason}`);
  }
  return reason;
}
