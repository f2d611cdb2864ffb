/**
 * Reading one Keras layer config, field by field: every field is translated, ignored (training-only)
 * or checked, and Fields.done() refuses the ones nobody read.
 */
import type { ImportOptions } from './activations';
import { hasOwn } from '../own';
import { fieldError, type LayerRef } from './errors';

export type Json = Record<string, unknown>;
export type Shape = Array<number | null>;

export interface KerasLayerEntry {
  class_name: string;
  config: Json;
  name?: string;
  module?: string | null;
  registered_name?: string | null;
  build_config?: { input_shape?: unknown } | null;
  inbound_nodes?: unknown[];
}

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keras 3 regularizer -> tfjs's L1L2 (the only kind tfjs has); they only affect training. */
function regularizer(ref: LayerRef, field: string, v: unknown): Json | null {
  if (v === null || v === undefined) return null;
  if (isObject(v) && isObject(v.config)) {
    const c = v.config;
    const l1 = typeof c.l1 === 'number' ? c.l1 : 0;
    const l2 = typeof c.l2 === 'number' ? c.l2 : 0;
    if (['L1', 'L2', 'L1L2'].includes(String(v.class_name))) return { class_name: 'L1L2', config: { l1, l2 } };
  }
  throw fieldError(ref, field, 'only the L1, L2 and L1L2 regularizers can be imported', v);
}

export class Fields {
  private readonly used = new Set<string>(['name', 'trainable', 'dtype']);
  /** Translated regularizers, to add to the tfjs config. */
  readonly extra: Json = {};
  constructor(
    readonly ref: LayerRef,
    readonly cfg: Json,
    readonly options: ImportOptions,
  ) {}

  /** A field's value (undefined -> fallback). */
  take<T = unknown>(key: string, fallback?: T): T {
    this.used.add(key);
    const v = hasOwn(this.cfg, key) ? this.cfg[key] : undefined;
    return (v === undefined ? fallback : v) as T;
  }

  number(key: string, fallback?: number, range: { min?: number; max?: number; below?: number } = {}): number {
    const v = this.take<unknown>(key, fallback);
    const { min, max, below } = range;
    const bounds = [min !== undefined ? `>= ${min}` : '', max !== undefined ? `<= ${max}` : '', below !== undefined ? `< ${below}` : '']
      .filter(Boolean).join(' and ');
    if (typeof v !== 'number' || !Number.isFinite(v) || (min !== undefined && v < min) || (max !== undefined && v > max) ||
      (below !== undefined && v >= below)) {
      throw fieldError(this.ref, key, `must be a finite number${bounds ? ' ' + bounds : ''}`, v);
    }
    return v;
  }

  /** An integer >= min (Keras's units, filters, input_dim, ...). */
  integer(key: string, min: number, fallback?: number): number {
    const v = this.take<unknown>(key, fallback);
    if (!isInteger(v) || v < min) throw fieldError(this.ref, key, `must be an integer >= ${min}`, v);
    return v;
  }

  /** An integer >= min, or a list of `rank` of them (kernel_size, strides, pool_size, ...). */
  integers(key: string, rank: number, min: number, fallback?: number[]): number[] {
    const v = this.take<unknown>(key, fallback);
    const list = isInteger(v) ? Array(rank).fill(v) : v;
    if (!Array.isArray(list) || list.length !== rank || !list.every((d) => isInteger(d) && d >= min)) {
      throw fieldError(this.ref, key, `must be an integer >= ${min} or a list of ${rank} of them`, v);
    }
    return list as number[];
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.take<unknown>(key, fallback);
    if (typeof v !== 'boolean') throw fieldError(this.ref, key, 'must be true or false', v);
    return v;
  }

  /** One of a few strings. */
  oneOf<T extends string>(key: string, choices: readonly T[], fallback: T): T {
    const v = this.take<unknown>(key, fallback);
    if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
      throw fieldError(this.ref, key, `must be one of ${choices.map((c) => `'${c}'`).join(', ')}`, v);
    }
    return v as T;
  }

  /** An axis: an integer, or (with `list`) a non-empty list of distinct integers. */
  axis(key: string, fallback: number, list = false): number | number[] {
    const v = this.take<unknown>(key, fallback);
    if (isInteger(v)) return v;
    if (list && Array.isArray(v) && v.length > 0 && v.every(isInteger) && new Set(v).size === v.length) return v as number[];
    throw fieldError(this.ref, key, list ? 'must be an integer or a list of distinct integers' : 'must be an integer', v);
  }

  /** Fields that only matter when training from scratch (initializers, seeds). */
  ignore(...keys: string[]): void {
    for (const k of keys) this.used.add(k);
  }

  /** Fields that must be null/absent (tfjs has no equivalent). */
  nullOnly(...keys: string[]): void {
    for (const k of keys) {
      const v = this.take(k);
      if (v !== null && v !== undefined) throw fieldError(this.ref, k, 'is not supported by the import (only null is)', v);
    }
  }

  /** Fields that must have one value (or be absent). */
  equal(key: string, expected: unknown, why: string): void {
    const v = this.take(key);
    if (v !== undefined && v !== null && JSON.stringify(v) !== JSON.stringify(expected)) throw fieldError(this.ref, key, why, v);
  }

  /** Regularizer fields -> tfjs config (snake_case). */
  regularizers(...keys: string[]): void {
    for (const k of keys) {
      const r = regularizer(this.ref, k, this.take(k));
      if (r) this.extra[k] = r;
    }
  }

  /**
   * Constraint fields: not carried over. Keras applies a constraint only after an optimizer step, so
   * saved weights may lie outside it, while tfjs applies it to every weight it is given (setWeights,
   * loadLayersModel), which would change them. They take no part in inference.
   */
  constraints(...keys: string[]): void {
    this.ignore(...keys);
  }

  /** Every field must have been read. */
  done(): void {
    for (const k of Object.keys(this.cfg)) {
      if (!this.used.has(k)) throw fieldError(this.ref, k, 'is a field the import does not know, so it cannot promise the same result', this.cfg[k]);
    }
  }
}

/** A safe integer (what a shape or a count can be). */
export const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** A shape from the config: a list of positive integers or null (unknown, the batch). */
export function shapeOf(ref: LayerRef, field: string, v: unknown, maxRank = 32): Shape {
  if (!Array.isArray(v) || v.length > maxRank || !v.every((d) => d === null || (isInteger(d) && d >= 1))) {
    throw fieldError(ref, field, `must be a list of at most ${maxRank} positive integers or null`, v);
  }
  return v as Shape;
}

/** Keras 3 dtype (string or DTypePolicy) -> 'float32', or an error. */
export function dtypeOf(ref: LayerRef, v: unknown): string {
  const name = isObject(v) ? (isObject(v.config) ? v.config.name : undefined) : v;
  if (name === undefined || name === null || name === 'float32') return 'float32';
  throw fieldError(ref, 'dtype', 'only float32 layers can be imported (tfjs computes in float32)', name);
}

/** Shape of the (first) input of a layer, when the config tells it. */
export function inputShapeOf(entry: KerasLayerEntry): Shape | undefined {
  const s = entry.build_config?.input_shape;
  if (Array.isArray(s) && (s.length === 0 || !Array.isArray(s[0]))) return s as Shape;
  const node = entry.inbound_nodes?.[0];
  if (isObject(node) && Array.isArray(node.args)) {
    const first = Array.isArray(node.args[0]) ? node.args[0][0] : node.args[0];
    if (isObject(first) && isObject(first.config) && Array.isArray(first.config.shape)) return first.config.shape as Shape;
  }
  return undefined;
}

export const REGULARIZERS = ['kernel_regularizer', 'bias_regularizer', 'activity_regularizer'];
export const CONSTRAINTS = ['kernel_constraint', 'bias_constraint'];
