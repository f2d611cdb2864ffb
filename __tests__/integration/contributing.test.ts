/**
 * CONTRIBUTING.md's recipe for adding an activation holds as written: in a temporary copy of the
 * repository, a throw-away activation (the bent identity) is added with exactly the three
 * hand-written pieces the recipe names — its definition file, its import and list entry in
 * src/definitions/index.ts, and its closed form in the mpmath generator — then the two commands
 * run, and the type-check and the registry-driven tests pass for it (op, gradients, accuracy against
 * its new fixtures, fast path, layers, names, docs) without any other file being touched.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pythonWith, requirePython } from '../support/python';

const ROOT = path.join(__dirname, '..', '..');
const { python, reason } = pythonWith(['mpmath']);
const missing = python ? undefined : requirePython(reason!);
if (missing) console.warn(`contributing recipe test skipped: ${missing}`);
const describeWithPython = missing ? describe.skip : describe;

const DEFINITION = `import { defineActivation, smoothEverywhere } from '../definition';
import { clamp, FLOAT32_MAX } from '../engine/forms';
import type { Expr } from '../engine/expr';

/** x clamped to ±FLOAT32_MAX and r = √(x² + 1) (|x| itself where the 1 no longer counts). */
function radius(x: Expr): { xc: Expr; r: Expr } {
  const xc = clamp(x, -FLOAT32_MAX, FLOAT32_MAX);
  return { xc, r: xc.abs().gt(4096).select(xc.abs(), xc.square().add(1).sqrt()) };
}

export const bentIdentity = defineActivation({
  id: 'bentIdentity',
  title: 'Bent identity',
  summary: '(√(x² + 1) − 1)/2 + x.',
  description: 'Written as x + x²/(2(√(x² + 1) + 1)), which does not cancel near 0.',
  aliases: {},
  noKerasEquivalent: 'Keras 3 has no bent identity.',
  params: {},
  forward: (x) => (Number.isFinite(x) ? x + (x * x) / (2 * (Math.hypot(x, 1) + 1)) : x),
  derivative: (x) => (Number.isFinite(x) ? 1 + x / (2 * Math.hypot(x, 1)) : x > 0 ? 1.5 : 0.5),
  secondDerivative: (x) => {
    const r = Math.hypot(x, 1);
    return 1 / (2 * r * r * r);
  },
  float32: {
    forward: (x) => {
      const { xc, r } = radius(x);
      return x.add(xc.mul(xc.div(r.add(1)).mul(0.5)));
    },
    derivative: (x) => {
      const { xc, r } = radius(x);
      return xc.div(r).mul(0.5).add(1);
    },
    secondDerivative: (x) => {
      const { r } = radius(x);
      return r.square().mul(r).mul(2).reciprocal();
    },
    paramDerivatives: {},
  },
  paramDerivatives: {},
  kinks: smoothEverywhere,
  properties: { range: '(−∞, ∞)', monotonic: true, smooth: true, zeroCentered: true, saturates: 'none', symmetry: 'none', bounds: [-Infinity, Infinity] },
  formula: {
    forward: 'f(x) = (√(x² + 1) − 1)/2 + x',
    derivative: 'f′(x) = x/(2√(x² + 1)) + 1',
    secondDerivative: 'f″(x) = 1/(2(x² + 1)^(3/2))',
  },
  reference: { citation: '[Bent identity](https://en.wikipedia.org/wiki/Activation_function)', url: 'https://en.wikipedia.org/wiki/Activation_function' },
  testing: { referenceParams: [] },
  bench: {
    cost: 'other',
    tfjsComposes: true,
    composition: { name: '(√(x² + 1) − 1)/2 + x', fn: (tf, x) => tf.add(tf.mul(0.5, tf.sub(tf.sqrt(tf.add(tf.square(x), 1)), 1)), x) },
  },
});
`;

const CLOSED_FORM = `

def b_bentIdentity(p):
    return dict(
        f=lambda x: (mpmath.sqrt(x * x + 1) - 1) / 2 + x,
        d1=lambda x: x / (2 * mpmath.sqrt(x * x + 1)) + 1,
        d2=lambda x: 1 / (2 * (x * x + 1) ** mpf(1.5)),
        limits={"-inf": (NINF, mpf(0.5), 0), "inf": (INF, mpf(1.5), 0)},
    )
`;

interface JestReport {
  testResults: Array<{ assertionResults: Array<{ ancestorTitles: string[]; title: string; status: string }> }>;
}

/** Copies the repository's sources (not node_modules, build output or large fixtures) to `to`. */
function copyRepository(to: string): void {
  const skip = new Set(['node_modules', '.git', 'dist', 'demos/out', 'demos/results', '__tests__/fixtures/keras'].map((p) => path.join(ROOT, p)));
  fs.cpSync(ROOT, to, { recursive: true, filter: (src) => !skip.has(src) });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(to, 'node_modules'));
}

/** Files (relative) that are new or different in `b` compared with `a`. */
function differingFiles(a: string, b: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(path.join(b, rel)).sort()) {
    const r = path.join(rel, name);
    if (fs.statSync(path.join(b, r)).isDirectory()) out.push(...differingFiles(a, b, r));
    else if (!fs.existsSync(path.join(a, r)) || !fs.readFileSync(path.join(a, r)).equals(fs.readFileSync(path.join(b, r)))) out.push(r);
  }
  return out;
}

function run(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout + r.stderr;
}

describeWithPython('the add-an-activation recipe (CONTRIBUTING.md)', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-activations-recipe-'));
    copyRepository(tmp);
  });
  afterAll(() => process.env.KEEP_RECIPE_COPY ? undefined : fs.rmSync(tmp, { recursive: true, force: true }));

  it('three hand-written pieces and two commands give a fully tested activation', () => {
    // 1. The definition file.
    fs.writeFileSync(path.join(tmp, 'src/definitions/bentIdentity.ts'), DEFINITION);
    // 2. Its import and list entry in the index.
    const indexPath = path.join(tmp, 'src/definitions/index.ts');
    const index = fs.readFileSync(indexPath, 'utf8');
    fs.writeFileSync(indexPath, index
      .replace(/(import \{ threshold \} from '\.\/threshold';)/, "$1\nimport { bentIdentity } from './bentIdentity';")
      .replace(/(\n\s*snake,\n)/, '$1  bentIdentity,\n'));
    expect(fs.readFileSync(indexPath, 'utf8')).toContain('  bentIdentity,\n');
    // 3. Its closed form for the mpmath reference.
    const generatorPath = path.join(tmp, '__tests__/fixtures/generate_reference.py');
    const generator = fs.readFileSync(generatorPath, 'utf8');
    fs.writeFileSync(generatorPath, generator
      .replace(/\n# The closed form of every activation, by id\./, `${CLOSED_FORM}\n\n# The closed form of every activation, by id.`)
      .replace(/(BUILDERS = \{\n)/, '$1    "bentIdentity": b_bentIdentity,\n'));

    // The two commands.
    run(tmp, 'npx', ['tsx', 'scripts/registry-dump.ts']);
    run(tmp, python!, ['__tests__/fixtures/generate_reference.py']);
    run(tmp, 'npx', ['tsx', 'scripts/docs.ts']);

    // Nothing else in src/ was touched: the copy's library differs from the repository's only there,
    // and in the types `npm run docs` generated.
    expect(differingFiles(path.join(ROOT, 'src'), path.join(tmp, 'src'))).toEqual(['definitions/bentIdentity.ts', 'definitions/index.ts', 'generated/api.ts']);

    // Type-check, then the registry-driven tests for the new activation (and the generated-docs checks).
    run(tmp, 'npx', ['tsc', '-p', '__tests__/tsconfig.json']);
    const report = path.join(tmp, 'jest-report.json');
    const out = run(tmp, 'npx', [
      'jest', '--ci', '--json', '--outputFile', report,
      ...['registry', 'docs', 'accuracy', 'fast', 'gradients', 'layers', 'names', 'params', 'inputs', 'loops'].map((f) => `__tests__/${f}.test.ts`),
      '-t', '(bentIdentity|registry|generated docs|reference fixtures)',
    ], { TFJS_ACTIVATIONS_REQUIRE_TFJS_NODE: process.env.TFJS_ACTIVATIONS_REQUIRE_TFJS_NODE ?? '' });
    expect(out).not.toMatch(/Tests:.*failed/);
    // Dozens of generated tests ran for it (ops, gradients, accuracy, fast path, layers, names), all passing.
    const results = (JSON.parse(fs.readFileSync(report, 'utf8')) as JestReport).testResults.flatMap((f) => f.assertionResults);
    const forIt = results.filter((r) => [...r.ancestorTitles, r.title].join(' ').includes('bentIdentity'));
    expect(forIt.filter((r) => r.status !== 'passed')).toEqual([]);
    expect(forIt.length).toBeGreaterThan(30);
  }, 900_000);
});
