/**
 * Look-ups over the definitions: by id or by any alias (Keras, PyTorch, tfjs, snake_case, camelCase),
 * with "did you mean" suggestions for unknown names.
 */
import type { AnyDefinition } from './definition';
import { definitions } from './definitions';
import { nearest } from './params';

/** The union of every activation id. */
export type ActivationId = (typeof definitions)[number]['id'];

/** The definition with a given id. */
export type DefinitionOf<Id extends ActivationId> = Extract<(typeof definitions)[number], { id: Id }>;

/** lowerCamelCase -> snake_case, as tfjs does when it saves ('leakyRelu' -> 'leaky_relu'). */
export function toSnakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/** snake_case -> lowerCamelCase, as tfjs does when it loads ('leaky_relu' -> 'leakyRelu'). */
export function toCamelCase(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Every name that finds a definition: id, its snake_case, and all aliases (and their camelCase). */
export function namesOf(def: AnyDefinition): string[] {
  const names = new Set<string>([def.id, toSnakeCase(def.id)]);
  for (const list of [def.aliases.keras, def.aliases.torch, def.aliases.tfjs]) {
    for (const alias of list ?? []) {
      names.add(alias);
      names.add(toCamelCase(alias));
    }
  }
  return [...names];
}

const byName = new Map<string, AnyDefinition>();
for (const def of definitions as readonly AnyDefinition[]) {
  for (const name of namesOf(def)) {
    const other = byName.get(name);
    if (other && other !== def) {
      throw new Error(`tfjs-activations: name '${name}' is claimed by both '${other.id}' and '${def.id}'.`);
    }
    byName.set(name, def);
  }
}

/** Ids of every element-wise activation, in catalogue order. */
export function list(): ActivationId[] {
  return definitions.map((d) => d.id);
}

/** Every definition, in catalogue order. */
export function all(): readonly AnyDefinition[] {
  return definitions as readonly AnyDefinition[];
}

/** True if `name` is an id or alias of an activation. */
export function has(name: string): boolean {
  return byName.has(name);
}

/** The definition Keras 3's layer `className` computes (its `keras.layer`, or the layer that learns a parameter of it). */
export function definitionOfKerasLayer(className: string): AnyDefinition {
  const def = (definitions as readonly AnyDefinition[]).find((d) => d.keras?.layer === className || d.keras?.learnedBy?.layer === className);
  if (!def) throw new Error(`tfjs-activations: no definition computes Keras's ${className} layer`);
  return def;
}

/** The definition tfjs-layers' layer class `className` computes (its `tfjsLayer`). */
export function definitionOfTfjsLayer(className: string): AnyDefinition {
  const def = (definitions as readonly AnyDefinition[]).find((d) => d.tfjsLayer === className);
  if (!def) throw new Error(`tfjs-activations: no definition computes tfjs's ${className} layer`);
  return def;
}

/**
 * The definition for an id or any alias ('leaky_relu', 'LeakyReLU', 'silu', ...).
 * Throws with the nearest ids if the name is unknown.
 */
export function get<Id extends ActivationId>(name: Id): DefinitionOf<Id>;
export function get(name: string): AnyDefinition;
export function get(name: string): AnyDefinition {
  if (typeof name !== 'string') {
    throw new Error(`tfjs-activations: an activation name must be a string. Received: ${String(name)}`);
  }
  const def = byName.get(name) ?? byName.get(toCamelCase(name));
  if (def) return def;
  const suggestions = nearest(name, byName.keys(), 3)
    .map((n) => byName.get(n)!.id)
    .filter((v, i, a) => a.indexOf(v) === i);
  throw new Error(
    `tfjs-activations: unknown activation '${name}'. Did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}? ` +
      `Known ids: ${list().join(', ')}.`,
  );
}
