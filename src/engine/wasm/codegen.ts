/**
 * IR → one WebAssembly function that runs a kernel over a tensor in place on the heap.
 *
 * Signature: (out, n, period, ...stream pointers, ...scalars): pointers are byte offsets into the
 * imported memory, n the element count, scalars f32 (splatted once). Streams 0 (x) and 1 (dy, for
 * backward kernels) have n elements; parameter streams repeat with `period` elements (a per-channel
 * weight against [..., C] has period C; pass period = n when there are none). The elements go in
 * blocks of `period`: within a block, U vectors per iteration (independent copies of the body,
 * for instruction-level parallelism), then one vector at a time, then 0–3 single lanes
 * (load32_splat / store32_lane), so nothing outside the tensors is read or written.
 *
 * The body is emitted as a post-order walk of the DAG on the operand stack: a node used once stays
 * on the stack, a node used more often is kept in a local (tee, then get), and locals are reused
 * after their last read. Constants and scalars live in locals set before the loop (V8 15
 * rematerialises v128.const at every use inside loops: 1.4–2.2x slower in Chromium).
 */
import { append, Code, encodeModule, F32, F64, I32, V128, type FuncSpec, type SimdOp, type ValType } from './encoder';
import { IMPORTS, irOrder, type Node } from './ir';

export interface KernelSpec {
  /** Export name. */
  name: string;
  body: Node;
  /** Stream count: 1 (x), 2 (x, dy), plus parameter streams (stream 2 + j). */
  streams: number;
  /** f32 scalar arguments (scalar leaves 0 … scalars − 1). */
  scalars: number;
  /** Vectors per main-loop iteration (default: by the body's size, see defaultUnroll). */
  unroll?: number;
}

const OPCODES: Partial<Record<Node['op'], SimdOp>> = {
  add: 'f32x4.add', sub: 'f32x4.sub', mul: 'f32x4.mul', div: 'f32x4.div', min: 'f32x4.min', max: 'f32x4.max',
  pmin: 'f32x4.pmin', pmax: 'f32x4.pmax', neg: 'f32x4.neg', abs: 'f32x4.abs', sqrt: 'f32x4.sqrt',
  floor: 'f32x4.floor', nearest: 'f32x4.nearest',
  eq: 'f32x4.eq', ne: 'f32x4.ne', lt: 'f32x4.lt', gt: 'f32x4.gt', le: 'f32x4.le', ge: 'f32x4.ge',
  and: 'v128.and', or: 'v128.or', xor: 'v128.xor', andnot: 'v128.andnot', not: 'v128.not', select: 'v128.bitselect',
  iadd: 'i32x4.add', isub: 'i32x4.sub', imin: 'i32x4.min_s', imax: 'i32x4.max_s', ieq: 'i32x4.eq',
  ishl: 'i32x4.shl', ishr_s: 'i32x4.shr_s', ishr_u: 'i32x4.shr_u',
  f2i: 'i32x4.trunc_sat_f32x4_s', i2f: 'f32x4.convert_i32x4_s',
};

const isLeaf = (n: Node): boolean => n.op === 'stream' || n.op === 'scalar' || n.op === 'fconst' || n.op === 'iconst';

function constBytes(n: Node): number[] {
  const lanes = n.op === 'fconst' ? new Float32Array(4).fill(n.imm!) : new Int32Array(4).fill(n.imm!);
  return new Code().v128(new Uint8Array(lanes.buffer)).b;
}

type Item = { raw: number[] } | { tee: Node } | { get: Node };

/**
 * Vectors per iteration, measured (Node 20, x64, Melem/s at 1e6): short bodies are bound by memory
 * (4); bodies with an exponential and a division need more independent vectors in flight to hide
 * their latency (6: sigmoid 760 → 915, mish 715 → 865 against 4); beyond ~80 operations registers
 * spill (gelu f′, 103 operations: 3 gives 224, 4 gives 124).
 */
const defaultUnroll = (operations: number): number => (operations <= 12 ? 4 : operations <= 80 ? 6 : 3);

/**
 * fixup(fast, u, mask) with its operands on the stack: if any lane of mask is set, those lanes are
 * IMPORTS[fn](u) (called for all four lanes, then selected), else fast as it is.
 */
function fixupBytes(fn: number, lFast: number, lU: number, lMask: number): number[] {
  const c = new Code().set(lMask).set(lU).set(lFast);
  c.get(lMask).simd('v128.any_true').ifV128();
  c.get(lU);
  for (let lane = 0; lane < 4; lane++) {
    c.get(lU).lane('f32x4.extract_lane', lane).op('f64.promote_f32').call(fn).op('f32.demote_f64').lane('f32x4.replace_lane', lane);
  }
  c.get(lFast).get(lMask).simd('v128.bitselect');
  c.op('else').get(lFast).end();
  return c.b;
}

/** Builds one kernel function. */
export function buildFunction(spec: KernelSpec): FuncSpec {
  const { body, streams, scalars } = spec;
  const params: ValType[] = [I32, I32, I32, ...Array<ValType>(streams).fill(I32), ...Array<ValType>(scalars).fill(F32)];
  const pOut = 0, pN = 1, pPeriod = 2, pStream0 = 3, pScalar0 = 3 + streams;
  const locals: ValType[] = [];
  const local = (t: ValType): number => params.length + locals.push(t) - 1;

  const uses = new Map<Node, number>();
  const order = irOrder([body]);
  for (const n of order) for (const a of n.args) uses.set(a, (uses.get(a) ?? 0) + 1);
  const operations = order.filter((n) => !isLeaf(n)).length;
  const U = Math.max(1, spec.unroll ?? defaultUnroll(operations));

  // Values that do not depend on the streams (constants, scalars, and what is computed from them
  // alone) are set once before the loop.
  const variant = new Set<Node>();
  for (const n of order) if (n.op === 'stream' || n.args.some((a) => variant.has(a))) variant.add(n);
  const hoisted = new Map<Node, number>();
  for (const n of order) {
    if (n.op === 'fconst' || n.op === 'iconst' || n.op === 'scalar') hoisted.set(n, local(V128));
  }
  const invariantRoots = order.filter((n) => !isLeaf(n) && !variant.has(n) && (n === body || order.some((u) => variant.has(u) && u.args.includes(n))));
  for (const n of invariantRoots) hoisted.set(n, local(V128));

  /** The bytes that leave `root` on the stack, stream s read from local streamLocals[s]. */
  const emitTree = (root: Node, streamLocals: number[], leaves: Map<Node, number>): number[] => {
    const items: Item[] = [];
    const done = new Set<Node>();
    const walk = (n: Node): void => {
      if (n.op === 'stream') return void items.push({ raw: new Code().get(streamLocals[n.imm!]).b });
      if (leaves.has(n)) return void items.push({ raw: new Code().get(leaves.get(n)!).b });
      if (done.has(n)) return void items.push({ get: n });
      const c = new Code();
      if (n.op === 'fixup') {
        for (const a of n.args) walk(a);
        items.push({ raw: fixupBytes(n.imm!, local(V128), local(V128), local(V128)) });
        done.add(n);
        if ((uses.get(n) ?? 0) > 1) items.push({ tee: n });
        return;
      }
      if (n.op === 'select') {
        walk(n.args[1]);
        walk(n.args[2]);
        walk(n.args[0]);
      } else {
        for (const a of n.args) walk(a);
        if (n.op === 'ishl' || n.op === 'ishr_s' || n.op === 'ishr_u') c.i32(n.imm!);
      }
      const op = OPCODES[n.op];
      if (!op) throw new Error(`wasm: no instruction for '${n.op}'`);
      c.simd(op);
      items.push({ raw: c.b });
      done.add(n);
      if ((uses.get(n) ?? 0) > 1) items.push({ tee: n });
    };
    walk(root);
    // Locals for shared values, reused after their last read.
    const lastGet = new Map<Node, number>();
    items.forEach((it, i) => {
      if ('get' in it) lastGet.set(it.get, i);
    });
    const free: number[] = [];
    const slot = new Map<Node, number>();
    const out: number[] = [];
    items.forEach((it, i) => {
      if ('raw' in it) append(out, it.raw);
      else if ('tee' in it) {
        if (!lastGet.has(it.tee)) return;  // its other users are outside this tree
        const l = free.pop() ?? local(V128);
        slot.set(it.tee, l);
        append(out, new Code().tee(l).b);
      } else {
        const l = slot.get(it.get)!;
        append(out, new Code().get(l).b);
        if (lastGet.get(it.get) === i) free.push(l);
      }
    });
    return out;
  };
  const emitBody = (streamLocals: number[]): number[] => emitTree(body, streamLocals, hoisted);

  // Only the streams the body reads are loaded (a load can trap, so V8 keeps unused ones).
  const used = [...new Set(order.filter((n) => n.op === 'stream').map((n) => n.imm!))];
  if (used.some((s) => s >= streams)) throw new Error('wasm: the body reads a stream the kernel does not have');
  const copies = Array.from({ length: U }, () => {
    const ls: number[] = [];
    for (const s of used) ls[s] = local(V128);
    return ls;
  });
  const bodies = copies.map((ls) => emitBody(ls));
  const lB = local(I32), lNb = local(I32), lPb = local(I32), lCnt = local(I32), lCnt4 = local(I32), lI = local(I32), lOut = local(I32);
  // Per block, the base of each stream: x and dy advance with the block, parameter streams do not.
  const lBase = Array.from({ length: streams }, (_, s) => (s < 2 ? local(I32) : pStream0 + s));

  const c = new Code();
  const leaves = new Map<Node, number>();
  for (const [n, l] of hoisted) {
    if (n.op === 'scalar') c.get(pScalar0 + n.imm!).simd('f32x4.splat');
    else if (n.op === 'fconst' || n.op === 'iconst') c.append(constBytes(n));
    else c.append(emitTree(n, [], leaves));
    c.set(l);
    leaves.set(n, l);
  }
  c.get(pN).i32(2).op('i32.shl').set(lNb);
  c.get(pPeriod).i32(2).op('i32.shl').set(lPb);
  c.i32(0).set(lB);
  const load = (s: number, into: number, offset: number, lane: boolean) => {
    c.get(lBase[s]).get(lI).op('i32.add');
    if (lane) c.mem('v128.load32_splat', 2, offset);
    else c.mem('v128.load', 4, offset);
    c.set(into);
  };
  const store = (bodyBytes: number[], offset: number, lane: boolean) => {
    c.get(lOut).get(lI).op('i32.add').append(bodyBytes);
    if (lane) c.storeLane0();
    else c.mem('v128.store', 4, offset);
  };
  // Blocks of `period` elements.
  c.block().loop();
  c.get(lB).get(lNb).op('i32.ge_u').brIf(1);
  // cnt = min(pb, nb − b) bytes in this block; cnt4 of them in whole vectors.
  c.get(lPb).get(lNb).get(lB).op('i32.sub').tee(lCnt).get(lPb).get(lCnt).op('i32.lt_u').op('select').set(lCnt);
  c.get(lCnt).i32(-16).op('i32.and').set(lCnt4);
  c.get(pOut).get(lB).op('i32.add').set(lOut);
  for (let s = 0; s < Math.min(streams, 2); s++) c.get(pStream0 + s).get(lB).op('i32.add').set(lBase[s]);
  c.i32(0).set(lI);
  if (U > 1) {
    c.block().loop();
    c.get(lI).i32(16 * U).op('i32.add').get(lCnt4).op('i32.gt_u').brIf(1);
    for (let j = 0; j < U; j++) for (const s of used) load(s, copies[j][s], 16 * j, false);
    for (let j = 0; j < U; j++) store(bodies[j], 16 * j, false);
    c.get(lI).i32(16 * U).op('i32.add').set(lI);
    c.br(0).end().end();
  }
  for (const lane of [false, true]) {
    c.block().loop();
    c.get(lI).get(lane ? lCnt : lCnt4).op('i32.ge_u').brIf(1);
    for (const s of used) load(s, copies[0][s], 0, lane);
    store(bodies[0], 0, lane);
    c.get(lI).i32(lane ? 4 : 16).op('i32.add').set(lI);
    c.br(0).end().end();
  }
  c.get(lB).get(lPb).op('i32.add').set(lB);
  c.br(0).end().end();
  return { name: spec.name, params, locals, body: c };
}

/** A module of kernels importing env.memory (shared for tfjs's threaded build) and IMPORTS from env. */
export function buildModule(kernels: readonly KernelSpec[], shared: boolean): Uint8Array {
  return encodeModule({
    memory: shared ? { min: 1, max: 65536, shared: true } : { min: 1 },
    imports: IMPORTS.map((name) => ({ name, params: [F64], results: [F64] })),
    funcs: kernels.map(buildFunction),
  });
}

/** What a module built here imports, besides the memory. */
export const importedFunctions = (): Record<(typeof IMPORTS)[number], (x: number) => number> => ({ sin: Math.sin, cos: Math.cos });
