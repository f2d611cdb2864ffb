/**
 * Keras 3 activation names -> this plugin. Every Keras activation maps to our implementation
 * ('act.<id>'), never to tfjs's built-in of the same name (tfjs's 'hardSigmoid' is Keras 2's
 * 0.2x + 0.5; Keras 3's is x/6 + 1/2). 'linear', 'softmax' and 'log_softmax' stay tfjs's (the same
 * functions on the last axis); 'glu' and 'sparsemax' change the shape or need the whole axis, so
 * they become our GLU / Sparsemax layers.
 */
import type { AnyDefinition } from '../definition';
import { definitions } from '../definitions';
import { hasOwn, ownValue } from '../own';
import { resolveDefinitionParams } from '../engine/op';
import { LAYER_PREFIX, pascal } from '../layers/common';
import { NAME_PREFIX } from '../layers/names';
import { toSnakeCase } from '../registry';
import { fieldError, type LayerRef } from './errors';
import type { ImportLimits } from './limits';
import { kerasFunctions, stringParams } from './functions';
import { customActivationName } from './custom';

/**
 * What a Keras activation *string* computes: Keras 3's function defaults (keras.activations.*), from
 * each definition's `keras` record. Compared with our definitions' defaults at import: a mismatch
 * becomes an explicit layer with these parameters (or an error where no layer can be inserted), never
 * a silently different model.
 */
export const KERAS_STRING_DEFAULTS: Readonly<Record<string, Readonly<Record<string, number | boolean | null>>>> = Object.fromEntries(
  kerasFunctions().flatMap((f) => {
    const p = stringParams(f);
    return p && Object.keys(p).length > 0 ? [[f.def.id, p]] : [];
  }),
);

/** Keras names that keep tfjs's built-in (same function, last axis). */
const TFJS_SAME: Record<string, string> = { linear: 'linear', softmax: 'softmax', log_softmax: 'log_softmax' };

/** Keras names computed by one of our structured layers (axis -1). */
const STRUCTURED: Record<string, string> = { glu: 'GLU', sparsemax: 'Sparsemax' };

/** Choices the import cannot make on its own. */
export interface ImportOptions {
  /**
   * Keras 3's 'sparsemax' (3.15.1 and, as far as we know, earlier 3.x) does not compute sparsemax: its
   * threshold adds the cumulative sums over the whole support instead of taking the one at k, so
   * with two or more entries in the support the output no longer sums to 1 (often all zeros).
   * 'refuse' (default): loading fails, naming the layer. 'exact': import it as true sparsemax,
   * knowing the model then computes something different from what Keras computed.
   */
  sparsemax?: 'refuse' | 'exact';
  /** Budgets on what the file may make the import read, inflate and allocate (see limits.ts). */
  limits?: Partial<ImportLimits>;
}

export type ActivationTranslation =
  /** A string for tfjs's `activation:` (in tfjs's saved, snake_case form). */
  | { kind: 'name'; name: string }
  /** A layer to put after the layer (or instead of an Activation layer). */
  | { kind: 'layer'; className: string; config: Record<string, unknown> };

function kerasIndex(): Map<string, AnyDefinition> {
  const m = new Map<string, AnyDefinition>();
  for (const def of definitions as readonly AnyDefinition[]) for (const a of def.aliases.keras ?? []) m.set(a, def);
  return m;
}
let index: Map<string, AnyDefinition> | undefined;

/** Every Keras activation string the import understands. */
export function kerasActivationNames(): string[] {
  index ??= kerasIndex();
  return [...Object.keys(TFJS_SAME), ...Object.keys(STRUCTURED), ...index.keys()].sort();
}

/** Our params for a Keras activation string where they differ from our defaults (else null). */
function paramsIfDifferent(def: AnyDefinition): Record<string, unknown> | null {
  const keras = ownValue(KERAS_STRING_DEFAULTS, def.id) ?? {};
  const ours = resolveDefinitionParams(def, {}) as Record<string, unknown>;
  const differs = Object.keys(ours).some((k) => hasOwn(keras, k) && ours[k] !== keras[k]);
  return differs ? { ...ours, ...keras } : null;
}

/** Pythonic (snake_case) config of our element-wise layer for a definition. */
export function elementwiseLayer(def: AnyDefinition, params: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const config: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) config[toSnakeCase(k)] = v;
  return { className: `${LAYER_PREFIX}${pascal(def.id)}`, config: { ...config, learnable: [], shared_axes: null, ...extra } };
}

/**
 * Translates the value of an activation field. `canInsertLayer` is false where tfjs needs a plain
 * function (recurrent layers' activation / recurrent_activation).
 */
export function translateActivation(
  layer: LayerRef,
  field: string,
  value: unknown,
  canInsertLayer: boolean,
  options: ImportOptions = {},
): ActivationTranslation {
  if (value === null || value === undefined) return { kind: 'name', name: 'linear' };
  const ours = customActivationName(layer, field, value);
  if (ours) return { kind: 'name', name: ours };
  if (typeof value !== 'string') {
    const custom = (value as Record<string, unknown>)?.config ?? (value as Record<string, unknown>)?.class_name;
    throw fieldError(layer, field, `unknown activation ${JSON.stringify(custom)} (a custom Python object); only Keras 3's ` +
      'built-in activations can be imported', value);
  }
  index ??= kerasIndex();
  const same = ownValue(TFJS_SAME, value);
  if (same) return { kind: 'name', name: same };
  const needsLayer = (why: string) => {
    if (!canInsertLayer) throw fieldError(layer, field, `activation '${value}' ${why}, which this layer type cannot hold`, value);
  };
  if (value === 'sparsemax' && (options.sparsemax ?? 'refuse') !== 'exact') {
    throw fieldError(layer, field, "Keras 3's sparsemax is not sparsemax (its threshold sums the cumulative sums over the " +
      'whole support, e.g. [0.5, 1, -0.2, 0.9, 0.95] -> all zeros), so no exact import exists; pass ' +
      "{sparsemax: 'exact'} to import it as true sparsemax (a different model)", value);
  }
  const structured = ownValue(STRUCTURED, value);
  if (structured) {
    needsLayer('is a layer in tfjs (it needs the whole last axis)');
    return { kind: 'layer', className: `${LAYER_PREFIX}${structured}`, config: { axis: -1 } };
  }
  const def = index.get(value);
  if (!def) {
    throw fieldError(layer, field, `unknown activation '${value}'. Known: ${kerasActivationNames().join(', ')}`, value);
  }
  const params = paramsIfDifferent(def);
  if (params) {
    needsLayer(`needs parameters that differ from this plugin's defaults (${JSON.stringify(params)})`);
    return { kind: 'layer', ...elementwiseLayer(def, params) };
  }
  return { kind: 'name', name: toSnakeCase(`${NAME_PREFIX}${def.id}`) };
}

/**
 * Our definition for a Keras activation name: a string name, or the name of a Keras function that
 * takes required arguments (threshold), as its keras.ops node records it.
 */
export function definitionFor(kerasName: string): AnyDefinition | undefined {
  index ??= kerasIndex();
  return index.get(kerasName) ?? kerasFunctions().find((f) => f.name === kerasName)?.def;
}
