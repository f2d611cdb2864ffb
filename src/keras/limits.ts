/**
 * The import's budgets: how much a .keras file may make the import read, inflate, allocate or walk.
 * Each is checked before the work it bounds, and an over-budget file fails at once with a
 * KerasImportError that names the budget and how to raise it. The defaults are generous for real
 * models (far above any Keras application) and keep a hostile file well under 1 GB.
 */
import { hasOwn } from '../own';
import { nearest } from '../params';
import { KerasImportError } from './errors';

export interface ImportLimits {
  /** Uncompressed bytes of config.json, and of metadata.json. */
  maxConfigBytes: number;
  /** Uncompressed bytes of model.weights.h5; also the float32 bytes of all its variables together. */
  maxWeightsBytes: number;
  /** Uncompressed / compressed size of a deflated archive member over 1 MiB (Keras stores members uncompressed). */
  maxCompressionRatio: number;
  /** Nesting depth of config.json ([ and { levels). */
  maxJsonDepth: number;
  /** Layers in each model config, and in the graph once nested models are inlined. */
  maxLayers: number;
  /**
   * Layer calls (inbound nodes) in the model configs, and in the graph once nested models are inlined
   * (tfjs builds them in up to one pass per call).
   */
  maxNodes: number;
  /** Object headers, B-tree and symbol nodes read from model.weights.h5. */
  maxWeightObjects: number;
}

export const DEFAULT_LIMITS: Readonly<ImportLimits> = Object.freeze({
  maxConfigBytes: 16 * 2 ** 20,
  maxWeightsBytes: 2 ** 30,
  maxCompressionRatio: 100,
  maxJsonDepth: 64,
  maxLayers: 10_000,
  maxNodes: 10_000,
  maxWeightObjects: 1_000_000,
});

/** Defaults overridden by `given` (validated: known names, positive integers). */
export function resolveLimits(given: unknown): ImportLimits {
  if (given === undefined || given === null) return { ...DEFAULT_LIMITS };
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new KerasImportError(`Keras import: \`limits\` must be an object such as {maxWeightsBytes: 4e9}. Received: limits=${JSON.stringify(given)}`);
  }
  const out = { ...DEFAULT_LIMITS };
  const known = Object.keys(DEFAULT_LIMITS);
  for (const [key, value] of Object.entries(given as Record<string, unknown>)) {
    if (!hasOwn(DEFAULT_LIMITS, key)) {
      throw new KerasImportError(`Keras import: unknown limit \`${key}\` (did you mean \`${nearest(key, known, 1)[0]}\`?). ` +
        `Known limits: ${known.join(', ')}. Received: ${key}=${JSON.stringify(value)}`);
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new KerasImportError(`Keras import: limit \`${key}\` must be a positive integer. Received: ${key}=${JSON.stringify(value)}`);
    }
    out[key as keyof ImportLimits] = value;
  }
  return out;
}

/** "limits.maxLayers", as the errors name a budget. */
export const limitName = (key: keyof ImportLimits) => `limits.${key}`;

/** A file over a budget: the import stops at once, never collecting it with other blockers and going on. */
export class OverBudgetError extends KerasImportError {}

/** The error for a file over one budget. */
export function overBudget(key: keyof ImportLimits, limits: ImportLimits, what: string): KerasImportError {
  return new OverBudgetError(`Keras import: ${what}, over the budget ${limitName(key)} = ${limits[key]}. If the file is ` +
    `genuine, raise it: loadModel(source, {limits: {${key}: ...}}), or convert --limit ${key}=...`);
}
