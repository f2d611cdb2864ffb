/**
 * Local files for act.keras.loadModel and convert (Node). The browser build swaps this module for
 * local-files.browser.ts, so no Node built-in reaches a web page.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

/** True where local files can be read (Node). */
export const canReadLocalFiles = true;

/** The bytes of a file, given a path or a file: URL. */
export async function readLocalFile(path: string | URL): Promise<Uint8Array> {
  return new Uint8Array(await fs.readFile(path instanceof URL ? fileURLToPath(path) : path));
}

/** Writes `files` (name → contents) into `dir`, creating it; returns the paths written, in order. */
export async function writeLocalFiles(dir: string, files: Record<string, string | Uint8Array>): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, contents] of Object.entries(files)) {
    const file = path.join(dir, name);
    await fs.writeFile(file, contents);
    written.push(file);
  }
  return written;
}
