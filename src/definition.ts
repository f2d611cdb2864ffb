/**
 * The definition record: everything about one element-wise activation, written down once.
 * Engines turn each record into ops, kernels, gradients, layers, names, docs and tests.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { ParamSpecs, ParamsOf } from './params';

/** A point where a derivative (or, for jumps, the value) is a convention. */
export interface Kink {
  at: number;
  /**
   * Which one-sided limit we return exactly at the point, for the value (where it jumps) and every
   * derivative: 'left', 'right', or 'mean' of the two (softsign's second derivative at 0).
   */
  side: 'left' | 'right' | 'mean';
  /** Which orders are kinked here: 0 = value jumps, 1 = first derivative, 2 = second. */
  orders: ReadonlyArray<0 | 1 | 2>;
}

export interface ActivationProperties {
  /** Output range as text, e.g. '(0, 1)', '[0, inf)'. */
  range: string;
  monotonic: boolean;
  /** Infinitely differentiable everywhere. */
  smooth: boolean;
  /** Outputs centred on zero for inputs centred on zero (f(0) = 0 and takes both signs). */
  zeroCentered: boolean;
  /** Where the gradient vanishes for large |x|. */
  saturates: 'both' | 'negative' | 'positive' | 'none';
  /** f(−x) = −f(x) ('odd') or f(x) ('even') at the default parameters. */
  symmetry: 'odd' | 'even' | 'none';
  /** Closed bounds of the output at the default parameters (±Infinity for none). */
  bounds?: readonly [number, number];
}

export interface Formula {
  /** Plain text (unicode) for terminals and JSDoc. */
  forward: string;
  derivative: string;
  secondDerivative: string;
}

export interface Reference {
  /** Markdown link text, e.g. '[Clevert et al., 2016](https://arxiv.org/abs/1511.07289)'. */
  citation: string;
  url: string;
}

/** The same function elsewhere: used for docs, the demos and benchmarks (side-by-side runs). */
export interface BuiltinEquivalent {
  /** tfjs-layers activation name computing the same function at our defaults (e.g. 'elu'). */
  tfjsActivation?: string;
  /** tfjs-core op computing the same function at our defaults (e.g. 'elu'). */
  tfjsOp?: string;
}

/**
 * f, f′ and f″ as compositions of tfjs-core ops, for backends without our JavaScript kernels
 * (webgl, webgpu, ...). Float32 all the way, so written in stable forms (see
 * src/engine/composite-math.ts). Evaluated, never differentiated: the engine wraps them in
 * tf.customGrad with the next one as the gradient. They may return anything for NaN inputs (the
 * engine passes NaN through) but must return the mathematical limits at ±Infinity.
 */
export interface CompositeForms<P> {
  forward(x: Tensor, p: P): Tensor;
  derivative(x: Tensor, p: P): Tensor;
  secondDerivative(x: Tensor, p: P): Tensor;
}

export interface ActivationDefinition<Id extends string = string, S extends ParamSpecs = ParamSpecs> {
  /** lowerCamelCase id; its snake_case form is the Keras 3 name where Keras has one. */
  readonly id: Id;
  /** Display name, e.g. 'Leaky ReLU'. */
  readonly title: string;
  /** One line: what it is. */
  readonly summary: string;
  /** Longer intuition, notes on defaults and conventions (markdown). */
  readonly description: string;
  /** Other names it is known by (Keras 3 string names, PyTorch module / function names, tfjs names). */
  readonly aliases: { keras?: readonly string[]; torch?: readonly string[]; tfjs?: readonly string[] };
  readonly params: S;
  /** f(x) in float64. Must return the mathematical limit at +-Infinity and NaN for NaN. */
  forward(x: number, p: ParamsOf<S>): number;
  /** f'(x), hand-derived, computed from x (never from a rounded f(x): it loses the tails). */
  derivative(x: number, p: ParamsOf<S>): number;
  /** f''(x), hand-derived; makes tf.grad(tf.grad(f)) work. */
  secondDerivative(x: number, p: ParamsOf<S>): number;
  /** f, f′, f″ made of tfjs-core ops, for backends with no JavaScript kernel (see CompositeForms). */
  readonly composite?: CompositeForms<ParamsOf<S>>;
  /** d f / d param for each numeric parameter (for learnable parameters). */
  readonly paramDerivatives: { readonly [K in keyof S]?: (x: number, p: ParamsOf<S>) => number };
  /** Cross-parameter constraint, e.g. minVal < maxVal: the problem as text, or undefined. */
  check?(p: ParamsOf<S>): string | undefined;
  /** Points where the value or a derivative is a convention, with the side we pick. */
  kinks(p: ParamsOf<S>): Kink[];
  readonly properties: ActivationProperties;
  readonly formula: Formula;
  readonly reference: Reference;
  readonly builtin?: BuiltinEquivalent;
}

/** Any definition, whatever its id and parameters. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDefinition = ActivationDefinition<string, any>;

/** Declares a definition; checks its shape at compile time and freezes it. */
export function defineActivation<const Id extends string, S extends ParamSpecs>(
  def: ActivationDefinition<Id, S>,
): ActivationDefinition<Id, S> {
  return Object.freeze(def);
}

/** No kinks. */
export const smoothEverywhere = (): Kink[] => [];
