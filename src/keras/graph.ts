/**
 * Keras 3 config.json -> tfjs layers-model topology (tfjs's Keras-2-like, snake_case JSON: what a
 * tfjs model.json holds under `modelTopology`): the model's layers in order (Sequential) or its
 * graph of nodes (Functional), each layer translated by layers.ts.
 */
import type { ImportOptions } from './activations';
import { fieldError, modelError, type LayerRef } from './errors';
import { isObject, type Json, type KerasLayerEntry } from './fields';
import { translateLayer } from './layers';

/** The result of translating a Keras 3 config.json. */
export interface TranslatedModel {
  /** tfjs layers-model topology (model.json's `modelTopology`). */
  topology: Json;
  /** 'Sequential' or 'Functional'. */
  kind: 'Sequential' | 'Functional';
  /** Names of the Keras layers whose variables the tfjs layer of the same name receives. */
  layerNames: string[];
}

type NodeRef = [string, number, number, Json];

function historyOf(ref: LayerRef, t: unknown): [string, number, number] {
  if (isObject(t) && t.class_name === '__keras_tensor__' && isObject(t.config) && Array.isArray(t.config.keras_history)) {
    const [l, n, i] = t.config.keras_history as [string, number, number];
    return [l, n, i];
  }
  throw fieldError(ref, 'inbound_nodes', 'an input is not a Keras tensor (constants and Python values cannot be imported)', t);
}

/** One Keras 3 node ({args, kwargs}) -> tfjs's list of [layer, node, tensor, kwargs]. */
function translateNode(ref: LayerRef, node: unknown, rename: Map<string, string>): NodeRef[] {
  if (Array.isArray(node)) {
    // Keras 2 form, already [[layer, node, tensor, kwargs], ...]
    return (node as unknown[][]).map((r) => [rename.get(String(r[0])) ?? String(r[0]), Number(r[1]), Number(r[2]), {}]);
  }
  if (!isObject(node) || !Array.isArray(node.args)) throw fieldError(ref, 'inbound_nodes', 'unrecognised node format', node);
  if (node.args.length !== 1) {
    throw fieldError(ref, 'inbound_nodes', 'layers called with more than one positional argument are not supported', node.args.length);
  }
  for (const [k, v] of Object.entries(isObject(node.kwargs) ? node.kwargs : {})) {
    if (v !== null && v !== undefined) throw fieldError(ref, `inbound_nodes.kwargs.${k}`, 'call arguments are not supported by the import', v);
  }
  const tensors = Array.isArray(node.args[0]) ? node.args[0] : [node.args[0]];
  return tensors.map((t) => {
    const [l, n, i] = historyOf(ref, t);
    return [rename.get(l) ?? l, n, i, {}];
  });
}

/** [name, 0, 0] or [[name, 0, 0], ...] -> [[name, 0, 0], ...]. */
function endpoints(v: unknown, rename: Map<string, string>): Array<[string, number, number]> {
  if (!Array.isArray(v)) throw modelError(`input_layers/output_layers has an unexpected form: ${JSON.stringify(v)}`);
  const list = (v.length > 0 && typeof v[0] === 'string' ? [v] : v) as Array<[string, number, number]>;
  return list.map(([l, n, i]) => [rename.get(l) ?? l, n, i]);
}

function inputLayer(entry: KerasLayerEntry): { class_name: string; config: Json } {
  const c = entry.config ?? {};
  const name = String(c.name ?? entry.name);
  const ref = { name, className: 'InputLayer' };
  const shape = c.batch_shape ?? c.batch_input_shape;
  if (!Array.isArray(shape)) throw fieldError(ref, 'batch_shape', 'is missing', shape);
  if (c.sparse === true) throw fieldError(ref, 'sparse', 'sparse inputs are not supported by tfjs', true);
  if (c.ragged === true) throw fieldError(ref, 'ragged', 'ragged inputs are not supported by tfjs', true);
  if (c.optional === true) throw fieldError(ref, 'optional', 'optional inputs are not supported by tfjs', true);
  const dtype = String(c.dtype ?? 'float32');
  return {
    class_name: 'InputLayer',
    config: { batch_input_shape: shape, dtype: dtype.startsWith('int') || dtype.startsWith('uint') ? 'int32' : dtype === 'bool' ? 'bool' : 'float32', sparse: false, name },
  };
}

function functional(config: Json, name: string, options: ImportOptions): TranslatedModel {
  const entries = (config.layers ?? []) as KerasLayerEntry[];
  const rename = new Map<string, string>();
  const layers: Json[] = [];
  const layerNames: string[] = [];
  for (const entry of entries) {
    const kname = String(entry.config?.name ?? entry.name);
    if (entry.class_name === 'InputLayer') {
      const spec = inputLayer(entry);
      layers.push({ ...spec, name: kname, inbound_nodes: [] });
      continue;
    }
    const ref = { name: kname, className: entry.class_name };
    const chain = translateLayer(entry, options);
    const nodes = (entry.inbound_nodes ?? []).map((n) => translateNode(ref, n, rename));
    chain.layers.forEach((l, i) => {
      const inbound = i === 0 ? nodes : nodes.map((_, k): NodeRef[] => [[String(chain.layers[i - 1].config.name), k, 0, {}]]);
      layers.push({ class_name: l.class_name, config: l.config, name: l.config.name, inbound_nodes: inbound });
    });
    rename.set(kname, String(chain.layers[chain.layers.length - 1].config.name));
    layerNames.push(kname);
  }
  return {
    kind: 'Functional',
    layerNames,
    topology: {
      class_name: 'Model',
      config: {
        name,
        layers,
        input_layers: endpoints(config.input_layers, rename),
        output_layers: endpoints(config.output_layers, rename),
      },
      keras_version: 'tfjs-layers (imported from Keras 3 by tfjs-activations)',
      backend: 'tensor_flow.js',
    },
  };
}

function sequential(config: Json, root: Json, name: string, options: ImportOptions): TranslatedModel {
  let entries = (config.layers ?? []) as KerasLayerEntry[];
  let batchShape: unknown;
  let dtype = 'float32';
  if (entries[0]?.class_name === 'InputLayer') {
    const spec = inputLayer(entries[0]);
    batchShape = spec.config.batch_input_shape;
    dtype = String(spec.config.dtype);
    entries = entries.slice(1);
  } else {
    batchShape = config.build_input_shape ?? (root.build_config as Json | undefined)?.input_shape;
  }
  if (!Array.isArray(batchShape)) throw modelError(`Sequential model '${name}' was never built (no input shape in its config), so it has no weights to import.`);
  if (entries.length === 0) throw modelError(`Sequential model '${name}' has no layers.`);
  const layers: Json[] = [];
  const layerNames: string[] = [];
  for (const entry of entries) {
    const chain = translateLayer(entry, options);
    for (const l of chain.layers) layers.push({ class_name: l.class_name, config: l.config });
    layerNames.push(String(entry.config?.name ?? entry.name));
  }
  const first = layers[0].config as Json;
  first.batch_input_shape = batchShape;
  // tfjs creates the implied InputLayer with the first layer's dtype.
  if (dtype !== 'float32') first.dtype = dtype;
  return {
    kind: 'Sequential',
    layerNames,
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
  if (!isObject(root) || !isObject(root.config)) throw modelError('config.json has no model config.');
  const cls = String(root.class_name);
  const name = String(root.config.name ?? 'model');
  if (cls === 'Sequential') return sequential(root.config, root, name, options);
  if (cls === 'Functional' || (cls === 'Model' && Array.isArray(root.config.layers))) return functional(root.config, name, options);
  throw modelError(`model class '${root.registered_name ?? cls}' cannot be imported: only Sequential and Functional models ` +
    '(keras.Sequential, keras.Model(inputs, outputs)) have a config that describes their computation; subclassed models do not.');
}
