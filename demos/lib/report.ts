/** Tables (terminal and markdown), CSV, JSON and the self-contained HTML report. */
import * as fs from 'fs';
import * as path from 'path';
import type { RenderedChart } from './charts';

export type Cell = string | number;

export interface Table {
  title: string;
  headers: string[];
  rows: Cell[][];
  note?: string;
}

const cellText = (c: Cell): string => (typeof c === 'number' ? (Number.isFinite(c) ? String(+c.toPrecision(4)) : String(c)) : c);

/** Plain-text table with padded columns. */
export function formatTable(t: Table): string {
  const rows = [t.headers, ...t.rows.map((r) => r.map(cellText))];
  const w = t.headers.map((_, j) => Math.max(...rows.map((r) => (r[j] ?? '').length)));
  const line = (r: string[]) => r.map((c, j) => (j === 0 ? c.padEnd(w[j]) : c.padStart(w[j]))).join('  ');
  return [`${t.title}`, line(rows[0]), w.map((n) => '-'.repeat(n)).join('  '), ...rows.slice(1).map(line), ...(t.note ? [t.note] : [])].join('\n');
}

export function markdownTable(t: Table): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${t.headers.map(esc).join(' | ')} |`,
    `| ${t.headers.map((_, j) => (j === 0 ? '---' : '---:')).join(' | ')} |`,
    ...t.rows.map((r) => `| ${r.map((c) => esc(cellText(c))).join(' | ')} |`),
  ].join('\n');
}

export function toCsv(t: Table): string {
  const q = (c: Cell) => {
    const s = cellText(c);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [t.headers.map(q).join(','), ...t.rows.map((r) => r.map(q).join(','))].join('\n') + '\n';
}

const escHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function htmlTable(t: Table): string {
  return `<table><caption>${escHtml(t.title)}</caption><thead><tr>${t.headers.map((h) => `<th>${escHtml(h)}</th>`).join('')}</tr></thead><tbody>${t.rows
    .map((r) => `<tr>${r.map((c) => `<td>${escHtml(cellText(c))}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>${t.note ? `<p class="note">${escHtml(t.note)}</p>` : ''}`;
}

export interface Section {
  heading: string;
  paragraphs?: string[];
  tables?: Table[];
  charts?: RenderedChart[];
}

/** One self-contained HTML page: tables and inline SVG charts, no external resources. */
export function htmlReport(title: string, subtitle: string, sections: Section[]): string {
  const body = sections
    .map(
      (s) =>
        `<section><h2>${escHtml(s.heading)}</h2>${(s.paragraphs ?? []).map((p) => `<p>${escHtml(p)}</p>`).join('')}${(s.tables ?? []).map(htmlTable).join('')}${(s.charts ?? [])
          .map((c) => `<figure>${c.svg.replace(/^<\?xml[^>]*>/, '')}<figcaption>${escHtml(c.title)}</figcaption></figure>`)
          .join('')}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:13px}caption{text-align:left;font-weight:600;padding:4px 0}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}
th{background:#f3f3f3}figure{margin:1em 0;overflow-x:auto}figcaption{font-size:12px;color:#555}.note{font-size:12px;color:#555}
.sub{color:#555}
</style></head><body><h1>${escHtml(title)}</h1><p class="sub">${escHtml(subtitle)}</p>
${body}
</body></html>
`;
}

/** Writes JSON, one CSV per table, and the HTML report into `dir`. */
export function writeReports(dir: string, o: { json: unknown; tables: Table[]; html: string; csvNames?: string[] }): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const jsonPath = path.join(dir, 'results.json');
  fs.writeFileSync(jsonPath, JSON.stringify(o.json, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2));
  written.push(jsonPath);
  o.tables.forEach((t, i) => {
    const name = o.csvNames?.[i] ?? t.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const p = path.join(dir, `${name}.csv`);
    fs.writeFileSync(p, toCsv(t));
    written.push(p);
  });
  const htmlPath = path.join(dir, 'report.html');
  fs.writeFileSync(htmlPath, o.html);
  written.push(htmlPath);
  return written;
}
