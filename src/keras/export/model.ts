/**
 * A tfjs LayersModel -> the three members of a Keras 3 `.keras` archive: config.json (Sequential or
 * Functional, Keras 3 class names, modules, build_configs and registered_names), metadata.json, and the
 * tree of variables for model.weights.h5 in Keras's layout (`layers/<snake_case class>[_n]/vars/<i>`,
 * numbered in the order of model.layers, each `vars` group naming its layer).
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { exportLayerError, exportModelError, KerasExportError, type ExportRef } from './errors';
import { FLOAT32_POLICY, isObject, kerasSnakeCase, kerasTensor, TfjsFields, type Json } from './json';
import { exporterFor, type KerasLayer, type LayerContext, type Shape, type WeightTree } from './layers';
import { LAYER_PREFIX } from '../../layers/common';

/** The Keras version whose format is written (and which the tests check against). */
export const KERAS_FORMAT_VERSION = '3.15.1';

export interface KerasModelParts {
  config: Json;
  metadata: Json;
  /** model.weights.h5 as a tree: `layers/<key>` -> saved object; the model's own (empty) `vars` group. */
  weights: { layers: Array<[string, WeightTree]>; name: string };
  /** Custom objects the model needs from the generated Python module (sorted). */
  customObjects: string[];
}

type NodeRef = [string, number, number];

interface TopologyLayer {
  class_name: string;
  config: Json;
  name?: string;
  inbound_nodes?: Array<Array<[string, number, number, Json]>>;
}

const toShapes = (s: unknown): Shape[] => (Array.isArray(s) && s.length > 0 && Array.isArray(s[0]) ? s as Shape[] : [s as Shape]);

/** The layer's Keras entry: module, class_name, config (name, trainable, dtype first), registered_name. */
function entryOf(k: KerasLayer, name: string, trainable: boolean, inputShapes: Shape[]): Json {
  const config = k.op ? { name, ...k.config } : { name, trainable, dtype: FLOAT32_POLICY, ...k.config };
  const entry: Json = { module: k.module, class_name: k.className, config, registered_name: k.registeredName };
  if (k.buildConfig) entry.build_config = k.buildConfig;
  else if (k.build) entry.build_config = { input_shape: inputShapes.length === 1 ? inputShapes[0] : inputShapes };
  return entry;
}

const SET_MASK = `${LAYER_PREFIX}SetMask`;
const ZERO_MASKED = `${LAYER_PREFIX}ZeroMaskedSteps`;

/** True if some layer of the model makes a mask (Masking, Embedding with mask_zero, the import's SetMask). */
const hasMasks = (specs: TopologyLayer[]) =>
  specs.some((s) => s.class_name === 'Masking' || s.class_name === SET_MASK || (s.class_name === 'Embedding' && s.config.mask_zero === true));

function exportLayer(layer: tfl.layers.Layer, spec: TopologyLayer, functional: boolean, inputShapes: Shape[], masked: boolean,
  zeroOutputForMask = false, inputLayers?: LayerContext['inputLayers']): KerasLayer {
  const ref: ExportRef = { name: layer.name, className: spec.class_name };
  const f = new TfjsFields(ref, spec.config);
  const out = exporterFor(ref, layer)({ ref, layer, f, functional, inputShapes, masked, zeroOutputForMask, inputLayers });
  f.done();
  if (out.op && !functional) throw exportLayerError(ref, 'needs a keras.ops node, which only Functional models have');
  const hasWeights = layer.weights.length > 0;
  const k: KerasLayer = { custom: [], build: hasWeights, ...out };
  if (!k.op && !k.weights) k.weights = { name: layer.name, vars: layer.weights.map((w) => ({ name: w.originalName, variable: w })), children: [] };
  if (k.op && hasWeights) throw exportLayerError(ref, 'has weights, which a keras.ops node cannot hold');
  return k;
}

/** Numbers Keras's weight groups per class, in the order of model.layers ('dense', 'dense_1', ...). */
class GroupNames {
  private readonly used = new Map<string, number>();
  next(className: string): string {
    const base = kerasSnakeCase(className);
    const n = this.used.get(base);
    this.used.set(base, n === undefined ? 0 : n + 1);
    return n === undefined ? base : `${base}_${n + 1}`;
  }
}

function outputShapes(layer: tfl.layers.Layer, inputs: Shape[]): Shape[] {
  return toShapes(layer.computeOutputShape((inputs.length === 1 ? inputs[0] : inputs) as never));
}

function sequential(model: tfl.LayersModel, topology: Json): Omit<KerasModelParts, 'metadata'> {
  const all = (topology.config as Json).layers as TopologyLayer[];
  // An explicit tf.layers.inputLayer comes first in the config; otherwise the first layer has the input shape.
  const input = all[0]?.class_name === 'InputLayer' ? all[0].config : undefined;
  const specs = input ? all.slice(1) : all;
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const layers = specs.map((s) => {
    const layer = byName.get(String(s.config.name));
    if (!layer) throw exportModelError(`layer '${String(s.config.name)}' of the Sequential config is not in the model.`);
    return layer;
  });
  const first = input ?? specs[0]?.config ?? {};
  const batchShape = (first.batch_input_shape ?? model.inputs[0]?.shape) as Shape;
  const inputName = String(input?.name ?? model.inputs[0]?.sourceLayer?.name ?? `${model.name}_input`);
  const entries: Json[] = [{
    module: 'keras.layers', class_name: 'InputLayer', registered_name: null,
    config: { batch_shape: batchShape, dtype: String(first.dtype ?? model.inputs[0]?.dtype ?? 'float32'), sparse: false, ragged: false, name: inputName, optional: false },
  }];
  const groups = new GroupNames();
  const weights: Array<[string, WeightTree]> = [];
  const custom = new Set<string>();
  const errors: KerasExportError[] = [];
  let shape = batchShape;
  layers.forEach((layer, i) => {
    try {
      const k = exportLayer(layer, specs[i], false, [shape], hasMasks(specs));
      entries.push(entryOf(k, layer.name, layer.trainable, [shape]));
      weights.push([groups.next(k.className), k.weights!]);
      k.custom.forEach((c) => custom.add(c));
    } catch (e) {
      if (!(e instanceof KerasExportError)) throw e;
      errors.push(e);
    }
    shape = outputShapes(layer, [shape])[0];
  });
  if (errors.length) throw combined(errors);
  const config = {
    module: 'keras', class_name: 'Sequential', registered_name: null,
    config: { name: model.name, trainable: model.trainable, dtype: FLOAT32_POLICY, layers: entries, build_input_shape: batchShape },
    build_config: { input_shape: batchShape },
    compile_config: null,
  };
  return { config, weights: { layers: weights, name: model.name }, customObjects: [...custom].sort() };
}

function functional(model: tfl.LayersModel, topology: Json): Omit<KerasModelParts, 'metadata'> {
  const cfg = topology.config as Json;
  const specs = cfg.layers as TopologyLayer[];
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const specByName = new Map(specs.map((s) => [String(s.name ?? s.config.name), s]));
  // Output shapes and dtypes per layer and node, filled in graph order.
  const shapes = new Map<string, Shape[][]>();
  const dtypes = new Map<string, string>();
  const order = graphOrder(specs);
  // The import's mask layers stand for Keras's call arguments: a SetMask is `mask=` on the call of the
  // layer after it, a ZeroMaskedSteps is zero_output_for_mask on the RNN before it. Neither is a layer
  // in Keras: references to them go to their input.
  const alias = new Map<string, { to: NodeRef; mask?: NodeRef | null }>();
  const zeroed = new Set<string>();
  for (const spec of specs) {
    const name = String(spec.name ?? spec.config.name);
    const node = spec.inbound_nodes?.[0];
    if (spec.class_name !== SET_MASK && spec.class_name !== ZERO_MASKED) continue;
    if (!node || (spec.inbound_nodes ?? []).length !== 1) throw exportLayerError({ name, className: spec.class_name }, 'is called more than once');
    const to: NodeRef = [node[0][0], node[0][1], node[0][2]];
    if (spec.class_name === SET_MASK) alias.set(name, { to, mask: node[1] ? [node[1][0], node[1][1], node[1][2]] : null });
    else {
      alias.set(name, { to });
      zeroed.add(to[0]);
    }
  }
  /** A reference with the mask layers before it skipped, and the mask the nearest SetMask gives it. */
  const resolve = (r: NodeRef): { ref: NodeRef; mask?: NodeRef | null } => {
    let ref = r;
    let mask: NodeRef | null | undefined;
    for (let a = alias.get(ref[0]); a; a = alias.get(ref[0])) {
      if (mask === undefined && a.mask !== undefined) mask = a.mask;
      ref = a.to;
    }
    return { ref, mask };
  };
  // tfjs's config leaves out a model input no layer reads (Keras keeps it): add it back.
  for (const input of model.inputLayers) {
    if (specByName.has(input.name)) continue;
    const spec: TopologyLayer = { class_name: 'InputLayer', name: input.name, inbound_nodes: [],
      config: { name: input.name, batch_input_shape: input.batchInputShape, dtype: input.dtype ?? 'float32', sparse: false } };
    specs.push(spec);
    specByName.set(input.name, spec);
    byName.set(input.name, input);
    order.push([input.name, 0]);
  }
  const inputLayers = model.inputLayers.map((l): NodeRef => [l.name, 0, 0]);
  const specOf = (name: string) => specByName.get(name)!;
  // Output shapes, call by call (a layer called again on its own output: block(block(x))).
  for (const [name, k] of order) {
    if (alias.has(name)) continue;
    const spec = specOf(name);
    const layer = byName.get(name);
    if (!layer) throw exportModelError(`layer '${name}' of the config is not in the model.`);
    if (spec.class_name === 'InputLayer') {
      shapes.set(name, [[spec.config.batch_input_shape as Shape]]);
      dtypes.set(name, String(spec.config.dtype ?? 'float32'));
      continue;
    }
    const ins = (spec.inbound_nodes?.[k] ?? []).map((r) => shapeOf(name, resolve([r[0], r[1], r[2]]).ref).shape);
    if (!shapes.has(name)) shapes.set(name, []);
    shapes.get(name)![k] = outputShapes(layer, ins);
    dtypes.set(name, 'float32');
  }
  function shapeOf(name: string, r: NodeRef): { shape: Shape; dtype: string } {
    const s = shapes.get(r[0])?.[r[1]]?.[r[2]];
    if (!s) throw exportModelError(`layer '${name}' reads output ${r[2]} of call ${r[1]} of layer '${r[0]}', which does not exist.`);
    return { shape: s, dtype: dtypes.get(r[0]) ?? 'float32' };
  }
  /** The layer behind a tensor, through the import's linear Activation copies. */
  const sourceLayer = (r: NodeRef): { className: string; name: string } => {
    let spec = specOf(r[0]);
    while (spec.class_name === 'Activation' && spec.config.activation === 'linear' && spec.inbound_nodes?.length === 1 && spec.inbound_nodes[0].length === 1) {
      spec = specOf(resolve([spec.inbound_nodes[0][0][0], spec.inbound_nodes[0][0][1], spec.inbound_nodes[0][0][2]]).ref[0]);
    }
    return { className: spec.class_name, name: String(spec.name ?? spec.config.name) };
  };
  interface Exported { k?: KerasLayer; error?: KerasExportError; nodes: Array<Array<{ ref: NodeRef; mask?: NodeRef | null }>> }
  const exported = new Map<string, Exported>();
  const layerOrder = [...new Set(order.map(([name]) => name))].filter((name) => !alias.has(name));
  for (const name of layerOrder) {
    const spec = specOf(name);
    const layer = byName.get(name)!;
    const nodes = (spec.inbound_nodes ?? []).map((n) => n.map((r) => resolve([r[0], r[1], r[2]])));
    const e: Exported = { nodes };
    exported.set(name, e);
    if (spec.class_name === 'InputLayer') continue;
    const firstShapes = nodes[0]?.map((r) => shapeOf(name, r.ref).shape) ?? [];
    try {
      e.k = exportLayer(layer, spec, true, firstShapes, hasMasks(specs), zeroed.has(name), nodes[0]?.map((r) => sourceLayer(r.ref)));
    } catch (err) {
      if (!(err instanceof KerasExportError)) throw err;
      e.error = err;
    }
  }
  // The layers the outputs need in Keras: not those only a Keras call leaves out reads (masks Keras computes itself).
  const live = new Set<string>();
  const visit = (n: string) => {
    if (live.has(n)) return;
    live.add(n);
    const e = exported.get(n)!;
    const drop = new Set(e.k?.dropInputs ?? []);
    for (const node of e.nodes) {
      node.forEach((r, j) => {
        if (!drop.has(j)) visit(r.ref[0]);
        if (r.mask) visit(r.mask[0]);
      });
    }
  };
  for (const r of ([] as NodeRef[]).concat(cfg.output_layers as NodeRef[])) visit(resolve([r[0], r[1], r[2]]).ref[0]);
  for (const r of inputLayers) live.add(r[0]);
  const entries: Json[] = [];
  const groups = new GroupNames();
  const weights: Array<[string, WeightTree]> = [];
  const custom = new Set<string>();
  const errors: KerasExportError[] = [];
  for (const name of layerOrder) {
    if (!live.has(name)) continue;
    const spec = specOf(name);
    const layer = byName.get(name)!;
    const { k, error, nodes } = exported.get(name)!;
    if (spec.class_name === 'InputLayer') {
      const c = spec.config;
      entries.push({
        module: 'keras.layers', class_name: 'InputLayer', registered_name: null, name, inbound_nodes: [],
        config: { batch_shape: c.batch_input_shape, dtype: dtypes.get(name), sparse: Boolean(c.sparse ?? false), ragged: false, name, optional: false },
      });
      weights.push([groups.next('InputLayer'), { name, vars: [], children: [] }]);
      continue;
    }
    if (error || !k) {
      errors.push(error!);
      continue;
    }
    const tensors = nodes.map((n) => n.map((r) => {
      const t = shapeOf(name, r.ref);
      return kerasTensor(t.shape, t.dtype, r.ref);
    }));
    const inbound = tensors.map((t, i) => {
      const call = k.call?.(t) ?? { args: [t.length === 1 ? t[0] : t], kwargs: {} };
      const m = nodes[i][0]?.mask;
      return m ? { ...call, kwargs: { ...call.kwargs, mask: kerasTensor(shapeOf(name, m).shape, 'bool', m) } } : call;
    });
    entries.push({ ...entryOf(k, name, layer.trainable, nodes[0]?.map((r) => shapeOf(name, r.ref).shape) ?? []), name, inbound_nodes: inbound });
    if (!k.op) weights.push([groups.next(k.className), k.weights!]);
    k.custom.forEach((c) => custom.add(c));
  }
  if (errors.length) throw combined(errors);
  const endpoints = (v: unknown): unknown => {
    const list = (v as NodeRef[]).map((r) => resolve([r[0], r[1], r[2]]).ref);
    return list.length === 1 ? list[0] : list;
  };
  const config = {
    module: 'keras.src.models.functional', class_name: 'Functional', registered_name: 'Functional',
    config: { name: model.name, trainable: model.trainable, layers: entries, input_layers: endpoints(inputLayers), output_layers: endpoints(cfg.output_layers) },
    build_config: { input_shape: null },
    compile_config: null,
  };
  return { config, weights: { layers: weights, name: model.name }, customObjects: [...custom].sort() };
}

/** Calls (layer name, node index) in an order where every call comes after the calls it reads (config order where it already is). */
function graphOrder(specs: TopologyLayer[]): Array<[string, number]> {
  const calls: Array<{ name: string; k: number; deps: string[] }> = [];
  const key = (n: string, k: number) => `${n}\u0000${k}`;
  for (const s of specs) {
    const name = String(s.name ?? s.config.name);
    const nodes = s.inbound_nodes ?? [];
    if (nodes.length === 0) calls.push({ name, k: 0, deps: [] });
    nodes.forEach((n, k) => calls.push({ name, k, deps: n.map((r) => key(r[0], r[1])) }));
  }
  const done = new Set<string>();
  const order: Array<[string, number]> = [];
  let rest = calls;
  while (rest.length > 0) {
    const next = rest.find((c) => c.deps.every((d) => done.has(d)));
    if (next === undefined) throw exportModelError('the model graph has a cycle or refers to a layer it does not have.');
    done.add(key(next.name, next.k));
    order.push([next.name, next.k]);
    rest = rest.filter((c) => c !== next);
  }
  return order;
}

function combined(errors: KerasExportError[]): KerasExportError {
  if (errors.length === 1) return errors[0];
  const e = new KerasExportError(`Keras export: ${errors.length} layers cannot be exported:\n${errors.map((x) => `  - ${x.message}`).join('\n')}`,
    errors[0].layer, errors[0].field);
  (e as KerasExportError & { errors: KerasExportError[] }).errors = errors;
  return e;
}

function dateSaved(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The Keras 3 archive members for a Sequential or Functional tfjs model. */
export function kerasModelParts(model: tfl.LayersModel): KerasModelParts {
  const topology = model.toJSON(null, false) as unknown as Json;
  if (!isObject(topology) || !isObject(topology.config)) throw exportModelError('the model has no config.');
  const kind = String(topology.class_name);
  let parts: Omit<KerasModelParts, 'metadata'>;
  if (kind === 'Sequential') parts = sequential(model, topology);
  else if (kind === 'Model' || kind === 'Functional') parts = functional(model, topology);
  else throw exportModelError(`model class '${kind}' cannot be exported: only Sequential and Functional models (tf.sequential, tf.model).`);
  return {
    ...parts,
    metadata: { keras_version: KERAS_FORMAT_VERSION, date_saved: dateSaved() },
  };
}
