/**
 * Accuracy measurement against the high-precision reference: used by the accuracy test and by
 * `npm run accuracy` (the table in the README), so both report the same numbers.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as act from '../../src/base';

export interface ReferenceCase {
  id: string;
  params: Record<string, number | boolean | null>;
  x: number[];
  y: Array<string | null>;
  dy: Array<string | null>;
  d2y: Array<string | null>;
}

export interface ReferenceLimit {
  id: string;
  params: Record<string, number | boolean | null>;
  at: 'inf' | '-inf';
  y: string;
  dy: string;
  d2y: string;
}

export interface ReferenceFile {
  generator: string;
  mpmathDps: number;
  cases: ReferenceCase[];
  limits: ReferenceLimit[];
}

export const REFERENCE_PATH = path.join(__dirname, '..', 'fixtures', 'reference.json');

export function loadReference(file = REFERENCE_PATH): ReferenceFile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ReferenceFile;
}

/** float32 machine epsilon, 2^-23. */
export const EPS32 = 2 ** -23;
/** The bar: relative error at most 4 float32 epsilons, with |truth| floored at 1e-30. */
export const TOLERANCE_EPS = 4;
export const TRUTH_FLOOR = 1e-30;

/** Parses a reference string ('1.2e-4343', 'inf', '-inf', 'nan'); out-of-range exponents become ±Infinity / 0. */
export function parseTruth(s: string): number {
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  if (s === 'nan') return NaN;
  return Number(s);
}

/**
 * Error of a float32 result against the truth, in float32 epsilons relative to max(|truth|, 1e-30).
 * A truth beyond float32 range expects ±Infinity; NaN must meet NaN. Mismatched kinds give Infinity.
 */
export function errorInEps(got: number, truth: number): number {
  const rounded = Math.fround(truth);
  if (Number.isNaN(truth) || Number.isNaN(got)) return Number.isNaN(truth) && Number.isNaN(got) ? 0 : Infinity;
  if (!Number.isFinite(rounded) || !Number.isFinite(got)) return rounded === got ? 0 : Infinity;
  return Math.abs(got - truth) / Math.max(Math.abs(truth), TRUTH_FLOOR) / EPS32;
}

export type Order = 0 | 1 | 2;
export const ORDER_NAMES = ['value', 'first derivative', 'second derivative'] as const;

export interface PointError {
  id: string;
  params: Record<string, unknown>;
  order: Order;
  x: number;
  got: number;
  truth: number;
  errorEps: number;
}

function opFor(id: string, params: object): (x: tf.Tensor) => tf.Tensor {
  const op = (act.ops as unknown as Record<string, (x: tf.Tensor, p?: object) => tf.Tensor>)[id];
  return (x) => op(x, params);
}

/** Values of f, f' (tf.grad) and f'' (tf.grad of tf.grad) on the active backend. Reads outside tidy. */
export function evaluateOrders(id: string, params: object, xs: number[]): [Float32Array, Float32Array, Float32Array] {
  const f = opFor(id, params);
  const x = tf.tensor1d(xs);
  const y = f(x);
  const d1 = tf.grad(f)(x);
  const d2 = tf.grad(tf.grad(f))(x);
  const out: [Float32Array, Float32Array, Float32Array] = [
    y.dataSync() as Float32Array,
    d1.dataSync() as Float32Array,
    d2.dataSync() as Float32Array,
  ];
  tf.dispose([x, y, d1, d2]);
  return out;
}

/**
 * Every point of a reference case with its error: on the active backend, or for `results` (f, f′,
 * f″ at c.x) computed elsewhere (a browser).
 */
export function caseErrors(c: ReferenceCase, results: readonly ArrayLike<number>[] = evaluateOrders(c.id, c.params, c.x)): PointError[] {
  const truths = [c.y, c.dy, c.d2y];
  const rows: PointError[] = [];
  for (const order of [0, 1, 2] as const) {
    c.x.forEach((x, i) => {
      const t = truths[order][i];
      if (t === null) return;  // at a kink: a convention, tested separately
      const truth = parseTruth(t);
      const got = results[order][i];
      rows.push({ id: c.id, params: c.params, order, x, got, truth, errorEps: errorInEps(got, truth) });
    });
  }
  return rows;
}

/** Errors of the float64 scalar functions themselves (before rounding to float32). */
export function scalarErrors(c: ReferenceCase): PointError[] {
  const def = act.get(c.id);
  const p = { ...Object.fromEntries(Object.entries(def.params as Record<string, { default: unknown }>).map(([k, s]) => [k, s.default])), ...c.params } as never;
  const fns = [def.forward, def.derivative, def.secondDerivative];
  const truths = [c.y, c.dy, c.d2y];
  const rows: PointError[] = [];
  for (const order of [0, 1, 2] as const) {
    c.x.forEach((x, i) => {
      const t = truths[order][i];
      if (t === null) return;
      const truth = parseTruth(t);
      const got = fns[order].call(def, x, p);
      const errorEps =
        Number.isNaN(truth) || Number.isNaN(got) || !Number.isFinite(truth) || !Number.isFinite(got)
          ? (Object.is(got, truth) || (Number.isNaN(got) && Number.isNaN(truth)) ? 0 : Math.abs(truth) > 3.5e38 ? 0 : Infinity)
          : Math.abs(got - truth) / Math.max(Math.abs(truth), TRUTH_FLOOR) / EPS32;
      rows.push({ id: c.id, params: c.params, order, x, got, truth, errorEps });
    });
  }
  return rows;
}

/** One line describing a point, for failure messages: x, got, expected, difference. */
export function describePoint(e: PointError): string {
  const params = Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : '';
  return `${e.id}${params} ${ORDER_NAMES[e.order]} at x=${e.x}: got ${e.got}, expected ${e.truth} ` +
    `(error ${e.errorEps.toFixed(2)} eps)`;
}
