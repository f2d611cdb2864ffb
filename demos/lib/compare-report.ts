/**
 * The comparison demo's report (the CLI is demos/compare.ts): a table per experiment, the drop-in
 * table (ours vs tfjs's built-in twin), the charts, the files under --out, and the section of
 * docs/demos.md.
 */
import { builtinName, VARIANTS } from './activations';
import { activationGallerySpec, barSpec, lineSpec, renderChart, type RenderedChart, type VlSpec } from './charts';
import type { ExperimentConfig, ExperimentName, RunRecord } from './compare-run';
import type { RunEnv } from './env';
import { STRIDED_CNN } from './models';
import { progressBar } from './progress';
import { htmlReport, writeReports, type Section, type Table } from './report';
import { chartsMarkdown, saveResultsPart, tablesMarkdown } from './results-section';
import { max, mean, pm, std } from './stats';

const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(1) : 'n/a');
const finalAcc = (r: RunRecord) => r.history.epochs.at(-1)?.testAcc ?? NaN;

function modelText(cfg: ExperimentConfig): string {
  return cfg.name === 'mnist-cnn' ? `CNN ${STRIDED_CNN}` : `MLP ${cfg.hidden.join('-')}`;
}

function lrText(cfg: ExperimentConfig): string {
  return cfg.lrDecay !== undefined && cfg.lrDecay !== 1 ? `lr ${cfg.lr} × ${cfg.lrDecay} per epoch` : `lr ${cfg.lr}`;
}

/** One row per activation: accuracy, loss, time to the target, NaN events, the twin's accuracy and distance. */
export function experimentTable(cfg: ExperimentConfig, recs: RunRecord[], ids: string[], backend: string): Table {
  const rows = ids.map((id) => {
    const ours = recs.filter((r) => r.activation === id && r.impl === 'ours');
    const twin = recs.filter((r) => r.activation === id && r.impl === 'builtin');
    const acc = ours.map(finalAcc);
    const loss = ours.map((r) => r.history.epochs.at(-1)?.testLoss ?? NaN);
    const reached = ours.filter((r) => r.history.epochsToTarget !== undefined);
    const sPerEpoch = ours.map((r) => r.history.trainSeconds / Math.max(1, r.history.epochs.length));
    const events = ours.reduce((a, r) => a + r.history.nanEvents, 0);
    const div = ours.filter((r) => r.history.diverged).length;
    const twinAcc = twin.map(finalAcc);
    const twinErr = twin.find((r) => r.history.error)?.history.error;
    const diff = twin.length ? max(twin.map((r) => r.twinMaxAbsDiff ?? NaN)) : NaN;
    return [
      id,
      `${pm(acc, 1, 100)}`,
      pm(loss, 3),
      reached.length ? `${mean(reached.map((r) => r.history.epochsToTarget!)).toFixed(1)} (${reached.length}/${ours.length})` : `– (0/${ours.length})`,
      reached.length ? mean(reached.map((r) => r.history.secondsToTarget!)).toFixed(1) : '–',
      mean(sPerEpoch).toFixed(2),
      `${events}/${div}`,
      twin.length ? (twinErr ? 'built-in fails (see drop-in table)' : pm(twinAcc, 1, 100)) : '',
      twin.length ? (twinErr ? '' : diff.toExponential(1)) : '',
    ];
  });
  const data = cfg.name.startsWith('mnist') ? `${cfg.trainSize}/${cfg.testSize} digits` : `${cfg.trainSize}/${cfg.testSize} points`;
  return {
    title: `${cfg.name}: ${data}, ${modelText(cfg)}, ${cfg.optimizer} ${lrText(cfg)}, batch ${cfg.batchSize}, ${cfg.epochs} epoch(s), ${backend}`,
    headers: ['activation', 'test acc %', 'test loss', `epochs→${pct(cfg.targetAcc)}%`, `s→${pct(cfg.targetAcc)}%`, 's/epoch', 'NaN/div', 'tfjs built-in acc %', 'max|Δloss| twin'],
    rows,
  };
}

/** Activations trained next to a tfjs built-in twin somewhere in the run. */
export const twinIdsOf = (records: RunRecord[]): string[] => [...new Set(records.filter((r) => r.impl === 'builtin').map((r) => r.activation))];

/** The drop-in proof: ours vs tfjs's built-in from the same weights on the same batches, per activation. */
export function dropInTable(records: RunRecord[]): Table | undefined {
  const twins = records.filter((r) => r.impl === 'builtin');
  const twinIds = twinIdsOf(records);
  if (!twinIds.length) return undefined;
  const table: Table = {
    title: 'Drop-in proof: our layer vs the tfjs built-in, same initial weights and batches',
    headers: ['activation', 'tfjs built-in', 'experiments', 'steps compared', 'max|Δloss| (all steps)', 'max|Δloss| last epoch', 'Δ final test acc (pp)'],
    rows: twinIds.map((id) => {
      const all = twins.filter((r) => r.activation === id);
      const failed = all.filter((r) => r.history.error);
      const rs = all.filter((r) => !r.history.error);
      const failNote = failed.length ? `built-in fails in ${[...new Set(failed.map((r) => r.experiment))].join(', ')}: ${failed[0].history.error!.slice(0, 60)}` : '';
      const accDiff = rs.map((r) => {
        const o = records.find((q) => q.impl === 'ours' && q.activation === id && q.seed === r.seed && q.experiment === r.experiment)!;
        return Math.abs(finalAcc(o) - finalAcc(r)) * 100;
      });
      return [
        id,
        builtinName(id) ?? '',
        [...new Set(rs.map((r) => r.experiment))].join(', ') || 'none',
        `${rs.reduce((a, r) => a + r.history.stepLoss.length, 0)}${failNote ? ` (${failNote})` : ''}`,
        rs.length ? max(rs.map((r) => r.twinMaxAbsDiff ?? NaN)).toExponential(2) : 'n/a',
        rs.length ? max(rs.map((r) => r.twinMaxAbsDiffPerEpoch?.at(-1) ?? NaN)).toExponential(2) : 'n/a',
        rs.length ? max(accDiff).toFixed(2) : 'n/a',
      ];
    }),
  };
  const worst = max(twins.filter((r) => !r.history.error).map((r) => r.twinMaxAbsDiff ?? NaN));
  table.note = `Largest difference between the twins' loss curves over every compared step: ${worst.toExponential(2)}.`;
  return table;
}

function accuracyChart(name: ExperimentName, ours: RunRecord[], ids: string[], dir: string): Promise<RenderedChart> {
  const values = ids
    .map((id) => {
      const acc = ours.filter((r) => r.activation === id).map(finalAcc);
      return { label: id, mean: mean(acc) * 100, std: std(acc) * 100 };
    })
    .filter((v) => Number.isFinite(v.mean));
  const lo = Math.max(0, Math.floor(Math.min(...values.map((v) => v.mean - v.std)) / 5) * 5);
  return renderChart(barSpec({ values, title: `${name}: final test accuracy (mean ± std over seeds)`, xTitle: 'test accuracy %', domain: [lo, 100] }), dir, `${name}-accuracy`, `${name}: final test accuracy`);
}

function lossCurvesChart(name: ExperimentName, rs: RunRecord[], ids: string[], dir: string): Promise<RenderedChart> {
  const curve: object[] = [];
  for (const id of ids) {
    for (const impl of ['ours', 'builtin'] as const) {
      const runs = rs.filter((r) => r.activation === id && r.impl === impl && !r.history.error);
      if (!runs.length) continue;
      const n = Math.max(...runs.map((r) => r.history.epochs.length));
      for (let e = 0; e < n; e++) {
        curve.push({ activation: id, impl: impl === 'ours' ? 'ours' : 'tfjs built-in', epoch: e + 1, 'test loss': mean(runs.map((r) => r.history.epochs[e]?.testLoss ?? NaN)), 'test accuracy': mean(runs.map((r) => r.history.epochs[e]?.testAcc ?? NaN)) });
      }
    }
  }
  const spec: VlSpec = lineSpec({ values: curve, x: 'epoch', y: 'test loss', color: 'impl', facet: 'activation', columns: 6, title: `${name}: test loss per epoch (mean over seeds; ours vs tfjs built-in)`, width: 120, height: 80, points: true });
  return renderChart(spec, dir, `${name}-loss-curves`, `${name}: test loss curves per activation`);
}

/** Per-step training loss of ours and the twin (seed 1), or undefined without twins. */
async function twinStepsChart(name: ExperimentName, rs: RunRecord[], twinIds: string[], dir: string): Promise<RenderedChart | undefined> {
  const steps: object[] = [];
  for (const r of rs.filter((q) => q.seed === 1 && twinIds.includes(q.activation) && !q.history.error)) {
    r.history.stepLoss.forEach((l, i) => {
      if (i % 4 === 0) steps.push({ activation: r.activation, impl: r.impl === 'ours' ? 'ours' : 'tfjs built-in', step: i + 1, 'training loss': l });
    });
  }
  if (!rs.some((r) => r.impl === 'builtin') || !steps.length) return undefined;
  return renderChart(
    lineSpec({ values: steps, x: 'step', y: 'training loss', color: 'impl', strokeDash: 'impl', facet: 'activation', columns: 5, title: `${name}: per-step training loss, ours vs tfjs built-in (seed 1, same weights and batches)`, width: 150, height: 90, logY: true }),
    dir,
    `${name}-twins`,
    `${name}: per-step training loss, ours vs tfjs built-in (same weights, same batches)`,
  );
}

function heatmapChart(records: RunRecord[], ids: string[], exps: ExperimentName[], dir: string): Promise<RenderedChart> {
  const heat = exps.flatMap((experiment) =>
    ids.map((id) => ({ activation: id, experiment, acc: mean(records.filter((r) => r.experiment === experiment && r.impl === 'ours' && r.activation === id).map(finalAcc)) })),
  );
  return renderChart(
    {
      title: 'Final test accuracy by activation and experiment (mean over seeds)',
      data: { values: heat },
      width: 60 * exps.length,
      height: 14 * ids.length,
      encoding: { y: { field: 'activation', type: 'nominal', sort: ids, title: null }, x: { field: 'experiment', type: 'nominal', sort: exps, title: null } },
      layer: [
        { mark: 'rect', encoding: { color: { field: 'acc', type: 'quantitative', title: 'accuracy', scale: { scheme: 'viridis' } } } },
        { mark: { type: 'text', fontSize: 9 }, encoding: { text: { field: 'acc', type: 'quantitative', format: '.3f' }, color: { condition: { test: 'datum.acc > 0.8', value: 'black' }, value: 'white' } } },
      ],
    },
    dir,
    'accuracy-heatmap',
    'Final test accuracy, activation × experiment',
  );
}

/** Every chart of the run: 'overview' (activations, heatmap) and one list per experiment. */
export async function renderCompareCharts(records: RunRecord[], ids: string[], exps: ExperimentName[], dir: string): Promise<Record<string, RenderedChart[]>> {
  const charts: Record<string, RenderedChart[]> = { overview: [] };
  const twinIds = twinIdsOf(records);
  const bar = progressBar('charts', 2 + exps.length * 3);
  let done = 0;
  const tick = <T>(c: T): T => (bar.update(++done), c);
  charts.overview.push(tick(await renderChart(activationGallerySpec(ids.filter((id) => !VARIANTS[id])), dir, 'activations', 'Each activation (f) and its derivative (f′) from the registry')));
  for (const name of exps) {
    const rs = records.filter((r) => r.experiment === name);
    charts[name] = [tick(await accuracyChart(name, rs.filter((r) => r.impl === 'ours'), ids, dir)), tick(await lossCurvesChart(name, rs, ids, dir))];
    const twins = name.startsWith('mnist') ? await twinStepsChart(name, rs, twinIds, dir) : undefined;
    tick(twins);
    if (twins) charts[name].push(twins);
  }
  charts.overview.push(tick(await heatmapChart(records, ids, exps, dir)));
  bar.stop();
  return charts;
}

export interface CompareRun {
  env: RunEnv;
  quick: boolean;
  ids: string[];
  exps: ExperimentName[];
  cfgs: Record<ExperimentName, ExperimentConfig>;
  seeds: number;
  cnnSeeds: number;
  /** The backend each experiment trains on. */
  backendOf: Record<ExperimentName, string>;
  /** Sizes, backends and precisions, as the report states them. */
  notes: string[];
}

/** report.html, results.json and a CSV per table under `out`; returns the files written. */
export function writeCompareReports(out: string, run: CompareRun, o: { tables: Table[]; twinTable?: Table; charts: Record<string, RenderedChart[]>; records: RunRecord[]; timings: Record<string, Record<string, number>>; subtitle: string; wall: number }): string[] {
  const { env, quick, seeds, cnnSeeds, exps, ids, cfgs } = run;
  const sections: Section[] = [
    { heading: 'Setup', paragraphs: [o.subtitle, ...env.notes, ...run.notes, `Experiments: ${exps.join(', ')}; activations: ${ids.length}; seeds: ${seeds} (CNN: ${cnnSeeds}).`], charts: o.charts.overview },
    ...exps.map((name, i) => ({ heading: name, tables: [o.tables[i]], charts: o.charts[name] })),
    ...(o.twinTable ? [{ heading: 'Drop-in proof', tables: [o.twinTable] }] : []),
  ];
  const tables = [...o.tables, ...(o.twinTable ? [o.twinTable] : [])];
  return writeReports(out, {
    json: { env, quick, seeds, cnnSeeds, backends: run.backendOf, configs: exps.map((n) => cfgs[n]), timings: o.timings, wallSeconds: o.wall, tables, records: o.records },
    tables,
    html: htmlReport('tfjs-activations: comparison demo', o.subtitle, sections),
    csvNames: [...exps, ...(o.twinTable ? ['twins'] : [])],
  });
}

/** The charts docs/demos.md shows. */
const SAVED_CHARTS = ['activations', 'accuracy-heatmap', 'mnist-mlp-twins', 'mnist-mlp-accuracy', 'mnist-cnn-accuracy'];

/** Copies the main charts to demos/results/ and rewrites the comparison part of docs/demos.md. */
export function saveCompareResults(run: CompareRun, o: { tables: Table[]; charts: RenderedChart[]; wall: number; cpu: number; loadAverage: number[] }): void {
  const { env, quick } = run;
  const main = SAVED_CHARTS.map((n) => o.charts.find((ch) => ch.name === n)).filter((ch): ch is RenderedChart => !!ch);
  const md = [
    `### Current comparison results`,
    '',
    `Measured ${env.date.slice(0, 10)} on ${env.cpus} CPU(s) (${env.cpuModel}), backend ${env.backendNote}, node ${env.node}, tfjs ${env.tfjs}; ` +
      `\`npm run demo${quick ? ' -- --quick' : ''}\` took ${o.wall.toFixed(0)} s (${o.cpu.toFixed(0)} s of CPU time), with load average ${o.loadAverage.map((l) => l.toFixed(1)).join(' → ')} (1-minute averages, start → end).`,
    ...[...env.notes, ...run.notes].map((n) => `Note: ${n}.`),
    '',
    ...tablesMarkdown(o.tables),
    ...chartsMarkdown(main),
    '',
  ].join('\n');
  saveResultsPart('compare', md, main.map((ch) => ch.pngPath));
}

