'use strict';
// Shared constants/helpers of the tfjs-node offline provisioning (plain
// CommonJS, Node builtins only: it runs while npm is still installing).

const fs = require('fs');
const os = require('os');
const path = require('path');
const cp = require('child_process');

const ENV_LIB = 'TFJS_ACTIVATIONS_LIBTENSORFLOW';
const ENV_CACHE = 'TFJS_ACTIVATIONS_CACHE';
const ENV_PIP_SPEC = 'TFJS_ACTIVATIONS_TF_PIP_SPEC';
const DEFAULT_PIP_SPEC = 'tensorflow-cpu==2.21.0';
const TFJS_NODE = '@tensorflow/tfjs-node';

function cacheRoot() {
  if (process.env[ENV_CACHE]) return path.resolve(process.env[ENV_CACHE]);
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'tfjs-activations');
}

/** node_modules/.cache/tfjs-activations of the project owning `nodeModules`. */
function statusDir(nodeModules) {
  return path.join(nodeModules, '.cache', 'tfjs-activations');
}
function statusFile(nodeModules) {
  return path.join(statusDir(nodeModules), 'tfjs-node-status.json');
}
function logFile(nodeModules) {
  return path.join(statusDir(nodeModules), 'tfjs-node-install.log');
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Loads tfjs-node in a child process (so a crash in the native binding cannot
 * take the caller down), runs a few ops and reports {ok, backend, version, error}.
 */
function checkTfjsNode(cwd, timeoutMs = 120000) {
  const code = `
    const tf = require(${JSON.stringify(TFJS_NODE)});
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const s = tf.sigmoid(tf.exp(tf.matMul(a, a).div(100))).sum().dataSync()[0];
    const c = tf.conv2d(tf.ones([1, 3, 3, 1]), tf.ones([2, 2, 1, 1]), 1, 'valid').sum().dataSync()[0];
    if (!(Math.abs(c - 16) < 1e-5) || !Number.isFinite(s)) throw new Error('wrong op results ' + s + ' ' + c);
    console.log(JSON.stringify({backend: tf.getBackend(), tf: tf.version.tfjs, libtensorflow: tf.version['tfjs-node'] || ''}));
  `;
  const r = cp.spawnSync(process.execPath, ['-e', code], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: Object.assign({}, process.env, {TF_CPP_MIN_LOG_LEVEL: '2'}),
  });
  if (r.status === 0) {
    try {
      const info = JSON.parse(r.stdout.trim().split('\n').pop());
      return Object.assign({ok: info.backend === 'tensorflow'}, info);
    } catch { /* fall through */ }
  }
  const err = ((r.stderr || '') + (r.error ? String(r.error) : '')).trim().split('\n')
                  .filter((l) => /Error|error|cannot|not found/.test(l)).slice(0, 3).join(' | ');
  return {ok: false, error: err || `exit ${r.status}`};
}

module.exports = {
  ENV_LIB,
  ENV_CACHE,
  ENV_PIP_SPEC,
  DEFAULT_PIP_SPEC,
  TFJS_NODE,
  cacheRoot,
  statusDir,
  statusFile,
  logFile,
  readJson,
  checkTfjsNode,
};
