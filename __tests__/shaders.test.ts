/**
 * The GLSL and WGSL generators in Node (what the browser tests run, __tests__/browser/gpu.test.ts,
 * checks the numbers): every definition's every order translates to both languages completely,
 * constants survive as the same float32, non-finite constants are never literals, and the tables
 * behind the exact argument reductions hold the right bits.
 */
import type { AnyDefinition } from '../src/definition';
import { expr } from '../src/engine/expr';
import { fusedExpr, guardNaN } from '../src/engine/fused';
import { GLSL, glslFunction } from '../src/engine/generate/glsl';
import { numericParams } from '../src/engine/parametric';
import { HELPERS, helperSource, literal } from '../src/engine/generate/shader-math';
import { WGSL, wgslFunction } from '../src/engine/generate/wgsl';
import * as internal from '../src/internal';

/** Every expression a kernel runs: f, dy·f′, dy·f″ and dy·∂f/∂p, at the definitions' defaults and with each boolean flipped. */
function everyExpression() {
  const out: Array<[string, ReturnType<typeof fusedExpr>]> = [];
  for (const def of internal.definitions as readonly AnyDefinition[]) {
    const defaults = Object.fromEntries(Object.entries(def.params as Record<string, { default: unknown }>).map(([k, s]) => [k, s.default]));
    const variants = [defaults, ...Object.entries(defaults).filter(([, v]) => typeof v === 'boolean').map(([k, v]) => ({ ...defaults, [k]: !v }))];
    for (const attrs of variants) {
      for (const which of [0, 1, 2] as const) out.push([`${def.id} ${which} ${JSON.stringify(attrs)}`, guardNaN(fusedExpr(def, which, attrs as never))]);
      for (const p of numericParams(def)) {
        if ((def.float32.paramDerivatives as Record<string, unknown>)[p]) out.push([`${def.id} d/${p}`, guardNaN(fusedExpr(def, { param: p }, attrs as never))]);
      }
    }
  }
  return out;
}

describe('shader generators', () => {
  const expressions = everyExpression();

  it.each([['GLSL', glslFunction, /\b(f32|i32|u32)\b|\bvar |\blet |fn |select\(/], ['WGSL', wgslFunction, /\b(float|int|uint)\b|floatBitsToUint|\?/]] as const)(
    '%s: every kernel of every definition is written in the language only, with no non-finite literal',
    (_name, generate, foreign) => {
      const bad: string[] = [];
      for (const [label, e] of expressions) {
        const { code } = generate(e);
        // Comments carry prose; the code itself must be the language's.
        const text = code.split('\n').filter((l) => !l.trim().startsWith('//')).join('\n');
        if (foreign.test(text)) bad.push(`${label}: ${foreign.exec(text)![0]}`);
        if (/\b(NaN|Infinity|inf|nan)\b/i.test(text.replace(/ta_(inf|nan|isnan)\b/g, '').replace(/\bNAN\b|uniforms\.(NAN|INFINITY)/g, ''))) bad.push(`${label}: non-finite literal`);
        if (!/ta_fused\(/.test(text)) bad.push(`${label}: no ta_fused`);
      }
      expect(bad.slice(0, 5)).toEqual([]);
    },
  );

  it('writes every helper in both languages, dependencies first', () => {
    for (const d of [GLSL, WGSL]) {
      const all = helperSource(Object.keys(HELPERS), d);
      for (const name of [...Object.keys(HELPERS), ...Object.keys(d.prelude)]) {
        const defined = d.name === 'glsl' ? new RegExp(`\\b\\w+ ${name}\\(`) : new RegExp(`\\bfn ${name}\\(`);
        expect([name, defined.test(all)]).toEqual([name, true]);
      }
      // Each function is defined before its first call.
      const order = [...all.matchAll(d.name === 'glsl' ? /^\w+ (ta_\w+)\(/gm : /^fn (ta_\w+)\(/gm)].map((m) => m[1]);
      for (const [i, name] of order.entries()) {
        const firstCall = all.indexOf(`${name}(`);
        const definition = all.indexOf(d.name === 'glsl' ? ` ${name}(` : `fn ${name}(`);
        expect([name, i, firstCall >= definition]).toEqual([name, i, true]);
      }
    }
  });

  it('gives each float32 constant a literal that parses back to it', () => {
    const values = [0.5, -0.707106769, 1e-30, 3.4e37, -1.63658441e-7, Math.PI / 2, 2 / Math.PI, Math.LOG2E, 1 / 3, 0.1, 12345678, -0, 88.72];
    for (let i = 0; i < 1000; i++) values.push(Math.fround((Math.sin(i * 12.9898) * 43758.5453) % 1) * 10 ** ((i % 60) - 30));
    for (const v of values) {
      const f = Math.fround(v);
      const text = literal(f);
      expect([text, Math.fround(Number(text))]).toEqual([text, f]);
      expect(text).toMatch(/^-?\d+(\.\d*)?(e-?\d+)?$/);
      expect(text).toMatch(/[.e]/);
    }
  });

  it('never writes a literal at the ends of the range (bits instead)', () => {
    const { code } = glslFunction(expr.x.max(-3.4028234663852886e38).mul(1e-40));
    expect(code).toMatch(/ta_fromBits\(0xff7fffffu\)/);
    expect(code).toMatch(/ta_fromBits\(0x116c2u\)/);
  });

  it('holds 2/π to 240 bits (0.A2F9836E4E441529FC2757D1F534DDC0…, two zero bits first) for the huge-argument reduction', () => {
    const text = helperSource(['ta_sincos'], GLSL);
    const words = /TA_TWO_OVER_PI\[10\] = uint\[10\]\(([^)]*)\)/.exec(text)![1].split(',').map((w) => parseInt(w.trim().replace(/u$/, ''), 16));
    const bits = words.map((w) => w.toString(2).padStart(24, '0')).join('');
    expect(bits.slice(0, 2)).toBe('00');
    const hex = BigInt(`0b${bits.slice(2, 2 + 128)}`).toString(16).padStart(32, '0');
    expect(hex).toBe('a2f9836e4e441529fc2757d1f534ddc0');
  });
});
