/**
 * Reading a Keras 3 `.keras` file: a zip (zip.ts, inflated with fflate) holding config.json,
 * metadata.json and model.weights.h5 (HDF5, read with hdf5.ts). Keras 3 stores each layer's
 * variables under `layers/<snake_case class name>[_n]/vars/<i>` (nested objects such as an RNN's
 * cell under `.../cell/vars/<i>`), and the layer's own name in the `name` attribute of its `vars` group.
 *
 * Every size is checked against a budget (limits.ts) before the work it bounds.
 */
import { KerasImportError, modelError } from './errors';
import { Hdf5File, type Hdf5Dataset, type Hdf5Group } from './hdf5';
import { limitName, overBudget, resolveLimits, type ImportLimits } from './limits';
import { readZipMembers } from './zip';

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

/** A group's variables in Keras's order: its own, then its nested objects' (e.g. an RNN's cell), depth first. */
export function flatten(g: WeightGroup): KerasVariable[] {
  const out: KerasVariable[] = [];
  const stack = [g];
  while (stack.length > 0) {
    const top = stack.pop()!;
    out.push(...top.vars);
    const nested = [...top.children.values()];
    for (let i = nested.length - 1; i >= 0; i--) stack.push(nested[i]);
  }
  return out;
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

/** The deepest [ / { nesting of a JSON text, stopping as soon as it passes `max` (strings skipped). */
function jsonDepthOver(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++;  // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function json(files: Map<string, Uint8Array>, name: string, limits: ImportLimits): Record<string, unknown> | undefined {
  const bytes = files.get(name);
  if (!bytes) return undefined;
  // JSON.parse is iterative, but everything that walks the result afterwards (tfjs included) is not.
  if (jsonDepthOver(bytes, limits.maxJsonDepth)) {
    throw overBudget('maxJsonDepth', limits, `${name} nests more than ${limits.maxJsonDepth} levels deep`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw modelError(`${name} in the .keras archive is not valid JSON (${(e as Error).message}).`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw modelError(`${name} in the .keras archive is not a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}

/** Unpacks a .keras archive. */
export function readKerasArchive(bytes: Uint8Array, options: { limits?: Partial<ImportLimits> } = {}): KerasArchive {
  const limits = resolveLimits(options.limits);
  if (startsWith(bytes, HDF5_SIGNATURE)) {
    throw modelError('this is an HDF5 file (the Keras 2 `.h5` format); only Keras 3 `.keras` archives are supported. ' +
      'Load it in Keras 3 and save it with model.save("model.keras").');
  }
  if (!startsWith(bytes, ZIP_SIGNATURE)) {
    throw modelError('not a .keras archive (a .keras file is a zip with config.json and model.weights.h5).');
  }
  const files = readZipMembers(bytes, {
    'config.json': 'maxConfigBytes',
    'metadata.json': 'maxConfigBytes',
    'model.weights.h5': 'maxWeightsBytes',
  }, limits);
  const config = json(files, 'config.json', limits);
  if (!config) throw modelError('the .keras archive has no config.json.');
  const metadata = json(files, 'metadata.json', limits) ?? {};
  const h5 = files.get('model.weights.h5');
  const groups = h5 ? readWeightGroups(h5, limits) : new Map<string, WeightGroup>();
  const weights = new Map([...groups].map(([name, g]) => [name, flatten(g)]));
  return { config, metadata, weights, groups };
}

/** layer name -> its variables, from the `name` attribute of each `layers/<group>/vars`. */
export function readWeights(bytes: Uint8Array, given?: Partial<ImportLimits>): Map<string, KerasVariable[]> {
  return new Map([...readWeightGroups(bytes, given)].map(([name, g]) => [name, flatten(g)]));
}

/** layer name -> its saved object (own variables and nested objects). */
export function readWeightGroups(bytes: Uint8Array, given?: Partial<ImportLimits>): Map<string, WeightGroup> {
  const limits = resolveLimits(given);
  try {
    return walk(new Hdf5File(bytes, {
      maxObjects: limits.maxWeightObjects,
      maxValueBytes: limits.maxWeightsBytes,
      objectsOption: limitName('maxWeightObjects'),
      valuesOption: limitName('maxWeightsBytes'),
    }));
  } catch (e) {
    if (e instanceof KerasImportError) throw e;
    throw modelError(`cannot read model.weights.h5 as HDF5: ${(e as Error)?.message ?? String(e)}`);
  }
}

/** Numeric order of the dataset names '0', '1', ..., '10'. */
function numericKeys(links: Array<[string, number]>): Array<[string, number]> {
  return [...links].sort((a, b) => Number(a[0]) - Number(b[0]));
}

function walk(file: Hdf5File): Map<string, WeightGroup> {
  // Each object is read once: a second arrival is a link cycle (or a shared object, which Keras never writes).
  const seen = new Map<number, string>();
  const open = (address: number, path: string): Hdf5Group | Hdf5Dataset => {
    const earlier = seen.get(address);
    if (earlier !== undefined) {
      throw modelError(`model.weights.h5: '${path}' links back to '${earlier}' (a link cycle, or an object linked twice); ` +
        'Keras never writes either.');
    }
    seen.set(address, path);
    return file.object(address, path);
  };
  const child = (group: Hdf5Group, name: string) => group.links.find(([n]) => n === name);

  const out = new Map<string, WeightGroup>();
  const root = open(file.root, '/');
  if (root.kind !== 'group') throw modelError('model.weights.h5: the root is not a group.');
  const layersLink = child(root, 'layers');
  if (!layersLink) return out;
  const layers = open(layersLink[1], 'layers');
  if (layers.kind !== 'group') return out;
  for (const [key, address] of layers.links) {
    const path = `layers/${key}`;
    const group = open(address, path);
    if (group.kind !== 'group') continue;
    // The saved tree, with an explicit stack: each group's vars, then its nested groups.
    const top: WeightGroup = { path, vars: [], children: new Map() };
    const stack: Array<[Hdf5Group, WeightGroup]> = [[group, top]];
    while (stack.length > 0) {
      const [g, node] = stack.pop()!;
      const varsLink = child(g, 'vars');
      if (varsLink) {
        const vars = open(varsLink[1], `${node.path}/vars`);
        if (vars.kind !== 'group') throw modelError(`model.weights.h5: ${node.path}/vars is not a group.`);
        const n = vars.attrs.get('name');
        if (typeof n === 'string') node.name = n;
        for (const [k, a] of numericKeys(vars.links)) {
          const ds = open(a, `${node.path}/vars/${k}`);
          if (ds.kind !== 'dataset') throw modelError(`model.weights.h5: ${node.path}/vars/${k} is not a dataset.`);
          node.vars.push({ path: ds.path, shape: ds.shape, values: ds.read() });
        }
      }
      for (const [k, a] of g.links) {
        if (k === 'vars') continue;
        const o = open(a, `${node.path}/${k}`);
        if (o.kind !== 'group') continue;
        const sub: WeightGroup = { path: `${node.path}/${k}`, vars: [], children: new Map() };
        node.children.set(k, sub);
        stack.push([o, sub]);
      }
    }
    const name = top.name;
    if (typeof name !== 'string') {
      throw modelError(`model.weights.h5: ${path}/vars has no 'name' attribute, so its layer cannot be identified ` +
        '(re-saving the model with a current Keras 3 writes it).');
    }
    if (out.has(name)) throw modelError(`model.weights.h5: two groups hold the variables of layer '${name}'.`);
    out.set(name, top);
  }
  return out;
}
