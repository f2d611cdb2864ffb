/**
 * String names for `activation:` of any tfjs layer (dense, conv, recurrent, activation).
 *
 * tfjs looks activation strings up in its serialization class map, saves them in snake_case and
 * loads them in camelCase. For every activation we register:
 *   - 'act.<id>' (always ours; what act.name(id) returns; survives the snake/camel round trip),
 *   - its id, snake_case id and Keras 3 names with their camelCase forms,
 * except names tfjs already owns ('relu', 'mish', 'gelu', its Keras-2 'hardSigmoid', ...): those
 * keep tfjs's meaning unless the user opts in with useOurActivationsFor().
 * We also register 'geluNew' so that models using tfjs's own 'gelu_new' load again.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** tfjs's closed union of activation names, from its public Dense arguments (no deep import). */
type ActivationIdentifier = NonNullable<Parameters<typeof tfl.layers.dense>[0]['activation']>;
import type { AnyDefinition } from '../definition';
import { definitions } from '../definitions';
import { applyResolved, resolveDefinitionParams } from '../engine/op';
import { get, toCamelCase, toSnakeCase, type ActivationId } from '../registry';
import { classNameMap, isPluginClass, registerPluginClass } from './common';
import { markOurs } from '../engine/claim';

/** Activation names tfjs-layers 4.x registers itself. */
export const TFJS_ACTIVATION_NAMES = [
  'elu', 'selu', 'relu', 'relu6', 'linear', 'sigmoid', 'hardSigmoid', 'softplus', 'softsign', 'tanh',
  'softmax', 'logSoftmax', 'gelu', 'gelu_new', 'mish', 'swish',
] as const;

/** Prefix of the names that always mean our implementation. */
export const NAME_PREFIX = 'act.';

/** An activation usable in tfjs's `activation:`, computing `def` at `params`. */
function activationClass(className: string, def: AnyDefinition, params: object) {
  class PluginActivation extends tfc.serialization.Serializable {
    static className = className;
    readonly definition = def;
    apply(x: tfc.Tensor): tfc.Tensor {
      return applyResolved(def, x, params);
    }
    getConfig(): tfc.serialization.ConfigDict {
      return {};
    }
  }
  return PluginActivation;
}

function defaultsOf(def: AnyDefinition): object {
  return resolveDefinitionParams(def, {});
}

/** The names registered for a definition (excluding tfjs-owned ones). */
export function activationNamesOf(def: AnyDefinition): string[] {
  const names = new Set<string>([`${NAME_PREFIX}${def.id}`, def.id, toSnakeCase(def.id)]);
  for (const alias of def.aliases.keras ?? []) {
    names.add(alias);
    names.add(toCamelCase(alias));
  }
  // A name whose camelCase form tfjs owns would change meaning after a save/load round trip
  // ('hard_sigmoid' loads back as tfjs's Keras-2 'hardSigmoid'), so it is left out too.
  return [...names].filter((n) => !isTfjsOwned(n) && !isTfjsOwned(toCamelCase(n)));
}

function isTfjsOwned(n: string): boolean {
  return (TFJS_ACTIVATION_NAMES as readonly string[]).includes(n);
}

/** Registers every activation name (idempotent; throws if a non-tfjs library holds one of ours). */
export function registerActivationNames(): void {
  for (const def of definitions as readonly AnyDefinition[]) {
    const params = defaultsOf(def);
    for (const name of activationNamesOf(def)) registerPluginClass(activationClass(name, def, params) as never);
  }
  // tfjs saves its own 'gelu_new' as 'gelu_new' and loads it as 'geluNew', which it never registered.
  registerPluginClass(activationClass('geluNew', get('gelu'), { approximate: true }) as never);
}

/**
 * The string to put in `activation:` for our implementation of an activation, typed for tfjs.
 * `tf.layers.dense({units: 8, activation: act.name('hardSwish')})`. Parameters stay at their
 * defaults: tfjs keeps only the name (use the layer to keep parameters).
 */
export function name(id: ActivationId): ActivationIdentifier {
  get(id);
  return `${NAME_PREFIX}${id}` as unknown as ActivationIdentifier;
}

/**
 * Opt-in: make tfjs's own activation names compute our implementation (e.g. 'mish' with exact
 * gradients, or 'hardSigmoid' with Keras 3's x/6 + 1/2 instead of tfjs's Keras-2 0.2x + 0.5).
 * This changes what existing models using those names compute; it is never done implicitly.
 */
export function useOurActivationsFor(ids: ActivationId[]): void {
  for (const id of ids) {
    const def = get(id);
    const names = [...new Set([def.id, ...(def.aliases.keras ?? []), ...(def.aliases.keras ?? []).map(toCamelCase)])];
    const owned = names.filter(isTfjsOwned);
    if (owned.length === 0) {
      throw new Error(`useOurActivationsFor: tfjs has no activation named like '${id}'; act.name('${id}') already selects ours.`);
    }
    const params = defaultsOf(def);
    for (const n of owned) {
      const cls = activationClass(n, def, params);
      tfc.serialization.registerClass(markOurs(cls));  // deliberate, documented replacement
    }
    // Names held back only because their camelCase form was tfjs's ('hard_sigmoid') are now safe.
    for (const n of names.filter((m) => !isTfjsOwned(m) && isTfjsOwned(toCamelCase(m)))) {
      registerPluginClass(activationClass(n, def, params) as never);
    }
  }
}

/** True if `name` currently resolves to one of our activations. */
export function isOurActivationName(n: string): boolean {
  const entry = classNameMap()[n] as [Record<string, unknown>] | undefined;
  return !!entry && isPluginClass(entry[0]);
}
