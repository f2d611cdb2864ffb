/**
 * Prints, once per `npm test`, which backends the suite runs on (tensorflow only when tfjs-node
 * loads; with TFJS_ACTIVATIONS_REQUIRE_TFJS_NODE=1 a missing tfjs-node fails every test file), and
 * whether the browser tests can run (Chromium present; TFJS_ACTIVATIONS_REQUIRE_BROWSER=1 makes it required).
 * Checked in a child process: loading tfjs here would leak into in-band test runs.
 */
const { spawnSync } = require('child_process');

module.exports = async () => {
  const probe = spawnSync(process.execPath, ['-e', "require('@tensorflow/tfjs-node')"], {
    cwd: __dirname,
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  const reason = (probe.stderr || '').split('\n').find((l) => l.includes('Error')) || 'unknown error';
  const tensorflow = probe.status === 0 ? 'tensorflow' : `no tensorflow (tfjs-node did not load: ${reason.trim()})`;
  const chromium = process.env.TFJS_ACTIVATIONS_CHROMIUM || '/usr/bin/chromium';
  const browser = require('fs').existsSync(chromium) ? `webgl, webgpu and cpu in ${chromium}` : `none (no Chromium at ${chromium}: browser tests skipped)`;
  process.stdout.write(`\ntfjs-activations tests run on backends: cpu, wasm, ${tensorflow}; in a browser: ${browser}\n`);
};
