/**
 * The published shape: `npm run build` output, the CommonJS entry at package.json `main` with
 * type declarations, `require('tfjs-activations')` from the project root and from a project that
 * installs the packed tarball, the browser ES module a bundler picks from that install, and tfjs as a
 * peer dependency (never bundled).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { definitions } from '../../src/definitions';

const root = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const node = process.execPath;

const probe = `
  const tf = require('@tensorflow/tfjs');
  const act = require('tfjs-activations');
  const y = act.ops.leakyRelu(tf.tensor([-1, 2]), {alpha: 0.1});
  console.log(JSON.stringify({ids: act.list().length, y: Array.from(y.dataSync()), leaky: act.get('leaky_relu').id}));
`;

beforeAll(() => {
  execFileSync(node, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: root, stdio: 'pipe' });
}, 120_000);

describe('package', () => {
  it('declares tfjs as a peer dependency and never as a runtime dependency', () => {
    expect(pkg.peerDependencies['@tensorflow/tfjs-core']).toBeDefined();
    expect(pkg.peerDependencies['@tensorflow/tfjs-layers']).toBeDefined();
    for (const name of ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers']) {
      expect(pkg.dependencies?.[name]).toBeUndefined();
    }
  });

  it('builds a CommonJS entry with type declarations at main/types', () => {
    expect(fs.existsSync(path.join(root, pkg.main))).toBe(true);
    expect(fs.existsSync(path.join(root, pkg.types))).toBe(true);
    expect(fs.readFileSync(path.join(root, pkg.main), 'utf8')).toContain('exports');
  });

  it("require('tfjs-activations') works from the project root", () => {
    const out = JSON.parse(execFileSync(node, ['-e', probe], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!);
    expect(out).toEqual({ ids: definitions.length, y: [Math.fround(-0.1), 2], leaky: 'leakyRelu' });
  });

  it('works when installed from the packed tarball, using the host project\'s tfjs', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-activations-pack-'));
    try {
      const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', tmp], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
      const app = path.join(tmp, 'app');
      const installed = path.join(app, 'node_modules', 'tfjs-activations');
      fs.mkdirSync(installed, { recursive: true });
      execFileSync('tar', ['xzf', path.join(tmp, tgz), '-C', installed, '--strip-components=1']);
      // The host project's tfjs: one instance, shared with the plugin through peer resolution.
      fs.symlinkSync(path.join(root, 'node_modules', '@tensorflow'), path.join(app, 'node_modules', '@tensorflow'));
      for (const dep of fs.readdirSync(path.join(root, 'node_modules'))) {
        if (dep.startsWith('.') || dep === '@tensorflow' || dep === 'tfjs-activations') continue;
        fs.symlinkSync(path.join(root, 'node_modules', dep), path.join(app, 'node_modules', dep));
      }
      expect(fs.existsSync(path.join(installed, 'dist', 'index.js'))).toBe(true);
      expect(fs.existsSync(path.join(installed, 'src'))).toBe(false);
      const out = JSON.parse(execFileSync(node, ['-e', probe], { cwd: app, encoding: 'utf8' }).trim().split('\n').pop()!);
      expect(out.ids).toBe(definitions.length);
      // A bundler building for the browser takes the ES module (the 'browser' export condition).
      for (const f of ['tfjs-activations.esm.js', 'tfjs-activations.min.js']) expect(fs.existsSync(path.join(installed, 'dist', 'browser', f))).toBe(true);
      const bundleForBrowser = (contents: string) => {
        const r = esbuild.buildSync({ stdin: { contents, resolveDir: app }, absWorkingDir: app, bundle: true, platform: 'browser', write: false, metafile: true, logLevel: 'silent' });
        return Object.keys(r.metafile!.inputs).filter((f) => f.includes('tfjs-activations/'));
      };
      expect(bundleForBrowser("import * as tf from '@tensorflow/tfjs'; import * as act from 'tfjs-activations'; act.ops.gelu(tf.tensor([1]));"))
        .toEqual(['node_modules/tfjs-activations/dist/browser/tfjs-activations.esm.js']);
      // require() and the side-effect-free entry take the CommonJS files, with the 'browser' field
      // swapping the Node-only module (a Node built-in would fail these builds).
      for (const entry of ["require('tfjs-activations')", "require('tfjs-activations/base')"]) {
        const files = bundleForBrowser(entry);
        expect(files).toContain('node_modules/tfjs-activations/dist/keras/local-files.browser.js');
        expect(files).not.toContain('node_modules/tfjs-activations/dist/keras/local-files.js');
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});
