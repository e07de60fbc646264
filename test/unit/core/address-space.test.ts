// Specification of the physical bus: RAM, ROM, MMIO, ports, unmapped accesses, watched pages.
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/core/address-space.js';
import { PAGE_DIRECT_READ, PAGE_DIRECT_WRITE } from '../../../src/core/bus.js';

describe('AddressSpace', () => {
  it('stores RAM little-endian at every width, also across page boundaries', () => {
    const a = new AddressSpace(0x10000);
    a.write32(0x0ffe, 0x11223344);
    expect(a.read8(0x0ffe)).toBe(0x44);
    expect(a.read16(0x0fff)).toBe(0x2233);
    expect(a.read32(0x0ffe)).toBe(0x11223344);
    a.write16(0x2000, 0xbeef);
    expect(a.ram[0x2000]).toBe(0xef);
  });

  it('reads all-ones from unmapped memory, ignores writes, and reports each address once with a count', () => {
    const a = new AddressSpace(0x1000);
    expect(a.read8(0x5000)).toBe(0xff);
    expect(a.read32(0x5000)).toBe(0xffffffff);
    a.write8(0x6000, 1);
    const r = a.unmappedReport();
    expect(r).toContainEqual({ address: 0x5000, kind: 'mem-read', count: 2 });
    expect(r).toContainEqual({ address: 0x6000, kind: 'mem-write', count: 1 });
  });

  it('leaves holes between RAM ranges unmapped', () => {
    const a = new AddressSpace(0x200000, [
      { base: 0, size: 0xa0000 },
      { base: 0x100000, size: 0x100000 },
    ]);
    a.write8(0xb8000, 0x41);
    expect(a.read8(0xb8000)).toBe(0xff);
    expect(a.isRam(0x9ffff)).toBe(true);
    expect(a.isRam(0xa0000)).toBe(false);
    expect(a.loadBytes(0x9fffe, new Uint8Array(4))).toBe(false);
  });

  it('maps a ROM at several bases, read-only', () => {
    const a = new AddressSpace(0x1000);
    const rom = new Uint8Array(0x10000).map((_, i) => i & 0xff);
    a.mapRom('bios', 0xf0000, rom);
    a.mapRom('bios-high', 0xffff0000, rom);
    expect(a.read8(0xffff0)).toBe(0xf0);
    expect(a.read8(0xfffffff0)).toBe(0xf0);
    a.write8(0xffff0, 0);
    expect(a.read8(0xffff0)).toBe(0xf0);
    expect(a.pageFlags[0xf0]).toBe(0);
  });

  it('dispatches MMIO by offset, splitting widths the handler does not implement', () => {
    const a = new AddressSpace(0x1000);
    const seen: string[] = [];
    a.mapMmio('dev', 0x10000, 0x1000, {
      read8: (o) => o,
      write8: (o, v) => seen.push(`w8 ${o}=${v}`),
      read32: (o) => 0xcafe0000 + o,
    });
    expect(a.read32(0x10004)).toBe(0xcafe0004);
    expect(a.read16(0x10002)).toBe(0x0302);
    a.write16(0x10010, 0x1234);
    expect(seen).toEqual(['w8 16=52', 'w8 17=18']);
  });

  it('refuses overlapping ROM/MMIO and port mappings, naming both', () => {
    const a = new AddressSpace(0x1000);
    a.mapMmio('one', 0x10000, 0x2000, { read8: () => 0, write8: () => {} });
    expect(() => a.mapMmio('two', 0x11000, 0x1000, { read8: () => 0, write8: () => {} })).toThrow(/'two' overlaps/);
    a.mapPorts('pic', 0x20, 2, { read8: () => 0, write8: () => {} });
    expect(() => a.mapPorts('other', 0x21, 1, { read8: () => 0, write8: () => {} })).toThrow(/0x21 of 'other' is already used by 'pic'/);
  });

  it('reads all-ones from unknown ports at every width and reports them', () => {
    const a = new AddressSpace(0x1000);
    expect(a.in8(0x87)).toBe(0xff);
    expect(a.in16(0x300)).toBe(0xffff);
    expect(a.in32(0x300)).toBe(0xffffffff);
    a.out8(0x80, 1);
    expect(a.unmappedReport()).toContainEqual({ address: 0x80, kind: 'port-write', count: 1 });
  });

  it('combines port widths only when the device decodes them as a unit', () => {
    const a = new AddressSpace(0x1000);
    const log: string[] = [];
    a.mapPorts('wide', 0x100, 4, { read8: (o) => o + 1, write8: (o, v) => log.push(`8:${o}=${v}`), read16: () => 0xabcd, write32: (o, v) => log.push(`32:${o}=${v}`) });
    expect(a.in16(0x100)).toBe(0xabcd);
    expect(a.in16(0x103)).toBe(0xff04); // straddles the end of the mapping: split
    a.out32(0x100, 7);
    a.out16(0x102, 0x0102);
    expect(log).toEqual(['32:0=7', '8:2=2', '8:3=1']);
  });

  it('tells the listener about writes to watched pages and stops direct writes there', () => {
    const a = new AddressSpace(0x4000);
    const pages: number[] = [];
    a.onWatchedWrite = (p) => pages.push(p);
    a.watchPage(2);
    expect(a.pageFlags[2]).toBe(PAGE_DIRECT_READ);
    a.write32(0x2ffe, 0);
    expect(pages).toEqual([2, 2]);
    a.unwatchPage(2);
    expect(a.pageFlags[2]).toBe(PAGE_DIRECT_READ | PAGE_DIRECT_WRITE);
  });

  it('tells the listener once per watched page a loader copy touches (code copied in again at a reset)', () => {
    const a = new AddressSpace(0x8000);
    const pages: number[] = [];
    a.onWatchedWrite = (p) => pages.push(p);
    a.watchPage(2);
    a.watchPage(4);
    a.watchPage(6);
    expect(a.loadBytes(0x2ff0, new Uint8Array(0x2020))).toBe(true); // pages 2, 3, 4, 5
    expect(pages).toEqual([2, 4]);
  });
});
