/**
 * Keras 3 config.json -> tfjs layers-model topology (tfjs's Keras-2-like, snake_case JSON: what a
 * tfjs model.json holds under `modelTopology`): the model's layers in order (Sequential) or its
 * graph of nodes (Functional), each layer translated by layers.ts.
 */
import type { ImportOptions } from './activations';
import { hasOwn } from '../own';
import { fieldError, KerasImportError, modelError, show, type LayerRef } from './errors';
import { isInteger, isObject, shapeOf, type Json, type KerasLayerEntry } from './fields';
import { overBudget, resolveLimits, type ImportLimits } from './limits';
import { translateLayer } from './layers';

/** The result of translating a Keras 3 config.json. */
export interface TranslatedModel {
  /** tfjs layers-model topology (model.json's `modelTopology`). */
  topology: Json;
  /** 'Sequential' or 'Functional'. */
  kind: 'Sequential' | 'Functional';
  /** Names of the Keras layers whose variables the tfjs layer of the same name receives. */
  layerNames: string[];
  /** tfjs layer name -> the Keras layer it comes from (for errors). */
  owners: Map<string, LayerRef>;
  /** The order in which tfjs builds the layers' calls: [tfjs layer name, call] (Functional models). */
  buildOrder?: Array<[string, number]>;
}

type NodeRef = [string, number, number, Json];
/** One input of a layer call: [Keras layer name, node index, tensor index]. */
type Input = [string, number, number];

const nonNegative = (v: unknown): v is number => isInteger(v) && v >= 0;

/** The layer name of an entry (config.name, else the entry's name). */
function nameOf(entry: KerasLayerEntry): string {
  return String(entry.config?.name ?? entry.name);
}

/** The layer entries of a model config: objects with a class name and a config, unique names, at most maxLayers. */
function layerEntries(config: Json, limits: ImportLimits): KerasLayerEntry[] {
  const list = config.layers ?? [];
  if (!Array.isArray(list)) throw modelError(`the model config's layers must be a list. Received: ${show(list)}`);
  if (list.length > limits.maxLayers) throw overBudget('maxLayers', limits, `the model has ${list.length} layers`);
  const names = new Set<string>();
  list.forEach((entry, i) => {
    if (!isObject(entry)) throw modelError(`layer ${i} of the model config is not an object. Received: ${show(entry)}`);
    const cfg = entry.config === undefined ? {} : entry.config;
    const name = isObject(cfg) ? (cfg.name ?? entry.name) : entry.name;
    if (typeof name !== 'string' || name === '') throw modelError(`layer ${i} of the model config has no name. Received: ${show(entry)}`);
    const ref = { name, className: String(entry.class_name) };
    if (typeof entry.class_name !== 'string') throw fieldError(ref, 'class_name', 'must be a string', entry.class_name);
    if (!isObject(cfg)) throw fieldError(ref, 'config', 'must be an object', cfg);
    if (names.has(name)) throw fieldError(ref, 'name', 'two layers have this name', name);
    names.add(name);
  });
  return list as KerasLayerEntry[];
}

function historyOf(ref: LayerRef, t: unknown): Input {
  if (isObject(t) && t.class_name === '__keras_tensor__' && isObject(t.config) && Array.isArray(t.config.keras_history)) {
    const [l, n, i] = t.config.keras_history as unknown[];
    if (typeof l !== 'string' || !nonNegative(n) || !nonNegative(i) || t.config.keras_history.length !== 3) {
      throw fieldError(ref, 'inbound_nodes', 'keras_history must be [layer name, node index, tensor index]', t.config.keras_history);
    }
    return [l, n, i];
  }
  throw fieldError(ref, 'inbound_nodes', 'an input is not a Keras tensor (constants and Python values cannot be imported)', t);
}

/** The inputs of one Keras 3 node ({args, kwargs}), or of a Keras 2 node ([[layer, node, tensor, kwargs], ...]). */
function nodeInputs(ref: LayerRef, node: unknown): Input[] {
  if (Array.isArray(node)) {
    if (node.length === 0) throw fieldError(ref, 'inbound_nodes', 'a layer call has no inputs (tfjs would never build it)', node);
    return node.map((r) => {
      if (!Array.isArray(r) || typeof r[0] !== 'string' || !nonNegative(r[1]) || !nonNegative(r[2])) {
        throw fieldError(ref, 'inbound_nodes', 'a Keras 2 node input must be [layer name, node index, tensor index, kwargs]', r);
      }
      return [r[0], r[1], r[2]];
    });
  }
  if (!isObject(node) || !Array.isArray(node.args)) throw fieldError(ref, 'inbound_nodes', 'unrecognised node format', node);
  if (node.args.length !== 1) {
    throw fieldError(ref, 'inbound_nodes', 'layers called with more than one positional argument are not supported', node.args.length);
  }
  for (const [k, v] of Object.entries(isObject(node.kwargs) ? node.kwargs : {})) {
    if (v !== null && v !== undefined) throw fieldError(ref, `inbound_nodes.kwargs.${k}`, 'call arguments are not supported by the import', v);
  }
  const tensors = Array.isArray(node.args[0]) ? node.args[0] : [node.args[0]];
  if (tensors.length === 0) throw fieldError(ref, 'inbound_nodes', 'a layer call has no inputs (tfjs would never build it)', node);
  return tensors.map((t) => historyOf(ref, t));
}

/** [name, 0, 0] or [[name, 0, 0], ...] -> [[name, 0, 0], ...], each checked. */
function endpoints(field: string, v: unknown): Input[] {
  const list = Array.isArray(v) && v.length > 0 && typeof v[0] === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || !list.every((e) => Array.isArray(e) && e.length === 3 && typeof e[0] === 'string' &&
    nonNegative(e[1]) && nonNegative(e[2]))) {
    throw new KerasImportError(`Keras import: the model's ${field} must be [layer name, node index, tensor index] or a list of ` +
      `them. Received: ${field}=${show(v)}`, undefined, field);
  }
  return list as Input[];
}

/**
 * Checks a Functional graph before anything is built (tfjs loops forever on a node that can never be
 * built): every input names an existing layer and one of its nodes, every endpoint too, the node
 * count is within maxNodes, and there is no cycle. Kahn's algorithm, without recursion.
 */
function checkGraph(entries: KerasLayerEntry[], config: Json, limits: ImportLimits): Map<string, Input[][]> {
  const nodes = new Map<string, Input[][]>();
  let total = 0;
  for (const entry of entries) {
    const ref = { name: nameOf(entry), className: entry.class_name };
    if (entry.class_name === 'InputLayer') {
      nodes.set(ref.name, [[]]);
      total += 1;
      continue;
    }
    const inbound = entry.inbound_nodes ?? [];
    if (!Array.isArray(inbound)) throw fieldError(ref, 'inbound_nodes', 'must be a list', inbound);
    total += inbound.length;
    if (total > limits.maxNodes) throw overBudget('maxNodes', limits, `the model has more than ${limits.maxNodes} layer calls (nodes)`);
    nodes.set(ref.name, inbound.map((n) => nodeInputs(ref, n)));
  }
  const id = new Map<string, number>();  // 'layer\u0000k' -> node id
  const key = (layer: string, k: number) => `${layer}\u0000${k}`;
  for (const [layer, list] of nodes) list.forEach((_, k) => id.set(key(layer, k), id.size));
  const check = (ref: LayerRef, field: string, [l, n]: Input) => {
    const target = nodes.get(l);
    if (!target) throw fieldError(ref, field, `refers to layer '${l}', which is not in the model`, l);
    if (n >= target.length) {
      throw fieldError(ref, field, `refers to node ${n} of layer '${l}', which has ${target.length} node${target.length === 1 ? '' : 's'}`, n);
    }
  };
  const dependents: number[][] = Array.from({ length: id.size }, () => []);
  const waiting = new Array<number>(id.size).fill(0);
  const owner: string[] = new Array(id.size);
  for (const entry of entries) {
    const ref = { name: nameOf(entry), className: entry.class_name };
    nodes.get(ref.name)!.forEach((inputs, k) => {
      const me = id.get(key(ref.name, k))!;
      owner[me] = ref.name;
      for (const input of inputs) {
        check(ref, 'inbound_nodes', input);
        dependents[id.get(key(input[0], input[1]))!].push(me);
        waiting[me]++;
      }
    });
  }
  const ready = waiting.flatMap((w, i) => (w === 0 ? [i] : []));
  let done = 0;
  while (ready.length > 0) {
    const n = ready.pop()!;
    done++;
    for (const d of dependents[n]) if (--waiting[d] === 0) ready.push(d);
  }
  if (done < id.size) {
    const stuck = [...new Set(owner.filter((_, i) => waiting[i] > 0))];
    const ref = { name: stuck[0], className: String(entries.find((e) => nameOf(e) === stuck[0])?.class_name) };
    throw fieldError(ref, 'inbound_nodes', `the graph has a cycle through layer${stuck.length > 1 ? 's' : ''} ` +
      `${stuck.slice(0, 5).map((s) => `'${s}'`).join(', ')}${stuck.length > 5 ? ', ...' : ''}`, undefined);
  }
  for (const field of ['input_layers', 'output_layers']) {
    for (const e of endpoints(field, config[field])) {
      const target = nodes.get(e[0]);
      if (!target || e[1] >= target.length) {
        throw new KerasImportError(`Keras import: the model's ${field} refers to ${target ? `node ${e[1]} of ` : ''}layer '${e[0]}', ` +
          `which ${target ? `has ${target.length} node${target.length === 1 ? '' : 's'}` : 'is not in the model'}. Received: ${field}=${show(config[field])}`,
        e[0], field);
      }
    }
  }
  return nodes;
}

/**
 * Replays tfjs's Functional.fromConfig on the translated layers, without building anything: every
 * round visits the layers in order and builds each pending node whose inputs exist (by count: node j
 * of a layer exists once the layer has been called j + 1 times), re-queueing the others. tfjs loops
 * forever when a round builds nothing, and wires a shared layer wrongly when it builds its nodes out
 * of order; both are refused here. At most one round per node, each over the pending nodes.
 */
function replayTfjsBuild(layers: Json[], owners: Map<string, LayerRef>): Array<[string, number]> {
  const order: Array<[string, number]> = [];
  const calls = new Map<string, number>();
  let pending = new Map<string, Array<[number, NodeRef[]]>>();
  for (const l of layers) {
    const name = String(l.name);
    if (calls.has(name)) {
      throw fieldError(owners.get(name) ?? { name, className: String(l.class_name) }, 'name',
        'its tfjs name is taken twice (a layer the import inserts after another one has the same name)', name);
    }
    calls.set(name, l.class_name === 'InputLayer' ? 1 : 0);
    const nodes = (l.inbound_nodes ?? []) as NodeRef[][];
    if (nodes.length) pending.set(name, nodes.map((n, k) => [k, n]));
  }
  while (pending.size > 0) {
    const next = new Map<string, Array<[number, NodeRef[]]>>();
    let built = false;
    for (const l of layers) {
      const name = String(l.name);
      for (const [k, node] of pending.get(name) ?? []) {
        if (node.every(([m, j]) => (calls.get(m) ?? 0) > j)) {
          if (calls.get(name) !== k) {
            throw fieldError(owners.get(name) ?? { name, className: String(l.class_name) }, 'inbound_nodes',
              `tfjs would build call ${calls.get(name)} of this layer from the inputs of call ${k} (it builds a shared layer's ` +
              'calls in the order their inputs become available), so the model would be wired differently from Keras');
          }
          calls.set(name, k + 1);
          order.push([name, k]);
          built = true;
        } else {
          next.set(name, [...(next.get(name) ?? []), [k, node]]);
        }
      }
    }
    if (!built) {
      const [name] = next.keys();
      throw fieldError(owners.get(name) ?? { name, className: 'layer' }, 'inbound_nodes', 'tfjs could never build this layer\'s calls ' +
        '(their inputs are never all available)', undefined);
    }
    pending = next;
  }
  return order;
}

function inputLayer(entry: KerasLayerEntry): { class_name: string; config: Json } {
  const c = entry.config ?? {};
  const name = nameOf(entry);
  const ref = { name, className: 'InputLayer' };
  const field = hasOwn(c, 'batch_shape') ? 'batch_shape' : 'batch_input_shape';
  const shape = c[field];
  if (!Array.isArray(shape)) throw fieldError(ref, 'batch_shape', 'is missing', shape);
  shapeOf(ref, field, shape);
  if (c.sparse === true) throw fieldError(ref, 'sparse', 'sparse inputs are not supported by tfjs', true);
  if (c.ragged === true) throw fieldError(ref, 'ragged', 'ragged inputs are not supported by tfjs', true);
  if (c.optional === true) throw fieldError(ref, 'optional', 'optional inputs are not supported by tfjs', true);
  const given = c.dtype ?? 'float32';
  const dtype = typeof given === 'string' ? given : isObject(given) && isObject(given.config) ? given.config.name : given;
  if (typeof dtype !== 'string') throw fieldError(ref, 'dtype', 'must be a dtype name', given);
  return {
    class_name: 'InputLayer',
    config: { batch_input_shape: shape, dtype: dtype.startsWith('int') || dtype.startsWith('uint') ? 'int32' : dtype === 'bool' ? 'bool' : 'float32', sparse: false, name },
  };
}

function functional(config: Json, name: string, options: ImportOptions, limits: ImportLimits): TranslatedModel {
  const entries = layerEntries(config, limits);
  const graph = checkGraph(entries, config, limits);
  const rename = new Map<string, string>();
  const renamed = ([l, n, i]: Input): NodeRef => [rename.get(l) ?? l, n, i, {}];
  const layers: Json[] = [];
  const layerNames: string[] = [];
  const owners = new Map<string, LayerRef>();
  for (const entry of entries) {
    const kname = nameOf(entry);
    if (entry.class_name === 'InputLayer') {
      const spec = inputLayer(entry);
      layers.push({ ...spec, name: kname, inbound_nodes: [] });
      owners.set(kname, { name: kname, className: 'InputLayer' });
      continue;
    }
    const chain = translateLayer(entry, options);
    for (const l of chain.layers) owners.set(String(l.config.name), { name: kname, className: entry.class_name });
    const nodes = graph.get(kname)!.map((inputs) => inputs.map(renamed));
    chain.layers.forEach((l, i) => {
      const inbound = i === 0 ? nodes : nodes.map((_, k): NodeRef[] => [[String(chain.layers[i - 1].config.name), k, 0, {}]]);
      layers.push({ class_name: l.class_name, config: l.config, name: l.config.name, inbound_nodes: inbound });
    });
    rename.set(kname, String(chain.layers[chain.layers.length - 1].config.name));
    layerNames.push(kname);
  }
  const buildOrder = replayTfjsBuild(layers, owners);
  const ends = (field: string) => endpoints(field, config[field]).map(([l, n, i]) => [rename.get(l) ?? l, n, i]);
  return {
    kind: 'Functional',
    layerNames,
    owners,
    buildOrder,
    topology: {
      class_name: 'Model',
      config: { name, layers, input_layers: ends('input_layers'), output_layers: ends('output_layers') },
      keras_version: 'tfjs-layers (imported from Keras 3 by tfjs-activations)',
      backend: 'tensor_flow.js',
    },
  };
}

function sequential(config: Json, root: Json, name: string, options: ImportOptions, limits: ImportLimits): TranslatedModel {
  let entries = layerEntries(config, limits);
  let batchShape: unknown;
  let dtype = 'float32';
  if (entries[0]?.class_name === 'InputLayer') {
    const spec = inputLayer(entries[0]);
    batchShape = spec.config.batch_input_shape;
    dtype = String(spec.config.dtype);
    entries = entries.slice(1);
  } else {
    batchShape = config.build_input_shape ?? (isObject(root.build_config) ? root.build_config.input_shape : undefined);
    if (Array.isArray(batchShape)) shapeOf({ name, className: 'Sequential' }, 'build_input_shape', batchShape);
  }
  if (!Array.isArray(batchShape)) throw modelError(`Sequential model '${name}' was never built (no input shape in its config), so it has no weights to import.`);
  if (entries.length === 0) throw modelError(`Sequential model '${name}' has no layers.`);
  const layers: Json[] = [];
  const layerNames: string[] = [];
  const owners = new Map<string, LayerRef>();
  for (const entry of entries) {
    if (entry.class_name === 'InputLayer') throw fieldError({ name: nameOf(entry), className: 'InputLayer' }, 'class_name', 'an InputLayer can only come first in a Sequential model', 'InputLayer');
    const chain = translateLayer(entry, options);
    for (const l of chain.layers) {
      layers.push({ class_name: l.class_name, config: l.config });
      owners.set(String(l.config.name), { name: nameOf(entry), className: entry.class_name });
    }
    layerNames.push(nameOf(entry));
  }
  const first = layers[0].config as Json;
  first.batch_input_shape = batchShape;
  // tfjs creates the implied InputLayer with the first layer's dtype.
  if (dtype !== 'float32') first.dtype = dtype;
  return {
    kind: 'Sequential',
    layerNames,
    owners,
    topology: {
      class_name: 'Sequential',
      config: { name, layers },
      keras_version: 'tfjs-layers (imported from Keras 3 by tfjs-activations)',
      backend: 'tensor_flow.js',
    },
  };
}

/** Translates a Keras 3 config.json (parsed) into a tfjs layers-model topology. */
export function translateConfig(root: Json, options: ImportOptions = {}): TranslatedModel {
  const limits = resolveLimits(options.limits);
  if (!isObject(root) || !isObject(root.config)) throw modelError('config.json has no model config.');
  const cls = String(root.class_name);
  const name = String(root.config.name ?? 'model');
  if (cls === 'Sequential') return sequential(root.config, root, name, options, limits);
  if (cls === 'Functional' || (cls === 'Model' && Array.isArray(root.config.layers))) return functional(root.config, name, options, limits);
  throw modelError(`model class '${root.registered_name ?? cls}' cannot be imported: only Sequential and Functional models ` +
    '(keras.Sequential, keras.Model(inputs, outputs)) have a config that describes their computation; subclassed models do not.');
}
