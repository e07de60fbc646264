// Specification of the Multiboot v1 loader: header scan, ELF and a.out-kludge loading, info structure, modules, entry state.
import { describe, expect, it } from 'vitest';
import { findMultibootHeader, loadMultiboot } from '../../../../src/machine/loaders/multiboot.js';
import { at, buildElf, cString, multibootHeader, PC_MEMORY, u32 } from './images.js';

const code = [0xfa, 0xf4];
const elfKernel = (flags = 0x3, delta = 0) => buildElf({ entry: 0x100000, segments: [{ paddr: 0x100000, data: code, memsz: 0x1800 }], prefix: multibootHeader(flags, undefined, delta) });

describe('findMultibootHeader', () => {
  it('finds a 4-byte aligned header with a valid checksum in the first 8 KiB', () => {
    const img = new Uint8Array(8192);
    img.set(multibootHeader(0x3), 8192 - 48);
    expect(findMultibootHeader(img)).toEqual({ offset: 8192 - 48, flags: 3 });
  });
  it('ignores a header with a bad checksum, a misaligned one, and one past 8 KiB', () => {
    const bad = new Uint8Array(64);
    bad.set(multibootHeader(0x3, undefined, 1), 0);
    expect(findMultibootHeader(bad)).toBeUndefined();
    const odd = new Uint8Array(64);
    odd.set(multibootHeader(0x3), 2);
    expect(findMultibootHeader(odd)).toBeUndefined();
    const late = new Uint8Array(9000);
    late.set(multibootHeader(0x3), 8192);
    expect(findMultibootHeader(late)).toBeUndefined();
  });
});

describe('loadMultiboot', () => {
  it('loads the ELF kernel and enters with EAX = 0x2BADB002, EBX = info, flat CS 0x10 / DS 0x18', () => {
    const r = loadMultiboot(elfKernel(), 'k.elf', PC_MEMORY, { commandLine: 'k.elf debug' });
    expect(r.segments[0].address).toBe(0x100000);
    expect(r.entry.mode).toBe('flat32');
    if (r.entry.mode !== 'flat32') return;
    const s = r.entry.state;
    expect(s).toMatchObject({ eip: 0x100000, eax: 0x2badb002, codeSelector: 0x10, dataSelector: 0x18, gdtLimit: 31 });
    expect(s.ebx).toBeGreaterThanOrEqual(0x1000);
    expect(s.ebx! + 128).toBeLessThanOrEqual(0xa0000);
    expect([...at(r.segments, s.gdtBase + 16, 8)]).toEqual([0xff, 0xff, 0, 0, 0, 0x9b, 0xcf, 0]);
  });

  it('fills the info structure: memory sizes, command line, loader name, memory map', () => {
    const r = loadMultiboot(elfKernel(), 'k.elf', PC_MEMORY, { commandLine: 'k.elf debug' });
    if (r.entry.mode !== 'flat32') throw new Error('flat32 expected');
    const info = at(r.segments, r.entry.state.ebx!, 128);
    expect(u32(info, 0)).toBe((1 << 0) | (1 << 2) | (1 << 3) | (1 << 6) | (1 << 9));
    expect(u32(info, 4)).toBe(640); // mem_lower, KiB
    expect(u32(info, 8)).toBe(31 * 1024); // mem_upper: 1 MiB .. 32 MiB
    expect(cString(r.segments, u32(info, 16))).toBe('k.elf debug');
    expect(cString(r.segments, u32(info, 64))).toBe('Shikiri');
    expect(u32(info, 20)).toBe(0); // no modules
    const mmapLen = u32(info, 44);
    expect(mmapLen).toBe(4 * 24);
    const mmap = at(r.segments, u32(info, 48), mmapLen);
    const entries = [0, 1, 2, 3].map((i) => ({ size: u32(mmap, i * 24), base: u32(mmap, i * 24 + 4), hi: u32(mmap, i * 24 + 8), len: u32(mmap, i * 24 + 12), type: u32(mmap, i * 24 + 20) }));
    expect(entries).toEqual([
      { size: 20, base: 0, hi: 0, len: 0xa0000, type: 1 },
      { size: 20, base: 0xf0000, hi: 0, len: 0x10000, type: 2 },
      { size: 20, base: 0x100000, hi: 0, len: 0x1f00000, type: 1 },
      { size: 20, base: 0xffff0000, hi: 0, len: 0x10000, type: 2 },
    ]);
  });

  it('places modules page-aligned above the kernel with their strings', () => {
    const mods = [
      { bytes: new Uint8Array([1, 2, 3]), file: 'a.bin', string: 'a.bin x=1' },
      { bytes: new Uint8Array(0x1001).fill(7), file: 'b.bin', string: 'b.bin' },
    ];
    const r = loadMultiboot(elfKernel(), 'k.elf', PC_MEMORY, { modules: mods });
    if (r.entry.mode !== 'flat32') throw new Error('flat32 expected');
    const info = at(r.segments, r.entry.state.ebx!, 128);
    expect(u32(info, 20)).toBe(2);
    const list = at(r.segments, u32(info, 24), 32);
    expect(u32(list, 0)).toBe(0x102000); // kernel ends at 0x101800
    expect(u32(list, 4)).toBe(0x102003);
    expect(cString(r.segments, u32(list, 8))).toBe('a.bin x=1');
    expect(u32(list, 16)).toBe(0x103000);
    expect(u32(list, 20)).toBe(0x104001);
    expect(cString(r.segments, u32(list, 24))).toBe('b.bin');
    expect([...at(r.segments, 0x102000, 3)]).toEqual([1, 2, 3]);
  });

  it('loads an a.out-kludge image from the header address fields, zeroing the bss', () => {
    // File: 16 bytes of code, then the header at file offset 16 (physical 0x200010).
    const hdr = multibootHeader(0x10003, { headerAddr: 0x200010, loadAddr: 0x200000, loadEndAddr: 0x200040, bssEndAddr: 0x200100, entryAddr: 0x200000 });
    const img = new Uint8Array(0x40);
    img.set([0xfa, 0xf4], 0);
    img.set(hdr, 16);
    const r = loadMultiboot(img, 'k.bin', PC_MEMORY);
    expect(r.segments[0].address).toBe(0x200000);
    expect(r.segments[0].bytes.length).toBe(0x100);
    expect([...r.segments[0].bytes.subarray(0, 2)]).toEqual([0xfa, 0xf4]);
    expect(r.segments[0].bytes[0x80]).toBe(0);
    expect(r.entry).toMatchObject({ state: { eip: 0x200000, eax: 0x2badb002 } });
  });

  describe('rejects', () => {
    it('images without a header', () => {
      expect(() => loadMultiboot(new Uint8Array(100), 'k', PC_MEMORY)).toThrow(/k: no Multiboot header/);
    });
    it('a required video mode (flags bit 2) and unknown required bits', () => {
      expect(() => loadMultiboot(elfKernel(0x7), 'k', PC_MEMORY)).toThrow(/flags bit 2/);
      expect(() => loadMultiboot(elfKernel(0x3 | 0x100), 'k', PC_MEMORY)).toThrow(/flags 0x100 in bits 0-15/);
    });
    it('a header without address fields in a file that is not ELF', () => {
      const img = new Uint8Array(64);
      img.set(multibootHeader(0x3), 0);
      expect(() => loadMultiboot(img, 'k', PC_MEMORY)).toThrow(/not an ELF image/);
    });
    it('inconsistent a.out-kludge fields', () => {
      const mk = (f: { headerAddr: number; loadAddr: number; loadEndAddr: number; bssEndAddr: number; entryAddr: number }) => {
        const img = new Uint8Array(0x40);
        img.set(multibootHeader(0x10000, f), 16);
        return img;
      };
      expect(() => loadMultiboot(mk({ headerAddr: 0x200010, loadAddr: 0x200020, loadEndAddr: 0, bssEndAddr: 0, entryAddr: 0x200020 }), 'k', PC_MEMORY)).toThrow(/load_addr 0x200020 is above header_addr/);
      expect(() => loadMultiboot(mk({ headerAddr: 0x200010, loadAddr: 0x1fff00, loadEndAddr: 0, bssEndAddr: 0, entryAddr: 0x1fff00 }), 'k', PC_MEMORY)).toThrow(/before the start of the file/);
      expect(() => loadMultiboot(mk({ headerAddr: 0x200010, loadAddr: 0x200000, loadEndAddr: 0x200080, bssEndAddr: 0, entryAddr: 0x200000 }), 'k', PC_MEMORY)).toThrow(/truncated/);
      expect(() => loadMultiboot(mk({ headerAddr: 0x200010, loadAddr: 0x200000, loadEndAddr: 0x200040, bssEndAddr: 0x200010, entryAddr: 0x200000 }), 'k', PC_MEMORY)).toThrow(/bss_end_addr 0x200010 is below/);
      expect(() => loadMultiboot(mk({ headerAddr: 0x200010, loadAddr: 0x200000, loadEndAddr: 0, bssEndAddr: 0, entryAddr: 0x300000 }), 'k', PC_MEMORY)).toThrow(/entry_addr 0x300000 is outside/);
      expect(() => loadMultiboot(mk({ headerAddr: 0xa0010, loadAddr: 0xa0000, loadEndAddr: 0, bssEndAddr: 0, entryAddr: 0xa0000 }), 'k', PC_MEMORY)).toThrow(/not inside the board's RAM/);
    });
    it('a module that does not fit, naming the module', () => {
      const big = { bytes: new Uint8Array(0x2000000), file: 'huge.img', string: 'huge' };
      expect(() => loadMultiboot(elfKernel(), 'k', PC_MEMORY, { modules: [big] })).toThrow(/^huge\.img: no free RAM above the kernel/);
    });
  });
});
