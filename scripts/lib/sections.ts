/**
 * Generated sections of the README and of docs/*.md live between <!-- BEGIN name --> and
 * <!-- END name --> markers, so a script can regenerate them and a test can check they are current.
 * Each generated text has one source (the registry, a demo's saved results, a benchmark run).
 */
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');
export const README_PATH = path.join(ROOT, 'README.md');

/** A page under docs/, e.g. docPath('benchmarks') is docs/benchmarks.md. */
export const docPath = (name: string): string => path.join(ROOT, 'docs', `${name}.md`);

export function readSection(text: string, name: string): string | undefined {
  const m = text.match(new RegExp(`<!-- BEGIN ${name} -->\\n([\\s\\S]*?)<!-- END ${name} -->`));
  return m?.[1];
}

export function replaceSection(text: string, name: string, body: string): string {
  const re = new RegExp(`(<!-- BEGIN ${name} -->\\n)[\\s\\S]*?(<!-- END ${name} -->)`);
  if (!re.test(text)) throw new Error(`no section markers for '${name}'`);
  return text.replace(re, (_m, a: string, b: string) => `${a}${body.endsWith('\n') ? body : body + '\n'}${b}`);
}

/** Rewrites the section `name` of `file` (a path, see docPath and README_PATH). */
export function updateSection(file: string, name: string, body: string): void {
  fs.writeFileSync(file, replaceSection(fs.readFileSync(file, 'utf8'), name, body));
}
