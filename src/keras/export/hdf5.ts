/**
 * Writing model.weights.h5 with h5wasm (the HDF Group's libhdf5 compiled to WebAssembly, maintained
 * by NIST): groups, the `name` attribute of each `vars` group, and the variables as datasets.
 *
 * h5wasm is ESM-only and this package is CommonJS, so it is loaded with a real dynamic import (which
 * TypeScript would otherwise turn into require()). Node finds it in node_modules. A web page must
 * make `import('h5wasm')` resolvable (an import map entry for 'h5wasm'), or hand the module over with
 * useH5wasm() (e.g. from a bundler: `import * as h5wasm from 'h5wasm'`).
 */
import type * as H5 from 'h5wasm';

type H5wasm = typeof H5;

/**
 * A dynamic import that TypeScript leaves alone. Its source is unique to this module instance: V8
 * reuses a compiled Function of the same source, and under jest (one vm context per test file) a
 * reused one would run the import in an earlier test file's torn-down context.
 */
const dynamicImport = new Function('specifier', `return import(specifier); // ${Date.now()}-${Math.random()}`) as (specifier: string) => Promise<unknown>;

let given: H5wasm | undefined;
let loading: Promise<H5wasm> | undefined;

/** Uses this h5wasm module (as imported by the caller) instead of importing 'h5wasm'. */
export function useH5wasm(module: unknown): void {
  const m = module as Partial<H5wasm> | undefined;
  if (!m || typeof m.File !== 'function' || !m.ready) {
    throw new Error('useH5wasm: expected the h5wasm module (import * as h5wasm from "h5wasm"). Received: ' + String(module));
  }
  given = m as H5wasm;
  loading = undefined;
}

async function h5wasm(): Promise<H5wasm> {
  loading ??= (async () => {
    let m: H5wasm;
    if (given) m = given;
    else {
      try {
        m = (await dynamicImport('h5wasm')) as H5wasm;
      } catch (e) {
        const why = (e as Error)?.message ?? String(e);
        const jest = /experimental-vm-modules/.test(why) ? ' (under jest, run node with --experimental-vm-modules)' : '';
        const browser = typeof window !== 'undefined'
          ? "; in a web page, add 'h5wasm' to the import map or call act.keras.useH5wasm(module)" : '; install it with `npm install h5wasm`';
        throw new Error(`the Keras export writes model.weights.h5 with h5wasm, which could not be loaded: ${why}${jest}${browser}`);
      }
    }
    await m.ready;
    return m;
  })();
  try {
    return await loading;
  } catch (e) {
    loading = undefined;
    throw e;
  }
}

export interface H5Dataset {
  data: Float32Array | Int32Array | BigInt64Array;
  shape: number[];
}

export interface H5Group {
  attrs?: Record<string, string>;
  datasets?: Array<[string, H5Dataset]>;
  groups?: Array<[string, H5Group]>;
}

const DTYPES = { Float32Array: '<f', Int32Array: '<i', BigInt64Array: '<q' } as const;

let files = 0;

/** An HDF5 file holding `root`, as bytes (made in h5wasm's in-memory file system, then removed). */
export async function writeHdf5(root: H5Group): Promise<Uint8Array> {
  const h5 = await h5wasm();
  const path = `/tfjs-activations-${++files}-${Date.now()}.h5`;
  // The oldest file format, as h5py writes by default: groups as symbol tables, which every reader knows.
  const file = new h5.File(path, 'w', { libver: ['earliest', 'latest'] });
  try {
    const write = (group: H5.Group, node: H5Group) => {
      for (const [k, v] of Object.entries(node.attrs ?? {})) group.create_attribute(k, v);
      for (const [name, d] of node.datasets ?? []) {
        group.create_dataset({ name, data: d.data, shape: d.shape, dtype: DTYPES[d.data.constructor.name as keyof typeof DTYPES] });
      }
      for (const [name, child] of node.groups ?? []) write(group.create_group(name), child);
    };
    write(file, root);
  } finally {
    file.close();
  }
  const FS = h5.FS!;
  try {
    return new Uint8Array(FS.readFile(path));
  } finally {
    FS.unlink(path);
  }
}
