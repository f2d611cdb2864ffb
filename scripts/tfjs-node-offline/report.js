#!/usr/bin/env node
'use strict';
// Root `prepare` script: npm hides dependency script output, so this prints
// the outcome of the tfjs-node installation (see provision.js) in one place.
// Always exits 0: a missing tfjs-node must not fail `npm install`
// (.ci/run checks separately that tfjs-node loads).

const fs = require('fs');
const path = require('path');
const L = require('./lib.js');

// `prepare` also runs for `npm pack`/`npm publish`: nothing to report there.
if (process.env.npm_command && !/^(install|ci|i|add|rebuild|update)$/.test(process.env.npm_command)) process.exit(0);

const root = path.resolve(__dirname, '..', '..');
const nodeModules = path.join(root, 'node_modules');
if (!fs.existsSync(nodeModules)) process.exit(0);  // e.g. `npm pack` without an install

const status = L.readJson(L.statusFile(nodeModules)) || {};
let present = true;
try {
  require.resolve(`${L.TFJS_NODE}/package.json`, {paths: [root]});
} catch {
  present = false;
}
const check = present ? L.checkTfjsNode(root) : {ok: false, error: 'not installed'};
const logHint = fs.existsSync(L.logFile(nodeModules)) ? ` Log: ${path.relative(root, L.logFile(nodeModules))}` : '';

if (check.ok) {
  let how = 'libtensorflow from the standard download';
  if (status.state === 'local') {
    how = `local libtensorflow ${status.libtensorflow}` +
          (status.binding === 'cache' ? ', cached binding' : ', binding built from source');
  }
  console.log(`tfjs-activations: @tensorflow/tfjs-node OK, backend 'tensorflow' (${how}).`);
} else if (!present && status.state === undefined && !fs.existsSync(path.join(nodeModules, 'tfjs-node-offline'))) {
  console.log('tfjs-activations: @tensorflow/tfjs-node not installed (optional dev dependency omitted); ' +
              'tests and demos use the wasm/cpu backends.');
} else if (status.state === undefined) {
  console.log([
    '',
    '*** tfjs-activations: @tensorflow/tfjs-node is NOT available and the preinstall script of',
    '*** node_modules/tfjs-node-offline did not run (install scripts disabled or not approved?).',
    '*** Tests and demos fall back to the wasm/cpu backends. Fix: allow it (`npm install-scripts approve',
    '*** tfjs-node-offline`, no --ignore-scripts) and run `npm install` again, or run it by hand:',
    '***   node scripts/tfjs-node-offline/provision.js',
    '',
  ].join('\n'));
} else {
  const why = status.state === 'failed' ? status.error :
              status.state === 'download' && !present ?
                  `its standard libtensorflow download/build failed (${status.reason})` :
              check.error;
  const msg = [
    '',
    '*** tfjs-activations: @tensorflow/tfjs-node is NOT available: ' + (why || 'unknown reason') + '.',
    '*** npm install still succeeded; tests and demos fall back to the wasm/cpu backends.',
    '*** Fix: let `pip download tensorflow-cpu==2.21.0` work (pip index reachable), or point',
    `***      ${L.ENV_LIB}=/path/to/tensorflow_cpu-2.21.0-*.whl (or a libtensorflow .tar.gz, or an`,
    '***      extracted libtensorflow directory) and run `npm install` again.' + logHint,
    '',
  ];
  console.log(msg.join('\n'));
}
