/**
 * Keras 3's activation functions as the registry describes them (each definition's `keras` record, or
 * its first Keras alias): their names, the arguments they take and what they compute with otherwise.
 * Shared by the import (what a Keras string computes) and the export (what Keras can express).
 */
import type { AnyDefinition } from '../definition';
import { definitions } from '../definitions';
import { hasOwn } from '../own';
import type { ParamSpec } from '../params';
import { toSnakeCase } from '../registry';

type Value = number | boolean | null;

export interface KerasFunctionInfo {
  def: AnyDefinition;
  /** keras.activations.<name>; its op class is keras.src.ops.nn.<Pascal(name)>. */
  name: string;
  /** Our parameter -> Keras's default for the arguments Keras takes (null: required). */
  args: Readonly<Record<string, Value>>;
  /** Our parameter -> the value Keras computes with, for the ones it does not take. */
  fixed: Readonly<Record<string, Value>>;
  layer?: string;
  learnedBy?: { layer: string; param: string };
}

/** Keras 3's function for a definition, if Keras has one with the same semantics. */
export function kerasFunctionOf(def: AnyDefinition): KerasFunctionInfo | undefined {
  const k = def.keras;
  if (k) return { def, name: k.name, args: defined(k.args), fixed: defined(k.fixed), layer: k.layer, learnedBy: k.learnedBy };
  const alias = def.aliases.keras?.[0];
  return alias === undefined ? undefined : { def, name: alias, args: {}, fixed: {} };
}

const defined = (o: Readonly<Record<string, Value | undefined>> | undefined): Record<string, Value> =>
  Object.fromEntries(Object.entries(o ?? {}).filter((e): e is [string, Value] => e[1] !== undefined));

/** Every definition's Keras function, in catalogue order. */
export function kerasFunctions(): KerasFunctionInfo[] {
  return (definitions as readonly AnyDefinition[]).map(kerasFunctionOf).filter((f): f is KerasFunctionInfo => f !== undefined);
}

/** Keras's name of one of our parameters (its `names.keras`, else snake_case). */
export function kerasParamName(def: AnyDefinition, param: string): string {
  return (def.params as Record<string, ParamSpec>)[param]?.names?.keras ?? toSnakeCase(param);
}

/**
 * What the function computes with when called without arguments (its string form): our parameter ->
 * value. Undefined when an argument is required (Keras cannot use it as a string).
 */
export function stringParams(f: KerasFunctionInfo): Record<string, Value> | undefined {
  const specs = f.def.params as Record<string, { nullable?: boolean }>;
  // A null default is "none" for a nullable parameter (relu's max_value), else a required argument.
  if (Object.entries(f.args).some(([k, v]) => v === null && specs[k]?.nullable !== true)) return undefined;
  return { ...f.args, ...f.fixed };
}

/** True if `params` (all of a definition's) are what the Keras function computes with for the fixed ones. */
export function fixedMatch(f: KerasFunctionInfo, params: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(f.fixed).every(([k, v]) => hasOwn(params, k) && params[k] === v);
}
