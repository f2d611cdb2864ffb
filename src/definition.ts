/**
 * The definition record: everything about one element-wise activation, written down once.
 * Engines turn each record into ops, kernels, gradients, layers, names, docs and tests.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import type { Expr } from './engine/expr';
import type { BooleanParamSpec, NumberParamSpec, ParamSpecs, ParamsOf } from './params';

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
  /** Our parameters the tfjs op takes after x, in order (tf.leakyRelu(x, alpha)). */
  tfjsOpParams?: readonly string[];
}

/** Parameter values, as the reference fixtures and samples give them. */
export type ParamValues = Readonly<Record<string, number | boolean | null>>;

/**
 * Facts the tests, the reference fixtures and the benchmark read, kept with the definition (as
 * PyTorch's OpInfo entries carry their samples and tolerances).
 */
export interface TestingFacts {
  /**
   * Parameter sets, besides the defaults, that the 60-digit reference covers and every accuracy
   * test runs (read by __tests__/fixtures/generate_reference.py through the registry dump).
   */
  readonly referenceParams: readonly ParamValues[];
}

/** What bounds an activation's cost per element in a JavaScript loop. */
export type CostClass = 'cheap' | 'exp' | 'other';

/** The benchmark's view of an activation (demos/lib/bench-cases.ts). */
export interface BenchFacts {
  readonly cost: CostClass;
  /** True where tfjs needs several ops for the function (forward or gradient). */
  readonly tfjsComposes: boolean;
  /** What a user would write by hand in tfjs ops at the default parameters (autodiff for the gradient). */
  readonly composition: { readonly name: string; readonly fn: (tf: typeof tfc, x: tfc.Tensor) => tfc.Tensor };
  /** More rows: other parameter values with a tfjs equivalent of their own (gelu's tanh form is 'gelu_new'). */
  readonly variants?: ReadonlyArray<{
    readonly key: string;
    readonly params: ParamValues;
    readonly builtin?: BuiltinEquivalent;
    readonly composition?: BenchFacts['composition'];
    readonly cost?: CostClass;
    readonly tfjsComposes?: boolean;
  }>;
}

/**
 * Parameters as float32 forms see them: a number is an expression (a scalar, or a learnable tensor
 * broadcast to x), fixed when the kernel runs; a boolean, and whether a nullable number is null, are
 * known when the form is built (so they may change its structure).
 */
export type Float32ParamsOf<S extends ParamSpecs> = {
  readonly [K in keyof S]: S[K] extends BooleanParamSpec
    ? boolean
    : S[K] extends NumberParamSpec<infer T>
      ? null extends T ? Expr | null : Expr
      : never;
};

/** A float32 form: an expression in x (see src/engine/expr.ts) and the parameters. */
export type Float32Form<S extends ParamSpecs> = (x: Expr, p: Float32ParamsOf<S>) => Expr;

/**
 * f, f′ and f″ as float32 expressions, the one source of every fused kernel: a GLSL and a WGSL
 * program per order on webgl/webgpu, TensorFlow ops on tfjs-node, SIMD WebAssembly on wasm, and
 * tfjs-core ops on any other backend. Written to be backward stable in float32 within 4 eps
 * (|error| ≤ 4·eps·(|g(x)| + |x·g′(x)|) for each order g): no overflow of an intermediate that the
 * result does not have, no cancellation beyond what the bound allows, the mathematical limits at
 * ±Infinity. NaN in gives NaN out (the engine adds a check where a form would lose it).
 */
export interface Float32Forms<S extends ParamSpecs> {
  forward: Float32Form<S>;
  derivative: Float32Form<S>;
  secondDerivative: Float32Form<S>;
  /** ∂f/∂p for each numeric parameter that can be learned. */
  paramDerivatives: { readonly [K in keyof S]?: Float32Form<S> };
}

/**
 * Keras 3's function with the same semantics (`keras.activations.<name>`, `keras.ops.<name>`, and the op
 * class `keras.src.ops.nn.<Name>` that Functional models record): which of our parameters it takes, and
 * what it computes with for the others. Checked numerically against Keras by the export's Python tests.
 * Without this record, a definition with Keras aliases is Keras's `aliases.keras[0]` without arguments.
 */
export interface KerasFunction<S extends ParamSpecs> {
  /** The function's name (also its string name when it needs no argument). */
  readonly name: string;
  /**
   * Our parameters the function takes as arguments (Keras's name: the parameter's `names.keras`, else
   * its snake_case), with Keras's default; null where Keras requires the argument.
   */
  readonly args?: { readonly [K in keyof S]?: number | boolean | null };
  /** Our parameters the function does not take, at the value it computes with (softplus: beta = 1). */
  readonly fixed?: { readonly [K in keyof S]?: number | boolean | null };
  /** A Keras layer configured by the same arguments under the same names (ReLU, LeakyReLU, ELU). */
  readonly layer?: string;
  /** A Keras layer that learns one of our parameters as its weight, e.g. PReLU learning leakyRelu's alpha. */
  readonly learnedBy?: { readonly layer: string; readonly param: keyof S & string };
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
  /** f, f′, f″ (and ∂f/∂p) as float32 expressions: the fast path on every backend (see Float32Forms). */
  readonly float32: Float32Forms<S>;
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
  /**
   * tfjs-layers' layer class that computes this activation at its own fields (ReLU's maxValue,
   * ThresholdedReLU's theta), which the Keras export translates.
   */
  readonly tfjsLayer?: string;
  /** Keras 3's function with the same semantics, where it takes arguments or has no string name. */
  readonly keras?: KerasFunction<S>;
  /** Why Keras 3 has no equivalent (exactly when aliases.keras is empty). */
  readonly noKerasEquivalent?: string;
  readonly testing: TestingFacts;
  readonly bench: BenchFacts;
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
