/**
 * The members of a .keras zip, within budgets. The central directory is read here (fflate reads it
 * too, but neither exposes where a member's data lies nor checks an inflated size against the
 * declared one: a lying header comes out silently truncated). Inflation is fflate's streaming
 * Inflate, fed in small slices and stopped the moment it passes the declared size, so neither an
 * honest bomb (refused by its declared size and ratio) nor a lying header costs more than the budget.
 */
import { Inflate } from 'fflate';
import { modelError } from './errors';
import { overBudget, type ImportLimits } from './limits';

/** What to extract: member name -> the limit bounding its uncompressed size. */
export type Wanted = Record<string, 'maxConfigBytes' | 'maxWeightsBytes'>;

interface Entry {
  name: string;
  method: number;
  flags: number;
  compressed: number;
  size: number;
  offset: number;
}

const SLICE = 16 * 1024;          // compressed bytes per push: at most ~16 MB out of a maximal deflate stream
const RATIO_FLOOR = 2 ** 20;      // members below 1 MiB are never refused for their ratio

class Reader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(at: number, n: number, what: string): void {
    if (!Number.isSafeInteger(at) || at < 0 || at + n > this.bytes.length) {
      throw modelError(`cannot unzip the .keras archive: ${what} lies outside the file (truncated or corrupt).`);
    }
  }
  u16(at: number, what: string): number {
    this.need(at, 2, what);
    return this.view.getUint16(at, true);
  }
  u32(at: number, what: string): number {
    this.need(at, 4, what);
    return this.view.getUint32(at, true);
  }
  u64(at: number, what: string): number {
    this.need(at, 8, what);
    const hi = this.view.getUint32(at + 4, true);
    if (hi >= 0x200000) throw modelError(`cannot unzip the .keras archive: ${what} is larger than 2^53.`);
    return hi * 0x100000000 + this.view.getUint32(at, true);
  }
}

function directory(r: Reader): Entry[] {
  const { bytes } = r;
  let eocd = -1;
  for (let e = bytes.length - 22; e >= 0 && e >= bytes.length - 22 - 0xffff; e--) {
    if (r.u32(e, 'the end of central directory') === 0x06054b50) {
      eocd = e;
      break;
    }
  }
  if (eocd < 0) throw modelError('cannot unzip the .keras archive: no end of central directory (not a zip, or truncated).');
  let count = r.u16(eocd + 10, 'the entry count');
  let size = r.u32(eocd + 12, 'the directory size');
  let offset = r.u32(eocd + 16, 'the directory offset');
  if (eocd >= 20 && r.u32(eocd - 20, 'the zip64 locator') === 0x07064b50) {
    const z = r.u64(eocd - 12, 'the zip64 directory address');
    if (r.u32(z, 'the zip64 directory') !== 0x06064b50) throw modelError('cannot unzip the .keras archive: a broken zip64 directory.');
    count = r.u64(z + 32, 'the zip64 entry count');
    size = r.u64(z + 40, 'the zip64 directory size');
    offset = r.u64(z + 48, 'the zip64 directory offset');
  }
  r.need(offset, size, 'the central directory');
  // Every entry takes at least 46 bytes, so `count` cannot make this loop outrun the directory.
  if (count * 46 > size) throw modelError(`cannot unzip the .keras archive: ${count} entries cannot fit in a ${size}-byte directory.`);
  const entries: Entry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (r.u32(p, 'a directory entry') !== 0x02014b50) throw modelError('cannot unzip the .keras archive: a broken central directory entry.');
    const flags = r.u16(p + 8, 'entry flags');
    const method = r.u16(p + 10, 'entry method');
    let compressed = r.u32(p + 20, 'a compressed size');
    let sizeOut = r.u32(p + 24, 'a size');
    const nameLength = r.u16(p + 28, 'a name length');
    const extraLength = r.u16(p + 30, 'an extra length');
    const commentLength = r.u16(p + 32, 'a comment length');
    let local = r.u32(p + 42, 'a local header offset');
    r.need(p + 46, nameLength + extraLength, 'an entry name');
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength));
    // zip64 sizes and offset, for the fields saturated at 0xffffffff
    for (let x = p + 46 + nameLength; x + 4 <= p + 46 + nameLength + extraLength;) {
      const id = r.u16(x, 'an extra field');
      const len = r.u16(x + 2, 'an extra field');
      if (id === 0x0001) {
        let q = x + 4;
        if (sizeOut === 0xffffffff) {
          sizeOut = r.u64(q, 'a zip64 size');
          q += 8;
        }
        if (compressed === 0xffffffff) {
          compressed = r.u64(q, 'a zip64 size');
          q += 8;
        }
        if (local === 0xffffffff) local = r.u64(q, 'a zip64 offset');
      }
      x += 4 + len;
    }
    entries.push({ name, method, flags, compressed, size: sizeOut, offset: local });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Inflates `data` into exactly `size` bytes, or fails as soon as the stream disagrees. */
function inflateExactly(name: string, data: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let written = 0;
  const inflate = new Inflate((chunk) => {
    if (written + chunk.length > size) {
      throw modelError(`the archive member ${name} inflates to more than the ${size} bytes its header declares (a lying header).`);
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  try {
    for (let p = 0; p < data.length; p += SLICE) inflate.push(data.subarray(p, p + SLICE), p + SLICE >= data.length);
    if (data.length === 0) inflate.push(data, true);
  } catch (e) {
    if ((e as Error).name === 'KerasImportError') throw e;
    throw modelError(`cannot inflate the archive member ${name}: ${(e as Error).message}`);
  }
  if (written !== size) {
    throw modelError(`the archive member ${name} inflates to ${written} bytes, not the ${size} its header declares.`);
  }
  return out;
}

/** The wanted members present in the archive, each within its budget. */
export function readZipMembers(bytes: Uint8Array, wanted: Wanted, limits: ImportLimits): Map<string, Uint8Array> {
  const r = new Reader(bytes);
  const out = new Map<string, Uint8Array>();
  for (const entry of directory(r)) {
    if (!Object.prototype.hasOwnProperty.call(wanted, entry.name)) continue;
    const { name } = entry;
    if (out.has(name)) throw modelError(`the .keras archive holds ${name} twice.`);
    const limit = wanted[name];
    if (entry.size > limits[limit]) {
      throw overBudget(limit, limits, `the archive member ${name} declares ${entry.size} bytes uncompressed`);
    }
    if (entry.flags & 1) throw modelError(`the archive member ${name} is encrypted.`);
    if (r.u32(entry.offset, `the local header of ${name}`) !== 0x04034b50) throw modelError(`the archive member ${name} has no local header.`);
    const start = entry.offset + 30 + r.u16(entry.offset + 26, 'a name length') + r.u16(entry.offset + 28, 'an extra length');
    r.need(start, entry.compressed, `the data of ${name}`);
    const data = bytes.subarray(start, start + entry.compressed);
    if (entry.method === 0) {
      if (entry.compressed !== entry.size) throw modelError(`the stored archive member ${name} declares ${entry.size} bytes but holds ${entry.compressed}.`);
      out.set(name, data);
    } else if (entry.method === 8) {
      if (entry.size > RATIO_FLOOR && entry.size > limits.maxCompressionRatio * entry.compressed) {
        throw overBudget('maxCompressionRatio', limits, `the archive member ${name} inflates ${entry.compressed} bytes into ` +
          `${entry.size} (a ratio of ${Math.round(entry.size / Math.max(entry.compressed, 1))}; Keras stores members uncompressed)`);
      }
      out.set(name, inflateExactly(name, data, entry.size));
    } else {
      throw modelError(`the archive member ${name} uses compression method ${entry.method}; only stored and deflated members can be read.`);
    }
  }
  return out;
}
