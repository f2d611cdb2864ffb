/** The browser's stand-in for local-files.ts: web pages cannot read or write local files by path. */

/** False: in a browser a string source is fetched as a URL. */
export const canReadLocalFiles = false;

export async function readLocalFile(path: string | URL): Promise<Uint8Array> {
  throw new Error(`cannot read local file '${String(path)}' in a browser: pass the bytes (Uint8Array or ArrayBuffer) or an http(s) URL`);
}

export async function writeLocalFiles(dir: string, files: Record<string, string | Uint8Array>): Promise<string[]> {
  throw new Error(`cannot write ${Object.keys(files).join(' and ')} into '${dir}' in a browser: convert() is for Node (in a page, loadModel() gives the model, and model.save() stores it)`);
}
