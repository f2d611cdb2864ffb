/**
 * Reading a Keras 3 `.keras` file: a zip (fflate) holding config.json, metadata.json and
 * model.weights.h5 (HDF5, read with jsfive). Keras 3 stores each layer's variables under
 * `layers/<snake_case class name>[_n]/vars/<i>` (nested objects such as an RNN's cell under
 * `.../cell/vars/<i>`), and the layer's own name in the `name` attribute of its `vars` group.
 */
import { unzipSync } from 'fflate';
import * as hdf5 from 'jsfive';
import { modelError } from './errors';

export interface KerasArchive {
  /** config.json: { module, class_name, config, registered_name, build_config, ... } */
  config: Record<string, unknown>;
  /** metadata.json: { keras_version, date_saved } (empty if absent). */
  metadata: Record<string, unknown>;
  /** Variables per Keras layer name, in Keras's order (the layer's own, then nested objects'). */
  weights: Map<string, KerasVariable[]>;
  /** The same, as the tree Keras saved: per layer name, its own variables and its nested objects'. */
  groups: Map<string, WeightGroup>;
}

/** One saved object of model.weights.h5: a layer, or a nested object (cell, forward_layer, a nested model's layers). */
export interface WeightGroup {
  path: string;
  /** The object's name (the `name` attribute of its vars group), when it has one. */
  name?: string;
  vars: KerasVariable[];
  children: Map<string, WeightGroup>;
}

export interface KerasVariable {
  /** Path inside model.weights.h5, for messages. */
  path: string;
  shape: number[];
  values: Float32Array;
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46];
const ZIP_SIGNATURE = [0x50, 0x4b];

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

function json(files: Record<string, Uint8Array>, name: string): Record<string, unknown> | undefined {
  const bytes = files[name];
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch (e) {
    throw modelError(`${name} in the .keras archive is not valid JSON (${(e as Error).message}).`);
  }
}

/** Unpacks a .keras archive. */
export function readKerasArchive(bytes: Uint8Array): KerasArchive {
  if (startsWith(bytes, HDF5_SIGNATURE)) {
    throw modelError('this is an HDF5 file (the Keras 2 `.h5` format); only Keras 3 `.keras` archives are supported. ' +
      'Load it in Keras 3 and save it with model.save("model.keras").');
  }
  if (!startsWith(bytes, ZIP_SIGNATURE)) {
    throw modelError('not a .keras archive (a .keras file is a zip with config.json and model.weights.h5).');
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => ['config.json', 'metadata.json', 'model.weights.h5'].includes(f.name) });
  } catch (e) {
    throw modelError(`cannot unzip the .keras archive: ${(e as Error).message}`);
  }
  const config = json(files, 'config.json');
  if (!config) throw modelError('the .keras archive has no config.json.');
  const metadata = json(files, 'metadata.json') ?? {};
  const h5 = files['model.weights.h5'];
  const groups = h5 ? readWeightGroups(h5) : new Map<string, WeightGroup>();
  const weights = new Map([...groups].map(([name, g]) => [name, flatten(g)]));
  return { config, metadata, weights, groups };
}

function isGroup(o: unknown): o is hdf5.Group {
  return o instanceof hdf5.Group;
}

/** Numeric sort of the dataset names '0', '1', ..., '10'. */
function numericKeys(keys: string[]): string[] {
  return [...keys].sort((a, b) => Number(a) - Number(b));
}

function readVariable(group: hdf5.Group, key: string, path: string): KerasVariable {
  const ds = group.get(key) as hdf5.Dataset;
  const dtype = String(ds.dtype);
  if (!/^[<>|]?[fiu][1248]$/.test(dtype)) {
    throw modelError(`model.weights.h5: variable ${path} has dtype ${dtype}; only float and integer variables can be imported.`);
  }
  const raw = ds.value;
  const values = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) values[i] = Number(raw[i]);
  return { path, shape: [...ds.shape], values };
}

/** A saved object and the objects nested in it. */
function groupOf(group: hdf5.Group, path: string): WeightGroup {
  const vars: KerasVariable[] = [];
  let name: string | undefined;
  if (group.keys.includes('vars')) {
    const v = group.get('vars') as hdf5.Group;
    if (typeof v.attrs?.name === 'string') name = v.attrs.name;
    for (const k of numericKeys(v.keys)) vars.push(readVariable(v, k, `${path}/vars/${k}`));
  }
  const children = new Map<string, WeightGroup>();
  for (const k of group.keys) {
    if (k === 'vars') continue;
    const child = group.get(k);
    if (isGroup(child)) children.set(k, groupOf(child, `${path}/${k}`));
  }
  return { path, name, vars, children };
}

/** A group's variables in Keras's order: its own, then its nested objects' (e.g. an RNN's cell). */
export function flatten(g: WeightGroup): KerasVariable[] {
  return [...g.vars, ...[...g.children.values()].flatMap(flatten)];
}

/** layer name -> its saved object, from the `name` attribute of each `layers/<group>/vars`. */
export function readWeightGroups(bytes: Uint8Array): Map<string, WeightGroup> {
  let file: hdf5.File;
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    file = new hdf5.File(buffer, 'model.weights.h5');
  } catch (e) {
    throw modelError(`cannot read model.weights.h5 as HDF5: ${(e as Error).message}`);
  }
  const out = new Map<string, WeightGroup>();
  if (!file.keys.includes('layers')) return out;
  const layers = file.get('layers') as hdf5.Group;
  for (const key of layers.keys) {
    const group = layers.get(key);
    if (!isGroup(group)) continue;
    const g = groupOf(group, `layers/${key}`);
    if (g.name === undefined) {
      throw modelError(`model.weights.h5: layers/${key}/vars has no 'name' attribute, so its layer cannot be identified ` +
        '(re-saving the model with a current Keras 3 writes it).');
    }
    out.set(g.name, g);
  }
  return out;
}

/** layer name -> its variables (own, then nested objects'). */
export function readWeights(bytes: Uint8Array): Map<string, KerasVariable[]> {
  return new Map([...readWeightGroups(bytes)].map(([name, g]) => [name, flatten(g)]));
}
