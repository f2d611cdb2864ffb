/**
 * A bounded reader for the HDF5 that Keras writes as model.weights.h5 (h5py, libver 'earliest'):
 * groups as symbol tables (v1 B-trees, symbol nodes, local heaps) or link messages, attributes with
 * fixed or variable-length strings (global heap), and datasets of ints and floats stored contiguously
 * (or compact). Everything else (chunked or compressed storage, soft and external links, dense link
 * storage, 4-byte addresses) is refused, as Keras's own loader refuses most of it.
 *
 * Every address, length and count is checked against the bytes present before it is used; every
 * loop is bounded by the bytes it walks; no recursion: a file can make this reader fail with a
 * KerasImportError, never hang, overflow the stack or allocate more than it declares and holds.
 */
import { modelError, type KerasImportError } from './errors';

const UNDEFINED = Number.MAX_SAFE_INTEGER;  // 0xffffffffffffffff, the "no address" marker, read as this
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** What a walk may visit, and what datasets may allocate. */
export interface Hdf5Budget {
  /** Object headers, B-tree and symbol nodes read, in total. */
  maxObjects: number;
  /** Bytes of float32 values all datasets read together may produce. */
  maxValueBytes: number;
  /** Named in the errors of the two budgets above (e.g. 'limits.maxWeightObjects'). */
  objectsOption: string;
  valuesOption: string;
}

export interface Hdf5Dataset {
  kind: 'dataset';
  path: string;
  shape: number[];
  /** Reads the values as float32 (the allocation is charged to the budget first). */
  read(): Float32Array;
}

export interface Hdf5Group {
  kind: 'group';
  path: string;
  /** Child names -> object header addresses, in the file's order. */
  links: Array<[string, number]>;
  attrs: Map<string, unknown>;
}

function fail(why: string): KerasImportError {
  return modelError(`model.weights.h5: ${why}`);
}

interface Message {
  type: number;
  start: number;
  size: number;
  flags: number;
}

interface DataType {
  cls: number;
  size: number;
  littleEndian: boolean;
  signed: boolean;
  /** variable-length strings */
  vlenString: boolean;
}

export class Hdf5File {
  private readonly view: DataView;
  private objects = 0;
  private valueBytes = 0;
  readonly root: number;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly budget: Hdf5Budget,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < 56 || !SIGNATURE.every((b, i) => bytes[i] === b)) throw fail('not an HDF5 file (no signature at offset 0).');
    const version = bytes[8];
    if (version === 0 || version === 1) {
      this.checkSizes(bytes[13], bytes[14]);
      // base address, free space, end of file, driver info, then the root group's symbol table entry
      const base = this.address(24 + (version === 1 ? 4 : 0));
      if (base !== 0) throw fail(`a base address of ${base} is not supported (Keras writes 0).`);
      this.root = this.address(24 + (version === 1 ? 4 : 0) + 32 + 8);
    } else if (version === 2 || version === 3) {
      this.checkSizes(bytes[9], bytes[10]);
      const base = this.address(12);
      if (base !== 0) throw fail(`a base address of ${base} is not supported (Keras writes 0).`);
      this.root = this.address(12 + 24);
    } else {
      throw fail(`superblock version ${version} is not supported.`);
    }
  }

  private checkSizes(offsets: number, lengths: number): void {
    if (offsets !== 8 || lengths !== 8) {
      throw fail(`only 8-byte addresses and lengths are supported (h5py's default). Received: ${offsets}-byte addresses, ${lengths}-byte lengths`);
    }
  }

  // -- bounds-checked reads ---------------------------------------------------------------------

  private need(at: number, n: number, what: string): void {
    if (!Number.isSafeInteger(at) || at < 0 || n < 0 || at + n > this.bytes.length) {
      throw fail(`${what} at offset ${at} (${n} bytes) lies outside the file (${this.bytes.length} bytes); the file is truncated or corrupt.`);
    }
  }
  private u8(at: number, what = 'a field'): number {
    this.need(at, 1, what);
    return this.view.getUint8(at);
  }
  private u16(at: number, what = 'a field'): number {
    this.need(at, 2, what);
    return this.view.getUint16(at, true);
  }
  private u32(at: number, what = 'a field'): number {
    this.need(at, 4, what);
    return this.view.getUint32(at, true);
  }
  /** An 8-byte unsigned value; beyond 2^53 it is UNDEFINED (no real file is that large). */
  private u64(at: number, what = 'a field'): number {
    this.need(at, 8, what);
    const lo = this.view.getUint32(at, true);
    const hi = this.view.getUint32(at + 4, true);
    return hi >= 0x200000 ? UNDEFINED : hi * 0x100000000 + lo;
  }
  private address(at: number): number {
    return this.u64(at, 'an address');
  }
  /** A variable-size unsigned integer (1, 2, 4 or 8 bytes). */
  private uint(at: number, size: number): number {
    return size === 1 ? this.u8(at) : size === 2 ? this.u16(at) : size === 4 ? this.u32(at) : this.u64(at);
  }
  private ascii(at: number, n: number): string {
    this.need(at, n, 'a signature');
    return String.fromCharCode(...this.bytes.subarray(at, at + n));
  }
  private text(at: number, n: number): string {
    this.need(at, n, 'a string');
    const raw = this.bytes.subarray(at, at + n);
    const end = raw.indexOf(0);
    return new TextDecoder().decode(end < 0 ? raw : raw.subarray(0, end));
  }
  /** A null-terminated string of at most `max` bytes. */
  private cString(at: number, max: number, what: string): string {
    this.need(at, 1, what);
    const limit = Math.min(at + max, this.bytes.length);
    const end = this.bytes.subarray(at, limit).indexOf(0);
    if (end < 0) throw fail(`${what} at offset ${at} is not null-terminated within its heap.`);
    return new TextDecoder().decode(this.bytes.subarray(at, at + end));
  }

  private count(what: string): void {
    if (++this.objects > this.budget.maxObjects) {
      throw fail(`more than ${this.budget.maxObjects} objects (${what}) to read, over the budget ${this.budget.objectsOption}; ` +
        'raise it if the file is genuine.');
    }
  }

  // -- object headers ---------------------------------------------------------------------------

  /** The messages of the object header at `at` (v1 or v2), following continuation blocks once each. */
  private messages(at: number, path: string): Message[] {
    this.count(`the object header of '${path}'`);
    const out: Message[] = [];
    const blocks: Array<[number, number]> = [];
    const seen = new Set<number>();
    let creationOrder = 0;
    if (this.u8(at, `the object header of '${path}'`) === 1) {
      const count = this.u16(at + 2);
      const size = this.u32(at + 8);
      blocks.push([at + 16, size]);
      let i = 0;
      for (let b = 0; b < blocks.length && i < count; b++) {
        const [start, length] = blocks[b];
        this.need(start, length, `the object header of '${path}'`);
        let p = start;
        while (p + 8 <= start + length && i < count) {
          const type = this.u16(p);
          const size = this.u16(p + 2);
          const flags = this.u8(p + 4);
          if (p + 8 + size > start + length) throw fail(`'${path}': a header message overruns its block.`);
          out.push({ type, start: p + 8, size, flags });
          if (type === 0x10) this.continuation(p + 8, blocks, seen, path, false);
          p += 8 + size;
          i++;
        }
      }
      return out;
    }
    if (this.ascii(at, 4) !== 'OHDR') throw fail(`'${path}': no object header at offset ${at}.`);
    if (this.u8(at + 4) !== 2) throw fail(`'${path}': object header version ${this.u8(at + 4)} is not supported.`);
    const flags = this.u8(at + 5);
    let p = at + 6;
    if (flags & 0x20) p += 16;
    if (flags & 0x10) p += 4;
    creationOrder = flags & 0x04 ? 2 : 0;
    const sizeBytes = 1 << (flags & 3);
    const chunk0 = this.uint(p, sizeBytes);
    p += sizeBytes;
    blocks.push([p, chunk0]);
    for (let b = 0; b < blocks.length; b++) {
      const [start, length] = blocks[b];
      this.need(start, length, `the object header of '${path}'`);
      let q = start;
      const end = start + length - (b === 0 ? 0 : 4);  // continuation blocks end in a checksum
      while (q + 4 + creationOrder <= end) {
        const type = this.u8(q);
        const size = this.u16(q + 1);
        const mflags = this.u8(q + 3);
        const body = q + 4 + creationOrder;
        if (body + size > end) throw fail(`'${path}': a header message overruns its block.`);
        out.push({ type, start: body, size, flags: mflags });
        if (type === 0x10) this.continuation(body, blocks, seen, path, true);
        q = body + size;
      }
    }
    return out;
  }

  private continuation(at: number, blocks: Array<[number, number]>, seen: Set<number>, path: string, v2: boolean): void {
    const address = this.address(at);
    const length = this.u64(at + 8);
    if (seen.has(address)) throw fail(`'${path}': an object header continues into a block it already read (a cycle).`);
    seen.add(address);
    this.count(`a header block of '${path}'`);
    this.need(address, length, `a header continuation of '${path}'`);
    if (v2) {
      if (this.ascii(address, 4) !== 'OCHK') throw fail(`'${path}': a header continuation has no OCHK signature.`);
      blocks.push([address + 4, length - 4]);
    } else {
      blocks.push([address, length]);
    }
  }

  private checkShared(m: Message, path: string): void {
    if (m.flags & 0x02) throw fail(`'${path}': shared header messages are not supported (h5py does not write them).`);
  }

  // -- groups -----------------------------------------------------------------------------------

  /** The group or dataset whose object header is at `at`. */
  object(at: number, path: string): Hdf5Group | Hdf5Dataset {
    const msgs = this.messages(at, path);
    if (msgs.some((m) => m.type === 0x01)) return this.dataset(msgs, path);
    const links: Array<[string, number]> = [];
    for (const m of msgs) {
      if (m.type === 0x11) {
        this.symbolTable(this.address(m.start), this.address(m.start + 8), path, links);
      } else if (m.type === 0x06) {
        links.push(this.linkMessage(m, path));
      } else if (m.type === 0x02) {
        this.linkInfo(m, path);
      }
    }
    const attrs = new Map<string, unknown>();
    for (const m of msgs) {
      if (m.type === 0x0c) {
        this.checkShared(m, path);
        const [name, value] = this.attribute(m, path);
        attrs.set(name, value);
      }
    }
    const names = new Set<string>();
    for (const [name] of links) {
      if (names.has(name)) throw fail(`'${path}' has two links named '${name}'.`);
      names.add(name);
    }
    return { kind: 'group', path, links, attrs };
  }

  /** The entries of a v1 B-tree of symbol nodes, level by level, each node read once. */
  private symbolTable(btree: number, heap: number, path: string, links: Array<[string, number]>): void {
    this.need(heap, 32, `the local heap of '${path}'`);
    if (this.ascii(heap, 4) !== 'HEAP') throw fail(`'${path}': no local heap at offset ${heap}.`);
    const heapSize = this.u64(heap + 8);
    const heapData = this.address(heap + 24);
    this.need(heapData, heapSize, `the local heap data of '${path}'`);
    const seen = new Set<number>();
    let level: number[] = [btree];
    let depth: number | undefined;
    while (level.length > 0) {
      const next: number[] = [];
      for (const node of level) {
        if (seen.has(node)) throw fail(`'${path}': a B-tree node is reached twice (a cycle or a shared node).`);
        seen.add(node);
        this.count(`a B-tree node of '${path}'`);
        if (this.ascii(node, 4) !== 'TREE' || this.u8(node + 4) !== 0) throw fail(`'${path}': no group B-tree node at offset ${node}.`);
        const nodeLevel = this.u8(node + 5);
        if (depth === undefined) depth = nodeLevel;
        else if (nodeLevel !== depth) throw fail(`'${path}': B-tree levels are inconsistent.`);
        const entries = this.u16(node + 6);
        // keys and children alternate after the 24-byte header: key0 child0 key1 child1 ... keyN
        this.need(node + 24, entries * 16 + 8, `a B-tree node of '${path}'`);
        for (let i = 0; i < entries; i++) {
          const child = this.address(node + 24 + 8 + i * 16);
          if (nodeLevel > 0) next.push(child);
          else this.symbolNode(child, heapData, heapSize, path, links, seen);
        }
      }
      if (depth !== undefined) depth -= 1;
      level = next;
    }
  }

  private symbolNode(at: number, heapData: number, heapSize: number, path: string, links: Array<[string, number]>, seen: Set<number>): void {
    if (seen.has(at)) throw fail(`'${path}': a symbol table node is reached twice.`);
    seen.add(at);
    this.count(`a symbol node of '${path}'`);
    if (this.ascii(at, 4) !== 'SNOD') throw fail(`'${path}': no symbol table node at offset ${at}.`);
    const symbols = this.u16(at + 6);
    this.need(at + 8, symbols * 40, `a symbol table node of '${path}'`);
    for (let i = 0; i < symbols; i++) {
      const entry = at + 8 + i * 40;
      const nameOffset = this.u64(entry);
      const header = this.address(entry + 8);
      const cacheType = this.u32(entry + 16);
      if (cacheType === 2) throw fail(`'${path}': soft links are not supported (Keras refuses them too).`);
      if (nameOffset >= heapSize) throw fail(`'${path}': a link name lies outside its heap.`);
      links.push([this.cString(heapData + nameOffset, heapSize - nameOffset, `a link name in '${path}'`), header]);
    }
  }

  private linkMessage(m: Message, path: string): [string, number] {
    let p = m.start;
    if (this.u8(p) !== 1) throw fail(`'${path}': link message version ${this.u8(p)} is not supported.`);
    const flags = this.u8(p + 1);
    p += 2;
    const type = flags & 0x08 ? this.u8(p++) : 0;
    if (flags & 0x04) p += 8;
    if (flags & 0x10) p += 1;
    const lengthSize = 1 << (flags & 3);
    const nameLength = this.uint(p, lengthSize);
    p += lengthSize;
    if (p + nameLength > m.start + m.size) throw fail(`'${path}': a link name overruns its message.`);
    const name = this.text(p, nameLength);
    p += nameLength;
    if (type !== 0) throw fail(`'${path}/${name}': ${type === 1 ? 'soft' : 'external'} links are not supported (Keras refuses them too).`);
    return [name, this.address(p)];
  }

  private linkInfo(m: Message, path: string): void {
    const flags = this.u8(m.start + 1);
    const heap = this.address(m.start + 2 + (flags & 1 ? 8 : 0));
    if (heap !== UNDEFINED) {
      throw fail(`'${path}' keeps its links in dense storage (written with libver='latest'), which is not supported; ` +
        'save the model with Keras (h5py\'s default layout).');
    }
  }

  // -- attributes -------------------------------------------------------------------------------

  private attribute(m: Message, path: string): [string, unknown] {
    const version = this.u8(m.start);
    if (version < 1 || version > 3) throw fail(`'${path}': attribute message version ${version} is not supported.`);
    if (version >= 2 && (this.u8(m.start + 1) & 3)) throw fail(`'${path}': attributes with shared datatypes are not supported.`);
    const nameSize = this.u16(m.start + 2);
    const typeSize = this.u16(m.start + 4);
    const spaceSize = this.u16(m.start + 6);
    const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
    let p = m.start + 8 + (version === 3 ? 1 : 0);
    const name = this.text(p, nameSize);
    p += pad(nameSize);
    const type = this.datatype(p);
    p += pad(typeSize);
    const shape = this.dataspace(p, path);
    p += pad(spaceSize);
    if (p > m.start + m.size) throw fail(`'${path}': attribute '${name}' overruns its message.`);
    // Only scalar string attributes are read (Keras's 'name'); others are kept as undefined.
    if (shape.length !== 0 || (type.cls !== 3 && !type.vlenString)) return [name, undefined];
    if (type.vlenString) return [name, this.vlenString(p, path)];
    if (p + type.size > m.start + m.size) throw fail(`'${path}': attribute '${name}' overruns its message.`);
    return [name, this.text(p, type.size)];
  }

  /** A variable-length string: its length and global heap id, then the heap object. */
  private vlenString(at: number, path: string): string {
    const length = this.u32(at);
    const collection = this.address(at + 4);
    const index = this.u32(at + 12);
    this.need(collection, 16, `the global heap of '${path}'`);
    if (this.ascii(collection, 4) !== 'GCOL') throw fail(`'${path}': no global heap at offset ${collection}.`);
    const size = this.u64(collection + 8);
    this.need(collection, size, `the global heap of '${path}'`);
    const end = collection + size;
    let p = collection + 16;
    // Each object is at least 16 bytes, so this walk ends within the collection.
    while (p + 16 <= end) {
      const id = this.u16(p);
      const objectSize = this.u64(p + 8);
      if (id === 0) break;
      if (objectSize > end - p - 16) throw fail(`'${path}': a global heap object overruns its collection.`);
      if (id === index) {
        if (length > objectSize) throw fail(`'${path}': a string is longer than its heap object.`);
        return this.text(p + 16, length);
      }
      p += 16 + Math.ceil(objectSize / 8) * 8;
    }
    throw fail(`'${path}': string ${index} is not in its global heap.`);
  }

  // -- datasets ---------------------------------------------------------------------------------

  private datatype(at: number): DataType {
    const classAndVersion = this.u8(at);
    const cls = classAndVersion & 0x0f;
    const bits = this.u8(at + 1);
    const size = this.u32(at + 4);
    if (cls === 9) {
      const vlenString = (bits & 0x0f) === 1;
      return { cls, size, littleEndian: true, signed: false, vlenString };
    }
    return { cls, size, littleEndian: (bits & 1) === 0, signed: (bits & 0x08) !== 0, vlenString: false };
  }

  private dataspace(at: number, path: string): number[] {
    const version = this.u8(at);
    const rank = this.u8(at + 1);
    if (version !== 1 && version !== 2) throw fail(`'${path}': dataspace version ${version} is not supported.`);
    if (rank > 32) throw fail(`'${path}': a rank of ${rank} is more than HDF5 allows (32).`);
    if (version === 2 && this.u8(at + 3) === 2) return [0];  // null dataspace: no elements
    const first = at + (version === 1 ? 8 : 4);
    const shape: number[] = [];
    for (let i = 0; i < rank; i++) {
      const d = this.u64(first + 8 * i);
      if (d === UNDEFINED) throw fail(`'${path}': a dimension is larger than 2^53.`);
      shape.push(d);
    }
    return shape;
  }

  private dataset(msgs: Message[], path: string): Hdf5Dataset {
    const find = (type: number) => msgs.find((m) => m.type === type);
    for (const m of msgs) this.checkShared(m, path);
    if (find(0x0b)) throw fail(`'${path}' is filtered (compressed); Keras writes plain datasets, and only those are read.`);
    if (find(0x07)) throw fail(`'${path}' keeps its data in an external file, which is not allowed.`);
    const space = find(0x01)!;
    const typeMsg = find(0x03);
    const layout = find(0x08);
    if (!typeMsg || !layout) throw fail(`'${path}' has no datatype or no layout.`);
    const shape = this.dataspace(space.start, path);
    const type = this.datatype(typeMsg.start);
    const dtype = type.cls === 1 ? `float${type.size * 8}` : type.cls === 0 ? `${type.signed ? '' : 'u'}int${type.size * 8}` : '';
    const supported = (type.cls === 1 && [2, 4, 8].includes(type.size)) || (type.cls === 0 && [1, 2, 4, 8].includes(type.size));
    if (!supported) throw fail(`variable ${path} has datatype class ${type.cls} of ${type.size} bytes; only float and integer variables can be imported.`);
    // Element count against the budget before anything is read or allocated.
    let elements = shape.includes(0) ? 0 : 1;
    for (const d of shape) {
      if (elements * 4 > this.budget.maxValueBytes) break;
      elements *= d;
    }
    const byteLength = elements * type.size;
    const version = this.u8(layout.start);
    let dataAt: number;
    let stored: number;
    if (version === 3 || version === 4) {
      const cls = this.u8(layout.start + 1);
      if (cls === 0) {
        stored = this.u16(layout.start + 2);
        dataAt = layout.start + 4;
      } else if (cls === 1) {
        dataAt = this.address(layout.start + 2);
        stored = this.u64(layout.start + 10);
      } else {
        throw fail(`'${path}' uses ${cls === 2 ? 'chunked' : 'virtual'} storage; Keras writes contiguous datasets, and only those are read.`);
      }
    } else if (version === 1 || version === 2) {
      const cls = this.u8(layout.start + 2);
      if (cls !== 1) throw fail(`'${path}' uses layout class ${cls}; Keras writes contiguous datasets, and only those are read.`);
      dataAt = this.address(layout.start + 8);
      stored = byteLength;
    } else {
      throw fail(`'${path}': data layout version ${version} is not supported.`);
    }
    return {
      kind: 'dataset',
      path,
      shape,
      read: () => {
        if (elements * 4 > this.budget.maxValueBytes - this.valueBytes) {
          throw fail(`variable ${path} declares shape [${shape}] (${elements} numbers), which with the variables before it is over ` +
            `the budget ${this.budget.valuesOption} (${this.budget.maxValueBytes} bytes of float32 values); raise it if the file is genuine.`);
        }
        if (stored !== byteLength) {
          throw fail(`variable ${path} declares shape [${shape}] of ${dtype} (${byteLength} bytes) but stores ${stored} bytes.`);
        }
        if (elements > 0 && dataAt === UNDEFINED) throw fail(`variable ${path} declares shape [${shape}] but has no data.`);
        if (elements > 0) this.need(dataAt, byteLength, `the data of ${path}`);
        this.valueBytes += elements * 4;
        return this.values(dataAt, elements, type);
      },
    };
  }

  private values(at: number, n: number, type: DataType): Float32Array {
    const out = new Float32Array(n);
    if (type.cls === 1 && type.size === 4 && type.littleEndian) {
      new Uint8Array(out.buffer).set(this.bytes.subarray(at, at + n * 4));
      return out;
    }
    const le = type.littleEndian;
    const v = this.view;
    for (let i = 0, p = at; i < n; i++, p += type.size) {
      if (type.cls === 1) {
        out[i] = type.size === 8 ? v.getFloat64(p, le) : type.size === 4 ? v.getFloat32(p, le) : float16(v.getUint16(p, le));
      } else if (type.size === 1) out[i] = type.signed ? v.getInt8(p) : v.getUint8(p);
      else if (type.size === 2) out[i] = type.signed ? v.getInt16(p, le) : v.getUint16(p, le);
      else if (type.size === 4) out[i] = type.signed ? v.getInt32(p, le) : v.getUint32(p, le);
      else out[i] = Number(type.signed ? v.getBigInt64(p, le) : v.getBigUint64(p, le));
    }
    return out;
  }
}

function float16(h: number): number {
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  const s = h & 0x8000 ? -1 : 1;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}
