/**
 * The README's speed summary: ours ÷ tfjs's own activation, forward+backward at ${SIZE.toExponential().replace('+', '')} elements, on
 * every backend, from the two benchmarks' saved results (demos/results/bench.json from `npm run
 * bench -- --write-docs`, demos/results/bench-browser.json from `npm run bench:browser -- --write-docs`).
 * Either benchmark rewrites the section, so it always shows the newest run of each.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { BrowserBenchRow } from '../browser/playground/bench';
import type { BenchResult } from './bench-report';

export const NODE_RESULTS = path.join(__dirname, '..', 'results', 'bench.json');
export const BROWSER_RESULTS = path.join(__dirname, '..', 'results', 'bench-browser.json');

export interface BrowserResults {
  meta: { date: string; chromium: string; loadAverage: number[] };
  rows: BrowserBenchRow[];
}

const NODE_BACKENDS = ['cpu', 'wasm', 'tensorflow'];
const BROWSER_BACKENDS = ['webgl', 'webgpu'];

function readJson<T>(file: string): T | undefined {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : undefined;
}

/** A ratio, bold when ours is slower (the target is ≤ 1.0). */
const ratioCell = (r: number | undefined) => (r === undefined || !Number.isFinite(r) ? '–' : r > 1 ? `**${r.toFixed(2)}**` : r.toFixed(2));

export function renderSpeedSummary(node?: BenchResult, browser?: BrowserResults, size = 1e6): string {
  const SIZE = size;
  const nodeCell = (id: string, backend: string) =>
    node?.ops.find((o) => o.key === id && o.backend === backend && o.size === SIZE)?.ratios.fwdbwd.vsBuiltin?.median;
  const browserRow = (id: string, backend: string) => browser?.rows.find((r) => r.id === id && r.backend === backend && r.size === SIZE);
  // Rows: the activations tfjs has itself (a built-in op or tfjs-layers activation), in registry order.
  const ids = [
    ...new Set([
      ...(node?.ops.filter((o) => o.size === SIZE && o.ratios.fwdbwd.vsBuiltin && o.key === o.id).map((o) => o.id) ?? []),
      ...(browser?.rows.filter((r) => r.size === SIZE).map((r) => r.id) ?? []),
    ]),
  ];
  const backends = [...NODE_BACKENDS, ...BROWSER_BACKENDS];
  const L: string[] = [];
  L.push(`| activation | ${backends.join(' | ')} | kernels on webgl/webgpu, ours vs tfjs |`);
  L.push(`|---|${backends.map(() => '---:').join('|')}|---:|`);
  for (const id of ids) {
    const cells = [
      ...NODE_BACKENDS.map((b) => ratioCell(nodeCell(id, b))),
      ...BROWSER_BACKENDS.map((b) => ratioCell(browserRow(id, b)?.ratio)),
    ];
    const k = browserRow(id, 'webgl')?.kernels ?? browserRow(id, 'webgpu')?.kernels;
    const kernels = k ? `${k.ours[0] + k.ours[1]} vs ${k.tfjs[0] + k.tfjs[1]}` : '–';
    L.push(`| ${id} | ${cells.join(' | ')} | ${kernels} |`);
  }
  const sources: string[] = [];
  if (node) {
    const m = node.meta;
    const precision = m.precision ? ` (${Object.entries(m.precision).map(([b, p]) => `${b} ${p}`).join(', ')})` : '';
    sources.push(`\`npm run bench\` ${m.date.slice(0, 10)}${precision}, load ${m.machine.loadAvg[0].toFixed(1)}`);
  }
  if (browser) {
    const chromium = browser.meta.chromium.replace(/^(\S+ \d+).*$/, '$1');
    sources.push(`\`npm run bench:browser\` ${browser.meta.date.slice(0, 10)} (${chromium} on SwiftShader, a CPU standing in for the GPU: indicative), load ${browser.meta.loadAverage[0].toFixed(1)}`);
  }
  L.push('');
  L.push(
    `Ours ÷ tfjs's own activation, forward+backward at ${SIZE.toExponential().replace('+', '')} elements, median of interleaved repetitions; ` +
      `**bold**: ours slower. ${sources.join('; ')}${node ? `; ${node.meta.machine.cpu}, ${node.meta.machine.cores} cores` : ''}.`,
  );
  return L.join('\n');
}

/** The section from whatever results are saved (undefined when there are none). */
export function speedSummaryFromSaved(): string | undefined {
  const node = readJson<BenchResult>(NODE_RESULTS);
  const browser = readJson<BrowserResults>(BROWSER_RESULTS);
  return node || browser ? renderSpeedSummary(node, browser) : undefined;
}
