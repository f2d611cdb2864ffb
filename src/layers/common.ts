/**
 * Shared pieces of every layer this plugin defines: class naming, argument splitting and
 * validation, unique default layer names, and registration for serialization.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { formatValue, nearest } from '../params';
import { claim, isOurs, markOurs } from '../engine/claim';
import { serializationClassMap } from '../engine/tfjs-adapter';
import { toSnakeCase } from '../registry';

/** Layer class names follow Keras 3's "package>Name" for registered custom objects. */
export const LAYER_PREFIX = 'TfjsActivations>';

/** Arguments every tfjs layer accepts (passed through to tf.layers.Layer). */
export const BASE_LAYER_ARGS = [
  'name', 'trainable', 'dtype', 'inputShape', 'batchInputShape', 'batchSize', 'inputDType', 'weights',
] as const;

export interface BaseLayerArgs {
  name?: string;
  trainable?: boolean;
  dtype?: tfc.DataType;
  inputShape?: Array<number | null>;
  batchInputShape?: Array<number | null>;
  batchSize?: number;
  inputDType?: tfc.DataType;
  weights?: tfc.Tensor[];
}

/** Splits user args into tfjs base-layer args and ours; unknown keys are an error naming the layer. */
export function splitArgs(owner: string, args: unknown, ours: readonly string[]): {
  base: Record<string, unknown>;
  rest: Record<string, unknown>;
} {
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
    throw new Error(`${owner}: arguments must be an object. Received: ${formatValue(args)}`);
  }
  const base: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((args ?? {}) as Record<string, unknown>)) {
    if (key === 'customObjects') continue;  // tfjs adds it when deserializing
    if ((BASE_LAYER_ARGS as readonly string[]).includes(key)) base[key] = value;
    else if (ours.includes(key)) rest[key] = value;
    else {
      const known = [...ours, ...BASE_LAYER_ARGS];
      throw new Error(
        `${owner}: unknown argument \`${key}\`. Known arguments: ${known.join(', ')} ` +
          `(did you mean \`${nearest(key, known, 1)[0]}\`?). Received: ${key}=${formatValue(value)}`,
      );
    }
  }
  return { base, rest };
}

const counters = new Map<string, number>();

/** 'leaky_relu_1', 'leaky_relu_2', ...: tfjs would derive an awkward name from our class names. */
export function uniqueLayerName(stem: string): string {
  const snake = toSnakeCase(stem);
  const n = (counters.get(snake) ?? 0) + 1;
  counters.set(snake, n);
  return `${snake}_${n}`;
}

/** 'leakyRelu' -> 'LeakyRelu'. */
export const pascal = (id: string) => id[0].toUpperCase() + id.slice(1);

export { serializationClassMap as classNameMap } from '../engine/tfjs-adapter';

type SerializableCtor = tfc.serialization.SerializableConstructor<tfc.serialization.Serializable> & { className: string };

/** True for a class this plugin (any copy of it) registered. */
export const isPluginClass = (cls: unknown): boolean => typeof cls === 'function' && isOurs(cls);

/**
 * Registers a class for serialization under its className: idempotent for our own classes, an error
 * for a name held by anyone else (tfjs's registerClass would silently overwrite it).
 */
export function registerPluginClass(cls: SerializableCtor): void {
  const existing = (serializationClassMap()[cls.className] as [SerializableCtor] | undefined)?.[0];
  claim(`the serialization name '${cls.className}'`, existing, () => tfc.serialization.registerClass(markOurs(cls)));
}

/** Normalises an axis against a rank, or throws naming the layer. */
export function resolveAxis(owner: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new Error(`${owner}: \`axis\` must be an integer within [${-rank}, ${rank - 1}] for an input of rank ${rank}. Received: axis=${formatValue(axis)}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** The single input shape of a layer (tfjs passes a list for multi-input layers). */
export function oneShape(owner: string, shape: tfc.serialization.ConfigDictValue | Array<number | null> | Array<Array<number | null>>): Array<number | null> {
  const s = shape as unknown as Array<number | null> | Array<Array<number | null>>;
  if (Array.isArray(s[0])) {
    if (s.length !== 1) throw new Error(`${owner}: expects one input. Received: ${s.length} inputs`);
    return s[0] as Array<number | null>;
  }
  return s as Array<number | null>;
}

/** The single input tensor of a call. */
export function oneTensor(owner: string, inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
  if (Array.isArray(inputs)) {
    if (inputs.length !== 1) throw new Error(`${owner}: expects one input. Received: ${inputs.length} inputs`);
    return inputs[0];
  }
  return inputs;
}

/** Called with every weight a layer is about to create, while a claim is active. */
export type WeightClaim = (layer: string, weight: string, shape: number[]) => void;
let activeClaim: WeightClaim | null = null;

/**
 * Runs `f` with `claim` seeing every weight our layers (and the Keras import's trial initializers)
 * are about to create, so that an import can refuse a size before it is allocated.
 */
export function withWeightClaim<T>(claim: WeightClaim, f: () => T): T {
  const previous = activeClaim;
  activeClaim = claim;
  try {
    return f();
  } finally {
    activeClaim = previous;
  }
}

/** Reports a weight about to be created (no-op outside withWeightClaim). */
export function claimWeight(layer: string, weight: string, shape: number[]): void {
  activeClaim?.(layer, weight, shape);
}

/** True inside withWeightClaim. */
export function weightClaimActive(): boolean {
  return activeClaim !== null;
}
