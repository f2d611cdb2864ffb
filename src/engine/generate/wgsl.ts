/**
 * WGSL spelling of the shader notation (shader-math.ts, shader.ts): `f32`, `select(b, a, c)`,
 * bitcast. WGSL rejects non-finite constant expressions (1.0/0.0, bitcast of Infinity's bits), so
 * NaN and Infinity are tfjs's `uniforms.NAN` and `uniforms.INFINITY`, present in every program.
 */
import { literal } from './shader-math';
import { fusedFunction, type ExpressionDialect, type FusedSource } from './shader';
import type { Expr } from '../expr';

export const WGSL: ExpressionDialect = {
  name: 'wgsl',
  type: (t) => t,
  header: (ret, name, params) => `fn ${name}(${params.map(([t, n]) => `${n} : ${t}`).join(', ')}) -> ${ret} {`,
  declare: (t, name, value, constant) => `${constant ? 'let' : 'var'} ${name} : ${t} = ${value};`,
  constant: literal,
  select: (c, a, b) => `select(${b}, ${a}, ${c})`,
  // WGSL's round is half-to-even.
  roundHalfEven: (a) => `round(${a})`,
  // A private variable, not a const: indexed at run time.
  table: (name, values) => `var<private> ${name} : array<u32, ${values.length}> = array<u32, ${values.length}>(${values.map((v) => `0x${v.toString(16)}u`).join(', ')});`,
  prelude: {
    // tfjs defines isnan (the same bit test) in every program; ours keeps the shared helpers self-contained.
    ta_isnan: 'fn ta_isnan(v : f32) -> bool {\n  return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;\n}',
    ta_bits: 'fn ta_bits(v : f32) -> u32 {\n  return bitcast<u32>(v);\n}',
    ta_fromBits: 'fn ta_fromBits(b : u32) -> f32 {\n  return bitcast<f32>(b);\n}',
    ta_inf: 'fn ta_inf() -> f32 {\n  return uniforms.INFINITY;\n}',
    ta_nan: 'fn ta_nan() -> f32 {\n  return uniforms.NAN;\n}',
    ta_sel: 'fn ta_sel(c : bool, a : f32, b : f32) -> f32 {\n  return select(b, a, c);\n}',
  },
};

/** `root` as WGSL: helpers and `fn ta_fused(x : f32[, dy : f32], param_… : f32) -> f32`. */
export const wgslFunction = (root: Expr): FusedSource => fusedFunction(root, WGSL);
