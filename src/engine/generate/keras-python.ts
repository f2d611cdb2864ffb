/**
 * The Python module that defines this plugin's Keras 3 custom objects (`import tfjs_activations_keras`
 * before keras.saving.load_model), generated from the registry: every definition's f, f′ and ∂f/∂p
 * float32 expressions become keras.ops code, so Keras computes the same stable formulas on any of its
 * backends and trains with the hand-derived gradients (keras.ops.custom_gradient). For each definition
 * it registers a layer (parameters, learnable ones, shared axes: the element-wise layer's config) and
 * a function (the definition at its defaults, for `activation=`); the structured layers (GLU, Softmin,
 * Sparsemax, Maxout, RReLU) follow as fixed Python.
 */
import type { AnyDefinition } from '../../definition';
import { definitions } from '../../definitions';
import type { ParamSpec } from '../../params';
import { toSnakeCase } from '../../registry';
import { pascal } from '../../layers/common';
import { expr, topologicalOrder, type Expr } from '../expr';

/** The module's name: `import tfjs_activations_keras`. */
export const PYTHON_MODULE = 'tfjs_activations_keras';

const UNARY: Partial<Record<Expr['op'], string>> = {
  neg: 'ops.negative', abs: 'ops.absolute', sign: 'ops.sign', floor: 'ops.floor', round: 'ops.round', square: 'ops.square',
  sqrt: 'ops.sqrt', reciprocal: '_reciprocal', exp: 'ops.exp', expm1: 'ops.expm1', log: 'ops.log', log1p: 'ops.log1p',
  sigmoid: 'ops.sigmoid', tanh: 'ops.tanh', softplus: 'ops.softplus', erfc: '_erfc', sin: 'ops.sin', cos: 'ops.cos',
  cosh: 'ops.cosh', isnan: 'ops.isnan', not: 'ops.logical_not',
};
const BINARY: Partial<Record<Expr['op'], string>> = {
  add: 'ops.add', sub: 'ops.subtract', mul: 'ops.multiply', mulNoNan: '_mul_no_nan', div: 'ops.divide', min: 'ops.minimum',
  max: 'ops.maximum', lt: 'ops.less', le: 'ops.less_equal', gt: 'ops.greater', ge: 'ops.greater_equal', eq: 'ops.equal',
  ne: 'ops.not_equal', and: 'ops.logical_and', or: 'ops.logical_or',
};

/** A float literal Python reads as the same float32 value (always a float, never an int). */
function literal(v: number): string {
  if (Number.isNaN(v)) return 'math.nan';
  if (v === Infinity) return 'math.inf';
  if (v === -Infinity) return '-math.inf';
  if (Object.is(v, -0)) return '-0.0';
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

const pyString = (s: string) => JSON.stringify(s);

/** `def name(x, p):` computing `root`, one assignment per operation (shared nodes computed once). */
function pyFunction(name: string, root: Expr): string {
  const order = topologicalOrder([root]);
  const refs = new Map<number, string>();
  const lines: string[] = [];
  let k = 0;
  let readsX = false;
  for (const n of order) {
    if (n.op === 'x') {
      refs.set(n.id, 'x');
      readsX = true;
    } else if (n.op === 'param') refs.set(n.id, `p[${pyString(String(n.value))}]`);
    else if (n.op === 'const') refs.set(n.id, literal(n.value as number));
    else if (n.op === 'dy') throw new Error(`keras-python: ${name} reads dy`);
    else {
      const a = n.args.map((m) => refs.get(m.id)!);
      let code: string;
      if (n.op === 'select') code = `ops.where(${a[0]}, ${a[1]}, ${a[2]})`;
      else if (n.args.length === 1) code = `${UNARY[n.op]}(${a[0]})`;
      else code = `${BINARY[n.op]}(${a[0]}, ${a[1]})`;
      const v = `t${k++}`;
      lines.push(`    ${v} = ${code}`);
      refs.set(n.id, v);
    }
  }
  const result = refs.get(root.id)!;
  // A result independent of x (f″ = 0, a constant slope) still has x's shape.
  lines.push(readsX ? `    return ${result}` : `    return _like(x, ${result})`);
  return `def ${name}(x, p):\n${lines.join('\n')}\n`;
}

type Specs = Record<string, ParamSpec>;

/** Parameters whose value shapes the expression: booleans, and whether a nullable number is null. */
const structural = (specs: Specs) => Object.entries(specs).filter(([, s]) => s.type === 'boolean' || s.nullable === true).map(([k]) => k);

/** Every combination of the structural parameters: [key in Python, the parameters as forms see them]. */
function variants(def: AnyDefinition): Array<[string, Record<string, unknown>]> {
  const specs = def.params as Specs;
  const keys = structural(specs);
  const out: Array<[string, Record<string, unknown>]> = [];
  for (let mask = 0; mask < 2 ** keys.length; mask++) {
    const p: Record<string, unknown> = {};
    const key: string[] = [];
    for (const [name, s] of Object.entries(specs)) {
      const i = keys.indexOf(name);
      const on = i >= 0 && (mask & (1 << i)) !== 0;
      if (s.type === 'boolean') {
        p[name] = on;
        key.push(on ? 'True' : 'False');
      } else if (s.nullable) {
        p[name] = on ? null : expr.param(name);
        key.push(on ? 'True' : 'False');
      } else p[name] = expr.param(name);
    }
    out.push([key.length ? `(${key.join(', ')},)` : '()', p]);
  }
  return out;
}

/** The Python for one definition: its forms per variant, and its table entry. */
function definitionCode(def: AnyDefinition): string {
  const specs = def.params as Specs;
  const id = toSnakeCase(def.id);
  const parts: string[] = [];
  const table: string[] = [];
  variants(def).forEach(([key, p], v) => {
    const forms = def.float32 as unknown as {
      forward: (x: Expr, p: unknown) => Expr; derivative: (x: Expr, p: unknown) => Expr;
      paramDerivatives: Record<string, ((x: Expr, p: unknown) => Expr) | undefined>;
    };
    parts.push(pyFunction(`_${id}_f${v}`, forms.forward(expr.x, p)));
    parts.push(pyFunction(`_${id}_df${v}`, forms.derivative(expr.x, p)));
    const dp: string[] = [];
    for (const [name, form] of Object.entries(forms.paramDerivatives)) {
      if (!form || specs[name]?.type !== 'number' || p[name] === null) continue;
      parts.push(pyFunction(`_${id}_dp${v}_${toSnakeCase(name)}`, form(expr.x, p)));
      dp.push(`${pyString(name)}: _${id}_dp${v}_${toSnakeCase(name)}`);
    }
    table.push(`        ${key}: (_${id}_f${v}, _${id}_df${v}, {${dp.join(', ')}}),`);
  });
  const params = Object.entries(specs).map(([name, s]) => {
    const kerasName = s.names?.keras ?? toSnakeCase(name);
    const d = s.default;
    const dflt = d === null ? 'None' : typeof d === 'boolean' ? (d ? 'True' : 'False') : literal(d);
    return `        (${pyString(name)}, ${pyString(kerasName)}, ${dflt}),`;
  });
  return `${parts.join('\n')}
_DEFINITIONS[${pyString(def.id)}] = {
    # (our name, Keras name, default), in the order of the layer's config.
    "params": [
${params.join('\n')}
    ],
    "structural": ${JSON.stringify(structural(specs))},
    "forms": {
${table.join('\n')}
    },
}
`;
}

function registrations(def: AnyDefinition): string {
  const cls = pascal(def.id);
  const fn = toSnakeCase(def.id);
  return `@keras.saving.register_keras_serializable(package=PACKAGE, name=${pyString(cls)})
class ${cls}(_Elementwise):
    """${def.title}: ${def.summary.replace(/"/g, "'")}"""

    _ID = ${pyString(def.id)}


@keras.saving.register_keras_serializable(package=PACKAGE, name=${pyString(fn)})
def ${fn}(x):
    """${def.title} at this plugin's defaults (for \`activation=\`)."""
    return _apply(${pyString(def.id)}, x, _defaults(${pyString(def.id)}), {})
`;
}

const PRELUDE = `"""Keras 3 custom objects of tfjs-activations.

Generated from the tfjs-activations registry by src/engine/generate/keras-python.ts (do not edit):
\`import ${PYTHON_MODULE}\` registers every class and function below with
keras.saving.register_keras_serializable (package "TfjsActivations"), and then
keras.saving.load_model() loads the .keras files that act.keras.saveModel() writes.

The element-wise activations compute the float32 formulas tfjs-activations computes, written with
keras.ops (any Keras backend), and train with its hand-derived derivatives (keras.ops.custom_gradient).
"""
import math

import keras
from keras import ops

PACKAGE = "TfjsActivations"


def _erfc(x):
    # 1 - erf(x) loses every digit in the right tail; each backend has the exact function.
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        return tf.math.erfc(x)
    if backend == "jax":
        import jax

        return jax.lax.erfc(x)
    if backend == "torch":
        import torch

        return torch.special.erfc(x)
    import scipy.special

    return scipy.special.erfc(x)


def _reciprocal(a):
    return ops.divide(1.0, a)


def _mul_no_nan(a, b):
    # a * b, but 0 where b is 0 (even for an infinite a).
    return ops.where(ops.equal(b, 0.0), 0.0, ops.multiply(a, b))


def _like(x, value):
    # A value that does not depend on x, broadcast to x's shape.
    return ops.add(ops.zeros_like(x), value)


def _sum_to(g, shape):
    # The gradient of a parameter of shape \`shape\` (x's shape without the batch axis, 1 on shared axes).
    g = ops.sum(g, axis=0)
    axes = tuple(i for i, d in enumerate(shape) if d == 1 and g.shape[i] != 1)
    return ops.sum(g, axis=axes, keepdims=True) if axes else g


_DEFINITIONS = {}


def _defaults(def_id):
    return {name: default for name, _, default in _DEFINITIONS[def_id]["params"]}


def _apply(def_id, x, values, tensors):
    """The activation at \`values\` (our parameter names), with \`tensors\` for the learned ones."""
    d = _DEFINITIONS[def_id]
    key = tuple(
        values[k] is None if not isinstance(values[k], bool) else values[k] for k in d["structural"]
    )
    f, df, dp = d["forms"][key]
    names = list(tensors)

    @ops.custom_gradient
    def run(x, *learned):
        p = dict(values)
        p.update(zip(names, learned))

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            dx = ops.multiply(upstream, df(x, p))
            if not names:
                return dx
            return (dx,) + tuple(
                _sum_to(ops.multiply(upstream, dp[n](x, p)), tuple(ops.shape(t))) for n, t in zip(names, learned)
            )

        return f(x, p), grad

    return run(x, *[tensors[n] for n in names])


class _Elementwise(keras.layers.Layer):
    """An element-wise activation with its parameters; any numeric one can be learned (\`learnable\`,
    Keras names), per element or shared over \`shared_axes\` (1-based input axes), like PReLU."""

    _ID = None

    def __init__(self, learnable=None, shared_axes=None, **kwargs):
        spec = _DEFINITIONS[self._ID]["params"]
        values = {}
        for name, keras_name, default in spec:
            values[name] = kwargs.pop(keras_name, default)
        super().__init__(**kwargs)
        self.supports_masking = True
        self.values = values
        by_keras = {keras_name: name for name, keras_name, _ in spec}
        self.learnable = list(learnable or [])
        unknown = [k for k in self.learnable if k not in by_keras]
        if unknown:
            raise ValueError(f"{type(self).__name__}: unknown learnable parameters {unknown}; known: {list(by_keras)}")
        self.shared_axes = None if shared_axes is None else [int(a) for a in (shared_axes if isinstance(shared_axes, (list, tuple)) else [shared_axes])]
        self._by_keras = by_keras
        self._learned = {}

    def build(self, input_shape):
        for keras_name in self.learnable:
            name = self._by_keras[keras_name]
            shape = tuple(1 if self.shared_axes and i + 1 in self.shared_axes else d for i, d in enumerate(input_shape[1:]))
            self._learned[name] = self.add_weight(
                name=name, shape=shape, initializer=keras.initializers.Constant(self.values[name]), trainable=True
            )

    def call(self, x):
        return _apply(self._ID, x, self.values, {name: w.value for name, w in self._learned.items()})

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        for name, keras_name, _ in _DEFINITIONS[self._ID]["params"]:
            config[keras_name] = self.values[name]
        config["learnable"] = list(self.learnable)
        config["shared_axes"] = self.shared_axes
        return config

`;

const STRUCTURED = `
def _axis_config(layer, config):
    config["axis"] = layer.axis
    return config


@keras.saving.register_keras_serializable(package=PACKAGE, name="GLU")
class GLU(keras.layers.Layer):
    """Gated linear unit a * sigmoid(b), x split in halves a, b along \`axis\`."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, x):
        a, b = ops.split(x, 2, axis=self.axis)
        return ops.multiply(a, ops.sigmoid(b))

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        if shape[self.axis] is not None:
            shape[self.axis] //= 2
        return tuple(shape)

    def get_config(self):
        return _axis_config(self, super().get_config())


@keras.saving.register_keras_serializable(package=PACKAGE, name="Softmin")
class Softmin(keras.layers.Layer):
    """softmax(-x) along \`axis\`."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, x):
        return ops.softmax(ops.negative(x), axis=self.axis)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return _axis_config(self, super().get_config())


def _sparsemax_last(z):
    # Martins & Astudillo's algorithm, shifted by the largest entry (sparsemax is shift-invariant).
    n = z.shape[-1]
    c = ops.subtract(z, ops.max(z, axis=-1, keepdims=True))
    s = ops.flip(ops.sort(c, axis=-1), axis=-1)
    k = ops.arange(1, n + 1, dtype=c.dtype)
    cumulative = ops.cumsum(s, axis=-1)
    support = ops.cast(ops.greater(ops.add(1.0, ops.multiply(k, s)), cumulative), c.dtype)
    kz = ops.sum(support, axis=-1, keepdims=True)
    tau = ops.divide(ops.subtract(ops.sum(ops.multiply(support, s), axis=-1, keepdims=True), 1.0), kz)
    return ops.maximum(ops.subtract(c, tau), 0.0)


@keras.saving.register_keras_serializable(package=PACKAGE, name="Sparsemax")
class Sparsemax(keras.layers.Layer):
    """Sparsemax along \`axis\` (Martins & Astudillo, 2016), the Euclidean projection onto the simplex.
    (Keras 3's own sparsemax sums the cumulative sums over the whole support, so it is not used.)"""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, x):
        axis = self.axis

        @ops.custom_gradient
        def run(x):
            p = ops.moveaxis(_sparsemax_last(ops.moveaxis(x, axis, -1)), -1, axis)

            def grad(*args, upstream=None):
                if upstream is None:
                    (upstream,) = args
                s = ops.cast(ops.greater(p, 0.0), p.dtype)
                mean = ops.divide(ops.sum(ops.multiply(upstream, s), axis=axis, keepdims=True), ops.sum(s, axis=axis, keepdims=True))
                return ops.multiply(s, ops.subtract(upstream, mean))

            return p, grad

        return run(x)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return _axis_config(self, super().get_config())


def _initializer(name):
    # tfjs's initializer names (glorotUniform) -> Keras's (glorot_uniform).
    return keras.initializers.get("".join("_" + c.lower() if c.isupper() else c for c in name).replace("le_cun", "lecun"))


@keras.saving.register_keras_serializable(package=PACKAGE, name="Maxout")
class Maxout(keras.layers.Layer):
    """Maxout. With \`pieces\`: \`units\` outputs, each the max of \`pieces\` affine functions of the last
    axis. Without: \`axis\` split into \`units\` contiguous groups, the max of each."""

    def __init__(self, units, pieces=None, axis=-1, use_bias=True, kernel_initializer="glorotUniform", bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.pieces = pieces
        self.axis = axis
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer

    def build(self, input_shape):
        if self.pieces is not None:
            self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], self.units * self.pieces), initializer=_initializer(self.kernel_initializer))
            if self.use_bias:
                self.bias = self.add_weight(name="bias", shape=(self.units * self.pieces,), initializer=_initializer(self.bias_initializer))

    def call(self, x):
        if self.pieces is not None:
            z = ops.matmul(x, self.kernel)
            if self.use_bias:
                z = ops.add(z, self.bias)
            z = ops.reshape(z, tuple(ops.shape(z)[:-1]) + (self.units, self.pieces))
            return ops.max(z, axis=-1)
        z = ops.moveaxis(x, self.axis, -1)
        z = ops.reshape(z, tuple(ops.shape(z)[:-1]) + (self.units, z.shape[-1] // self.units))
        return ops.moveaxis(ops.max(z, axis=-1), -1, self.axis)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        shape[-1 if self.pieces is not None else self.axis] = self.units
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, pieces=self.pieces, axis=self.axis, use_bias=self.use_bias,
                      kernel_initializer=self.kernel_initializer, bias_initializer=self.bias_initializer)
        return config


@keras.saving.register_keras_serializable(package=PACKAGE, name="RReLU")
class RReLU(keras.layers.Layer):
    """Randomized leaky ReLU: slopes drawn from U(lower, upper) per element while training, the mean
    slope (lower + upper) / 2 at inference."""

    def __init__(self, lower=0.125, upper=1 / 3, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.lower = lower
        self.upper = upper
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, x, training=False):
        if training:
            slope = keras.random.uniform(ops.shape(x), minval=self.lower, maxval=self.upper, seed=self.seed_generator)
        else:
            slope = (self.lower + self.upper) / 2
        return ops.where(ops.greater_equal(x, 0.0), x, ops.multiply(slope, x))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(lower=self.lower, upper=self.upper, seed=self.seed)
        return config
`;

/** The whole module, generated from the registry. */
export function kerasPythonModule(): string {
  const defs = definitions as readonly AnyDefinition[];
  return `${PRELUDE}
# --- Element-wise activations: float32 forms from the registry -------------------------------------

${defs.map(definitionCode).join('\n\n')}

# --- Their layers and functions, registered --------------------------------------------------------


${defs.map(registrations).join('\n\n')}

# --- Structured activations -------------------------------------------------------------------------
${STRUCTURED}`;
}
