#!/usr/bin/env node
'use strict';
/*
 * Offline provisioning of @tensorflow/tfjs-node (dev-only helper of
 * tfjs-activations, see docs/development.md).
 *
 * Runs as the `preinstall` script of the helper package "tfjs-node-offline",
 * which the project installs as a (packed, install-links=true) devDependency
 * and which declares @tensorflow/tfjs-node as an optionalDependency. npm runs
 * every dependency's preinstall before any dependency's install script, so
 * when this runs tfjs-node is unpacked but its `install` (scripts/install.js,
 * which downloads libtensorflow 2.9.1 unless deps/lib/libtensorflow.so.2.9.1
 * exists) has not run yet.
 *
 *  - If the normal libtensorflow download is reachable: do nothing.
 *  - Otherwise: get a libtensorflow (user-supplied wheel/tarball/dir, or
 *    `pip download tensorflow-cpu==2.21.0`), keep ONE extracted copy in the
 *    user cache, symlink it into tfjs-node/deps, and put a tfjs_binding.node in
 *    place (from the cache, or built here with node-pre-gyp/node-gyp and then
 *    cached). tfjs-node's own install script then finds both and succeeds
 *    without touching the network.
 *  - If that fails too: clean up and let tfjs-node's install fail; npm drops
 *    the optional dependency and `npm install` still succeeds. The project's
 *    root `prepare` script (report.js) prints the outcome.
 *
 * Never exits non-zero. Can also be run by hand from the project root:
 *   node scripts/tfjs-node-offline/provision.js
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const cp = require('child_process');
const crypto = require('crypto');
const http = require('http');
const https = require('https');
const tls = require('tls');
const L = require('./lib.js');

const LIBTF_EXPECTED = '2.9.1';  // what tfjs-node 4.x's install.js looks for
const PROBE_TIMEOUT_MS = Number(process.env.TFJS_ACTIVATIONS_PROBE_TIMEOUT_MS || 6000);
const t0 = Date.now();

let logFd = null;
function log(msg) {
  const line = `[tfjs-node-offline +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`;
  process.stderr.write(line + '\n');
  if (logFd !== null) fs.writeSync(logFd, line + '\n');
}

let statusPath = null;
function writeStatus(obj) {
  if (!statusPath) return;
  const s = Object.assign({time: new Date().toISOString(), seconds: (Date.now() - t0) / 1000}, obj);
  fs.writeFileSync(statusPath, JSON.stringify(s, null, 2) + '\n');
}

function rmrf(p) {
  fs.rmSync(p, {recursive: true, force: true});
}

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = cp.spawnSync(cmd, args, Object.assign({encoding: 'utf8', maxBuffer: 64 << 20}, opts));
  const out = ((r.stdout || '') + (r.stderr || '')).trim();
  if (out && logFd !== null) fs.writeSync(logFd, out.split('\n').map((l) => '    ' + l).join('\n') + '\n');
  return {ok: r.status === 0, status: r.status, error: r.error, out};
}

function which(cmd) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch { /* next */ }
  }
  return null;
}

// ---------------------------------------------------------------- probing

/** URL tfjs-node's scripts/install.js would download (same env overrides). */
function tfjsNodeDownloadUrl(tfjsNodeDir) {
  const e = process.env;
  try {
    const custom = require(path.join(tfjsNodeDir, 'scripts', 'custom-binary.json'));
    if (custom && custom['tf-lib']) return custom['tf-lib'];
  } catch { /* no custom binary */ }
  const cdn = e.TFJS_NODE_CDN_STORAGE || e.npm_config_TFJS_NODE_CDN_STORAGE ||
      e.npm_config_tfjs_node_cdn_storage || e.CDN_STORAGE;
  const host = cdn || 'https://storage.googleapis.com/';
  const base = e.TFJS_NODE_BASE_URI || e.npm_config_TFJS_NODE_BASE_URI ||
      e.npm_config_tfjs_node_base_uri || `${host}tensorflow/libtensorflow/libtensorflow-`;
  return `${base}cpu-linux-x86_64-${LIBTF_EXPECTED}.tar.gz`;
}

/** HEAD `url` (through HTTPS_PROXY if set, like tfjs-node); resolves to a short verdict. */
function probe(url, timeoutMs) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (ok, why) => {
      if (!done) {
        done = true;
        clearTimeout(timer);
        resolve({ok, why});
      }
    };
    const timer = setTimeout(() => finish(false, `no answer within ${timeoutMs} ms`), timeoutMs);
    let u;
    try {
      u = new URL(url);
    } catch {
      return finish(false, 'bad URL ' + url);
    }
    const onRes = (res) => {
      res.resume();
      finish(res.statusCode >= 200 && res.statusCode < 400, `HTTP ${res.statusCode}`);
    };
    const proxy = process.env.HTTPS_PROXY || process.env.https_proxy ||
        process.env.HTTP_PROXY || process.env.http_proxy;
    try {
      if (proxy && u.protocol === 'https:') {
        const p = new URL(proxy);
        const port = u.port || 443;
        const req = http.request({
          host: p.hostname, port: p.port || 80, method: 'CONNECT', path: `${u.hostname}:${port}`,
          headers: p.username ? {'Proxy-Authorization': 'Basic ' +
              Buffer.from(decodeURIComponent(p.username) + ':' + decodeURIComponent(p.password)).toString('base64')} : {},
        });
        req.on('connect', (res, socket) => {
          if (res.statusCode !== 200) return finish(false, `proxy CONNECT ${res.statusCode}`);
          const r2 = https.request({
            method: 'HEAD', hostname: u.hostname, path: u.pathname + u.search,
            createConnection: () => tls.connect({socket, servername: u.hostname}),
          }, onRes);
          r2.on('error', (e) => finish(false, e.code || e.message));
          r2.end();
        });
        req.on('error', (e) => finish(false, 'proxy ' + (e.code || e.message)));
        req.end();
      } else {
        const mod = u.protocol === 'http:' ? http : https;
        const req = mod.request(url, {method: 'HEAD'}, onRes);
        req.on('error', (e) => finish(false, e.code || e.message));
        req.end();
      }
    } catch (e) {
      finish(false, e.message);
    }
  });
}

// ---------------------------------------------------------------- libtensorflow

/** Finds {libDir, mainLib, fwLib, includeDir} in an extracted layout, or null. */
function describeLibDir(dir) {
  const cand = [
    {lib: path.join(dir, 'lib'), inc: path.join(dir, 'include')},     // libtensorflow tarball / our cache
    {lib: dir, inc: path.join(dir, 'include')},                        // site-packages/tensorflow
    {lib: path.join(dir, 'tensorflow'), inc: path.join(dir, 'tensorflow', 'include')},
  ];
  for (const c of cand) {
    const main = ['libtensorflow_cc.so.2', 'libtensorflow.so.2', 'libtensorflow.so']
                     .map((n) => path.join(c.lib, n)).find((p) => fs.existsSync(p));
    const fw = ['libtensorflow_framework.so.2', 'libtensorflow_framework.so']
                   .map((n) => path.join(c.lib, n)).find((p) => fs.existsSync(p));
    if (main && fw && fs.existsSync(path.join(c.inc, 'tensorflow', 'c', 'c_api.h')) &&
        fs.existsSync(path.join(c.inc, 'tensorflow', 'c', 'eager', 'c_api.h'))) {
      return {libDir: c.lib, mainLib: main, fwLib: fw, includeDir: c.inc};
    }
  }
  return null;
}

function statKey(p) {
  const st = fs.statSync(p);
  const h = crypto.createHash('sha1').update(`${fs.realpathSync(p)}|${st.size}|${st.mtimeMs}`).digest('hex');
  return h.slice(0, 12);
}

function sanitize(s) {
  return s.replace(/[^A-Za-z0-9._=-]+/g, '_').slice(0, 80);
}

/** mkdir-based lock shared by concurrent installs (other clones). */
async function withLock(lockDir, fn) {
  fs.mkdirSync(path.dirname(lockDir), {recursive: true});
  const deadline = Date.now() + 20 * 60 * 1000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let age = 0;
      try {
        age = Date.now() - fs.statSync(lockDir).mtimeMs;
      } catch { continue; }
      if (age > 30 * 60 * 1000) {
        log(`removing stale lock ${lockDir}`);
        rmrf(lockDir);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockDir}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    rmrf(lockDir);
  }
}

// Only what tfjs-node's binding needs (c_api.h, eager/c_api.h and what they include).
const WHEEL_MEMBERS = [
  'tensorflow/libtensorflow_cc.so.2',
  'tensorflow/libtensorflow_framework.so.2',
  'tensorflow/include/tensorflow/c/*',
  'tensorflow/include/tensorflow/core/platform/*',
  'tensorflow/include/tsl/*',
  'tensorflow/include/xla/tsl/*',
];

function extractWheel(wheel, tmp) {
  // unzip is fastest; python's zipfile is the fallback (pip implies python).
  if (which('unzip')) {
    const r = run('unzip', ['-q', '-o', wheel, ...WHEEL_MEMBERS, '-d', tmp]);
    if (r.ok || fs.existsSync(path.join(tmp, 'tensorflow', 'libtensorflow_cc.so.2'))) return;
    log('unzip failed, trying python zipfile');
  }
  const py = ['python3', 'python'].find(which);
  if (!py) throw new Error('need `unzip` or python3 to extract ' + wheel);
  const script = `
import fnmatch, sys, zipfile
pats = sys.argv[3:]
with zipfile.ZipFile(sys.argv[1]) as z:
    for n in z.namelist():
        if any(fnmatch.fnmatch(n, p) for p in pats):
            z.extract(n, sys.argv[2])
`;
  const r = run(py, ['-c', script, wheel, tmp, ...WHEEL_MEMBERS]);
  if (!r.ok) throw new Error(`extracting ${wheel} failed: ${r.out.slice(-400)}`);
}

/** Turns an extraction dir into the cache layout (lib/, include/). */
function finishCacheEntry(tmp, entry, meta) {
  const wheelRoot = path.join(tmp, 'tensorflow');
  if (fs.existsSync(path.join(wheelRoot, 'libtensorflow_cc.so.2'))) {
    fs.mkdirSync(path.join(tmp, 'lib'));
    for (const n of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
      fs.renameSync(path.join(wheelRoot, n), path.join(tmp, 'lib', n));
    }
    fs.renameSync(path.join(wheelRoot, 'include'), path.join(tmp, 'include'));
    rmrf(wheelRoot);
  }
  const d = describeLibDir(tmp);
  if (!d || d.libDir !== path.join(tmp, 'lib')) {
    throw new Error('no libtensorflow(+_framework) and tensorflow/c headers found in ' + meta.source);
  }
  fs.writeFileSync(path.join(tmp, 'SOURCE.json'), JSON.stringify(meta, null, 2) + '\n');
  rmrf(entry);
  fs.renameSync(tmp, entry);
}

function freeBytes(dir) {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return Infinity;
  }
}

/**
 * The cache entry at `entry`: reused when complete, otherwise filled once under a lock by
 * `fill(tmp)` in a temporary directory (it returns the metadata to record), then moved into place.
 */
async function ensureCacheEntry(key, entry, fill) {
  if (describeLibDir(entry)) {
    log(`reusing cached libtensorflow ${entry}`);
    return {key, entry, cached: true};
  }
  return withLock(entry + '.lock', async () => {
    if (describeLibDir(entry)) return {key, entry, cached: true};
    const tmp = `${entry}.tmp-${process.pid}`;
    rmrf(tmp);
    fs.mkdirSync(tmp, {recursive: true});
    try {
      const meta = await fill(tmp);
      finishCacheEntry(tmp, entry, {...meta, created: new Date().toISOString()});
    } finally {
      rmrf(tmp);
    }
    return {key, entry, cached: false};
  });
}

async function ensureLibFromFile(file, cache) {
  const base = path.basename(file);
  const key = `local-${sanitize(base.replace(/\.(whl|zip|tar\.gz|tgz)$/, ''))}-${statKey(file)}`;
  return ensureCacheEntry(key, path.join(cache, 'libtensorflow', key), async (tmp) => {
    if (/\.(whl|zip)$/.test(base)) {
      extractWheel(file, tmp);
    } else if (/\.(tar\.gz|tgz)$/.test(base)) {
      const r = run('tar', ['-xzf', file, '-C', tmp]);
      if (!r.ok) throw new Error(`tar -xzf ${file} failed: ${r.out.slice(-400)}`);
    } else {
      throw new Error(`${L.ENV_LIB}=${file}: expected a .whl, .tar.gz/.tgz or a directory`);
    }
    return {source: file};
  });
}

async function ensureLibFromPip(cache) {
  const spec = process.env[L.ENV_PIP_SPEC] || L.DEFAULT_PIP_SPEC;
  const key = `pip-${sanitize(spec)}-${process.platform}-${process.arch}`;
  return ensureCacheEntry(key, path.join(cache, 'libtensorflow', key), async (tmp) => {
    const need = 1.3e9;  // wheel (~275 MB) + extracted libs (~855 MB) + slack
    if (freeBytes(cache) < need) {
      throw new Error(`not enough free disk space in ${cache} (need ~1.3 GB for ${spec})`);
    }
    const dl = path.join(tmp, 'download');
    fs.mkdirSync(dl, {recursive: true});
    // The first working pip only (each failing attempt can cost seconds of retries).
    const pips = [];
    for (const py of ['python3', 'python']) if (which(py)) pips.push([py, ['-m', 'pip']]);
    for (const p of ['pip3', 'pip']) if (which(p)) pips.push([p, []]);
    const pip = pips.find(([cmd, pre]) => run(cmd, [...pre, '--version']).ok);
    if (!pip) throw new Error('pip not found (tried python3 -m pip, python -m pip, pip3, pip)');
    // --no-cache-dir: do not leave a second copy of the wheel in pip's cache.
    const common = ['download', '--no-deps', '--no-cache-dir', '--disable-pip-version-check',
                    '--retries', '1', '--only-binary=:all:', '-d', dl, spec];
    // Second try pins a wheel tag, for a local python without a matching wheel.
    const pinned = ['--platform', 'manylinux_2_27_x86_64', '--python-version', '3.11',
                    '--implementation', 'cp', '--abi', 'cp311'];
    let ok = false;
    let last = '';
    for (const extra of [[], pinned]) {
      const r = run(pip[0], [...pip[1], ...common, ...extra], {timeout: 15 * 60 * 1000});
      if (r.ok) {
        ok = true;
        break;
      }
      last = r.out.split('\n').filter((l) => /ERROR/.test(l)).slice(-2).join(' ') ||
             r.out.split('\n').slice(-2).join(' ');
      if (!/No matching distribution|Could not find a version/.test(r.out)) break;
    }
    if (!ok) throw new Error(`pip download ${spec} failed: ${last}`);
    const whl = fs.readdirSync(dl).find((n) => n.endsWith('.whl'));
    if (!whl) throw new Error('pip download produced no wheel');
    log(`downloaded ${whl}; extracting libtensorflow`);
    extractWheel(path.join(dl, whl), tmp);
    rmrf(dl);  // the wheel is not kept: one copy of the library only
    return {source: `pip download ${spec}`, wheel: whl};
  });
}

// ---------------------------------------------------------------- tfjs-node

/** DT_SONAME of an ELF64 little-endian shared library (null if unknown). */
function elfSoname(file) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
    const rd = (off, len) => {
      const b = Buffer.alloc(len);
      fs.readSync(fd, b, 0, len, off);
      return b;
    };
    const h = rd(0, 64);
    if (h.readUInt32BE(0) !== 0x7f454c46 || h[4] !== 2 || h[5] !== 1) return null;
    const shoff = Number(h.readBigUInt64LE(0x28));
    const shentsize = h.readUInt16LE(0x3a);
    const shnum = h.readUInt16LE(0x3c);
    const sh = rd(shoff, shentsize * shnum);
    const sec = (i) => ({
      type: sh.readUInt32LE(i * shentsize + 4),
      offset: Number(sh.readBigUInt64LE(i * shentsize + 0x18)),
      size: Number(sh.readBigUInt64LE(i * shentsize + 0x20)),
      link: sh.readUInt32LE(i * shentsize + 0x28),
    });
    for (let i = 0; i < shnum; i++) {
      const s = sec(i);
      if (s.type !== 6) continue;  // SHT_DYNAMIC
      const dyn = rd(s.offset, s.size);
      const strtab = sec(s.link);
      for (let o = 0; o + 16 <= dyn.length; o += 16) {
        const tag = Number(dyn.readBigInt64LE(o));
        if (tag === 0) break;
        if (tag === 14) {  // DT_SONAME
          const str = rd(strtab.offset + Number(dyn.readBigUInt64LE(o + 8)), 256);
          return str.toString('latin1', 0, str.indexOf(0));
        }
      }
    }
  } catch {
    return null;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return null;
}

/** Symlinks the libtensorflow into tfjs-node/deps under every name it (and the loader) wants. */
function linkDeps(tfjsNodeDir, d) {
  const deps = path.join(tfjsNodeDir, 'deps');
  const lib = path.join(deps, 'lib');
  rmrf(deps);
  fs.mkdirSync(lib, {recursive: true});
  const link = (name, target) => {
    const p = path.join(lib, name);
    if (!fs.existsSync(p)) fs.symlinkSync(target, p);
  };
  // Every real name (covers SONAMEs such as libtensorflow_cc.so.2) ...
  for (const n of fs.readdirSync(d.libDir)) {
    if (/^libtensorflow.*\.so/.test(n)) link(n, fs.realpathSync(path.join(d.libDir, n)));
  }
  const main = fs.realpathSync(d.mainLib);
  const fw = fs.realpathSync(d.fwLib);
  // ... the SONAMEs, which the built binding records and the loader looks up ...
  for (const f of [main, fw]) {
    const so = elfSoname(f);
    if (so && !so.includes('/')) link(so, f);
  }
  // ... plus what install.js checks and what `-ltensorflow -ltensorflow_framework` need.
  for (const n of [`libtensorflow.so.${LIBTF_EXPECTED}`, 'libtensorflow.so.2', 'libtensorflow.so']) link(n, main);
  for (const n of [`libtensorflow_framework.so.${LIBTF_EXPECTED}`, 'libtensorflow_framework.so.2',
                   'libtensorflow_framework.so']) link(n, fw);
  fs.symlinkSync(fs.realpathSync(d.includeDir), path.join(deps, 'include'));
}

function builtBindings(tfjsNodeDir) {
  const libRoot = path.join(tfjsNodeDir, 'lib');
  if (!fs.existsSync(libRoot)) return [];
  return fs.readdirSync(libRoot)
      .filter((n) => /^napi-v\d+$/.test(n) && fs.existsSync(path.join(libRoot, n, 'tfjs_binding.node')))
      .map((n) => path.join('lib', n, 'tfjs_binding.node'));
}

/** Node's own headers, so node-gyp does not try to download them. */
function findNodeDir() {
  const ok = (dir) => dir && fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h')) &&
      fs.existsSync(path.join(dir, 'include', 'node', 'common.gypi'));
  const cands = [process.env.npm_config_nodedir, path.resolve(process.execPath, '..', '..'), '/usr', '/usr/local'];
  const good = cands.filter(ok);
  // Prefer headers of exactly this Node version (the binding only uses N-API, so others also work).
  const same = good.find((dir) => {
    try {
      const h = fs.readFileSync(path.join(dir, 'include', 'node', 'node_version.h'), 'utf8');
      const v = ['MAJOR', 'MINOR', 'PATCH'].map((k) => (h.match(new RegExp(`define NODE_${k}_VERSION (\\d+)`)) || [])[1]).join('.');
      return 'v' + v === process.version;
    } catch {
      return false;
    }
  });
  return same || good[0] || null;
}

function buildBinding(tfjsNodeDir) {
  let npg;
  try {
    npg = require.resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp', {paths: [tfjsNodeDir]});
  } catch {
    throw new Error('@mapbox/node-pre-gyp (a tfjs-node dependency) not found');
  }
  const env = Object.assign({}, process.env);
  const nodedir = findNodeDir();
  if (nodedir) {
    env.npm_config_nodedir = nodedir;
    log(`building tfjs_binding.node against libtensorflow (node headers: ${nodedir}/include/node)`);
  } else {
    log('building tfjs_binding.node; no local Node headers found, node-gyp may need to download them ' +
        '(install your distribution\'s nodejs dev headers, e.g. Debian libnode-dev, if this fails)');
  }
  if (!env.JOBS) env.JOBS = String(Math.max(1, Math.min(4, os.cpus().length)));
  const r = run(process.execPath, [npg, 'install', '--build-from-source'], {cwd: tfjsNodeDir, env, timeout: 30 * 60 * 1000});
  if (!r.ok || !builtBindings(tfjsNodeDir).length) {
    const tail = r.out.split('\n').filter((l) => /error|Error|ERR/.test(l)).slice(-4).join(' | ');
    throw new Error(`building the tfjs-node binding failed: ${tail || r.out.slice(-300)}`);
  }
  // Intermediate objects are not needed at run time.
  rmrf(path.join(tfjsNodeDir, 'build', 'Release', 'obj.target'));
  rmrf(path.join(tfjsNodeDir, 'build', 'Release', '.deps'));
}

function copyAtomic(src, dst) {
  fs.mkdirSync(path.dirname(dst), {recursive: true});
  const tmp = `${dst}.tmp-${process.pid}`;
  fs.copyFileSync(src, tmp);
  fs.renameSync(tmp, dst);
}

// ---------------------------------------------------------------- main

async function main() {
  let tfjsNodeDir;
  try {
    tfjsNodeDir = path.dirname(require.resolve(`${L.TFJS_NODE}/package.json`, {paths: [__dirname, process.cwd()]}));
  } catch {
    process.stderr.write('[tfjs-node-offline] @tensorflow/tfjs-node is not being installed (e.g. --omit=optional); nothing to do\n');
    return;
  }
  const nodeModules = path.resolve(tfjsNodeDir, '..', '..');
  const projectRoot = path.dirname(nodeModules);
  fs.mkdirSync(L.statusDir(nodeModules), {recursive: true});
  statusPath = L.statusFile(nodeModules);
  logFd = fs.openSync(L.logFile(nodeModules), 'w');
  const tfjsNodeVersion = require(path.join(tfjsNodeDir, 'package.json')).version;
  const mode = (process.env[L.ENV_LIB] || 'auto').trim();
  const base = {mode, tfjsNode: tfjsNodeVersion, log: L.logFile(nodeModules)};
  log(`tfjs-node ${tfjsNodeVersion} at ${tfjsNodeDir}; ${L.ENV_LIB}=${mode}`);
  writeStatus(Object.assign({state: 'running'}, base));

  if (/^(download|default|upstream)$/i.test(mode)) {
    log('leaving tfjs-node to its normal download');
    return writeStatus(Object.assign({state: 'download', reason: `${L.ENV_LIB}=${mode}`}, base));
  }
  const isPath = mode !== 'auto' && !/^(pip|wheel|local)$/i.test(mode);
  if (process.platform !== 'linux' && !isPath) {
    log(`no local provisioning on ${process.platform}; leaving tfjs-node to its normal download`);
    return writeStatus(Object.assign({state: 'download', reason: `platform ${process.platform}`}, base));
  }
  if (mode === 'auto') {
    const url = tfjsNodeDownloadUrl(tfjsNodeDir);
    const p = await probe(url, PROBE_TIMEOUT_MS);
    log(`probe ${url}: ${p.ok ? 'reachable' : 'unreachable'} (${p.why})`);
    if (p.ok) {
      return writeStatus(Object.assign({state: 'download', reason: `download reachable (${p.why})`}, base));
    }
    base.probe = `${url}: ${p.why}`;
  }

  const cache = L.cacheRoot();
  fs.mkdirSync(cache, {recursive: true});
  try {
    // 1. one copy of libtensorflow
    let lib;
    let d;
    if (isPath) {
      const src = path.resolve(process.env.INIT_CWD || process.cwd(), mode.replace(/^~(?=\/)/, os.homedir()));
      if (!fs.existsSync(src)) throw new Error(`${L.ENV_LIB}=${mode}: no such file or directory`);
      if (fs.statSync(src).isDirectory()) {
        d = describeLibDir(src);
        if (!d) throw new Error(`${L.ENV_LIB}=${src}: no libtensorflow + tensorflow/c headers in this directory`);
        lib = {key: `dir-${statKey(d.mainLib)}`, entry: src, cached: true};
        log(`using libtensorflow in place: ${d.mainLib}`);
      } else {
        lib = await ensureLibFromFile(src, cache);
      }
    } else {
      lib = await ensureLibFromPip(cache);
    }
    d = d || describeLibDir(lib.entry);
    log(`libtensorflow: ${d.mainLib} (${lib.cached ? 'cached' : 'provisioned now'})`);

    // 2. tfjs-node/deps -> symlinks
    linkDeps(tfjsNodeDir, d);

    // 3. binding: from cache or built here
    const bfull = `tfjs-node-${tfjsNodeVersion}-napi${process.versions.napi}-` +
                  `${process.platform}-${process.arch}-${lib.key}`;
    const bkey = `${sanitize(bfull).slice(0, 60)}-${crypto.createHash('sha1').update(bfull).digest('hex').slice(0, 10)}`;
    const bdir = path.join(cache, 'bindings', bkey);
    let bindingFrom = 'cache';
    const cachedFiles = fs.existsSync(path.join(bdir, 'SOURCE.json')) ? builtBindings(bdir) : [];
    if (cachedFiles.length) {
      for (const f of cachedFiles) copyAtomic(path.join(bdir, f), path.join(tfjsNodeDir, f));
      log(`reused cached binding ${bdir}`);
    } else {
      bindingFrom = 'built';
      buildBinding(tfjsNodeDir);
      const check = L.checkTfjsNode(projectRoot);
      log(`load check: ${JSON.stringify(check)}`);
      if (!check.ok) throw new Error(`built tfjs-node binding does not work: ${check.error || check.backend}`);
      const tmp = `${bdir}.tmp-${process.pid}`;
      rmrf(tmp);
      for (const f of builtBindings(tfjsNodeDir)) copyAtomic(path.join(tfjsNodeDir, f), path.join(tmp, f));
      fs.writeFileSync(path.join(tmp, 'SOURCE.json'), JSON.stringify({lib: d.mainLib, node: process.version}, null, 2));
      rmrf(bdir);
      fs.renameSync(tmp, bdir);
    }
    log('done: tfjs-node will use this libtensorflow; its install script skips the download');
    writeStatus(Object.assign({state: 'local', libtensorflow: fs.realpathSync(d.mainLib), libCached: lib.cached,
                               binding: bindingFrom, cache}, base));
  } catch (e) {
    log('FAILED: ' + (e && e.stack || e));
    // Undo, so tfjs-node's install script does its normal thing (and, offline,
    // fails: npm then drops the optional dependency and the install succeeds).
    rmrf(path.join(tfjsNodeDir, 'deps'));
    for (const f of builtBindings(tfjsNodeDir)) rmrf(path.join(tfjsNodeDir, f));
    writeStatus(Object.assign({state: 'failed', error: String(e && e.message || e), cache}, base));
  }
}

main().catch((e) => {
  try {
    log('unexpected error: ' + (e && e.stack || e));
  } catch { /* ignore */ }
}).finally(() => {
  if (logFd !== null) fs.closeSync(logFd);
  process.exitCode = 0;
});
