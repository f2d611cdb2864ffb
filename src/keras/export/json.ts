/**
 * Keras 3 JSON pieces (dtype policies, initializers, regularizers, Keras tensors, snake_case names)
 * and the reader of a tfjs layer config that accounts for every field.
 */
import { hasOwn } from '../../own';
import { exportFieldError, type ExportRef } from './errors';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keras 3's float32 DTypePolicy, as layers save it. */
export const FLOAT32_POLICY: Json = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };

/** A serialized Keras object. */
export const kerasObject = (module: string | null, className: string, config: unknown, registeredName: string | null = null): Json =>
  ({ module, class_name: className, config, registered_name: registeredName });

/**
 * keras.src.utils.naming.to_snake_case, which names the groups of model.weights.h5 after Python
 * class names ('PReLU' -> 'p_re_lu', 'Conv2DTranspose' -> 'conv2d_transpose').
 */
export function kerasSnakeCase(name: string): string {
  return name.replace(/\W+/g, '').replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** A Keras tensor reference in a node's call arguments. */
export const kerasTensor = (shape: Array<number | null>, dtype: string, history: [string, number, number]): Json =>
  ({ class_name: '__keras_tensor__', config: { shape, dtype, keras_history: history } });

const VARIANCE_DISTRIBUTIONS: Record<string, string> = { normal: 'truncated_normal', uniform: 'uniform', truncated_normal: 'truncated_normal', untruncated_normal: 'untruncated_normal' };

/**
 * A tfjs initializer config -> Keras 3's. Initializers only matter when Keras re-initialises a
 * layer (the exported weights replace them), but they are kept exact: tfjs's Glorot/He/LeCun
 * initializers are saved as VarianceScaling, which Keras has too.
 */
export function initializer(ref: ExportRef, field: string, v: unknown): Json | null {
  if (v === null || v === undefined) return null;
  if (!isObject(v) || typeof v.class_name !== 'string') throw exportFieldError(ref, field, 'must be an initializer config', v);
  const c = (isObject(v.config) ? v.config : {}) as Json;
  const seed = c.seed ?? null;
  const k = (className: string, config: Json) => kerasObject('keras.initializers', className, config);
  switch (v.class_name) {
    case 'Zeros':
    case 'Ones':
      return k(v.class_name, {});
    case 'Constant':
      return k('Constant', { value: c.value });
    case 'RandomNormal':
    case 'TruncatedNormal':
      return k(v.class_name, { seed, mean: c.mean ?? 0, stddev: c.stddev ?? 0.05 });
    case 'RandomUniform':
      return k('RandomUniform', { seed, minval: c.minval ?? -0.05, maxval: c.maxval ?? 0.05 });
    case 'Orthogonal':
      return k('Orthogonal', { seed, gain: c.gain ?? 1 });
    case 'VarianceScaling':
    case 'GlorotUniform':
    case 'GlorotNormal':
    case 'HeNormal':
    case 'HeUniform':
    case 'LeCunNormal':
    case 'LeCunUniform': {
      const distribution = VARIANCE_DISTRIBUTIONS[String(c.distribution)];
      if (!distribution || typeof c.scale !== 'number' || typeof c.mode !== 'string') {
        throw exportFieldError(ref, field, 'is a VarianceScaling initializer without scale, mode and distribution', v);
      }
      // input_axes/output_axes: Keras 3.15's fan axes (null: its default, the kernel's last two).
      return k('VarianceScaling', { seed, scale: c.scale, mode: c.mode, distribution, input_axes: null, output_axes: null });
    }
    default:
      throw exportFieldError(ref, field, `initializer '${v.class_name}' has no Keras 3 equivalent in the export ` +
        '(Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal, Orthogonal and VarianceScaling have)', v.class_name);
  }
}

/** tfjs's L1L2 regularizer -> Keras 3's (they only act in training, where they must be the same). */
export function regularizer(ref: ExportRef, field: string, v: unknown): Json | null {
  if (v === null || v === undefined) return null;
  if (isObject(v) && v.class_name === 'L1L2' && isObject(v.config)) {
    return kerasObject('keras.regularizers', 'L1L2', { l1: Number(v.config.l1 ?? 0), l2: Number(v.config.l2 ?? 0) });
  }
  throw exportFieldError(ref, field, 'only L1L2 regularizers are exported', v);
}

/**
 * Reads a tfjs layer config (snake_case, as model.json holds it): every field must be translated,
 * checked, or ignored on purpose, else the export fails naming it.
 */
export class TfjsFields {
  private readonly used = new Set<string>(['name', 'trainable', 'dtype', 'batch_input_shape', 'input_shape', 'batch_size', 'input_dtype']);
  constructor(readonly ref: ExportRef, readonly cfg: Json) {}

  take<T = unknown>(key: string, fallback?: T): T {
    this.used.add(key);
    const v = hasOwn(this.cfg, key) ? this.cfg[key] : undefined;
    return (v === undefined ? fallback : v) as T;
  }

  ignore(...keys: string[]): void {
    for (const k of keys) this.used.add(k);
  }

  /** Fields that must be null or absent: Keras would compute something else, or nothing maps them. */
  nullOnly(...keys: string[]): void {
    for (const k of keys) {
      const v = this.take(k);
      if (v !== null && v !== undefined) throw exportFieldError(this.ref, k, 'is not exported (only null is)', v);
    }
  }

  initializer(key: string): Json | null {
    return initializer(this.ref, key, this.take(key));
  }

  regularizer(key: string): Json | null {
    return regularizer(this.ref, key, this.take(key));
  }

  done(): void {
    for (const k of Object.keys(this.cfg)) {
      if (!this.used.has(k)) throw exportFieldError(this.ref, k, 'is a field the export does not know, so it cannot promise the same model in Keras', this.cfg[k]);
    }
  }
}
