/**
 * The one adapter between the demos and the activation layers. Everything in demos/ gets its
 * activation layers from here, so swapping in the plugin's own layer API touches only this file.
 *
 * - ourActivationLayer(id, params?): the plugin's layer act.layers[id](params).
 * - builtinActivationLayer(id): tfjs's own layer/op computing the same function at our defaults
 *   (from the registry's `builtin` field), or undefined where tfjs has none.
 * - maxoutLayer(pieces, units): the plugin's weight-free Maxout, max over groups of `pieces` consecutive units.
 */
import * as tf from '@tensorflow/tfjs';
import * as act from '../../src';

type AnyOp = (x: tf.Tensor, params?: object) => tf.Tensor;

const one = (inputs: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(inputs) ? inputs[0] : inputs);

/** Our op as a bare layer; only the base of ShiftedActivation (the demos use act.layers otherwise). */
export class OurActivation extends tf.layers.Layer {
  static className = 'DemoOurActivation';
  readonly activationId: string;
  readonly params?: object;
  private readonly op: AnyOp;

  constructor(id: string, params?: object, name?: string) {
    super({ name });
    if (!act.has(id)) throw new Error(`unknown activation '${id}'; known: ${act.list().join(', ')}`);
    this.activationId = id;
    this.params = params;
    this.op = (act.ops as unknown as Record<string, AnyOp>)[id];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => this.op(one(inputs), this.params));
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), activationId: this.activationId, params: (this.params ?? null) as tf.serialization.ConfigDictValue };
  }
}

/** A tfjs-core op as a weight-free layer (for built-ins tfjs only has as ops, e.g. tf.logSigmoid). */
export class BuiltinOpLayer extends tf.layers.Layer {
  static className = 'DemoBuiltinOp';
  readonly opName: string;
  private readonly op: (x: tf.Tensor) => tf.Tensor;

  constructor(opName: string, name?: string) {
    super({ name });
    const op = (tf as unknown as Record<string, unknown>)[opName];
    if (typeof op !== 'function') throw new Error(`tfjs has no op '${opName}'`);
    this.opName = opName;
    this.op = op as (x: tf.Tensor) => tf.Tensor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    // No tf.tidy here: ops built with tf.customGrad (tf.logSigmoid) lose their saved tensors in one.
    return this.op(one(inputs));
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }
}

/** Our activation plus a constant, f(x) + shift (e.g. sigmoid − 0.5: a zero-centred sigmoid, same slope). */
export class ShiftedActivation extends OurActivation {
  static override className = 'DemoShiftedActivation';
  readonly shift: number;

  constructor(id: string, shift: number, name?: string) {
    super(id, undefined, name);
    this.shift = shift;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => super.call(inputs).add(this.shift));
  }
}

/**
 * Activations the demos compare that are a configuration of a registry entry rather than an entry
 * of their own: PReLU is our leakyRelu layer with a learnable alpha (per unit, starting at tfjs's
 * 0.25), next to tfjs's tf.layers.prelu with the same starting alpha.
 */
export const VARIANTS: Record<string, { builtinName: string; ours: (name?: string) => tf.layers.Layer; builtin: (name?: string) => tf.layers.Layer }> = {
  prelu: {
    builtinName: 'tf.layers.prelu',
    ours: (name) => act.layers.leakyRelu({ alpha: 0.25, learnable: ['alpha'], ...(name ? { name } : {}) }),
    builtin: (name) => tf.layers.prelu({ alphaInitializer: tf.initializers.constant({ value: 0.25 }), ...(name ? { name } : {}) }),
  },
};

/** Our activation `id` as a layer (params: the activation's parameters; defaults when omitted). */
export function ourActivationLayer(id: string, params?: object, name?: string): tf.layers.Layer {
  if (VARIANTS[id]) return VARIANTS[id].ours(name);
  const factory = (act.layers as unknown as Record<string, (args?: object) => tf.layers.Layer>)[id];
  if (!factory || !act.has(id)) throw new Error(`unknown activation '${id}'; known: ${act.list().join(', ')}`);
  return factory({ ...params, ...(name ? { name } : {}) });
}

/** Which tfjs built-in computes the same function as `id` at our defaults (for reports). */
export function builtinName(id: string): string | undefined {
  if (VARIANTS[id]) return VARIANTS[id].builtinName;
  const b = act.get(id as act.ActivationId).builtin;
  if (!b) return undefined;
  if (id === 'leakyRelu') return 'tf.layers.leakyReLU';
  if (b.tfjsActivation) return `tf.layers.activation('${b.tfjsActivation}')`;
  if (b.tfjsOp) return `tf.${b.tfjsOp}`;
  return undefined;
}

/** tfjs's own layer for the same function at our defaults, or undefined where tfjs has none. */
export function builtinActivationLayer(id: string, name?: string): tf.layers.Layer | undefined {
  if (VARIANTS[id]) return VARIANTS[id].builtin(name);
  const def = act.get(id as act.ActivationId);
  const b = def.builtin;
  if (!b) return undefined;
  if (id === 'leakyRelu') {
    const alpha = (def.params as Record<string, { default: number }>).alpha.default;
    return tf.layers.leakyReLU({ alpha, name });
  }
  if (id === 'elu') return tf.layers.elu({ alpha: 1, name });
  if (b.tfjsActivation) {
    return tf.layers.activation({ activation: b.tfjsActivation as 'relu', name });
  }
  if (b.tfjsOp) return new BuiltinOpLayer(b.tfjsOp, name);
  return undefined;
}

/** Ids of the activations that have a tfjs built-in twin. */
export function idsWithBuiltin(ids: readonly string[] = act.list()): string[] {
  return ids.filter((id) => builtinName(id) !== undefined);
}

/** The plugin's weight-free Maxout: `units` outputs, each the max of `pieces` consecutive inputs. */
export function maxoutLayer(pieces: number, units: number, name?: string): tf.layers.Layer {
  if (!Number.isInteger(pieces) || pieces < 2) throw new Error(`maxout pieces must be an integer ≥ 2, got ${pieces}`);
  return act.layers.maxout({ units, ...(name ? { name } : {}) });
}

export type Impl = 'ours' | 'builtin';

/** The activation layer for an implementation; throws if the built-in is asked for and missing. */
export function activationLayer(id: string, impl: Impl, name?: string): tf.layers.Layer {
  if (impl === 'ours') return ourActivationLayer(id, undefined, name);
  const l = builtinActivationLayer(id, name);
  if (!l) throw new Error(`tfjs has no built-in for '${id}'`);
  return l;
}

/** Float64 f(x), f'(x) of an activation at its defaults, from the registry (for charts and probes). */
export function scalarFns(id: string): { f: (x: number) => number; df: (x: number) => number } {
  const def = act.get(id as act.ActivationId) as act.AnyDefinition;
  const p = Object.fromEntries(Object.entries(def.params as Record<string, { default: unknown }>).map(([k, s]) => [k, s.default])) as never;
  return { f: (x) => def.forward(x, p), df: (x) => def.derivative(x, p) };
}

/** Every activation the comparison demo trains: the registry, then the variants (prelu). */
export const allIds = (): string[] => [...act.list(), ...Object.keys(VARIANTS)];
