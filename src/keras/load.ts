/**
 * act.keras.loadModel(): a Keras 3 `.keras` file -> a tfjs LayersModel computing what Keras computed,
 * and convert(): the same model written as a standard tfjs layers model (model.json + weights.bin).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { register } from '../register';
import { flatten, readKerasArchive, type KerasArchive, type KerasVariable, type WeightGroup } from './archive';
import { modelError, KerasImportError } from './errors';
import type { ImportOptions } from './activations';
import { translateConfig, type TranslatedModel, type WeightSource } from './graph';
import { buildModel } from './trial';
import { canReadLocalFiles, readLocalFile, writeLocalFiles } from './local-files';

/** Where a .keras file comes from: its bytes, a URL (http(s):// or file://), or a file path (Node). */
export type KerasSource = Uint8Array | ArrayBuffer | URL | string;

async function readFile(path: string | URL): Promise<Uint8Array> {
  try {
    return await readLocalFile(path);
  } catch (e) {
    throw modelError(`cannot read '${String(path)}': ${(e as Error).message}`);
  }
}

/** The bytes of a source. */
export async function readSource(source: KerasSource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (source instanceof URL) return source.protocol === 'file:' ? readFile(source) : fetchBytes(source.href);
  if (typeof source !== 'string') throw modelError('loadModel expects a Uint8Array, an ArrayBuffer, a URL or a string.');
  // tfjs's convention: 'file://' + a path (relative or absolute).
  if (source.startsWith('file://')) return readFile(source.slice('file://'.length));
  if (/^https?:\/\//.test(source) || !canReadLocalFiles) return fetchBytes(source);
  return readFile(source);
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw modelError(`cannot fetch '${url}': ${(e as Error).message}`);
  }
  if (!response.ok) throw modelError(`cannot fetch '${url}': HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

function sameShape(a: readonly (number | null)[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The saved object of a layer: by name at the top, then by name inside each nested model's `layers`. */
function groupAt(groups: Map<string, WeightGroup>, path: string[]): WeightGroup | undefined {
  let g = groups.get(path[0]);
  for (const name of path.slice(1)) {
    const inner = g?.children.get('layers');
    g = inner ? [...inner.children.values()].find((c) => c.name === name) : undefined;
  }
  return g;
}

/** A layer's variables in the order its tfjs layer takes them. */
function variablesFor(group: WeightGroup, source: WeightSource): KerasVariable[] {
  if (!source.parts) return flatten(group);
  return source.parts.flatMap((p) => {
    if (p === '') return group.vars;
    const child = group.children.get(p);
    return child ? flatten(child) : [];
  });
}

/** tfjs layer name -> the Keras variables it takes, in order (what the trial build and assignWeights check). */
function layerVariables(translated: TranslatedModel, groups: Map<string, WeightGroup>): Map<string, KerasVariable[]> {
  const out = new Map<string, KerasVariable[]>();
  for (const l of (translated.topology.config as { layers: Array<{ config: Record<string, unknown> }> }).layers) {
    const name = String(l.config.name);
    const source = translated.weightSources.get(name) ?? { path: [name] };
    const group = groupAt(groups, source.path);
    if (group) out.set(name, variablesFor(group, source));
  }
  return out;
}

/** Puts Keras's variables into the tfjs layers they belong to (checking counts and shapes). */
function assignWeights(model: tfl.LayersModel, layerVars: Map<string, KerasVariable[]>, groups: Map<string, WeightGroup>, sources: Map<string, WeightSource>): void {
  const seen = new Set<string>();
  for (const layer of model.layers) {
    const expected = layer.weights;
    const source = sources.get(layer.name) ?? { path: [layer.name] };
    if (groups.has(source.path[0]) && layerVars.has(layer.name)) seen.add(source.path[0]);
    if (expected.length === 0) continue;
    const vars = layerVars.get(layer.name) ?? [];
    if (vars.length === 0) {
      throw new KerasImportError(`Keras import: layer '${layer.name}' has weights, but model.weights.h5 has no variables for it.`, layer.name);
    }
    if (vars.length !== expected.length) {
      throw new KerasImportError(`Keras import: layer '${layer.name}' has ${expected.length} weights in tfjs ` +
        `(${expected.map((w) => w.name).join(', ')}) but ${vars.length} variables in model.weights.h5 ` +
        `(${vars.map((v) => v.path).join(', ')}).`, layer.name);
    }
    expected.forEach((w, i) => {
      if (!sameShape(w.shape, vars[i].shape)) {
        throw new KerasImportError(`Keras import: layer '${layer.name}': weight ${w.originalName} has shape [${w.shape}] in tfjs but ` +
          `${vars[i].path} has shape [${vars[i].shape}].`, layer.name);
      }
    });
    const tensors = vars.map((v) => tfc.tensor(v.values, v.shape, 'float32'));
    try {
      layer.setWeights(tensors);
    } finally {
      tfc.dispose(tensors);
    }
  }
  for (const [name, group] of groups) {
    if (!seen.has(name) && flatten(group).length > 0) {
      throw new KerasImportError(`Keras import: model.weights.h5 has variables for layer '${name}', which is not in the model.`, name);
    }
  }
}

/** A tfjs model from an unpacked .keras archive. */
export async function modelFromArchive(archive: KerasArchive, options: ImportOptions = {}): Promise<tfl.LayersModel> {
  return asImportError(async () => {
    register();
    const translated = translateConfig(archive.config, options);
    const vars = layerVariables(translated, archive.groups);
    return buildModel(translated, vars, (model) => assignWeights(model, vars, archive.groups, translated.weightSources));
  });
}

/** Runs `f`; anything it throws that is not a KerasImportError becomes one (what failed stays in the message). */
async function asImportError<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof KerasImportError) throw e;
    throw modelError(`unexpected failure: ${(e as Error)?.message ?? String(e)}`);
  }
}

/**
 * Loads a Keras 3 `.keras` model (Sequential or Functional) with its weights.
 * `act.keras.loadModel('file://model.keras')`, a URL, or the file's bytes.
 * What cannot be imported exactly fails here with a KerasImportError naming the layer and field.
 */
export async function loadModel(source: KerasSource, options: ImportOptions = {}): Promise<tfl.LayersModel> {
  return asImportError(async () => modelFromArchive(readKerasArchive(await readSource(source), options), options));
}

/** The tfjs model.json object and weights of a model (what tf.loadLayersModel reads). */
export async function toArtifacts(model: tfl.LayersModel): Promise<{ modelJson: tfc.io.ModelJSON; weightData: ArrayBuffer }> {
  let artifacts: tfc.io.ModelArtifacts | undefined;
  await model.save(tfc.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: tfc.io.getModelArtifactsInfoForJSON(a) };
  }));
  if (!artifacts) throw modelError('tfjs did not produce model artifacts.');
  restoreDepthMultipliers(model, artifacts.modelTopology as Record<string, unknown>);
  const weightData = artifacts.weightData ? tfc.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
  const modelJson: tfc.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: 'tfjs-activations (Keras 3 import)',
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
  };
  return { modelJson, weightData };
}

/**
 * tfjs 4.22's SeparableConv2D leaves depth_multiplier out of its saved config, so the saved model
 * would load with 1: write it back from the layers.
 */
function restoreDepthMultipliers(model: tfl.LayersModel, topology: Record<string, unknown>): void {
  const config = topology?.config as { layers?: Array<{ class_name: string; config: Record<string, unknown> }> } | undefined;
  for (const l of config?.layers ?? []) {
    if (l.class_name !== 'SeparableConv2D') continue;
    const layer = model.getLayer(String(l.config.name)) as unknown as { depthMultiplier?: number };
    if (layer.depthMultiplier !== undefined) l.config.depth_multiplier = layer.depthMultiplier;
  }
}

/** Result of convert(). */
export interface ConvertResult {
  modelJsonPath: string;
  weightsPath: string;
  layers: number;
  weightBytes: number;
}

/**
 * Converts a .keras file into a tfjs layers model directory (model.json + weights.bin) that
 * `tf.loadLayersModel('file://out/model.json')` loads once this plugin is imported. Node only.
 */
export async function convert(source: KerasSource, outDir: string, options: ImportOptions = {}): Promise<ConvertResult> {
  const model = await loadModel(source, options);
  try {
    return await asImportError(async () => {
      const { modelJson, weightData } = await toArtifacts(model);
      let written: string[];
      try {
        written = await writeLocalFiles(outDir, {
          'model.json': JSON.stringify(modelJson),
          'weights.bin': new Uint8Array(weightData),
        });
      } catch (e) {
        throw modelError(`cannot write the converted model into '${outDir}': ${(e as Error).message}`);
      }
      const [modelJsonPath, weightsPath] = written;
      return { modelJsonPath, weightsPath, layers: model.layers.length, weightBytes: weightData.byteLength };
    });
  } finally {
    model.dispose();
  }
}
