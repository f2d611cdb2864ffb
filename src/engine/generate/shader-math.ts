/**
 * The float32 primitives of expressions (src/engine/expr.ts) as shader functions, written once for
 * GLSL (webgl) and WGSL (webgpu) in a small common notation that `translateHelpers` turns into
 * either language.
 *
 * GPU math libraries are not accurate enough for the backward-stability bar (measured on
 * SwiftShader: exp 60 ulp at |x| ≈ 78, log 1.5e-7 absolute near 1, tanh 5e5 ulp near 0, sin/cos
 * 2e-4 absolute, exp(x) − 1 and log(1 + x) lose every digit near 0), so only sqrt, division, abs,
 * floor and the rounding functions come from the GPU. Everything else is reduced to a small
 * argument and evaluated by polynomials in plain arithmetic:
 *   exp, expm1   x = k·ln2 + r, |r| ≤ ln2/2 (Cody–Waite, ln2 split so that k·ln2hi is exact),
 *                Taylor series to r⁷; 2^k built from bits; one branch-free path for every x
 *   log, log1p   x = 2^e·m, m ∈ [√½, √2), log m = 2·atanh(s), s = (m − 1)/(m + 1)
 *   sin, cos     u = k·π/2 + w, |w| ≤ π/4, with k split in 12-bit halves and π/2 in 12-bit
 *                pieces so that every product is exact (to |u| = 2^23)
 *   erfc         1 − x·P(x²) below 0.5; above, e^(−x²)·t·H(t), t = 2/(2 + x), x² split in an exact
 *                square and a small correction
 * Each is within a few float32 ulp, keeps relative accuracy near 0 and in the tails, and returns
 * the IEEE limits at ±Infinity and NaN for NaN. Compilers may reassociate and fold (x·0 → 0,
 * (x + c) − c → x), so no result depends on a rounding error cancelling: NaN is tested on the bits,
 * and special values come from bits or from the backend's uniforms.
 *
 * Notation: `f32 ta_name(f32 a, i32 b) {` headers, one `T name = value;` declaration per line
 * (T = f32, i32, u32, bool), casts f32(…)/i32(…)/u32(…), `ta_sel(c, a, b)` for c ? a : b, and only
 * syntax both languages share.
 */

/** A float32 constant as a literal both languages parse to the same float32 (9 significant digits). */
export function literal(v: number): string {
  const f = Math.fround(v);
  if (Number.isInteger(f) && Math.abs(f) < 1e21) return `${f < 0 || Object.is(f, -0) ? '-' : ''}${Math.abs(f)}.0`;
  const s = f.toPrecision(9);
  return s.includes('.') || s.includes('e') ? s.replace('e+', 'e') : `${s}.0`;
}

/** A value split into float32 pieces of at most `bits` significant bits each (the last one plain float32). */
function splitConstant(value: number, bits: number, pieces: number): number[] {
  const out: number[] = [];
  let rest = value;
  for (let i = 0; i < pieces - 1 && rest !== 0; i++) {
    const scale = 2 ** (bits - 1 - Math.floor(Math.log2(Math.abs(rest))));
    const piece = Math.round(rest * scale) / scale;
    out.push(piece);
    rest -= piece;
  }
  if (rest !== 0) out.push(Math.fround(rest));
  return out;
}

const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));

/** Horner form of Σ c[i]·t^i as shader text. */
function horner(t: string, c: readonly number[]): string {
  let acc = literal(c[c.length - 1]);
  for (let i = c.length - 2; i >= 0; i--) acc = `${literal(c[i])} + ${t} * (${acc})`;
  return acc;
}

// ln2 = LN2_HI + LN2_LO with LN2_HI of 16 bits: k·LN2_HI is exact for |k| < 256.
const [LN2_HI, LN2_LO] = splitConstant(Math.LN2, 16, 2);
// π/2 in 12-bit pieces (all 53 bits of Math.PI/2): with k split into 12-bit parts, every k·piece is exact.
const HALF_PI = splitConstant(Math.PI / 2, 12, 5);

/** The first `n` bits of 2/π (b1 b2 …, 2/π = 0.b1b2…₂), from Machin's formula in BigInt. */
function twoOverPiBits(n: number): string {
  const precision = BigInt(n + 64);
  const one = 1n << precision;
  const arctanInverse = (x: bigint) => {
    let sum = 0n;
    let term = one / x;
    let sign = 1n;
    for (let k = 1n; term !== 0n; k += 2n, term /= x * x, sign = -sign) sum += (sign * term) / k;
    return sum;
  };
  const pi = 16n * arctanInverse(5n) - 4n * arctanInverse(239n);
  return (((2n * one) << precision) / pi).toString(2).slice(0, n);
}

/**
 * 2/π for the reduction of huge arguments, in 24-bit words, preceded by two zero bits so that
 * bit s of the table has weight 2^(1 − s) (s = 0, 1 are the integer bits 2 and 1 of 2/π).
 */
const TWO_OVER_PI_WORDS: number[] = (() => {
  const bits = `00${twoOverPiBits(24 * 10)}`;
  return Array.from({ length: 10 }, (_, i) => parseInt(bits.slice(24 * i, 24 * i + 24), 2));
})();
/** 12-bit limbs of 2/π read for a huge argument: 96 bits, past the 24 bits of its significand and the ~30 leading zeros of the closest approach to a multiple of π/2. */
const REDUCTION_LIMBS = 8;

/** (e^r − 1 − r)/r² = 1/2 + r/6 + … : Taylor to r⁷, 0.13 ulp for |r| ≤ ln2/2. */
const EXPM1_TAIL = Array.from({ length: 6 }, (_, i) => 1 / fact(i + 2));
/** (atanh(s)/s − 1)/s² = 1/3 + s²/5 + … : to s¹², |s| ≤ 0.172. */
const ATANH_TAIL = [1 / 3, 1 / 5, 1 / 7, 1 / 9, 1 / 11, 1 / 13];
/** (sin w − w)/(w·w²) as a series in w², |w| ≤ π/4 + ε: Taylor to w¹³. */
const SIN_TAIL = Array.from({ length: 6 }, (_, i) => (i % 2 ? 1 : -1) / fact(2 * i + 3));
/** (cos w − 1 + w²/2)/w⁴ as a series in w²: Taylor to w¹⁴. */
const COS_TAIL = Array.from({ length: 6 }, (_, i) => (i % 2 ? -1 : 1) / fact(2 * i + 4));
/** erf(x)/x as a series in x² (Taylor, to x²⁴: < 1e-12 relative for |x| ≤ 0.5). */
const ERF_SERIES = Array.from({ length: 12 }, (_, n) => ((n % 2 ? -1 : 1) * 2) / (Math.sqrt(Math.PI) * fact(n) * (2 * n + 1)));
/**
 * H(t) = erfc(x)·e^(x²)/t with t = 2/(2 + x), on x ∈ [0.5, ∞) (t ∈ (0, 0.8]): least-squares fit in
 * relative error at 300 Chebyshev nodes, coefficients rounded to float32 one at a time with the rest
 * refitted (scripts/fit/erfc.py); 0.44 ulp in exact arithmetic, 0.9 ulp evaluated in float32.
 */
const ERFC_H = [
  0.282094806432724, 0.28209298849105835, 0.24689778685569763, 0.17524529993534088, 0.09332346171140671,
  -0.05620714649558067, 0.11857342720031738, -0.4240402579307556, 0.454828143119812, -0.2089931219816208,
  0.03616958111524582,
];

/** A helper: its text in the common notation and the helpers it calls. */
interface Helper {
  deps: readonly string[];
  text: string;
  /** A constant u32 array the helper indexes. */
  table?: { name: string; values: readonly number[] };
}

/**
 * Every helper, by name. The dialects supply ta_isnan, ta_bits, ta_fromBits, ta_inf, ta_nan and
 * ta_sel (see glsl.ts and wgsl.ts); they are listed as dependencies like any other.
 */
export const HELPERS: Readonly<Record<string, Helper>> = {
  ta_pow2i: {
    deps: ['ta_fromBits'],
    // 2^k for integer k in [−126, 127], from its bits (exact; no exp2).
    text: `f32 ta_pow2i(i32 k) {
  return ta_fromBits(u32(k + 127) << 23u);
}`,
  },
  ta_expm1_small: {
    deps: [],
    text: `f32 ta_expm1_small(f32 r) {
  return r + r * r * (${horner('r', EXPM1_TAIL)});
}`,
  },
  ta_exp: {
    deps: ['ta_isnan', 'ta_expm1_small', 'ta_pow2i', 'ta_sel'],
    // e^x = 2h·(1 + m) with h = 2^(k−1) and m = expm1(r): h stays a normal float32 for k ∈ [−125,
    // 128] (x clamped to [−86.6, 89]), and 2^128 never forms before the result overflows. Below
    // −86.6 the result is under 2.2e-38: 0, as a GPU flushes it anyway.
    text: `f32 ta_exp(f32 x) {
  if (ta_isnan(x)) { return x; }
  f32 c = clamp(x, -86.6, 89.0);
  f32 k = floor(c * ${literal(Math.LOG2E)} + 0.5);
  f32 r = (c - k * ${literal(LN2_HI)}) - k * ${literal(LN2_LO)};
  f32 h = ta_pow2i(i32(k) - 1);
  return ta_sel(x < -86.6, 0.0, (h + h * ta_expm1_small(r)) * 2.0);
}`,
  },
  ta_expm1: {
    deps: ['ta_isnan', 'ta_expm1_small', 'ta_pow2i'],
    // e^x − 1 = 2·(h·m + (h − 1/2)) with h = 2^(k−1), m = expm1(r): k = 0 is the series itself,
    // h − 1/2 is exact for every k where it matters, and nothing cancels (one path for every x,
    // so SIMD lanes never run several).
    text: `f32 ta_expm1(f32 x) {
  if (ta_isnan(x)) { return x; }
  f32 c = clamp(x, -86.6, 89.0);
  f32 k = floor(c * ${literal(Math.LOG2E)} + 0.5);
  f32 r = (c - k * ${literal(LN2_HI)}) - k * ${literal(LN2_LO)};
  f32 h = ta_pow2i(i32(k) - 1);
  return (h * ta_expm1_small(r) + (h - 0.5)) * 2.0;
}`,
  },
  ta_log1p_small: {
    deps: [],
    // log(1 + f) = 2·atanh(s), s = f/(2 + f), for f ∈ [√½ − 1, √2 − 1].
    text: `f32 ta_log1p_small(f32 f) {
  f32 s = f / (2.0 + f);
  f32 z = s * s;
  f32 s2 = s + s;
  return s2 + s2 * z * (${horner('z', ATANH_TAIL)});
}`,
  },
  ta_log: {
    deps: ['ta_isnan', 'ta_bits', 'ta_fromBits', 'ta_inf', 'ta_nan', 'ta_log1p_small'],
    // x = 2^e·m with m ∈ [√½, √2); a subnormal x counts as 0 (the GPU flushes it anyway).
    text: `f32 ta_log(f32 x) {
  if (ta_isnan(x)) { return x; }
  if (x < 0.0) { return ta_nan(); }
  u32 b = ta_bits(x);
  i32 e = i32(b >> 23u) - 127;
  if (e == -127) { return -ta_inf(); }
  if (e == 128) { return x; }
  f32 m = ta_fromBits((b & 0x007fffffu) | 0x3f800000u);
  if (m > ${literal(Math.SQRT2)}) {
    m = m * 0.5;
    e = e + 1;
  }
  f32 ef = f32(e);
  return ef * ${literal(LN2_HI)} + (ef * ${literal(LN2_LO)} + ta_log1p_small(m - 1.0));
}`,
  },
  ta_log1p: {
    deps: ['ta_isnan', 'ta_log1p_small', 'ta_log'],
    // Where 1 + x ∈ [√½, √2) the series on x itself (no rounding of 1 + x); elsewhere log(1 + x)
    // is at least 0.34 in magnitude, so the rounding of 1 + x costs under 1.5 ulp.
    text: `f32 ta_log1p(f32 x) {
  if (ta_isnan(x)) { return x; }
  if (x > ${literal(Math.SQRT1_2 - 1)} && x < ${literal(Math.SQRT2 - 1)}) { return ta_log1p_small(x); }
  return ta_log(1.0 + x);
}`,
  },
  ta_sigmoid: {
    deps: ['ta_isnan', 'ta_exp', 'ta_sel'],
    text: `f32 ta_sigmoid(f32 x) {
  if (ta_isnan(x)) { return x; }
  f32 e = ta_exp(-abs(x));
  f32 s = 1.0 / (1.0 + e);
  return ta_sel(x >= 0.0, s, e * s);
}`,
  },
  ta_tanh: {
    deps: ['ta_isnan', 'ta_expm1', 'ta_bits', 'ta_fromBits'],
    // tanh|x| = −m/(2 + m), m = expm1(−2|x|) ∈ [−1, 0]: relative-accurate near 0, 1 in the tails
    // (never e^x/e^x, which is NaN beyond 88); the sign copied from x's bits.
    text: `f32 ta_tanh(f32 x) {
  if (ta_isnan(x)) { return x; }
  f32 m = ta_expm1(-2.0 * abs(x));
  f32 t = -m / (2.0 + m);
  return ta_fromBits(ta_bits(t) | (ta_bits(x) & 0x80000000u));
}`,
  },
  ta_softplus: {
    deps: ['ta_isnan', 'ta_exp', 'ta_log1p'],
    text: `f32 ta_softplus(f32 x) {
  if (ta_isnan(x)) { return x; }
  return max(x, 0.0) + ta_log1p(ta_exp(-abs(x)));
}`,
  },
  ta_cosh: {
    deps: ['ta_isnan', 'ta_exp'],
    // e^(|x| − ln2) + e^−|x|/2: finite up to |x| = 89.4, where e^|x| alone would overflow.
    text: `f32 ta_cosh(f32 x) {
  if (ta_isnan(x)) { return x; }
  f32 h = ta_exp(abs(x) - ${literal(Math.LN2)});
  return h + 0.25 / h;
}`,
  },
  ta_erfc: {
    deps: ['ta_isnan', 'ta_exp', 'ta_bits', 'ta_fromBits', 'ta_sel'],
    // z is |x| with its low 12 bits cleared, so z² is exact and x² = z² − (z − x)(z + x) keeps
    // every digit of the exponent (e^(−x²) has relative error x² ulp otherwise).
    text: `f32 ta_erfc(f32 x) {
  if (ta_isnan(x)) { return x; }
  f32 a = min(abs(x), 10.5);
  if (a < 0.5) {
    f32 q = x * x;
    return 1.0 - x * (${horner('q', ERF_SERIES)});
  }
  f32 t = 2.0 / (2.0 + a);
  f32 z = ta_fromBits(ta_bits(a) & 0xfffff000u);
  f32 tail = ta_exp(-z * z) * ta_exp((z - a) * (z + a)) * (t * (${horner('t', ERFC_H)}));
  return ta_sel(x < 0.0, 2.0 - tail, tail);
}`,
  },
  ta_twoOverPiLimb: {
    deps: [],
    table: { name: 'TA_TWO_OVER_PI', values: TWO_OVER_PI_WORDS },
    // The 12 bits of the table starting at bit s.
    text: `u32 ta_twoOverPiLimb(i32 s) {
  i32 word = s / 24;
  i32 offset = s - word * 24;
  u32 hi = TA_TWO_OVER_PI[word];
  if (offset <= 12) { return (hi >> u32(12 - offset)) & 0xfffu; }
  return ((hi << u32(offset - 12)) | (TA_TWO_OVER_PI[word + 1] >> u32(36 - offset))) & 0xfffu;
}`,
  },
  ta_sincos: {
    deps: ['ta_isnan', 'ta_inf', 'ta_nan', 'ta_bits', 'ta_twoOverPiLimb'],
    // sin(v + quarter·π/2) = ±sin w or ±cos w with v = k·π/2 + w, |w| ≤ π/4, keeping the digits
    // of w next to the zeros:
    // - |v| ≤ 2^23 (Cody–Waite): k split as kh + kl with kh a multiple of 4096 (same sign), so
    //   kh·piece and kl·piece are exact and each subtraction is exact until w is small.
    // - beyond (Payne–Hanek, in integers): |v| = m·2^e with m < 2^24, and v·2/π mod 4 needs only
    //   the bits of 2/π from weight 2^(1−e) on; 96 of them times m in 12-bit limbs (every
    //   product < 2^24, exact in u32) give the quadrant and 84 bits of the fraction.
    text: `f32 ta_sincos(f32 v, i32 quarter) {
  if (ta_isnan(v) || abs(v) == ta_inf()) { return ta_nan(); }
  f32 w = v;
  i32 q = quarter;
  if (abs(v) <= 8388608.0) {
    f32 k = floor(v * ${literal(2 / Math.PI)} + 0.5);
    f32 kh = trunc(k * ${literal(1 / 4096)}) * 4096.0;
    f32 kl = k - kh;
${HALF_PI.map((piece) => `    w = w - kh * ${literal(piece)};\n    w = w - kl * ${literal(piece)};\n`).join('')}    q = q + i32(k);
  } else {
    u32 b = ta_bits(v);
    u32 m = (b & 0x007fffffu) | 0x00800000u;
    u32 mh = m >> 12u;
    u32 ml = m & 0xfffu;
    i32 s = i32((b >> 23u) & 0xffu) - 150;
${Array.from({ length: REDUCTION_LIMBS }, (_, i) => `    u32 l${i} = ta_twoOverPiLimb(s + ${12 * i});`).join('\n')}
    u32 a${REDUCTION_LIMBS - 1} = ml * l${REDUCTION_LIMBS - 1};
${Array.from({ length: REDUCTION_LIMBS - 1 }, (_, j) => REDUCTION_LIMBS - 2 - j).map((i) => `    u32 a${i} = ml * l${i} + mh * l${i + 1} + (a${i + 1} >> 12u);\n    a${i + 1} = a${i + 1} & 0xfffu;`).join('\n')}
    // a0: bits of weight 2^1 … 2^-10 (the rest of it is a multiple of 4); a1 … : 12 bits each.
    u32 quadrant = (a0 >> 10u) & 3u;
    f32 sgn = 1.0;
    if ((a0 & 0x200u) != 0u) {
      // f ≥ 1/2: the next quadrant, with f − 1 = −(complement of the fraction bits).
      quadrant = quadrant + 1u;
      sgn = -1.0;
      a0 = ~a0;
${Array.from({ length: REDUCTION_LIMBS - 1 }, (_, i) => `      a${i + 1} = 0xfffu - a${i + 1};`).join('\n')}
    }
    f32 f = f32(a${REDUCTION_LIMBS - 1});
${Array.from({ length: REDUCTION_LIMBS - 2 }, (_, j) => REDUCTION_LIMBS - 2 - j).map((i) => `    f = f32(a${i}) + f * ${literal(1 / 4096)};`).join('\n')}
    f = f32(a0 & 0x3ffu) + f * ${literal(1 / 4096)};
    w = sgn * f * ${literal(Math.PI / 2 / 1024)};
    i32 k = i32(quadrant);
    if (v < 0.0) {
      w = -w;
      k = -k;
    }
    q = q + k;
  }
  f32 z = w * w;
  f32 sw = w + w * z * (${horner('z', SIN_TAIL)});
  f32 cw = 1.0 - 0.5 * z + z * z * (${horner('z', COS_TAIL)});
  i32 r = q & 3;
  if (r == 0) { return sw; }
  if (r == 1) { return cw; }
  if (r == 2) { return -sw; }
  return -cw;
}`,
  },
  ta_sin: { deps: ['ta_sincos'], text: `f32 ta_sin(f32 u) {\n  return ta_sincos(u, 0);\n}` },
  ta_cos: { deps: ['ta_sincos'], text: `f32 ta_cos(f32 u) {\n  return ta_sincos(u, 1);\n}` },
  ta_sign: {
    deps: ['ta_sel'],
    // Math.sign: ±0 and NaN return themselves.
    text: `f32 ta_sign(f32 x) {
  return ta_sel(x > 0.0, 1.0, ta_sel(x < 0.0, -1.0, x));
}`,
  },
  ta_sqrt: {
    deps: ['ta_sel', 'ta_nan'],
    text: `f32 ta_sqrt(f32 x) {
  return ta_sel(x < 0.0, ta_nan(), sqrt(x));
}`,
  },
  ta_min: {
    deps: ['ta_isnan'],
    // NaN if either is NaN (the GPUs' min returns the other operand).
    text: `f32 ta_min(f32 a, f32 b) {
  if (ta_isnan(a) || ta_isnan(b)) { return a + b; }
  return min(a, b);
}`,
  },
  ta_max: {
    deps: ['ta_isnan'],
    text: `f32 ta_max(f32 a, f32 b) {
  if (ta_isnan(a) || ta_isnan(b)) { return a + b; }
  return max(a, b);
}`,
  },
  ta_mulNoNan: {
    deps: ['ta_sel'],
    text: `f32 ta_mulNoNan(f32 a, f32 b) {
  return ta_sel(b == 0.0, 0.0, a * b);
}`,
  },
  ta_ne: {
    deps: ['ta_isnan'],
    // a ≠ b is true when either is NaN; compilers may fold x != x to false, so NaN is tested on the bits.
    text: `bool ta_ne(f32 a, f32 b) {
  return ta_isnan(a) || ta_isnan(b) || a != b;
}`,
  },
};

/** The helpers `names` need, dependencies first, each once. */
export function helperClosure(names: Iterable<string>, known: (name: string) => boolean): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const h = HELPERS[name];
    if (!h) {
      if (!known(name)) throw new Error(`shader math: no helper '${name}'`);
    } else {
      h.deps.forEach(visit);
    }
    order.push(name);
  };
  for (const n of names) visit(n);
  return order;
}

/** How a language spells the parts of the common notation that differ. */
export interface Dialect {
  readonly name: 'glsl' | 'wgsl';
  /** Type names: f32, i32, u32, bool. */
  type(t: string): string;
  /** A function header. */
  header(returnType: string, name: string, params: Array<[type: string, name: string]>): string;
  /** A local with its initial value (mutable unless `constant`). */
  declare(type: string, name: string, value: string, constant?: boolean): string;
  /** A global constant u32 array (indexed at run time). */
  table(name: string, values: readonly number[]): string;
  /** The dialect's own helpers (ta_isnan, ta_bits, ta_fromBits, ta_inf, ta_nan, ta_sel) by name. */
  readonly prelude: Readonly<Record<string, string>>;
}

const HEADER = /^(f32|i32|u32|bool) (\w+)\(([^)]*)\) \{$/;
const DECLARATION = /^(\s*)(f32|i32|u32|bool) (\w+) = (.*)$/;
const CAST = /\b(f32|i32|u32)\(/g;

/** Common notation → the dialect. */
export function translate(text: string, d: Dialect): string {
  return text
    .split('\n')
    .map((line) => {
      const h = HEADER.exec(line);
      if (h) {
        const params = h[3].trim() ? h[3].split(',').map((p) => p.trim().split(' ') as [string, string]) : [];
        return d.header(h[1], h[2], params);
      }
      const decl = DECLARATION.exec(line);
      const out = decl ? `${decl[1]}${d.declare(decl[2], decl[3], decl[4].replace(/;$/, ''))}` : line;
      return out.replace(CAST, (_m, t: string) => `${d.type(t)}(`);
    })
    .join('\n');
}

/** The text of helpers `names` (and their dependencies) in the dialect, in dependency order. */
export function helperSource(names: Iterable<string>, d: Dialect): string {
  return helperClosure(names, (n) => n in d.prelude)
    .map((n) => {
      const h = HELPERS[n];
      if (!h) return d.prelude[n];
      return (h.table ? `${d.table(h.table.name, h.table.values)}\n` : '') + translate(h.text, d);
    })
    .join('\n');
}
