/**
 * This plugin's own Keras custom objects (`TfjsActivations>…`, what act.keras.saveModel writes and
 * the generated Python module registers) back into tfjs: the element-wise layers (parameters under
 * Keras's names, learnable ones, shared axes), the structured layers, and the registered functions
 * in `activation=` fields. A Keras model that was exported from tfjs, trained in Keras and saved
 * again imports with these.
 */
import type { AnyDefinition } from '../definition';
import { definitions } from '../definitions';
import { LAYER_PREFIX, pascal } from '../layers/common';
import { NAME_PREFIX } from '../layers/names';
import { toSnakeCase } from '../registry';
import { fieldError, type LayerRef } from './errors';
import { isObject, type Fields, type Json } from './fields';
import { kerasParamName } from './functions';

/** The package of this plugin's registered Keras objects. */
export const KERAS_PACKAGE = 'TfjsActivations';

/** The tfjs layers of one Keras layer (as layers.ts's translators return them). */
interface Chain {
  layers: Array<{ class_name: string; config: Json }>;
}

type Translator = (f: Fields) => Chain;

function elementwise(def: AnyDefinition): Translator {
  return (f) => {
    const config: Json = {};
    for (const name of Object.keys(def.params)) {
      const v = f.take<unknown>(kerasParamName(def, name));
      if (v !== undefined) config[toSnakeCase(name)] = v;
    }
    const byKeras = new Map(Object.keys(def.params).map((p) => [kerasParamName(def, p), p]));
    const learnable = f.take<unknown>('learnable', []);
    if (!Array.isArray(learnable) || !learnable.every((k) => typeof k === 'string' && byKeras.has(k))) {
      throw fieldError(f.ref, 'learnable', `must list parameters of ${def.id} by their Keras names (${[...byKeras.keys()].join(', ')})`, learnable);
    }
    config.learnable = (learnable as string[]).map((k) => byKeras.get(k));
    config.shared_axes = f.take('shared_axes', null);
    inherited(f);
    // The layer checks the values (ranges, types) as it is built, naming the parameter.
    return { layers: [{ class_name: `${LAYER_PREFIX}${pascal(def.id)}`, config }] };
  };
}

/** Fields Keras's Layer.get_config may add; they change nothing here. */
function inherited(f: Fields): void {
  f.ignore('autocast');
  f.regularizers('activity_regularizer');
}

const axisLayer = (className: string): Translator => (f) => {
  inherited(f);
  return { layers: [{ class_name: `${LAYER_PREFIX}${className}`, config: { axis: f.take('axis', -1) } }] };
};

const STRUCTURED: Record<string, Translator> = {
  GLU: axisLayer('GLU'),
  Softmin: axisLayer('Softmin'),
  Sparsemax: axisLayer('Sparsemax'),
  Maxout: (f) => {
    inherited(f);
    return {
      layers: [{
        class_name: `${LAYER_PREFIX}Maxout`,
        config: {
          units: f.take('units'), pieces: f.take('pieces', null), axis: f.take('axis', -1), use_bias: f.take('use_bias', true),
          kernel_initializer: f.take('kernel_initializer', 'glorotUniform'), bias_initializer: f.take('bias_initializer', 'zeros'),
        },
      }],
    };
  },
  RReLU: (f) => {
    inherited(f);
    return { layers: [{ class_name: `${LAYER_PREFIX}RReLU`, config: { lower: f.take('lower', 1 / 8), upper: f.take('upper', 1 / 3), seed: f.take('seed', null) } }] };
  },
};

let translators: Map<string, Translator> | undefined;

/** The translator of one of this plugin's registered layers ('TfjsActivations>Snake'), if it is one. */
export function customLayerTranslator(registeredName: unknown): Translator | undefined {
  if (typeof registeredName !== 'string' || !registeredName.startsWith(`${KERAS_PACKAGE}>`)) return undefined;
  translators ??= new Map([
    ...(definitions as readonly AnyDefinition[]).map((d): [string, Translator] => [pascal(d.id), elementwise(d)]),
    ...Object.entries(STRUCTURED),
  ]);
  return translators.get(registeredName.slice(KERAS_PACKAGE.length + 1));
}

/**
 * This plugin's activation name ('act.lisht') for a registered function in an `activation` field
 * ({class_name: 'function', config: 'TfjsActivations>lisht'}), or undefined if it is not one.
 */
export function customActivationName(ref: LayerRef, field: string, value: unknown): string | undefined {
  if (!isObject(value) || value.class_name !== 'function' || typeof value.config !== 'string') return undefined;
  const name = value.config;
  if (!name.startsWith(`${KERAS_PACKAGE}>`)) return undefined;
  const fn = name.slice(KERAS_PACKAGE.length + 1);
  const def = (definitions as readonly AnyDefinition[]).find((d) => toSnakeCase(d.id) === fn);
  if (!def) throw fieldError(ref, field, `'${name}' is not a function of this version of tfjs-activations`, value);
  return toSnakeCase(`${NAME_PREFIX}${def.id}`);
}
