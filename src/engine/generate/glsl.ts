/**
 * GLSL ES 3.00 (WebGL 2) spelling of the shader notation (shader-math.ts, shader.ts): `float`,
 * ternaries, bit tests with floatBitsToUint. tfjs declares `uniform float NAN` in every program;
 * +Infinity comes from its bits.
 */
import { literal } from './shader-math';
import { fusedFunction, type ExpressionDialect, type FusedSource } from './shader';
import type { Expr } from '../expr';

const TYPES: Record<string, string> = { f32: 'float', i32: 'int', u32: 'uint', bool: 'bool' };

export const GLSL: ExpressionDialect = {
  name: 'glsl',
  type: (t) => TYPES[t],
  header: (ret, name, params) => `${TYPES[ret]} ${name}(${params.map(([t, n]) => `${TYPES[t]} ${n}`).join(', ')}) {`,
  declare: (t, name, value) => `${TYPES[t]} ${name} = ${value};`,
  constant: literal,
  // Operands are locals or literals, so no side effects to keep.
  select: (c, a, b) => `(${c} ? ${a} : ${b})`,
  // tfjs #defines round(); roundEven is GLSL ES 3.00's half-to-even.
  roundHalfEven: (a) => `roundEven(${a})`,
  table: (name, values) => `const uint ${name}[${values.length}] = uint[${values.length}](${values.map((v) => `0x${v.toString(16)}u`).join(', ')});`,
  prelude: {
    ta_isnan: 'bool ta_isnan(float v) {\n  return (floatBitsToUint(v) & 0x7fffffffu) > 0x7f800000u;\n}',
    ta_bits: 'uint ta_bits(float v) {\n  return floatBitsToUint(v);\n}',
    ta_fromBits: 'float ta_fromBits(uint b) {\n  return uintBitsToFloat(b);\n}',
    ta_inf: 'float ta_inf() {\n  return uintBitsToFloat(0x7f800000u);\n}',
    ta_nan: 'float ta_nan() {\n  return NAN;\n}',
    ta_sel: 'float ta_sel(bool c, float a, float b) {\n  return c ? a : b;\n}',
  },
};

/** `root` as GLSL: helpers and `float ta_fused(float x[, float dy], float param_…)`. */
export const glslFunction = (root: Expr): FusedSource => fusedFunction(root, GLSL);
