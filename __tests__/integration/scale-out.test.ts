/**
 * The README's scale-out example runs as written: its three files (train.js, scale_out.py, back.js),
 * taken from the README's code blocks, run one after the other in an empty directory: tfjs trains and exports, Keras
 * on JAX (keras.distribution.DataParallel over four CPU devices in one process) loads the export and
 * trains it, and tfjs imports the result. `tfjs-activations` resolves to this repository's sources
 * (through tsx, so no build is needed) and `@tensorflow/tfjs` to its node_modules.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { kerasPython } from '../helpers/python';

const ROOT = path.join(__dirname, '..', '..');
const PAGE = path.join(ROOT, 'README.md');

const py = kerasPython();
if (py.missing) console.warn(`scale-out example skipped: ${py.missing}`);
const describePython = py.python ? describe : describe.skip;

/** The README's code blocks that start with a file name comment (`// train.js`, `# scale_out.py`). */
function files(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of fs.readFileSync(PAGE, 'utf8').matchAll(/```(?:js|python)\n(?:\/\/|#) ([\w.]+)\n([\s\S]*?)```/g)) out[m[1]] = `${m[2]}`;
  return out;
}

const number = (out: string, label: string) => {
  const m = new RegExp(`${label} ([-\\d.e+]+)`).exec(out);
  if (!m) throw new Error(`no '${label}' in:\n${out}`);
  return Number(m[1]);
};

describePython("the README's scale-out example", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-activations-scale-out-'));
    const shim = path.join(dir, 'node_modules', 'tfjs-activations');
    fs.mkdirSync(shim, { recursive: true });
    fs.writeFileSync(path.join(shim, 'package.json'), JSON.stringify({ name: 'tfjs-activations', main: 'index.js' }));
    fs.writeFileSync(path.join(shim, 'index.js'), `module.exports = require(${JSON.stringify(path.join(ROOT, 'src', 'index.ts'))});\n`);
    fs.symlinkSync(path.join(ROOT, 'node_modules', '@tensorflow'), path.join(dir, 'node_modules', '@tensorflow'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('has the three files', () => {
    expect(Object.keys(files()).sort()).toEqual(['back.js', 'scale_out.py', 'train.js']);
  });

  it('trains in tfjs, exports, trains in Keras on JAX over four devices, and comes back with Keras\'s loss', () => {
    for (const [name, text] of Object.entries(files())) fs.writeFileSync(path.join(dir, name), text);
    const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cjs', 'index.cjs');
    const node = (file: string) => spawnSync(process.execPath, ['--require', tsx, file], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    const run = (r: ReturnType<typeof spawnSync>) => {
      expect([r.status, String(r.stderr).split('\n').filter((l) => /Error|Traceback/.test(l))]).toEqual([0, []]);
      return String(r.stdout);
    };

    const trained = run(node('train.js'));
    expect(fs.readdirSync(path.join(dir, 'out')).sort()).toEqual(['model.keras', 'tfjs_activations_keras.py']);
    expect(trained).toContain('custom objects: TfjsActivations>Snake, TfjsActivations>Swish');

    const keras = run(spawnSync(py.python!, ['scale_out.py'], { cwd: dir, encoding: 'utf8', timeout: 600_000, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } }));
    expect(keras).toMatch(/devices \['cpu:0', 'cpu:1', 'cpu:2', 'cpu:3'\]/);
    const tfjsLoss = number(trained, 'tfjs loss');
    const before = number(keras, 'Keras loss before');
    const after = number(keras, 'Keras loss after');
    // Keras starts where tfjs stopped (same weights, same functions; the losses are means of squared
    // errors y − ŷ that cancel, so float32 noise in ŷ shows at 1e-5 of them), and its training lowers the loss.
    expect(Math.abs(before - tfjsLoss)).toBeLessThanOrEqual(1e-4 * tfjsLoss);
    expect(after).toBeLessThan(before);

    const back = run(node('back.js'));
    expect(Math.abs(number(back, 'back in tfjs, loss') - after)).toBeLessThanOrEqual(1e-4 * after);
    expect(back).toContain('TfjsActivations>Snake');
    expect(back).toContain('TfjsActivations>Swish');
    process.stdout.write(`scale-out example: tfjs loss ${tfjsLoss}, Keras ${before} -> ${after}, back in tfjs ${number(back, 'back in tfjs, loss')}\n`);
  }, 900_000);
});
