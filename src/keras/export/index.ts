/**
 * act.keras.saveModel(): a tfjs LayersModel (Sequential or Functional) as a Keras 3 `.keras` file that
 * `keras.saving.load_model` loads, computing what tfjs computes. Activations Keras has with the same
 * semantics are Keras's own; the rest are this plugin's registered custom objects, defined by the
 * Python module pythonModule() returns (written next to the file when the model needs it).
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { zipSync, strToU8 } from 'fflate';
import { PYTHON_MODULE, kerasPythonModule } from '../../engine/generate/keras-python';
import { writeLocalFiles } from '../local-files';
import { KerasExportError, exportModelError } from './errors';
import { writeHdf5, type H5Group } from './hdf5';
import { kerasModelParts } from './model';
import type { WeightTree } from './layers';

export { KerasExportError } from './errors';
export { useH5wasm } from './hdf5';
export { KERAS_FORMAT_VERSION } from './model';
export { PYTHON_MODULE } from '../../engine/generate/keras-python';

/** What saveModel produced. */
export interface SaveResult {
  /** The .keras file's bytes. */
  bytes: Uint8Array;
  /** The custom objects the model uses ('TfjsActivations>Snake', ...): Keras needs `import tfjs_activations_keras` for them. */
  customObjects: string[];
  /** Files written (the .keras file, then the Python module if the model needs it); empty without a destination. */
  files: string[];
}

export interface SaveOptions {
  /** Write tfjs_activations_keras.py next to the .keras file when the model needs it (default true). */
  pythonModule?: boolean;
}

/** The Python module defining every custom object of this plugin, generated from the registry. */
export function pythonModule(): string {
  return kerasPythonModule();
}

async function group(tree: WeightTree): Promise<H5Group> {
  const datasets: H5Group['datasets'] = [];
  for (const [i, v] of tree.vars.entries()) {
    const t = v.variable.read();
    const data = await t.data();
    if (v.dtype === 'int64' && !Array.from(data as ArrayLike<number>).every(Number.isSafeInteger)) {
      throw new KerasExportError(`Keras export: layer '${tree.name}': weight ${v.name} must hold whole numbers, which Keras keeps as int64. ` +
        `Received: ${Array.from(data as ArrayLike<number>).slice(0, 5).join(', ')}`, tree.name);
    }
    const values = v.dtype === 'int64' ? BigInt64Array.from(data as ArrayLike<number>, (n) => BigInt(n))
      : data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
    datasets.push([String(i), { data: values, shape: [...t.shape] }]);
  }
  const children: Array<[string, H5Group]> = [];
  for (const [key, child] of tree.children) children.push([key, await group(child)]);
  return { groups: [['vars', { attrs: { name: tree.name }, datasets }], ...children] };
}

/** The .keras archive of a model: its bytes and the custom objects it needs. */
export async function exportModel(model: tfl.LayersModel): Promise<{ bytes: Uint8Array; customObjects: string[] }> {
  if (!model || typeof (model as { toJSON?: unknown }).toJSON !== 'function' || !Array.isArray(model.layers)) {
    throw exportModelError('saveModel expects a tfjs LayersModel (tf.sequential(), tf.model()).');
  }
  const parts = kerasModelParts(model);
  const layers: Array<[string, H5Group]> = [];
  for (const [key, tree] of parts.weights.layers) layers.push([key, await group(tree)]);
  const h5 = await writeHdf5({ groups: [['layers', { groups: layers }], ['vars', { attrs: { name: parts.weights.name } }]] });
  // Stored, not deflated, in Keras's member order (as Keras writes them).
  const bytes = zipSync({
    'metadata.json': [strToU8(JSON.stringify(parts.metadata)), { level: 0 }],
    'config.json': [strToU8(JSON.stringify(parts.config)), { level: 0 }],
    'model.weights.h5': [h5, { level: 0 }],
  });
  return { bytes, customObjects: parts.customObjects };
}

/**
 * Saves a tfjs model as a Keras 3 `.keras` file (the format of Keras KERAS_FORMAT_VERSION, 3.15).
 * `saveModel(model, 'file://out.keras')` (Node) writes the file, and tfjs_activations_keras.py next to
 * it if the model uses this plugin's custom objects; `saveModel(model)` only returns the bytes.
 * A layer that cannot be expressed in Keras fails the export with a KerasExportError naming it.
 */
export async function saveModel(model: tfl.LayersModel, destination?: string | URL, options: SaveOptions = {}): Promise<SaveResult> {
  let file = destination instanceof URL ? decodeURIComponent(destination.pathname) : destination;
  if (file !== undefined && typeof file !== 'string') throw exportModelError('saveModel: the destination must be a path, a file:// URL or omitted.');
  if (file?.startsWith('file://')) file = file.slice('file://'.length);
  // keras.saving.load_model only opens .keras files.
  if (file !== undefined && !/[^/\\]\.keras$/.test(file)) throw exportModelError(`saveModel: the file name must end in .keras (Keras loads no other). Received: '${file}'`);
  const { bytes, customObjects } = await exportModel(model);
  if (file === undefined) return { bytes, customObjects, files: [] };
  // Split by hand: no Node built-in may reach the browser bundles (there the write fails with a clear error).
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  const dir = cut < 0 ? '.' : file.slice(0, cut) || '/';
  const files: Record<string, string | Uint8Array> = { [file.slice(cut + 1)]: bytes };
  if (customObjects.length > 0 && options.pythonModule !== false) files[`${PYTHON_MODULE}.py`] = pythonModule();
  try {
    const written = await writeLocalFiles(dir, files);
    return { bytes, customObjects, files: written };
  } catch (e) {
    if (e instanceof KerasExportError) throw e;
    throw exportModelError(`cannot write '${file}': ${(e as Error).message}`);
  }
}
