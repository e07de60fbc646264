/** The physical address space: RAM, ROM and MMIO by 4 KiB page, and the 64 K I/O-port space. */

import { PAGE_DIRECT_READ, PAGE_DIRECT_WRITE, PAGE_SHIFT, type Bus, type PageWriteListener } from './bus.js';
import type { MmioHandler, PortHandler } from './device.js';

const PAGE_SIZE = 1 << PAGE_SHIFT;
const PAGE_COUNT = 1 << (32 - PAGE_SHIFT);
const PORT_COUNT = 0x10000;

const KIND_UNMAPPED = 0;
const KIND_RAM = 1;
const KIND_ROM = 2;
const KIND_MMIO = 3;

/** Kind of access that reached nothing, as listed in the run report. */
export type UnmappedKind = 'mem-read' | 'mem-write' | 'port-read' | 'port-write';

/** One line of the unmapped-access report: first address of the access, kind, and how often. */
export interface UnmappedAccess {
  address: number;
  kind: UnmappedKind;
  count: number;
}

interface MmioRegion {
  name: string;
  base: number;
  size: number;
  handler: MmioHandler;
}

interface RomRegion {
  name: string;
  base: number;
  data: Uint8Array;
}

interface PortMapping {
  name: string;
  base: number;
  count: number;
  handler: PortHandler;
}

/** At most this many distinct unmapped addresses are tracked; later ones are only counted. */
const UNMAPPED_TRACK_LIMIT = 4096;

/**
 * The board's physical bus. RAM is one typed array indexed by physical address; ROM and MMIO
 * are mapped per 4 KiB page. Pages set up as RAM are readable and writable directly through
 * {@link ram} when {@link pageFlags} allows it (the CPU's fast path).
 */
export class AddressSpace implements Bus {
  readonly ram: Uint8Array;
  readonly pageFlags: Uint8Array;
  onWatchedWrite: PageWriteListener | null = null;

  private readonly pageKind = new Uint8Array(PAGE_COUNT);
  private readonly pageRegion = new Uint16Array(PAGE_COUNT);
  private readonly watched = new Uint8Array(PAGE_COUNT);
  private readonly roms: RomRegion[] = [];
  private readonly mmios: MmioRegion[] = [];
  private readonly ports: (PortMapping | null)[] = new Array(PORT_COUNT).fill(null);
  private readonly unmappedCounts = new Map<string, UnmappedAccess>();
  /** Accesses to unmapped addresses beyond the tracking limit. */
  unmappedOverflow = 0;

  /**
   * @param ramTop bytes of RAM backing store (physical 0 .. ramTop-1); must be a multiple of 4 KiB.
   * @param ramRanges physical ranges that are RAM, each page aligned, inside [0, ramTop).
   *   Defaults to the whole backing store.
   * @param store the RAM store (ramTop bytes) and page flags (2^20 bytes) to use, zeroed, when
   *   they must live in a given memory (the CPU's 'wasm' engine); allocated here by default.
   */
  constructor(ramTop: number, ramRanges: ReadonlyArray<{ base: number; size: number }> = [{ base: 0, size: ramTop }],
    store?: { ram: Uint8Array; pageFlags: Uint8Array }) {
    if (ramTop % PAGE_SIZE !== 0 || ramTop <= 0 || ramTop > 0xfff0_0000) throw new RangeError(`RAM size ${ramTop} is not a positive multiple of 4 KiB below 4 GiB`);
    if (store && (store.ram.length !== ramTop || store.pageFlags.length !== PAGE_COUNT)) throw new RangeError(`RAM store of ${store.ram.length} bytes and ${store.pageFlags.length} page flags given for ${ramTop} bytes and ${PAGE_COUNT} pages`);
    this.ram = store?.ram ?? new Uint8Array(ramTop);
    this.pageFlags = store?.pageFlags ?? new Uint8Array(PAGE_COUNT);
    for (const r of ramRanges) {
      if (r.base % PAGE_SIZE || r.size % PAGE_SIZE || r.base + r.size > ramTop) throw new RangeError(`RAM range ${hex(r.base)}+${hex(r.size)} is not page aligned inside the RAM store`);
      for (let p = r.base >>> PAGE_SHIFT; p < (r.base + r.size) >>> PAGE_SHIFT; p++) {
        this.pageKind[p] = KIND_RAM;
        this.pageFlags[p] = PAGE_DIRECT_READ | PAGE_DIRECT_WRITE;
      }
    }
  }

  /** Map a ROM image at a page-aligned physical base (it may be mapped at several bases). */
  mapRom(name: string, base: number, data: Uint8Array): void {
    if (base % PAGE_SIZE || data.length % PAGE_SIZE || data.length === 0) throw new RangeError(`ROM '${name}' at ${hex(base)}: base and size must be multiples of 4 KiB`);
    const idx = this.roms.push({ name, base, data }) - 1;
    this.claimPages(name, base, data.length, KIND_ROM, idx);
  }

  /** Map an MMIO handler over a page-aligned range. */
  mapMmio(name: string, base: number, size: number, handler: MmioHandler): void {
    if (base % PAGE_SIZE || size % PAGE_SIZE || size === 0) throw new RangeError(`MMIO '${name}' at ${hex(base)}: base and size must be multiples of 4 KiB`);
    const idx = this.mmios.push({ name, base, size, handler }) - 1;
    this.claimPages(name, base, size, KIND_MMIO, idx);
  }

  /** Map a port handler at ports [base, base+count). Overlaps are an error. */
  mapPorts(name: string, base: number, count: number, handler: PortHandler): void {
    if (base < 0 || count <= 0 || base + count > PORT_COUNT) throw new RangeError(`ports of '${name}' ${hex(base)}+${count} are outside the 64 K port space`);
    for (let p = base; p < base + count; p++) {
      const other = this.ports[p];
      if (other) throw new RangeError(`port ${hex(p)} of '${name}' is already used by '${other.name}'`);
    }
    const m: PortMapping = { name, base, count, handler };
    for (let p = base; p < base + count; p++) this.ports[p] = m;
  }

  private claimPages(name: string, base: number, size: number, kind: number, idx: number): void {
    const first = base >>> PAGE_SHIFT;
    const last = (base + size - 1) >>> PAGE_SHIFT;
    if (base + size > 0x1_0000_0000) throw new RangeError(`'${name}' at ${hex(base)}+${hex(size)} extends past 4 GiB`);
    for (let p = first; p <= last; p++) {
      if (this.pageKind[p] === KIND_ROM || this.pageKind[p] === KIND_MMIO) throw new RangeError(`'${name}' overlaps another ROM/MMIO mapping at ${hex(p << PAGE_SHIFT)}`);
    }
    for (let p = first; p <= last; p++) {
      this.pageKind[p] = kind;
      this.pageRegion[p] = idx;
      this.pageFlags[p] = 0; // ROM and MMIO always take the slow path
    }
  }

  // ---- memory ----

  read8(addr: number): number {
    addr >>>= 0;
    const page = addr >>> PAGE_SHIFT;
    switch (this.pageKind[page]) {
      case KIND_RAM:
        return this.ram[addr];
      case KIND_ROM: {
        const r = this.roms[this.pageRegion[page]];
        return r.data[addr - r.base];
      }
      case KIND_MMIO: {
        const m = this.mmios[this.pageRegion[page]];
        return m.handler.read8(addr - m.base) & 0xff;
      }
      default:
        this.noteUnmapped(addr, 'mem-read');
        return 0xff;
    }
  }

  read16(addr: number): number {
    addr >>>= 0;
    const page = addr >>> PAGE_SHIFT;
    if ((addr & (PAGE_SIZE - 1)) <= PAGE_SIZE - 2) {
      const kind = this.pageKind[page];
      if (kind === KIND_RAM) return this.ram[addr] | (this.ram[addr + 1] << 8);
      if (kind === KIND_MMIO) {
        const m = this.mmios[this.pageRegion[page]];
        if (m.handler.read16) return m.handler.read16(addr - m.base) & 0xffff;
      }
    }
    return this.read8(addr) | (this.read8((addr + 1) >>> 0) << 8);
  }

  read32(addr: number): number {
    addr >>>= 0;
    const page = addr >>> PAGE_SHIFT;
    if ((addr & (PAGE_SIZE - 1)) <= PAGE_SIZE - 4) {
      const kind = this.pageKind[page];
      if (kind === KIND_RAM) {
        const r = this.ram;
        return (r[addr] | (r[addr + 1] << 8) | (r[addr + 2] << 16) | (r[addr + 3] << 24)) >>> 0;
      }
      if (kind === KIND_MMIO) {
        const m = this.mmios[this.pageRegion[page]];
        if (m.handler.read32) return m.handler.read32(addr - m.base) >>> 0;
      }
    }
    return (this.read16(addr) | (this.read16((addr + 2) >>> 0) << 16)) >>> 0;
  }

  write8(addr: number, value: number): void {
    addr >>>= 0;
    const page = addr >>> PAGE_SHIFT;
    switch (this.pageKind[page]) {
      case KIND_RAM:
        this.ram[addr] = value;
        if (this.watched[page] && this.onWatchedWrite) this.onWatchedWrite(page);
        return;
      case KIND_ROM:
        return; // ROM ignores writes
      case KIND_MMIO: {
        const m = this.mmios[this.pageRegion[page]];
        m.handler.write8(addr - m.base, value & 0xff);
        return;
      }
      default:
        this.noteUnmapped(addr, 'mem-write');
    }
  }

  write16(addr: number, value: number): void {
    addr >>>= 0;
    const page = addr >>> PAGE_SHIFT;
    if ((addr & (PAGE_SIZE - 1)) <= PAGE_SIZE - 2 && this.pageKind[page] === KIND_MMIO) {
      const m = this.mmios[this.pageRegion[page]];
      if (m.handler.write16) {
        m.handler.write16(addr - m.base, value & 0xffff);
        return;
      }
    }
    this.write8(addr, value);
    this.write8((addr + 1) >>> 0, value >>> 8);
  }

  write32(addr: number, value: number): void {
    addr >>>= 0;
    const page = addr >>> PAGE_SHIFT;
    if ((addr & (PAGE_SIZE - 1)) <= PAGE_SIZE - 4 && this.pageKind[page] === KIND_MMIO) {
      const m = this.mmios[this.pageRegion[page]];
      if (m.handler.write32) {
        m.handler.write32(addr - m.base, value >>> 0);
        return;
      }
    }
    this.write16(addr, value);
    this.write16((addr + 2) >>> 0, value >>> 16);
  }

  watchPage(page: number): void {
    if (this.pageKind[page] !== KIND_RAM) return;
    this.watched[page] = 1;
    this.pageFlags[page] &= ~PAGE_DIRECT_WRITE;
  }

  unwatchPage(page: number): void {
    if (this.pageKind[page] !== KIND_RAM) return;
    this.watched[page] = 0;
    this.pageFlags[page] |= PAGE_DIRECT_WRITE;
  }

  /** True when the physical address is backed by RAM. */
  isRam(addr: number): boolean {
    return this.pageKind[addr >>> PAGE_SHIFT] === KIND_RAM;
  }

  /** Copy bytes into RAM or ROM backing store (loaders); returns false if any byte is not RAM. */
  loadBytes(addr: number, bytes: Uint8Array): boolean {
    for (let i = 0; i < bytes.length; i += PAGE_SIZE - ((addr + i) & (PAGE_SIZE - 1))) {
      if (!this.isRam(addr + i)) return false;
    }
    if (bytes.length > 0 && !this.isRam(addr + bytes.length - 1)) return false;
    this.ram.set(bytes, addr);
    // A loader's write is a write like any other for whoever watches the pages (compiled code).
    if (this.onWatchedWrite !== null && bytes.length > 0) {
      for (let p = addr >>> PAGE_SHIFT; p <= (addr + bytes.length - 1) >>> PAGE_SHIFT; p++) {
        if (this.watched[p]) this.onWatchedWrite(p);
      }
    }
    return true;
  }

  // ---- ports ----

  in8(port: number): number {
    port &= 0xffff;
    const m = this.ports[port];
    if (m === null) {
      this.noteUnmapped(port, 'port-read');
      return 0xff;
    }
    return m.handler.read8(port - m.base) & 0xff;
  }

  in16(port: number): number {
    port &= 0xffff;
    const m = this.ports[port];
    if (m !== null && m.handler.read16 && port + 1 < m.base + m.count) return m.handler.read16(port - m.base) & 0xffff;
    return this.in8(port) | (this.in8((port + 1) & 0xffff) << 8);
  }

  in32(port: number): number {
    port &= 0xffff;
    const m = this.ports[port];
    if (m !== null && m.handler.read32 && port + 3 < m.base + m.count) return m.handler.read32(port - m.base) >>> 0;
    return (this.in16(port) | (this.in16((port + 2) & 0xffff) << 16)) >>> 0;
  }

  out8(port: number, value: number): void {
    port &= 0xffff;
    const m = this.ports[port];
    if (m === null) {
      this.noteUnmapped(port, 'port-write');
      return;
    }
    m.handler.write8(port - m.base, value & 0xff);
  }

  out16(port: number, value: number): void {
    port &= 0xffff;
    const m = this.ports[port];
    if (m !== null && m.handler.write16 && port + 1 < m.base + m.count) {
      m.handler.write16(port - m.base, value & 0xffff);
      return;
    }
    this.out8(port, value);
    this.out8((port + 1) & 0xffff, value >>> 8);
  }

  out32(port: number, value: number): void {
    port &= 0xffff;
    const m = this.ports[port];
    if (m !== null && m.handler.write32 && port + 3 < m.base + m.count) {
      m.handler.write32(port - m.base, value >>> 0);
      return;
    }
    this.out16(port, value);
    this.out16((port + 2) & 0xffff, value >>> 16);
  }

  // ---- unmapped-access report ----

  private noteUnmapped(address: number, kind: UnmappedKind): void {
    const key = kind + address;
    const e = this.unmappedCounts.get(key);
    if (e) e.count++;
    else if (this.unmappedCounts.size < UNMAPPED_TRACK_LIMIT) this.unmappedCounts.set(key, { address, kind, count: 1 });
    else this.unmappedOverflow++;
  }

  /** Every distinct unmapped access so far, in first-seen order. */
  unmappedReport(): UnmappedAccess[] {
    return [...this.unmappedCounts.values()].map((e) => ({ ...e }));
  }

  /** Restore the unmapped-access report (machine snapshots). */
  loadUnmappedReport(entries: ReadonlyArray<UnmappedAccess>, overflow: number): void {
    this.unmappedCounts.clear();
    for (const e of entries) this.unmappedCounts.set(e.kind + e.address, { ...e });
    this.unmappedOverflow = overflow;
  }
}

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16);
}
