#!/usr/bin/env node
'use strict';
/*
 * A Python virtual environment with Keras 3, TensorFlow (CPU) and JAX, for the tests of the Keras
 * export (and for anyone who wants to run the scale-out example without setting Python up by hand).
 *
 * Made once with `python3 -m venv` and `pip install` from whatever index pip is configured for (no
 * other network access), and kept in the user cache next to the tfjs-node provisioning:
 * $TFJS_ACTIVATIONS_CACHE, else $XDG_CACHE_HOME/tfjs-activations, else ~/.cache/tfjs-activations,
 * under keras-venv/<key>/ (the key names the Python version and the requirements). A venv is only
 * used once its `.complete` marker exists; a half-made one is deleted and made again.
 *
 *   node scripts/keras-venv.js          prints the venv's python (making the venv if needed)
 *
 * TFJS_ACTIVATIONS_KERAS_PIP overrides the requirements (space-separated pip specifiers).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const cp = require('child_process');
const crypto = require('crypto');

const DEFAULT_REQUIREMENTS = ['keras==3.15.1', 'tensorflow-cpu==2.21.0', 'jax==0.10.2', 'jaxlib==0.10.2'];

function requirements() {
  const given = (process.env.TFJS_ACTIVATIONS_KERAS_PIP || '').trim();
  return given ? given.split(/\s+/) : DEFAULT_REQUIREMENTS;
}

function cacheRoot() {
  if (process.env.TFJS_ACTIVATIONS_CACHE) return path.resolve(process.env.TFJS_ACTIVATIONS_CACHE);
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'tfjs-activations');
}

function run(cmd, args, options = {}) {
  const r = cp.spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  const out = `${r.stdout || ''}${r.stderr || ''}`;
  return { ok: r.status === 0 && !r.error, out: r.error ? String(r.error.message) : out };
}

/** The base interpreter: python3 (or python) of version 3.9 or later. */
function basePython() {
  for (const py of [process.env.TFJS_ACTIVATIONS_PYTHON, 'python3', 'python'].filter(Boolean)) {
    const r = run(py, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']);
    if (!r.ok) continue;
    const [major, minor] = r.out.trim().split('.').map(Number);
    if (major === 3 && minor >= 9) return { python: py, version: `${major}.${minor}` };
  }
  return null;
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `fn` holding a directory lock (stale after 30 minutes), so parallel test files make one venv. */
function withLock(lockDir, fn) {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + 25 * 60 * 1000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let age = 0;
      try {
        age = Date.now() - fs.statSync(lockDir).mtimeMs;
      } catch {
        continue;
      }
      if (age > 30 * 60 * 1000) fs.rmSync(lockDir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir}`);
      else sleep(1000);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * The venv's python, made if needed: { python, dir, made, seconds } or { error } saying why it
 * cannot be made (no python3, no venv module, pip cannot find the packages, ...).
 */
function ensureKerasVenv(log = () => {}) {
  const t0 = Date.now();
  const base = basePython();
  if (!base) return { error: 'no python3 (3.9 or later) on PATH' };
  const reqs = requirements();
  const key = `py${base.version}-${crypto.createHash('sha256').update(reqs.join(' ')).digest('hex').slice(0, 12)}`;
  const dir = path.join(cacheRoot(), 'keras-venv', key);
  const python = path.join(dir, 'bin', 'python');
  const marker = path.join(dir, '.complete');
  if (fs.existsSync(marker)) return { python, dir, made: false, seconds: 0 };
  try {
    return withLock(`${dir}.lock`, () => {
      if (fs.existsSync(marker)) return { python, dir, made: false, seconds: 0 };
      fs.rmSync(dir, { recursive: true, force: true });
      log(`making a Python venv with ${reqs.join(', ')} in ${dir} (once; a few minutes)`);
      let r = run(base.python, ['-m', 'venv', dir]);
      if (!r.ok) throw new Error(`${base.python} -m venv failed: ${r.out.trim().split('\n').slice(-2).join(' ')}`);
      r = run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--retries', '1', ...reqs],
        { timeout: 30 * 60 * 1000 });
      if (!r.ok) {
        const lines = r.out.split('\n').filter((l) => /ERROR/.test(l));
        throw new Error(`pip install ${reqs.join(' ')} failed: ${(lines.length ? lines : r.out.trim().split('\n')).slice(-2).join(' ')}`);
      }
      r = run(python, ['-c', 'import keras, numpy, h5py'], { env: { ...process.env, KERAS_BACKEND: 'jax' } });
      if (!r.ok) throw new Error(`the new venv cannot import keras: ${r.out.trim().split('\n').slice(-1)[0]}`);
      fs.writeFileSync(marker, `${reqs.join(' ')}\n`);
      return { python, dir, made: true, seconds: (Date.now() - t0) / 1000 };
    });
  } catch (e) {
    if (!fs.existsSync(marker)) fs.rmSync(dir, { recursive: true, force: true });
    return { error: e.message };
  }
}

module.exports = { ensureKerasVenv, requirements, cacheRoot };

if (require.main === module) {
  const r = ensureKerasVenv((m) => process.stderr.write(`${m}\n`));
  if (r.error) {
    process.stderr.write(`keras-venv: ${r.error}\n`);
    process.exit(1);
  }
  process.stdout.write(`${r.python}\n`);
}
