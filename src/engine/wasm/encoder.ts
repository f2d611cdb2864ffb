/**
 * A small WebAssembly binary encoder: what element-wise f32x4 kernels need and nothing more (one
 * imported memory, functions over i32/f32/v128 values, exports, structured control flow, a few
 * i32 instructions and the SIMD ones of codegen.ts). Opcodes are from the WebAssembly 2.0 spec;
 * SIMD instructions are the 0xFD prefix and a LEB128 sub-opcode.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

export function uleb(n: number, out: number[] = []): number[] {
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number, out: number[] = []): number[] {
  n |= 0;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** dst.push(...src) without a spread (spreads of large arrays overflow the argument stack). */
export function append(dst: number[], src: ArrayLike<number>): number[] {
  for (let i = 0; i < src.length; i++) dst.push(src[i]);
  return dst;
}

const utf8 = (s: string): number[] => Array.from(new TextEncoder().encode(s));
const vec = (items: number[][]): number[] => {
  const out = uleb(items.length);
  for (const it of items) append(out, it);
  return out;
};
const section = (id: number, body: number[]): number[] => append(append([id], uleb(body.length)), body);

/** SIMD sub-opcodes (after the 0xFD prefix). */
export const SIMD = {
  'v128.load': 0x00, 'v128.load32_splat': 0x09, 'v128.store': 0x0b, 'v128.const': 0x0c,
  'f32x4.splat': 0x13, 'f32x4.extract_lane': 0x1f, 'f32x4.replace_lane': 0x20,
  'i32x4.eq': 0x37, 'i32x4.ne': 0x38,
  'f32x4.eq': 0x41, 'f32x4.ne': 0x42, 'f32x4.lt': 0x43, 'f32x4.gt': 0x44, 'f32x4.le': 0x45, 'f32x4.ge': 0x46,
  'v128.not': 0x4d, 'v128.and': 0x4e, 'v128.andnot': 0x4f, 'v128.or': 0x50, 'v128.xor': 0x51, 'v128.bitselect': 0x52,
  'v128.any_true': 0x53,
  'v128.store32_lane': 0x5a,
  'f32x4.ceil': 0x67, 'f32x4.floor': 0x68, 'f32x4.trunc': 0x69, 'f32x4.nearest': 0x6a,
  'i32x4.shl': 0xab, 'i32x4.shr_s': 0xac, 'i32x4.shr_u': 0xad,
  'i32x4.add': 0xae, 'i32x4.sub': 0xb1, 'i32x4.min_s': 0xb6, 'i32x4.max_s': 0xb8,
  'f32x4.abs': 0xe0, 'f32x4.neg': 0xe1, 'f32x4.sqrt': 0xe3, 'f32x4.add': 0xe4, 'f32x4.sub': 0xe5,
  'f32x4.mul': 0xe6, 'f32x4.div': 0xe7, 'f32x4.min': 0xe8, 'f32x4.max': 0xe9, 'f32x4.pmin': 0xea, 'f32x4.pmax': 0xeb,
  'i32x4.trunc_sat_f32x4_s': 0xf8, 'f32x4.convert_i32x4_s': 0xfa,
} as const;
export type SimdOp = keyof typeof SIMD;

/** Plain opcodes. */
export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d, call: 0x10,
  'local.get': 0x20, 'local.set': 0x21, 'local.tee': 0x22,
  'i32.const': 0x41,
  'i32.eqz': 0x45, 'i32.lt_u': 0x49, 'i32.gt_u': 0x4b, 'i32.ge_u': 0x4f,
  'i32.add': 0x6a, 'i32.sub': 0x6b, 'i32.and': 0x71, 'i32.shl': 0x74,
  'f32.demote_f64': 0xb6, 'f64.promote_f32': 0xbb,
  select: 0x1b,
} as const;

/** The bytes of one function body, built instruction by instruction. */
export class Code {
  readonly b: number[] = [];
  op(name: keyof typeof OP): this {
    this.b.push(OP[name]);
    return this;
  }
  simd(name: SimdOp): this {
    this.b.push(0xfd);
    uleb(SIMD[name], this.b);
    return this;
  }
  /** A memory instruction; alignment is only a hint (tfjs's offsets are 8-byte aligned). */
  mem(name: SimdOp, alignLog2: number, offset = 0): this {
    this.simd(name);
    uleb(alignLog2, this.b);
    uleb(offset, this.b);
    return this;
  }
  storeLane0(): this {
    this.simd('v128.store32_lane');
    this.b.push(2, 0, 0);  // align 4, offset 0, lane 0
    return this;
  }
  get(i: number): this {
    this.b.push(OP['local.get']);
    uleb(i, this.b);
    return this;
  }
  set(i: number): this {
    this.b.push(OP['local.set']);
    uleb(i, this.b);
    return this;
  }
  tee(i: number): this {
    this.b.push(OP['local.tee']);
    uleb(i, this.b);
    return this;
  }
  i32(v: number): this {
    this.b.push(OP['i32.const']);
    sleb(v, this.b);
    return this;
  }
  block(): this {
    this.b.push(OP.block, 0x40);
    return this;
  }
  loop(): this {
    this.b.push(OP.loop, 0x40);
    return this;
  }
  br(depth: number): this {
    this.b.push(OP.br);
    uleb(depth, this.b);
    return this;
  }
  brIf(depth: number): this {
    this.b.push(OP.br_if);
    uleb(depth, this.b);
    return this;
  }
  end(): this {
    this.b.push(OP.end);
    return this;
  }
  /** A lane instruction (extract_lane, replace_lane). */
  lane(name: SimdOp, lane: number): this {
    this.simd(name);
    this.b.push(lane);
    return this;
  }
  /** if with a v128 result. */
  ifV128(): this {
    this.b.push(OP.if, V128);
    return this;
  }
  call(func: number): this {
    this.b.push(OP.call);
    uleb(func, this.b);
    return this;
  }
  /** v128.const from 16 bytes. */
  v128(bytes: ArrayLike<number>): this {
    this.simd('v128.const');
    append(this.b, bytes);
    return this;
  }
  append(bytes: ArrayLike<number>): this {
    append(this.b, bytes);
    return this;
  }
}

export interface FuncSpec {
  name: string;
  params: ValType[];
  /** Locals after the parameters, in order. */
  locals: ValType[];
  body: Code;
}

/** A function imported from env (its index is its position; defined functions come after). */
export interface ImportSpec {
  name: string;
  params: ValType[];
  results: ValType[];
}

export interface ModuleSpec {
  /** The imported env.memory; a shared memory must declare a maximum (pages). */
  memory: { min: number; max?: number; shared?: boolean };
  imports?: ImportSpec[];
  funcs: FuncSpec[];
}

/** Encodes a module: type, import (functions, the memory), function, export and code sections. */
export function encodeModule(spec: ModuleSpec): Uint8Array {
  const imports = spec.imports ?? [];
  const types: string[] = [];
  const typeOf = (params: ValType[], results: ValType[]): number => {
    const key = `${params.join(',')}>${results.join(',')}`;
    const i = types.indexOf(key);
    return i < 0 ? types.push(key) - 1 : i;
  };
  const importTypes = imports.map((f) => typeOf(f.params, f.results));
  const typeIndex = spec.funcs.map((f) => typeOf(f.params, []));
  const typeSec = vec(types.map((k) => {
    const [ps, rs] = k.split('>').map((part) => (part ? part.split(',').map(Number) : []));
    return [0x60, ...uleb(ps.length), ...ps, ...uleb(rs.length), ...rs];
  }));
  const { min, max, shared } = spec.memory;
  const limits = shared ? [0x03, ...uleb(min), ...uleb(max ?? 65536)] : max !== undefined ? [0x01, ...uleb(min), ...uleb(max)] : [0x00, ...uleb(min)];
  const env = [...uleb(3), ...utf8('env')];
  const importSec = vec([
    ...imports.map((f, i) => [...env, ...uleb(utf8(f.name).length), ...utf8(f.name), 0x00, ...uleb(importTypes[i])]),
    [...env, ...uleb(6), ...utf8('memory'), 0x02, ...limits],
  ]);
  const funcSec = vec(typeIndex.map((t) => uleb(t)));
  const exportSec = vec(spec.funcs.map((f, i) => {
    const name = utf8(f.name);
    return [...uleb(name.length), ...name, 0x00, ...uleb(imports.length + i)];
  }));
  const codeSec = vec(spec.funcs.map((f) => {
    const groups: Array<[number, ValType]> = [];  // locals, run-length encoded by type
    for (const t of f.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const body = uleb(groups.length);
    for (const [n, t] of groups) {
      uleb(n, body);
      body.push(t);
    }
    append(body, f.body.b);
    body.push(OP.end);
    return append(uleb(body.length), body);
  }));
  const all = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  for (const s of [section(1, typeSec), section(2, importSec), section(3, funcSec), section(7, exportSec), section(10, codeSec)]) append(all, s);
  return new Uint8Array(all);
}
