/**
 * docs/demos.md (between <!-- BEGIN demos --> and <!-- END demos -->) is assembled from
 * a fixed header and the current results each command saves (demos/results/compare.md,
 * demos/results/claims.md) with `--save-results`, which also copies its main chart PNGs into
 * demos/results/.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { RenderedChart } from './charts';
import { STRIDED_CNN } from './models';
import { markdownTable, type Table } from './report';
import { docPath, updateSection } from '../../scripts/lib/sections';

export const RESULTS_DIR = path.join(__dirname, '..', 'results');

const HEADER = `## Node training demos

Two commands train Keras-style models (\`tf.sequential\` with \`act.layers.dense\` and our activation
layers) on real and synthetic data and report what they measured: a table on the terminal, and JSON,
CSV, SVG/PNG charts (vega-lite, rendered in Node) and one self-contained \`report.html\` under
\`demos/out/<command>/\`. They use tfjs-node when it loads, otherwise wasm (then cpu), and print which
backend ran, why, and at which precision our activations ran there (\`act.getPrecision()\`).

\`\`\`sh
npm run demo                      # comparison demo (about 400 s of CPU time with tfjs-node; see Time budget)
npm run demo -- --quick           # smaller version (under 2 min)
npm run demo -- --activations relu,gelu,mish --seeds 3 --experiments mnist-mlp,spirals
npm run demo:claims               # every claim of the seed article
npm run demo:claims -- dead-relu  # one claim: saturation | zero-centred | relu-vs-tanh | dead-relu | ranking
\`\`\`

Flags (\`npm run demo -- --help\`): \`--quick\`, \`--activations <ids>\`, \`--experiments <names>\`,
\`--seeds <n>\`, \`--cnn-seeds <n>\`, \`--epochs <n>\`, \`--no-twins\`, \`--cnn-twins\`, \`--backend <tensorflow|wasm|cpu>\`
(one backend for every experiment), \`--out <dir>\`, \`--save-results\` (refresh this page and \`demos/results/\`). \`npm run demo:claims\` takes \`--quick\`, \`--seeds <n>\`,
\`--backend\`, \`--out\` and \`--save-results\` too. Without tfjs-node the demos pick smaller defaults and say so
(on wasm, conv layers train through a small \`Conv2DBackpropFilter\` bridge, \`demos/lib/wasm-conv-shim.ts\`).

**Comparison demo.** Data: the 10,000 real digits of the \`mnist\` npm package, split 8,000/2,000 by a
seeded permutation (not the package's \`Math.random\`), and seeded synthetic 2-D sets (two spirals,
moons, circles). Models: an MLP (784 → 64 → 64 → 10) and a CNN (${STRIDED_CNN}; 8,000 digits,
3 epochs, Adam at 4e-3 halved every epoch, target 97 %), the same architecture for every activation,
Adam, our own seeded batch order. Where tfjs has a built-in for the same function, it is trained next
to ours in the MLP (in the CNN too with \`--cnn-twins\`) from the same initial weights
(\`getWeights\`/\`setWeights\`) on the very same batches: the loss curves must coincide, and the table
gives the largest per-step difference. Reported: test accuracy and loss (mean ± std over seeds), epochs
and training seconds to a target accuracy, seconds per epoch, NaN/divergence events. MNIST trains on
tfjs-node; the synthetic sets' 2 → 32 → 32 → 2 MLPs train on wasm, where such small models run several
times faster (their time is per-op overhead), unless \`--backend\` names one backend for all.

**Claims demo.** Each experiment prints the claim, how it was measured, the numbers over several seeds
and a verdict computed from them with the thresholds printed next to it.
`;

export function saveResultsPart(name: 'compare' | 'claims', markdown: string, pngs: string[]): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  for (const p of pngs) fs.copyFileSync(p, path.join(RESULTS_DIR, path.basename(p)));
  fs.writeFileSync(path.join(RESULTS_DIR, `${name}.md`), markdown.endsWith('\n') ? markdown : markdown + '\n');
  writeSection();
}

export function writeSection(): void {
  const parts = (['compare', 'claims'] as const)
    .map((n) => path.join(RESULTS_DIR, `${n}.md`))
    .filter((p) => fs.existsSync(p))
    .map((p) => fs.readFileSync(p, 'utf8'));
  updateSection(docPath('demos'), 'demos', [HEADER, ...parts].join('\n'));
}

/** Tables (title, table, note) as markdown lines. */
export function tablesMarkdown(tables: Table[]): string[] {
  return tables.flatMap((t) => [`**${t.title}**`, '', markdownTable(t), '', ...(t.note ? [t.note, ''] : [])]);
}

/** Charts, as the PNGs committed under demos/results/, as markdown lines of a page in docs/. */
export function chartsMarkdown(charts: RenderedChart[]): string[] {
  return charts.map((ch) => `![${ch.title}](../demos/results/${path.basename(ch.pngPath)})`);
}
