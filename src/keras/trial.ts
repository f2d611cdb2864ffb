/**
 * Building the tfjs model without letting the config allocate what the file does not hold.
 *
 * tfjs allocates (and randomly initialises) every weight while it builds a model, so a config saying
 * Dense(units=1e9) costs gigabytes before any check could see it. The import therefore builds the
 * model twice. The trial build gives every tfjs layer an initializer that compares its weight's
 * shape with the variable model.weights.h5 holds for it and then creates an empty tensor (our own
 * layers claim in their build()); the first weight that does not match fails the import at once.
 * Only then is the model built for real, with exactly what the file holds.
 *
 * A tfjs build that fails half-way leaves the variables of the layers it had built registered with
 * the engine and unreachable; they are disposed here (through the engine's variable registry, in the
 * tfjs adapter). tfjs's messages rarely name the layer, so a failed build is bisected to find it.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { LAYER_PREFIX, registerPluginClass, weightClaimActive, withWeightClaim, claimWeight } from '../layers/common';
import { fieldError, KerasImportError, layerError, modelError } from './errors';
import { toCamelCase } from '../registry';
import { ownValue } from '../own';
import type { KerasVariable } from './archive';
import type { TranslatedModel } from './graph';
import { disposeVariablesRegisteredSince, registeredVariableNames } from '../engine/tfjs-adapter';

/** The initializer arguments of tfjs's layers (snake_case, as in a topology). */
const INITIALIZER_KEYS = [
  'kernel_initializer', 'bias_initializer', 'recurrent_initializer', 'embeddings_initializer', 'gamma_initializer',
  'beta_initializer', 'moving_mean_initializer', 'moving_variance_initializer', 'alpha_initializer',
  'depthwise_initializer', 'pointwise_initializer',
];

/** The layers of the topology being tried (the trial config names them by index: tfjs camelCases strings). */
let trialLayers: string[] = [];

/** The trial build's initializer: claims the shape, returns an empty tensor of the same rank. */
export class TrialInitializer extends tfc.serialization.Serializable {
  static className = `${LAYER_PREFIX}KerasImportTrial`;
  constructor(readonly args: { layer: number; weight: number }) {
    super();
  }
  apply(shape: number[], dtype?: tfc.DataType): tfc.Tensor {
    if (!weightClaimActive()) throw new Error('tfjs-activations: the Keras import trial initializer ran outside a trial build.');
    claimWeight(trialLayers[this.args.layer], INITIALIZER_KEYS[this.args.weight].slice(0, -'_initializer'.length), shape);
    return tfc.zeros(shape.map(() => 0), dtype);
  }
  override getConfig(): tfc.serialization.ConfigDict {
    return { ...this.args };
  }
}

/** The Keras layer (and, where it can be told, the field) a tfjs error is about. */
async function wrap(e: unknown, translated: TranslatedModel, weights: Map<string, KerasVariable[]>): Promise<KerasImportError> {
  if (e instanceof KerasImportError) return e;
  const message = (e as Error)?.message ?? String(e);
  const name = await failingLayer(translated, weights);
  const owner = name === undefined ? undefined : translated.owners.get(name);
  if (!owner || name === undefined) return modelError(`tfjs could not build the model: ${message}`);
  // The field, when tfjs names its argument (camelCase) in the message.
  const config = (translated.topology.config as { layers: Array<{ config: Record<string, unknown> }> }).layers
    .find((l) => l.config.name === name)?.config ?? {};
  const field = Object.keys(config).find((k) => k !== 'name' && new RegExp(`\\b(${k}|${toCamelCase(k)})\\b`).test(message));
  return field ? fieldError(owner, field, `tfjs refuses it: ${message}`) : layerError(owner, `tfjs could not build this layer: ${message}`);
}

type TopologyLayer = { class_name: string; name?: string; config: Record<string, unknown>; inbound_nodes?: unknown[][] };

/** The model made of the first `steps` builds (layer calls) of the translated one, outputs at every built layer. */
function prefix(translated: TranslatedModel, steps: number): TranslatedModel {
  const topology = JSON.parse(JSON.stringify(translated.topology));
  const layers = topology.config.layers as TopologyLayer[];
  if (!translated.buildOrder) {
    topology.config.layers = layers.slice(0, steps);
    return { ...translated, topology };
  }
  const calls = new Map<string, number>();
  for (const [name] of translated.buildOrder.slice(0, steps)) calls.set(name, (calls.get(name) ?? 0) + 1);
  const kept = layers.filter((l) => l.class_name === 'InputLayer' || calls.has(String(l.name)));
  for (const l of kept) if (l.class_name !== 'InputLayer') l.inbound_nodes = (l.inbound_nodes ?? []).slice(0, calls.get(String(l.name)));
  topology.config.layers = kept;
  topology.config.output_layers = [...calls].map(([name, n]) => [name, n - 1, 0]);
  return { ...translated, topology };
}

/**
 * The tfjs layer whose build fails, found by trial-building ever longer prefixes of the model (in
 * the order tfjs builds it; binary search, empty weights): tfjs's messages rarely name the layer.
 * The prefixes claim their weights too, so that our own layers (which allocate in build()) never
 * create more than the file holds here either.
 */
async function failingLayer(translated: TranslatedModel, weights: Map<string, KerasVariable[]>): Promise<string | undefined> {
  const steps = translated.buildOrder ?? (translated.topology.config as { layers: TopologyLayer[] }).layers.map((l, i): [string, number] => [String(l.config.name), i]);
  const fails = async (n: number) => {
    const before = registeredVariableNames();
    try {
      const model = await withWeightClaim(weightClaim(weights), () => tfl.models.modelFromJSON(trialTopology(prefix(translated, n))));
      model.dispose();
      return false;
    } catch {
      return true;
    } finally {
      disposeVariablesRegisteredSince(before);
    }
  };
  let lo = 0;
  let hi = steps.length;
  if (!(await fails(hi))) return undefined;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (await fails(mid)) hi = mid;
    else lo = mid;
  }
  return steps[hi - 1][0];
}

/** The translated topology with trial initializers on every tfjs layer (ours claim by themselves). */
function trialTopology(translated: TranslatedModel): tfc.io.ModelJSON {
  const topology = JSON.parse(JSON.stringify(translated.topology));
  const layers = topology.config.layers as Array<{ class_name: string; config: Record<string, unknown> }>;
  trialLayers = layers.map((l) => String(l.config.name));
  const trial = (layer: { class_name: string; config: Record<string, unknown> }, i: number) => {
    if (layer.class_name === 'InputLayer' || layer.class_name.startsWith(LAYER_PREFIX)) return;
    // A wrapper's weights are its wrapped layer's (Bidirectional builds it twice, in Keras's order).
    const inner = layer.config.layer as { class_name: string; config: Record<string, unknown> } | undefined;
    if (inner && typeof inner === 'object' && typeof inner.class_name === 'string') {
      trial(inner, i);
      return;
    }
    INITIALIZER_KEYS.forEach((key, k) => {
      // tfjs's SeparableConv2D refuses a kernel initializer (it has depthwise and pointwise ones).
      if (layer.class_name === 'SeparableConv2D' && key === 'kernel_initializer') return;
      layer.config[key] = { class_name: TrialInitializer.className, config: { layer: i, weight: k } };
    });
  };
  layers.forEach((layer, i) => trial(layer, i));
  return { modelTopology: topology } as unknown as tfc.io.ModelJSON;
}

/** tfjs weight names of the initializer keys that differ from them. */
const WEIGHT_NAMES: Record<string, string> = { recurrent: 'recurrent_kernel', depthwise: 'depthwise_kernel', pointwise: 'pointwise_kernel' };

/** A claim that checks each weight, in order per layer, against the variables the file holds for its layer. */
function weightClaim(weights: Map<string, KerasVariable[]>): (layer: string, key: string, shape: number[]) => void {
  const counts = new Map<string, number>();
  return (layer, key, shape) => {
    const weight = `${layer}/${ownValue(WEIGHT_NAMES, key) ?? key}`;
    const vars = weights.get(layer) ?? [];
    const i = counts.get(layer) ?? 0;
    counts.set(layer, i + 1);
    if (vars.length === 0) throw new KerasImportError(`Keras import: layer '${layer}' has weights, but model.weights.h5 has no variables for it.`, layer);
    if (i >= vars.length) {
      throw new KerasImportError(`Keras import: layer '${layer}' has more weights in tfjs (${weight} of shape [${shape}] is number ${i + 1}) ` +
        `than the ${vars.length} variables model.weights.h5 holds for it (${vars.map((v) => v.path).join(', ')}).`, layer);
    }
    if (shape.length !== vars[i].shape.length || shape.some((d, k) => d !== vars[i].shape[k])) {
      throw new KerasImportError(`Keras import: layer '${layer}': weight ${weight} has shape [${shape}] in tfjs but ` +
        `${vars[i].path} has shape [${vars[i].shape}].`, layer);
    }
  };
}

/**
 * The tfjs model of a translated config, built only after a trial build has shown that every weight
 * its layers create has the shape of the variable model.weights.h5 holds for it (in order, as
 * assignWeights puts them), then given to `finish` (which loads the weights). Nothing stays
 * allocated if any of it fails.
 */
export async function buildModel(
  translated: TranslatedModel,
  weights: Map<string, KerasVariable[]>,
  finish: (model: tfl.LayersModel) => void,
): Promise<tfl.LayersModel> {
  registerPluginClass(TrialInitializer as never);
  const before = registeredVariableNames();
  let model: tfl.LayersModel;
  try {
    // modelFromJSON builds every layer synchronously, before its first await.
    const pending = withWeightClaim(weightClaim(weights), () => tfl.models.modelFromJSON(trialTopology(translated)));
    (await pending).dispose();
    // tfjs's dispose() keeps the weights of a layer called more than once (its count is per call).
    disposeVariablesRegisteredSince(before);
    model = await tfl.models.modelFromJSON({ modelTopology: translated.topology } as unknown as tfc.io.ModelJSON);
  } catch (e) {
    disposeVariablesRegisteredSince(before);
    throw await wrap(e, translated, weights);
  }
  try {
    finish(model);
    return model;
  } catch (e) {
    // Not a build error: nothing to bisect (load.ts turns a non-import error into one).
    model.dispose();
    disposeVariablesRegisteredSince(before);
    throw e;
  }
}
