/**
 * Keras 3 config.json -> tfjs layers-model topology (tfjs's Keras-2-like, snake_case JSON: what a
 * tfjs model.json holds under `modelTopology`).
 *
 * 1. The Keras graph is flattened: nested Sequential and Functional models (layers of the outer
 *    model, possibly called more than once) are inlined, their layers called once per call of the
 *    nested model. Each node's call is parsed: tensor arguments become numbered inputs, constants
 *    stay (keras.ops nodes mix both).
 * 2. Each layer is translated by layers.ts into a chain of tfjs layers; masks passed in calls
 *    (`mask=<tensor>`, Keras 3 writes them) become SetMask layers, since tfjs passes masks implicitly.
 * 3. Every layer is translated even after one fails: all blockers are reported in one error.
 */
import type { ImportOptions } from './activations';
import { hasOwn } from '../own';
import { fieldError, KerasImportError, modelError, show, type LayerRef } from './errors';
import { isInteger, isObject, shapeOf, type Json, type KerasLayerEntry } from './fields';
import { overBudget, OverBudgetError, resolveLimits, type ImportLimits } from './limits';
import { checkCall, IMPLICIT_MASK_LAYER, IMPLICIT_MASKS, translateLayer, MASK_CONSUMERS, type Chain, type ParsedCall, type TensorRef } from './layers';
import { attentionInputs, KerasMasks, type MaskExpr } from './masks';

/** Where the Keras variables of a tfjs layer are saved. */
export interface WeightSource {
  /** Layer names from the top: [layer] or [nested model, ..., layer]. */
  path: string[];
  /** Nested objects whose variables are taken in this order ('' = the layer's own); default all. */
  parts?: string[];
}

/** The result of translating a Keras 3 config.json. */
export interface TranslatedModel {
  /** tfjs layers-model topology (model.json's `modelTopology`). */
  topology: Json;
  /** 'Sequential' or 'Functional'. */
  kind: 'Sequential' | 'Functional';
  /** Names of the Keras layers whose variables the tfjs layer of the same name receives. */
  layerNames: string[];
  /** tfjs layer name -> where its weights are in model.weights.h5. */
  weightSources: Map<string, WeightSource>;
  /** tfjs layer name -> the Keras layer it comes from (for errors). */
  owners: Map<string, LayerRef>;
  /** The order in which tfjs builds the layers' calls: [tfjs layer name, call] (Functional models). */
  buildOrder?: Array<[string, number]>;
}

type NodeRef = [string, number, number, Json];
/** One input of a layer call: [Keras layer name, node index, tensor index]. */
type Input = [string, number, number];

const nonNegative = (v: unknown): v is number => isInteger(v) && v >= 0;

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

/**
 * The tensors one node reads, wherever its call has them (positional arguments, lists, keyword
 * arguments such as `mask=`): Keras 3's {args, kwargs}, or Keras 2's [[layer, node, tensor, kwargs], ...].
 */
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
  const out: Input[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 64) throw fieldError(ref, 'inbound_nodes', 'the call arguments are nested too deeply', undefined);
    if (isObject(v) && v.class_name === '__keras_tensor__') out.push(historyOf(ref, v));
    else if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
    else if (isObject(v) && v.class_name !== '__tensor__') Object.values(v).forEach((x) => walk(x, depth + 1));
  };
  walk(node.args, 0);
  walk(isObject(node.kwargs) ? node.kwargs : {}, 0);
  // tfjs skips a call without inputs and then waits forever for its output.
  if (out.length === 0) throw fieldError(ref, 'inbound_nodes', 'a layer call has no inputs (tfjs would never build it)', node);
  return out;
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
function checkGraph(entries: KerasLayerEntry[], config: Json, limits: ImportLimits): number {
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
    for (const raw of endpoints(field, config[field])) {
      const e = field === 'output_layers' ? outputEndpoint(entries, raw) : raw;
      const target = nodes.get(e[0]);
      if (!target || e[1] >= target.length) {
        throw new KerasImportError(`Keras import: the model's ${field} refers to ${target ? `node ${e[1]} of ` : ''}layer '${e[0]}', ` +
          `which ${target ? `has ${target.length} node${target.length === 1 ? '' : 's'}` : 'is not in the model'}. Received: ${field}=${show(config[field])}`,
        e[0], field);
      }
    }
  }
  return total;
}


/**
 * An output_layers entry with the node index of the call it names: Keras counts a nested
 * Functional model's own graph as its node 0 there (not in the calls' arguments), so its calls
 * are numbered from 1 (functional.py: "Functional models start out with a built-in node").
 */
function outputEndpoint(entries: KerasLayerEntry[], [l, n, i]: Input): Input {
  const entry = entries.find((e) => nameOf(e) === l);
  return entry && isNestedModel(entry) && entry.class_name !== 'Sequential' && n >= 1 ? [l, n - 1, i] : [l, n, i];
}

const isAttention = (e: KerasLayerEntry) => e.class_name === 'MultiHeadAttention' && !(typeof e.module === 'string' && e.module.startsWith('keras.src.ops'));

const isTensor = (t: unknown): t is Json => isObject(t) && t.class_name === '__keras_tensor__' && isObject(t.config) && Array.isArray(t.config.keras_history);

/** Replaces every Keras tensor in a call's arguments with {input: i}; constant tensors become {constant, dtype}. */
function parseCall(ref: LayerRef, node: unknown): ParsedCall {
  if (!isObject(node) || !Array.isArray(node.args)) throw fieldError(ref, 'inbound_nodes', 'unrecognised node format', node);
  const tensors: TensorRef[] = [];
  const walk = (v: unknown): unknown => {
    if (isTensor(v)) {
      const [layer, n, i] = (v.config as Json).keras_history as [string, number, number];
      tensors.push({ layer: String(layer), node: Number(n), index: Number(i) });
      return { input: tensors.length - 1 };
    }
    if (isObject(v) && v.class_name === '__tensor__' && isObject(v.config)) return { constant: v.config.value, dtype: v.config.dtype ?? 'float32' };
    if (Array.isArray(v)) return v.map(walk);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const args = node.args.map(walk);
  const kwargs = walk(isObject(node.kwargs) ? node.kwargs : {}) as Json;
  return { args, kwargs, tensors };
}

/** Keras 2 form [[layer, node, tensor, kwargs], ...] -> a call with one list argument. */
function parseKeras2Node(node: unknown[]): ParsedCall {
  const tensors = (node as unknown[][]).map((r) => ({ layer: String(r[0]), node: Number(r[1]), index: Number(r[2]) }));
  const inputs = tensors.map((_, i) => ({ input: i }));
  return { args: [inputs.length === 1 ? inputs[0] : inputs], kwargs: {}, tensors };
}

/** A layer of the flattened graph. */
interface FlatLayer {
  entry: KerasLayerEntry;
  /** Unique name in the flat graph (the Keras name unless a nested layer's name is taken). */
  name: string;
  weightPath: string[];
  /** One per call, with tensor references into the flat graph. */
  calls: ParsedCall[];
  input?: boolean;
}

const NESTED = new Set(['Functional', 'Sequential', 'Model']);
/** The layer name of an entry (config.name, else the entry's name). */
const nameOf = (e: KerasLayerEntry) => String(e.config?.name ?? e.name);
/** A model used as a layer (its config holds layers). */
const isNestedModel = (e: KerasLayerEntry) => NESTED.has(e.class_name) && isObject(e.config) && Array.isArray(e.config.layers);

/** A nested Sequential as the equivalent Functional config (each layer called on the previous one's output). */
function sequentialAsFunctional(cfg: Json): Json {
  let entries = (cfg.layers ?? []) as KerasLayerEntry[];
  let input: KerasLayerEntry;
  if (entries[0]?.class_name === 'InputLayer') {
    input = entries[0];
    entries = entries.slice(1);
  } else {
    input = { class_name: 'InputLayer', config: { name: `${String(cfg.name)}_input`, batch_shape: cfg.build_input_shape } };
  }
  const tensor = (layer: string) => ({ class_name: '__keras_tensor__', config: { keras_history: [layer, 0, 0] } });
  let previous = nameOf(input);
  const layers: KerasLayerEntry[] = [{ ...input, name: nameOf(input), inbound_nodes: [] }];
  for (const e of entries) {
    layers.push({ ...e, name: nameOf(e), inbound_nodes: [{ args: [tensor(previous)], kwargs: {} }] });
    previous = nameOf(e);
  }
  return { name: cfg.name, layers, input_layers: [[nameOf(input), 0, 0]], output_layers: [[previous, 0, 0]] };
}

class Flattener {
  readonly layers: FlatLayer[] = [];
  private readonly taken = new Set<string>();

  /** Nodes checked so far, nested models' included. */
  private nodes = 0;

  /**
   * Layers and calls of the flat graph: inlining multiplies them (a nested model of n calls called k
   * times gives n·k), so a small config could otherwise make tfjs build millions.
   */
  private flatLayers = 0;
  private flatNodes = 0;

  private addLayer(layer: FlatLayer): void {
    if (++this.flatLayers > this.limits.maxLayers) {
      throw overBudget('maxLayers', this.limits, `the model has more than ${this.limits.maxLayers} layers once nested models are inlined`);
    }
    this.layers.push(layer);
  }

  private addCalls(layer: FlatLayer, calls: ParsedCall[]): void {
    this.flatNodes += calls.length;
    if (this.flatNodes > this.limits.maxNodes) {
      throw overBudget('maxNodes', this.limits, `the model has more than ${this.limits.maxNodes} layer calls (nodes) once nested models are inlined`);
    }
    layer.calls.push(...calls);
  }

  constructor(private readonly reserved: Set<string>, private readonly limits: ImportLimits) {}

  /** The flat layers of each model config added (by config object). */
  private readonly flatOf = new WeakMap<Json, Map<string, FlatLayer>>();
  /** A nested Sequential's Functional form, made once (flatOf knows it by identity). */
  private readonly asFunctional = new WeakMap<Json, Json>();

  private innerConfig(entry: KerasLayerEntry): Json {
    const cfg = entry.config as Json;
    if (entry.class_name !== 'Sequential') return cfg;
    let inner = this.asFunctional.get(cfg);
    if (!inner) this.asFunctional.set(cfg, (inner = sequentialAsFunctional(cfg)));
    return inner;
  }

  private unique(name: string, scope: string): string {
    let n = name;
    for (let k = 1; this.taken.has(n) || (scope !== '' && this.reserved.has(n)); k++) n = `${scope}_${name}${k > 1 ? `_${k}` : ''}`;
    this.taken.add(n);
    return n;
  }

  /**
   * Adds a Functional config's layers. `calls[k]` maps the model's inputs to flat tensors for its
   * k-th call (top level: null, its InputLayers stay). Returns the model's outputs per call.
   * A call may read a layer listed later (Keras lists a layer shared at two depths, A(B(A(x))), at its
   * first call), so every layer's nodes are numbered first and the tensors resolved after; a nested
   * model is inlined as soon as the tensors it is called on can be resolved.
   */
  add(cfg: Json, calls: Array<TensorRef[] | null>, weightPath: string[], scope: string, errors: KerasImportError[]): TensorRef[][] {
    const entries = layerEntries(cfg, this.limits);
    // Kept across add() calls: a nested model's calls are inlined one at a time, into the same layers
    // (its graph checked and counted once; flatNodes counts the inlined calls).
    let flat = this.flatOf.get(cfg);
    if (!flat) {
      this.nodes += checkGraph(entries, cfg, this.limits);
      if (this.nodes > this.limits.maxNodes) throw overBudget('maxNodes', this.limits, `the model has more than ${this.limits.maxNodes} layer calls (nodes)`);
      this.flatOf.set(cfg, (flat = new Map<string, FlatLayer>()));
    }
    const inputNames = endpoints('input_layers', cfg.input_layers).map(([l]) => String(l));
    const models = new Set(entries.filter(isNestedModel).map(nameOf));
    return calls.map((inputs) => {
      // Node n of inner layer X in this call -> node index of its flat layer; nested model -> its outputs per call.
      const nodeIndex = new Map<string, number[]>();
      const nested = new Map<string, TensorRef[][]>();
      const failed = new Set<string>();
      const resolve = (r: TensorRef): TensorRef => {
        // Its error is reported already, and the combined error is thrown before anything is built.
        if (failed.has(r.layer)) return r;
        const inner = nested.get(r.layer);
        if (inner) {
          const out = inner[r.node]?.[r.index];
          if (!out) throw modelError(`a tensor refers to output ${r.index} of call ${r.node} of nested model '${r.layer}', which does not exist`);
          return out;
        }
        if (inputs && inputNames.includes(r.layer)) return inputs[inputNames.indexOf(r.layer)];
        const target = flat.get(r.layer);
        if (!target) throw modelError(`a tensor refers to layer '${r.layer}', which does not exist or could not be read`);
        if (target.input) return { layer: target.name, node: 0, index: r.index };
        const node = nodeIndex.get(r.layer)?.[r.node];
        if (node === undefined) throw modelError(`a tensor refers to node ${r.node} of layer '${r.layer}', which does not exist`);
        return { layer: target.name, node, index: r.index };
      };
      const collect = (f: () => void, layer?: string) => {
        try {
          f();
        } catch (e) {
          if (!(e instanceof KerasImportError) || e instanceof OverBudgetError) throw e;
          errors.push(e);
          if (layer !== undefined) failed.add(layer);
        }
      };
      const unresolved: ParsedCall[] = [];
      // A nested model's calls, inlined one at a time in call order, each once the tensors it is
      // called on are known (its own earlier calls' outputs included: block(block(x))).
      let waiting: Array<{ entry: KerasLayerEntry; call: ParsedCall; k: number }> = [];
      const known = (t: TensorRef) => failed.has(t.layer) ||
        (models.has(t.layer) ? (nested.get(t.layer)?.length ?? 0) > t.node : flat.has(t.layer) || (inputs !== null && inputNames.includes(t.layer)));
      const inline = (entry: KerasLayerEntry, call: ParsedCall) => collect(() => {
        const kname = nameOf(entry);
        const ref = { name: kname, className: String(entry.class_name) };
        call.tensors = call.tensors.map(resolve);
        if (entry.registered_name && !['Functional', 'Sequential', 'Model'].includes(String(entry.registered_name))) {
          throw fieldError(ref, 'registered_name', `unknown custom model '${entry.registered_name}' (a subclassed model has no config that describes its computation)`, entry.registered_name);
        }
        const extra = Object.entries(call.kwargs).filter(([key, v]) => v !== null && !(key === 'training' && v === false));
        if (extra.length > 0) throw fieldError(ref, `inbound_nodes.kwargs.${extra[0][0]}`, 'call arguments of a nested model are not supported by the import', extra[0][1]);
        const [out] = this.add(this.innerConfig(entry), [call.tensors], [...weightPath, kname], kname, errors);
        nested.set(kname, [...(nested.get(kname) ?? []), out]);
      }, nameOf(entry));
      const drain = () => {
        for (let progress = true; progress;) {
          progress = false;
          waiting = waiting.filter((w) => !failed.has(nameOf(w.entry)));
          for (const w of waiting) {
            if ((nested.get(nameOf(w.entry))?.length ?? 0) === w.k && w.call.tensors.every(known)) {
              waiting = waiting.filter((x) => x !== w);
              inline(w.entry, w.call);
              progress = true;
              break;
            }
          }
        }
      };
      for (const entry of entries) {
        const kname = nameOf(entry);
        const ref = { name: kname, className: String(entry.class_name) };
        if (entry.class_name === 'InputLayer') {
          if (inputs) continue;  // a nested model's input is the tensor it was called on
          const layer: FlatLayer = { entry, name: this.unique(kname, scope), weightPath: [...weightPath, kname], calls: [], input: true };
          flat.set(kname, layer);
          this.addLayer(layer);
          continue;
        }
        collect(() => {
          const rawNodes = entry.inbound_nodes ?? [];
          const parsed = rawNodes.map((n) => (Array.isArray(n) ? parseKeras2Node(n) : parseCall(ref, n)));
          if (isNestedModel(entry)) {
            parsed.forEach((call, k) => waiting.push({ entry, call, k }));
            drain();
            return;
          }
          let layer = flat.get(kname);
          if (!layer) {
            layer = { entry, name: this.unique(kname, scope), weightPath: [...weightPath, kname], calls: [] };
            flat.set(kname, layer);
            this.addLayer(layer);
          }
          const first = layer.calls.length;
          this.addCalls(layer, parsed);
          unresolved.push(...parsed);
          nodeIndex.set(kname, parsed.map((_, n) => first + n));
        }, kname);
      }
      drain();
      for (const name of new Set(waiting.map((w) => nameOf(w.entry)))) {
        const w = waiting.find((x) => nameOf(x.entry) === name)!;
        errors.push(fieldError({ name, className: String(w.entry.class_name) }, 'inbound_nodes', 'this nested model is called on the output of a ' +
          'nested model that waits for it (a cycle): the import cannot inline that', undefined));
        failed.add(name);
      }
      for (const c of unresolved) collect(() => { c.tensors = c.tensors.map(resolve); });
      return endpoints('output_layers', cfg.output_layers).map((e) => outputEndpoint(entries, e)).map(([l, n, i]) => {
        const r = { layer: String(l), node: Number(n), index: Number(i) };
        try {
          return resolve(r);
        } catch (e) {
          // Reported with the other blockers (functional() throws them together).
          if (!(e instanceof KerasImportError) || e instanceof OverBudgetError) throw e;
          errors.push(e);
          return r;
        }
      });
    });
  }
}

function allNames(cfg: Json, out = new Set<string>()): Set<string> {
  for (const e of (cfg.layers ?? []) as KerasLayerEntry[]) out.add(nameOf(e));
  return out;
}

/**
 * Replays tfjs's Functional.fromConfig on the translated layers, without building anything: every
 * round visits the layers in order and builds each pending node whose inputs exist (by count: node j
 * of a layer exists once the layer has been called j + 1 times), re-queueing the others. tfjs loops
 * forever when a round builds nothing, and wires a shared layer wrongly when it builds its nodes out
 * of order; both are refused here. At most one round per node, each over the pending nodes. Runs on
 * the flattened topology, the one tfjs builds; returns the order tfjs builds the calls in.
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
    // tfjs skips an empty call without counting it (a translation can leave one: tensors only in kwargs).
    if (nodes.some((n) => n.length === 0)) {
      throw fieldError(owners.get(name) ?? { name, className: String(l.class_name) }, 'inbound_nodes',
        'a layer call has no inputs in the tfjs model (tfjs would never build it)', undefined);
    }
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

function inputLayer(entry: KerasLayerEntry, name = nameOf(entry)): { class_name: string; config: Json } {
  const c = entry.config ?? {};
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

/** One error for all blockers: the only one as it is, several grouped by layer class. */
function combined(errors: KerasImportError[]): KerasImportError {
  if (errors.length === 1) return errors[0];
  const byClass = new Map<string, string[]>();
  for (const e of errors) {
    const m = /\((\w[^)]*)\), /.exec(e.message);
    const cls = m ? m[1] : 'model';
    byClass.set(cls, [...(byClass.get(cls) ?? []), e.message.replace(/^Keras import: /, '')]);
  }
  const lines = [...byClass].map(([cls, msgs]) => `  ${cls} (${msgs.length}):\n${msgs.map((m) => `    - ${m}`).join('\n')}`);
  const err = new KerasImportError(`Keras import: ${errors.length} problems, in ${byClass.size} layer classes; the model cannot be ` +
    `imported until all are fixed:\n${lines.join('\n')}`, errors[0].layer, errors[0].field);
  (err as KerasImportError & { errors: KerasImportError[] }).errors = errors;
  return err;
}

function functional(config: Json, name: string, options: ImportOptions, limits: ImportLimits): TranslatedModel {
  const errors: KerasImportError[] = [];
  const flattener = new Flattener(allNames({ layers: layerEntries(config, limits) }), limits);
  const [outputs] = flattener.add(config, [null], [], '', errors);
  const usesMasks = flattener.layers.some((l) => l.calls.some((c) => isObject(c.kwargs.mask) || Array.isArray(c.kwargs.mask)));
  // (flat layer, call) -> the tfjs layer that outputs that call's tensors, and its node there.
  const outputOf = new Map<string, [string, number]>();
  const nodeKey = (layer: string, node: number) => `${layer}\u0000${node}`;
  const layers: Json[] = [];
  const layerNames: string[] = [];
  const weightSources = new Map<string, WeightSource>();
  const owners = new Map<string, LayerRef>();
  const ref = (t: TensorRef): NodeRef => {
    const [layer, node] = outputOf.get(nodeKey(t.layer, t.node)) ?? [t.layer, t.node];
    return [layer, node, t.index, {}];
  };
  const kerasMasks = new KerasMasks(flattener.layers);
  const maskTensors = new Map<string, TensorRef>();
  /** A mask expression as a tensor of the tfjs model (KerasOp layers added as needed, each once). */
  const materialize = (expr: MaskExpr, owner: LayerRef): TensorRef => {
    if ('ref' in expr) return expr.ref;
    const id = JSON.stringify(expr);
    const known = maskTensors.get(id);
    if (known) return known;
    // Each tensor is one input however often the op reads it (tfjs 4.22 disposes a tensor fed twice too early).
    const inputs: TensorRef[] = [];
    const input = (t: TensorRef) => {
      let i = inputs.findIndex((r) => r.layer === t.layer && r.node === t.node && r.index === t.index);
      if (i < 0) i = inputs.push(t) - 1;
      return { input: i };
    };
    let config: Json;
    if ('notZero' in expr) {
      config = { op: 'not_equal', args: [input(expr.notZero), 0], options: {} };
    } else if ('masking' in expr) {
      config = { op: 'masking_mask', args: [input(expr.masking)], options: { value: expr.value } };
    } else if ('or' in expr) {
      config = { op: 'mask_or', args: [expr.or.map((m) => input(materialize(m, owner)))], options: {} };
    } else {
      const xs = expr.concat.map(input);
      const masks = expr.masks.map((m) => (m ? input(materialize(m, owner)) : null));
      config = { op: 'concat_mask', args: [xs, masks], options: { axis: expr.axis } };
    }
    const name = `${owner.name}${IMPLICIT_MASK_LAYER}${maskTensors.size}`;
    layers.push({ class_name: 'TfjsActivations>KerasOp', config: { ...config, name, trainable: false, dtype: 'float32' }, name, inbound_nodes: [inputs.map(ref)] });
    owners.set(name, owner);
    const tensor = { layer: `\u0000${name}`, node: 0, index: 0 };
    outputOf.set(nodeKey(tensor.layer, 0), [name, 0]);
    maskTensors.set(id, tensor);
    return tensor;
  };
  /** A MultiHeadAttention call with the masks of its query, value and key (if any) as extra kwargs. */
  const withImplicitMasks = (layer: string, call: ParsedCall, k: number, owner: LayerRef): ParsedCall => {
    const [query, value, key] = attentionInputs(call);
    const tensors = [...call.tensors];
    const kwargs: Json = { ...call.kwargs };
    const add = (name: string, t: TensorRef | undefined) => {
      const m = t ? kerasMasks.maskOf(t, layer, k) : null;
      if (m) kwargs[name] = { input: tensors.push(materialize(m, owner)) - 1 };
    };
    add(IMPLICIT_MASKS.query, query);
    add(IMPLICIT_MASKS.value, value);
    if (isObject(call.kwargs.key) || call.args.length > 2) add(IMPLICIT_MASKS.key, key);
    return { ...call, kwargs, tensors };
  };
  for (const flat of flattener.layers) {
    const kname = flat.name;
    try {
      if (flat.input) {
        const spec = inputLayer(flat.entry, kname);
        layers.push({ ...spec, name: kname, inbound_nodes: [] });
        owners.set(kname, { name: kname, className: 'InputLayer' });
        continue;
      }
      const before = layers.length;
      const entry = { ...flat.entry, config: { ...flat.entry.config, name: kname } };
      const layerRef = { name: kname, className: flat.entry.class_name };
      const owner = { name: nameOf(flat.entry), className: flat.entry.class_name };
      // MultiHeadAttention gets the masks Keras would give it implicitly as call arguments of its own.
      const calls = isAttention(flat.entry) ? flat.calls.map((call, k) => withImplicitMasks(flat.name, call, k, owner)) : flat.calls;
      const first: Chain = translateLayer(entry, options, calls[0]);
      // A layer translated from its call's arguments (keras.ops, MultiHeadAttention) is translated
      // once per call; the calls whose translations agree share one tfjs layer (and its weights).
      const chains = first.perCall ? calls.map((call, k) => (k === 0 ? first : translateLayer(entry, options, call))) : calls.map(() => first);
      // The translation read the first call; a shared layer's other calls must not pass what it ignores.
      if (!first.perCall) for (const call of calls.slice(1)) checkCall(layerRef, call, first);
      const groups: Array<{ key: string; chain: Chain; calls: number[] }> = [];
      chains.forEach((chain, k) => {
        const key = JSON.stringify([chain.layers, chain.inputs, chain.weightParts, chain.kwargs]);
        const group = groups.find((g) => g.key === key);
        if (group) group.calls.push(k);
        else groups.push({ key, chain, calls: [k] });
      });
      if (groups.length === 0) groups.push({ key: '', chain: first, calls: [] });
      const many = calls.length > 1;
      groups.forEach(({ chain: shared, calls: members }, g) => {
        // Every group but the first gets names of its own: `<name>_call<k>`, k its first call.
        const suffix = g === 0 ? '' : `_call${members[0]}`;
        const chain: Chain = { ...shared, layers: shared.layers.map((l) => ({ ...l, config: { ...l.config, name: `${String(l.config.name)}${suffix}` } })) };
        const main = chain.layers.find((l) => l.config.name === `${kname}${suffix}`)!;
        const nodes: NodeRef[][] = members.map((k) => {
          const call = calls[k];
          const inputs = (chain.inputs ?? defaultInputs(call)).map((i) => ref(call.tensors[i]));
          const mask = call.kwargs.mask;
          const consumer = MASK_CONSUMERS.has(flat.entry.class_name);
          if (chain.kwargs?.includes('mask')) {
            // The translation takes the mask as an input of its own.
          } else if (isObject(mask) && typeof mask.input === 'number') {
            // tfjs passes masks implicitly: a SetMask puts Keras's mask on the layer's (first) input.
            const setter = `${kname}_mask${many ? `_${k}` : ''}`;
            layers.push({ class_name: 'TfjsActivations>SetMask', config: { name: setter, trainable: false }, name: setter, inbound_nodes: [[inputs[0], ref(call.tensors[mask.input])]] });
            inputs[0] = [setter, 0, 0, {}];
          } else if (mask !== null && mask !== undefined) {
            throw fieldError(layerRef, 'inbound_nodes.kwargs.mask', 'only a single mask tensor can be imported', mask);
          } else if (usesMasks && consumer) {
            // No mask in Keras: an explicit "no mask", so tfjs passes no stale one (see SetMask).
            const setter = `${kname}_nomask${many ? `_${k}` : ''}`;
            layers.push({ class_name: 'TfjsActivations>SetMask', config: { name: setter, trainable: false }, name: setter, inbound_nodes: [[inputs[0]]] });
            inputs[0] = [setter, 0, 0, {}];
          }
          // tfjs 4.22's executor counts a tensor's consumers once per layer but releases it once per
          // input slot, so a tensor fed twice to one layer is disposed too early: feed a copy instead.
          inputs.forEach((r, j) => {
            if (inputs.slice(0, j).some((q) => q[0] === r[0] && q[1] === r[1] && q[2] === r[2])) {
              const copy = `${kname}_copy${many ? `_${k}` : ''}_${j}`;
              layers.push({ class_name: 'Activation', config: { name: copy, activation: 'linear', trainable: false }, name: copy, inbound_nodes: [[r]] });
              inputs[j] = [copy, 0, 0, {}];
            }
          });
          return inputs;
        });
        chain.layers.forEach((l, i) => {
          const inbound = i === 0 ? nodes : nodes.map((_, k): NodeRef[] => [[String(chain.layers[i - 1].config.name), k, 0, {}]]);
          layers.push({ class_name: l.class_name, config: l.config, name: l.config.name, inbound_nodes: inbound });
        });
        const last = String(chain.layers[chain.layers.length - 1].config.name);
        members.forEach((k, j) => outputOf.set(nodeKey(kname, k), [last, j]));
        weightSources.set(String(main.config.name), { path: flat.weightPath, ...(chain.weightParts ? { parts: chain.weightParts } : {}) });
      });
      layerNames.push(kname);
      for (const l of layers.slice(before)) owners.set(String(l.name), owner);
    } catch (e) {
      if (!(e instanceof KerasImportError) || e instanceof OverBudgetError) throw e;
      errors.push(e);
    }
  }
  if (errors.length > 0) throw combined(errors);
  // On the flattened topology tfjs will build (inserted layers included), once every layer translated.
  const buildOrder = replayTfjsBuild(layers, owners);
  const inputs = flattener.layers.filter((l) => l.input).map((l): [string, number, number] => [l.name, 0, 0]);
  const inputOrder = endpoints('input_layers', config.input_layers).map(([l]) => String(l));
  inputs.sort((a, b) => inputOrder.indexOf(a[0]) - inputOrder.indexOf(b[0]));
  return {
    kind: 'Functional',
    layerNames,
    weightSources,
    owners,
    buildOrder,
    topology: {
      class_name: 'Model',
      config: { name, layers, input_layers: inputs, output_layers: outputs.map((t) => ref(t).slice(0, 3)) },
      keras_version: 'tfjs-layers (imported from Keras 3 by tfjs-activations)',
      backend: 'tensor_flow.js',
    },
  };
}

/** The tensors of the first positional argument (a tensor or a list of them). */
function defaultInputs(call: ParsedCall): number[] {
  const first = call.args[0];
  const list = Array.isArray(first) ? first : [first];
  return list.filter((v): v is { input: number } => isObject(v) && typeof v.input === 'number').map((v) => v.input);
}

function sequential(config: Json, root: Json, name: string, options: ImportOptions, limits: ImportLimits): TranslatedModel {
  let entries = layerEntries(config, limits);
  let batchShape: unknown;
  let dtype = 'float32';
  if (entries[0]?.class_name === 'InputLayer') {
    const spec = inputLayer(entries[0], nameOf(entries[0]));
    batchShape = spec.config.batch_input_shape;
    dtype = String(spec.config.dtype);
    entries = entries.slice(1);
  } else {
    batchShape = config.build_input_shape ?? (isObject(root.build_config) ? root.build_config.input_shape : undefined);
    if (Array.isArray(batchShape)) shapeOf({ name, className: 'Sequential' }, 'build_input_shape', batchShape);
  }
  if (!Array.isArray(batchShape)) throw modelError(`Sequential model '${name}' was never built (no input shape in its config), so it has no weights to import.`);
  if (entries.length === 0) throw modelError(`Sequential model '${name}' has no layers.`);
  // Nested models are flattened by the Functional path: a Sequential holding one is imported as a graph.
  if (entries.some((e) => NESTED.has(e.class_name))) {
    const f = functional(sequentialAsFunctional({ ...config, build_input_shape: batchShape }), name, options, limits);
    return f;
  }
  const layers: Json[] = [];
  const layerNames: string[] = [];
  const weightSources = new Map<string, WeightSource>();
  const owners = new Map<string, LayerRef>();
  const errors: KerasImportError[] = [];
  for (const entry of entries) {
    try {
      if (entry.class_name === 'InputLayer') throw fieldError({ name: nameOf(entry), className: 'InputLayer' }, 'class_name', 'an InputLayer can only come first in a Sequential model', 'InputLayer');
      const call: ParsedCall = { args: [{ input: 0 }], kwargs: {}, tensors: [{ layer: '', node: 0, index: 0 }] };
      const chain = translateLayer(entry, options, call);
      if (chain.inputs && chain.inputs.join() !== '0') throw fieldError({ name: nameOf(entry), className: entry.class_name }, 'class_name', 'this layer needs several inputs, which a Sequential model cannot give it', entry.class_name);
      for (const l of chain.layers) {
        layers.push({ class_name: l.class_name, config: l.config });
        owners.set(String(l.config.name), { name: nameOf(entry), className: entry.class_name });
      }
      layerNames.push(nameOf(entry));
      weightSources.set(nameOf(entry), { path: [nameOf(entry)], ...(chain.weightParts ? { parts: chain.weightParts } : {}) });
    } catch (e) {
      if (!(e instanceof KerasImportError) || e instanceof OverBudgetError) throw e;
      errors.push(e);
    }
  }
  if (errors.length > 0) throw combined(errors);
  const first = layers[0].config as Json;
  first.batch_input_shape = batchShape;
  // tfjs creates the implied InputLayer with the first layer's dtype.
  if (dtype !== 'float32') first.dtype = dtype;
  return {
    kind: 'Sequential',
    layerNames,
    weightSources,
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
