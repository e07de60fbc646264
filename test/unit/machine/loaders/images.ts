// Hand-made boot images for the loader tests: ELF32 executables, bzImage headers, Multiboot headers.

export interface ElfSegmentSpec {
  paddr: number;
  vaddr?: number;
  data: Uint8Array | number[];
  memsz?: number;
  type?: number;
}

export interface ElfSpec {
  entry: number;
  segments: ElfSegmentSpec[];
  /** Overrides of header fields, by name. */
  cls?: number;
  data?: number;
  type?: number;
  machine?: number;
  phentsize?: number;
  /** Bytes inserted right after the program headers (e.g. a Multiboot header), before segment data. */
  prefix?: Uint8Array;
}

/** An ELF32 little-endian i386 executable: header, program headers, optional prefix, then segment data. */
export function buildElf(spec: ElfSpec): Uint8Array {
  const phoff = 52;
  const phnum = spec.segments.length;
  let off = phoff + 32 * phnum + (spec.prefix?.length ?? 0);
  const placed = spec.segments.map((s) => {
    const o = off;
    off += s.data.length;
    return o;
  });
  const out = new Uint8Array(off);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, spec.cls ?? 1, spec.data ?? 1, 1]);
  v.setUint16(16, spec.type ?? 2, true);
  v.setUint16(18, spec.machine ?? 3, true);
  v.setUint32(20, 1, true);
  v.setUint32(24, spec.entry >>> 0, true);
  v.setUint32(28, phoff, true);
  v.setUint16(40, 52, true);
  v.setUint16(42, spec.phentsize ?? 32, true);
  v.setUint16(44, phnum, true);
  spec.segments.forEach((s, i) => {
    const p = phoff + 32 * i;
    v.setUint32(p, s.type ?? 1, true);
    v.setUint32(p + 4, placed[i], true);
    v.setUint32(p + 8, (s.vaddr ?? s.paddr) >>> 0, true);
    v.setUint32(p + 12, s.paddr >>> 0, true);
    v.setUint32(p + 16, s.data.length, true);
    v.setUint32(p + 20, s.memsz ?? s.data.length, true);
    v.setUint32(p + 24, 5, true);
    out.set(s.data, placed[i]);
  });
  if (spec.prefix) out.set(spec.prefix, phoff + 32 * phnum);
  return out;
}

/** A Multiboot v1 header (48 bytes with the a.out and video fields). */
export function multibootHeader(flags: number, aout?: { headerAddr: number; loadAddr: number; loadEndAddr: number; bssEndAddr: number; entryAddr: number }, checksumDelta = 0): Uint8Array {
  const h = new Uint8Array(48);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0x1badb002, true);
  v.setUint32(4, flags >>> 0, true);
  v.setUint32(8, (-(0x1badb002 + flags) + checksumDelta) >>> 0, true);
  if (aout) {
    v.setUint32(12, aout.headerAddr, true);
    v.setUint32(16, aout.loadAddr, true);
    v.setUint32(20, aout.loadEndAddr, true);
    v.setUint32(24, aout.bssEndAddr, true);
    v.setUint32(28, aout.entryAddr, true);
  }
  return h;
}

export interface BzSpec {
  setupSects?: number;
  version?: number;
  loadflags?: number;
  bootFlag?: number;
  magic?: number;
  pm?: Uint8Array;
  initSize?: number;
  cmdlineSize?: number;
  initrdAddrMax?: number;
  syssize?: number;
}

/** A bzImage: boot sector + setup sectors with a setup header, then the protected-mode kernel. */
export function buildBzImage(spec: BzSpec = {}): Uint8Array {
  const raw = spec.setupSects ?? 4;
  const sects = raw === 0 ? 4 : raw;
  const pm = spec.pm ?? new Uint8Array(0x3000).map((_, i) => (i * 7) & 0xff);
  const out = new Uint8Array((sects + 1) * 512 + pm.length);
  const v = new DataView(out.buffer);
  out[0x1f1] = raw;
  v.setUint32(0x1f4, spec.syssize ?? Math.ceil(pm.length / 16), true);
  v.setUint16(0x1fe, spec.bootFlag ?? 0xaa55, true);
  out[0x200] = 0xeb;
  out[0x201] = 0x6a; // header ends at 0x26C, as in Linux 6.1
  v.setUint32(0x202, spec.magic ?? 0x53726448, true);
  v.setUint16(0x206, spec.version ?? 0x020f, true);
  out[0x211] = spec.loadflags ?? 0x01;
  v.setUint32(0x214, 0x100000, true);
  v.setUint32(0x22c, spec.initrdAddrMax ?? 0x7fffffff, true);
  v.setUint32(0x238, spec.cmdlineSize ?? 2047, true);
  v.setUint32(0x260, spec.initSize ?? 0x10000, true);
  out.set(pm, (sects + 1) * 512);
  return out;
}

export const u32 = (b: Uint8Array, o: number): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(o, true);
export const u16 = (b: Uint8Array, o: number): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint16(o, true);

/** The NUL-terminated string at a physical address in a set of segments. */
export function cString(segments: Array<{ address: number; bytes: Uint8Array }>, addr: number): string {
  const s = segments.find((x) => addr >= x.address && addr < x.address + x.bytes.length);
  if (!s) throw new Error(`no segment holds 0x${addr.toString(16)}`);
  const from = addr - s.address;
  const end = s.bytes.indexOf(0, from);
  return new TextDecoder().decode(s.bytes.subarray(from, end < 0 ? undefined : end));
}

/** Bytes at a physical address (length n) from a set of segments. */
export function at(segments: Array<{ address: number; bytes: Uint8Array }>, addr: number, n: number): Uint8Array {
  const s = segments.find((x) => addr >= x.address && addr + n <= x.address + x.bytes.length);
  if (!s) throw new Error(`no segment holds 0x${addr.toString(16)}+${n}`);
  return s.bytes.subarray(addr - s.address, addr - s.address + n);
}

/** The pc-i486 memory map, spelled out so the loader tests do not depend on the board file. */
export const PC_MEMORY = {
  ram: [
    { base: 0, size: 0xa0000 },
    { base: 0x100000, size: 0x1f00000 },
  ],
  rom: [
    { base: 0xf0000, size: 0x10000 },
    { base: 0xffff0000, size: 0x10000 },
  ],
};
