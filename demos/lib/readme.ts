/**
 * Generated README sections live between <!-- BEGIN name --> and <!-- END name --> markers, so a
 * script can regenerate them and a test can check they are current.
 */
import * as fs from 'fs';
import * as path from 'path';

export const README_PATH = path.join(__dirname, '..', '..', 'README.md');

export function readSection(readme: string, name: string): string | undefined {
  const m = readme.match(new RegExp(`<!-- BEGIN ${name} -->\\n([\\s\\S]*?)<!-- END ${name} -->`));
  return m?.[1];
}

export function replaceSection(readme: string, name: string, body: string): string {
  const re = new RegExp(`(<!-- BEGIN ${name} -->\\n)[\\s\\S]*?(<!-- END ${name} -->)`);
  if (!re.test(readme)) throw new Error(`README has no section markers for '${name}'`);
  return readme.replace(re, (_m, a: string, b: string) => `${a}${body.endsWith('\n') ? body : body + '\n'}${b}`);
}

export function updateReadmeSection(name: string, body: string, file = README_PATH): void {
  fs.writeFileSync(file, replaceSection(fs.readFileSync(file, 'utf8'), name, body));
}
