/** The claims' reports: the verdict table, the files under --out, and the section of docs/demos.md. */
import type { RunEnv } from '../lib/env';
import { htmlReport, markdownTable, writeReports, type Section, type Table } from '../lib/report';
import { chartsMarkdown, saveResultsPart, tablesMarkdown } from '../lib/results-section';
import type { ClaimResult } from './context';

export function verdictTable(results: ClaimResult[]): Table {
  return {
    title: 'Verdicts',
    headers: ['claim', 'statement', 'verdict', 'rule'],
    rows: results.flatMap((r) => r.verdicts.map((v) => [r.name, v.about, v.verdict.verdict, v.verdict.rule])),
  };
}

/** JSON, CSV and HTML under `out`; returns the files written. */
export function writeClaimReports(out: string, o: { env: RunEnv; quick: boolean; seeds: number; wall: number; subtitle: string; results: ClaimResult[]; summary: Table }): string[] {
  const { env, quick, seeds, wall, subtitle, results, summary } = o;
  const sections: Section[] = [
    { heading: 'Verdicts', paragraphs: [subtitle, ...env.notes], tables: [summary] },
    ...results.map((r) => ({
      heading: `${r.name}`,
      paragraphs: [`Claim: ${r.claim}`, `How: ${r.method}`, ...r.verdicts.map((v) => `${v.about}: ${v.verdict.verdict.toUpperCase()} — rule: ${v.verdict.rule}${v.verdict.heldUnder.length && v.verdict.failedUnder.length ? `; held under ${v.verdict.heldUnder.join('; ')}; failed under ${v.verdict.failedUnder.join('; ')}` : ''}`)],
      tables: r.tables,
      charts: r.charts,
    })),
  ];
  const tables = [summary, ...results.flatMap((r) => r.tables)];
  return writeReports(out, {
    json: { env, quick, seeds, wallSeconds: wall, results: results.map((r) => ({ ...r, charts: r.charts.map((c) => c.svgPath) })) },
    tables,
    html: htmlReport('tfjs-activations: the seed article\'s claims, measured', subtitle, sections),
    csvNames: ['verdicts', ...results.flatMap((r) => r.tables.map((_, i) => `${r.name}${r.tables.length > 1 ? `-${i + 1}` : ''}`))],
  });
}

/** Copies the charts to demos/results/ and rewrites the claims part of docs/demos.md. */
export function saveClaimResults(o: { env: RunEnv; quick: boolean; wall: number; results: ClaimResult[]; summary: Table }): void {
  const { env, quick, wall, results, summary } = o;
  const charts = results.flatMap((r) => r.charts);
  const md = [
    '### Current results: the seed article\'s claims',
    '',
    `Measured ${env.date.slice(0, 10)} on ${env.cpus} CPU(s) (${env.cpuModel}), backend ${env.backendNote}, node ${env.node}, tfjs ${env.tfjs}; \`npm run demo:claims${quick ? ' -- --quick' : ''}\` took ${wall.toFixed(0)} s.`,
    ...env.notes.map((n) => `Note: ${n}.`),
    '',
    markdownTable(summary),
    '',
    ...results.flatMap((r) => [
      `#### ${r.name}`,
      '',
      `*Claim:* ${r.claim}`,
      '',
      `*How:* ${r.method}`,
      '',
      ...tablesMarkdown(r.tables),
      ...r.verdicts.map((v) => `- **${v.about}: ${v.verdict.verdict}** — rule: ${v.verdict.rule}${v.verdict.heldUnder.length && v.verdict.failedUnder.length ? `. Held under: ${v.verdict.heldUnder.join('; ')}. Failed under: ${v.verdict.failedUnder.join('; ')}` : ''}.`),
      '',
      ...chartsMarkdown(r.charts),
      '',
    ]),
  ].join('\n');
  saveResultsPart('claims', md, charts.map((c) => c.pngPath));
}
