/**
 * Local files for act.keras.loadModel and convert (Node). The browser build swaps this module for
 * local-files.browser.ts, so no Node built-in reaches a web page.
 */
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

/** True where local files can be read (Node). */
export const canReadLocalFiles = true;

/** The bytes of a file, given a path or a file: URL. */
export async function readLocalFile(path: string | URL): Promise<Uint8Array> {
  return new Uint8Array(await fs.readFile(path instanceof URL ? fileURLToPath(path) : path));
}

/**
 * Writes `files` (name → contents) into `dir`, creating it; returns the paths written, in order.
 * Each file is written to a new temporary file (O_EXCL: never through an existing name or symlink)
 * and renamed over its destination, which replaces a symlink there instead of writing to its target,
 * and never leaves a half-written file under the final name.
 */
export async function writeLocalFiles(dir: string, files: Record<string, string | Uint8Array>): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  const staged: Array<[string, string]> = [];
  try {
    for (const [name, contents] of Object.entries(files)) {
      const temporary = path.join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
      staged.push([temporary, path.join(dir, name)]);
      await fs.writeFile(temporary, contents, { flag: 'wx', mode: 0o644 });
    }
    for (const [temporary, file] of staged) await fs.rename(temporary, file);
  } catch (e) {
    await Promise.all(staged.map(([temporary]) => fs.rm(temporary, { force: true })));
    throw e;
  }
  return staged.map(([, file]) => file);
}
