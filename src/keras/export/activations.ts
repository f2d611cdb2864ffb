/**
 * Activations -> Keras 3, from the registry: Keras's own function, layer or keras.ops node where Keras
 * has one with the same semantics and the parameters fit (each definition's `keras` record), else
 * this plugin's registered custom object `TfjsActivations>…`, defined by the generated Python module.
 */
import type { AnyDefinition } from '../../definition';
import { definitions } from '../../definitions';
import { resolveDefinitionParams } from '../../engine/op';
import { classNameMap, isPluginClass, pascal } from '../../layers/common';
import { ownValue } from '../../own';
import { toCamelCase, toSnakeCase } from '../../registry';
import { fixedMatch, kerasFunctionOf, kerasParamName, stringParams, type KerasFunctionInfo } from '../functions';
import { exportFieldError, type ExportRef } from './errors';
import { kerasObject, type Json } from './json';
import { PYTHON_MODULE } from '../../engine/generate/keras-python';

/** The package of this plugin's Keras custom objects ("TfjsActivations>Name"). */
export const KERAS_PACKAGE = 'TfjsActivations';

type Params = Readonly<Record<string, number | boolean | null>>;

/** tfjs's own activation names that are functions over an axis, the same in Keras 3. */
const TFJS_AXIS_ACTIVATIONS: Record<string, string> = { linear: 'linear', softmax: 'softmax', logSoftmax: 'log_softmax' };

/** What an activation name in a tfjs layer config computes: one of our definitions at some parameters, or a Keras name. */
type Resolved = { def: AnyDefinition; params: Params } | { keras: string };

/** The Keras class name of a definition's custom layer, and the registered name of its function. */
export const customLayerName = (def: AnyDefinition) => pascal(def.id);
export const customFunctionName = (def: AnyDefinition) => toSnakeCase(def.id);

/** Our parameters under Keras's names (names.keras, else snake_case). */
export function kerasParams(def: AnyDefinition, params: Params, only?: readonly string[]): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(params)) if (!only || only.includes(k)) out[kerasParamName(def, k)] = v;
  return out;
}

function sameParams(def: AnyDefinition, params: Params, target: Params): boolean {
  const all = resolveDefinitionParams(def, target) as Params;
  return Object.keys(all).every((k) => params[k] === all[k]);
}

/** The definition and parameters behind a tfjs activation name ('act.lisht', 'relu', 'leaky_relu', ...). */
function resolve(ref: ExportRef, field: string, name: string): Resolved {
  const map = classNameMap();
  const entry = (map[name] ?? map[toCamelCase(name)]) as [new () => unknown] | undefined;
  if (!entry) throw exportFieldError(ref, field, `unknown activation '${name}'`, name);
  const cls = entry[0];
  if (isPluginClass(cls)) {
    const instance = new cls() as { definition?: AnyDefinition; params?: Params };
    if (instance.definition && instance.params) return { def: instance.definition, params: instance.params };
  }
  const className = (cls as { className?: string }).className ?? name;
  const same = ownValue(TFJS_AXIS_ACTIVATIONS, className);
  if (same) return { keras: same };
  const def = (definitions as readonly AnyDefinition[]).find((d) => d.builtin?.tfjsActivation === className);
  if (def) return { def, params: resolveDefinitionParams(def, {}) as Params };
  if (className === 'gelu_new') {
    throw exportFieldError(ref, field, "tfjs's 'gelu_new' (gelu's tanh approximation) has no Keras 3 string name; " +
      'use a linear layer followed by act.layers.gelu({approximate: true})', name);
  }
  throw exportFieldError(ref, field, `activation '${name}' has no Keras 3 equivalent the export knows`, name);
}

/** The value of an `activation` field in Keras: a string, or this plugin's registered function. */
export interface ActivationField {
  value: string | Json;
  /** The custom object it needs ('TfjsActivations>lisht'), if any. */
  custom?: string;
}

/**
 * A tfjs `activation` (Dense, Conv, recurrent, Activation) in Keras: Keras's string where Keras's
 * function computes the same at those parameters, else this plugin's registered function (which
 * computes the definition at its defaults; only names at the defaults exist in tfjs).
 */
export function activationField(ref: ExportRef, field: string, name: unknown): ActivationField {
  if (name === null || name === undefined) return { value: 'linear' };
  if (typeof name !== 'string') throw exportFieldError(ref, field, 'must be an activation name', name);
  const r = resolve(ref, field, name);
  if ('keras' in r) return { value: r.keras };
  const out = activationValue(r.def, r.params);
  if (!out) {
    throw exportFieldError(ref, field, `activation '${name}' computes ${r.def.id} at ${JSON.stringify(r.params)}, which neither ` +
      `Keras's '${kerasFunctionOf(r.def)?.name ?? r.def.id}' nor this plugin's registered function (its defaults) computes; use a linear layer ` +
      `followed by act.layers.${r.def.id}(${JSON.stringify(r.params)})`, name);
  }
  return out;
}

/** A definition at `params` as an `activation` value: Keras's string, our registered function, or neither (undefined). */
export function activationValue(def: AnyDefinition, params: Params): ActivationField | undefined {
  const f = kerasFunctionOf(def);
  const asString = f && stringParams(f);
  if (f && asString && sameParams(def, params, asString)) return { value: f.name };
  if (!sameParams(def, params, {})) return undefined;
  const registered = `${KERAS_PACKAGE}>${customFunctionName(def)}`;
  return { value: kerasObject('builtins', 'function', registered, 'function'), custom: registered };
}

/** An element-wise activation as one Keras layer or keras.ops node. */
export interface ActivationLayer {
  module: string | null;
  className: string;
  registeredName: string | null;
  /** The layer's own config (name, trainable and dtype are added by the caller). */
  config: Json;
  /** A keras.ops node (Functional models only): no weights, no trainable/dtype fields. */
  op?: boolean;
  custom?: string;
}

/** A definition computed by Keras's Activation layer, its own layer (ReLU, ELU, ...) or a keras.ops node. */
function kerasOwn(f: KerasFunctionInfo, params: Params, functional: boolean): ActivationLayer | undefined {
  const def = f.def;
  if (f.layer && fixedMatch(f, params)) {
    return { module: 'keras.layers', className: f.layer, registeredName: null, config: kerasParams(def, params, Object.keys(f.args)) };
  }
  const asString = stringParams(f);
  if (asString && sameParams(def, params, asString)) {
    return { module: 'keras.layers', className: 'Activation', registeredName: null, config: { activation: f.name } };
  }
  if (functional && fixedMatch(f, params)) {
    // The op class Keras records for keras.ops.<name>(x, ...): keras.src.ops.nn.<PascalName>.
    const className = f.name.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
    return { module: 'keras.src.ops.nn', className, registeredName: className, config: kerasParams(def, params, Object.keys(f.args)), op: true };
  }
  return undefined;
}

/**
 * An element-wise activation layer (this plugin's, or tfjs's ReLU/LeakyReLU/ELU/...): Keras's own
 * where it can say the same, this plugin's custom layer otherwise. `learnable` names our parameters
 * that are weights; `functional` allows keras.ops nodes.
 */
export function activationLayer(def: AnyDefinition, params: Params, learnable: readonly string[], sharedAxes: readonly number[] | null,
  functional: boolean): ActivationLayer {
  const f = kerasFunctionOf(def);
  if (f && learnable.length === 0) {
    const own = kerasOwn(f, params, functional);
    if (own) return own;
  }
  if (f?.learnedBy && learnable.length === 1 && learnable[0] === f.learnedBy.param && Object.keys(def.params).length === 1) {
    const start = params[f.learnedBy.param];
    return {
      module: 'keras.layers', className: f.learnedBy.layer, registeredName: null,
      config: {
        // PReLU's fields (its weight is `alpha`), starting from our parameter's value.
        alpha_initializer: kerasObject('keras.initializers', 'Constant', { value: start }),
        alpha_regularizer: null, alpha_constraint: null, shared_axes: sharedAxes ? [...sharedAxes] : null,
      },
    };
  }
  const className = customLayerName(def);
  const registered = `${KERAS_PACKAGE}>${className}`;
  return {
    module: PYTHON_MODULE, className, registeredName: registered, custom: registered,
    config: { ...kerasParams(def, params), learnable: learnable.map((p) => kerasParamName(def, p)), shared_axes: sharedAxes ? [...sharedAxes] : null },
  };
}
