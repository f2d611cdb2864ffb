/**
 * Parameter specifications: defaults, documentation, validation and the error messages users see.
 *
 * Errors follow Keras 3's style and always end with what was received, e.g.
 * "leakyRelu: `alpha` must be a finite number. Received: alpha=NaN".
 */
import { hasOwn } from './own';

/** Names a parameter has in other frameworks, where it differs from ours. */
export interface ForeignNames {
  keras?: string;
  torch?: string;
  tfjs?: string;
}

/** Defaults other frameworks use, documented where they differ from ours (null = none / required). */
export interface ForeignDefaults {
  keras?: number | boolean | null;
  torch?: number | boolean | null;
  tfjs?: number | boolean | null;
}

interface ParamSpecBase {
  /** One sentence for docs and error messages. */
  doc: string;
  names?: ForeignNames;
  otherDefaults?: ForeignDefaults;
}

export interface NumberParamSpec<T extends number | null = number | null> extends ParamSpecBase {
  type: 'number';
  default: T;
  /** null is allowed and means "none" (e.g. relu's maxValue). */
  nullable?: boolean;
  min?: number;
  max?: number;
  /** Bounds are inclusive unless these are set. */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** For a type-level mapping of spec to value. */
  readonly __value?: T;
}

export interface BooleanParamSpec extends ParamSpecBase {
  type: 'boolean';
  default: boolean;
  readonly __value?: boolean;
}

export type ParamSpec = NumberParamSpec<number> | NumberParamSpec<number | null> | BooleanParamSpec;
export type ParamSpecs = Record<string, ParamSpec>;

/** The value type of a parameter spec. */
export type ParamValueOf<S> = S extends BooleanParamSpec
  ? boolean
  : S extends NumberParamSpec<infer T>
    ? T
    : never;

/** Resolved parameters (every key present) for a spec record. */
export type ParamsOf<S extends ParamSpecs> = { readonly [K in keyof S]: ParamValueOf<S[K]> };

/** A numeric parameter. */
export function numberParam(
  spec: Omit<NumberParamSpec<number>, 'type' | 'nullable' | '__value'>,
): NumberParamSpec<number> {
  return { type: 'number', ...spec };
}

/** A numeric parameter that may be null ("none"). */
export function nullableNumberParam(
  spec: Omit<NumberParamSpec<number | null>, 'type' | 'nullable' | '__value'>,
): NumberParamSpec<number | null> {
  return { type: 'number', nullable: true, ...spec };
}

/** A boolean parameter. */
export function booleanParam(spec: Omit<BooleanParamSpec, 'type' | '__value'>): BooleanParamSpec {
  return { type: 'boolean', ...spec };
}

/** Formats a received value the way users typed it (NaN, Infinity, 'text', null). */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Describes a numeric range for an error message, e.g. "a finite number > 0". */
export function describeConstraint(spec: ParamSpec): string {
  if (spec.type === 'boolean') return 'a boolean';
  const parts: string[] = [];
  if (spec.min !== undefined) parts.push(`${spec.minExclusive ? '>' : '>='} ${spec.min}`);
  if (spec.max !== undefined) parts.push(`${spec.maxExclusive ? '<' : '<='} ${spec.max}`);
  const base = `a finite number${parts.length ? ' ' + parts.join(' and ') : ''}`;
  return spec.nullable ? `${base} or null` : base;
}

/** The reason a single value violates its spec, or undefined if it is valid. */
export function checkValue(spec: ParamSpec, value: unknown): string | undefined {
  const must = `must be ${describeConstraint(spec)}`;
  if (spec.type === 'boolean') return typeof value === 'boolean' ? undefined : must;
  if (value === null) return spec.nullable ? undefined : must;
  if (typeof value !== 'number' || !Number.isFinite(value)) return must;
  if (spec.min !== undefined && (spec.minExclusive ? value <= spec.min : value < spec.min)) return must;
  if (spec.max !== undefined && (spec.maxExclusive ? value >= spec.max : value > spec.max)) return must;
  return undefined;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** Up to `count` candidates nearest to `name` (case- and separator-insensitive). */
export function nearest(name: string, candidates: Iterable<string>, count = 3): string[] {
  const norm = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, '');
  const target = norm(name);
  return [...new Set(candidates)]
    .map((c) => ({ c, d: editDistance(target, norm(c)) }))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, count)
    .map((e) => e.c);
}

/**
 * Fills defaults and validates user parameters against the specs.
 * `owner` names the op or layer in the message ("leakyRelu", "LeakyRelu layer").
 */
export function resolveParams<S extends ParamSpecs>(
  owner: string,
  specs: S,
  given: unknown,
  foreignNames = true,
): ParamsOf<S> {
  if (given !== undefined && given !== null && (typeof given !== 'object' || Array.isArray(given))) {
    throw new Error(`${owner}: parameters must be an object such as {${Object.keys(specs)[0] ?? ''}: ...}. ` +
      `Received: ${formatValue(given)}`);
  }
  const input = (given ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const known = Object.keys(specs);
  for (const key of Object.keys(input)) {
    if (hasOwn(specs, key)) continue;
    // Accept the Keras / PyTorch / tfjs spelling of a parameter, e.g. negative_slope for alpha.
    const canonical = foreignNames ? foreignParamName(specs, key) : undefined;
    if (canonical !== undefined) {
      if (hasOwn(input, canonical)) {
        throw new Error(`${owner}: \`${key}\` and \`${canonical}\` name the same parameter; give one. ` +
          `Received: ${key}=${formatValue(input[key])}, ${canonical}=${formatValue(input[canonical])}`);
      }
      continue;
    }
    const hint = known.length
      ? `Known parameters: ${known.join(', ')}` + didYouMean(key, known)
      : 'It takes no parameters';
    throw new Error(`${owner}: unknown parameter \`${key}\`. ${hint}. Received: ${key}=${formatValue(input[key])}`);
  }
  for (const key of known) {
    const spec = specs[key];
    let value: unknown = hasOwn(input, key) ? input[key] : undefined;
    if (value === undefined && foreignNames) {
      const alias = Object.keys(input).find((k) => foreignParamName(specs, k) === key);
      if (alias !== undefined) value = input[alias];
    }
    if (value === undefined) value = spec.default;
    const problem = checkValue(spec, value);
    if (problem) {
      throw new Error(`${owner}: \`${key}\` ${problem}. Received: ${key}=${formatValue(value)}`);
    }
    out[key] = value;
  }
  return out as ParamsOf<S>;
}

function foreignParamName(specs: ParamSpecs, key: string): string | undefined {
  for (const [name, spec] of Object.entries(specs)) {
    const n = spec.names;
    if (n && (n.keras === key || n.torch === key || n.tfjs === key)) return name;
  }
  return undefined;
}

function didYouMean(name: string, candidates: string[]): string {
  const [best] = nearest(name, candidates, 1);
  return best !== undefined && editDistance(name.toLowerCase(), best.toLowerCase()) <= 3
    ? ` (did you mean \`${best}\`?)`
    : '';
}
