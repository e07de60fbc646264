// REP MOVS / REP STOS: the page-run fast path gives the element loop's results, register values and faults (on both engines).
import { describe, test, expect } from 'vitest';
import { runToHalt, peek32, PM_PRELUDE, identityPaging, ENGINES, onEngine, type TestMachine } from '../../../cpu/harness.js';

function pattern(m: TestMachine, at: number, n: number): number[] {
  const bytes = Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
  m.bus.ram.set(bytes, at);
  return bytes;
}

for (const engine of ENGINES) describe(`${engine} engine`, () => {
  const { flat } = onEngine(engine);

  describe('REP MOVS', () => {
    test('REP MOVSD over several pages from an unaligned source copies every byte and advances ECX/ESI/EDI', () => {
      const m = flat(`
        mov esi, 0x20ffd
        mov edi, 0x40802
        mov ecx, 2500
        cld
        rep movsd
        hlt`);
      const src = pattern(m, 0x20ffd, 10000);
      expect(runToHalt(m)).toBe('halt');
      expect(Array.from(m.bus.ram.slice(0x40802, 0x40802 + 10000))).toEqual(src);
      expect(m.bus.ram[0x40802 + 10000]).toBe(0);
      expect(m.cpu.ecx).toBe(0);
      expect(m.cpu.esi).toBe(0x20ffd + 10000);
      expect(m.cpu.edi).toBe(0x40802 + 10000);
    });

    test('REP MOVSB with the destination one byte into the source repeats the first byte (element order)', () => {
      const m = flat(`
        mov esi, 0x20000
        mov edi, 0x20001
        mov ecx, 100
        cld
        rep movsb
        hlt`);
      m.bus.ram[0x20000] = 0x5a;
      pattern(m, 0x20001, 100);
      runToHalt(m);
      expect(Array.from(m.bus.ram.slice(0x20000, 0x20065))).toEqual(new Array(101).fill(0x5a));
    });

    test('REP MOVSD with the destination below an overlapping source behaves as the element loop', () => {
      const m = flat(`
        mov esi, 0x20010
        mov edi, 0x20000
        mov ecx, 64
        cld
        rep movsd
        hlt`);
      const src = pattern(m, 0x20010, 256);
      runToHalt(m);
      expect(Array.from(m.bus.ram.slice(0x20000, 0x20100))).toEqual(src);
    });

    test('REP MOVSD longer than one chunk leaves a restartable state between steps and finishes', () => {
      const m = flat(`
        mov esi, 0x100000
        mov edi, 0x200000
        mov ecx, 0x20000
        cld
        rep movsd
        hlt`);
      const src = pattern(m, 0x100000, 0x80000);
      const stop = m.cpu.run(5); // four set-up instructions, then one step of REP MOVSD: at most one chunk
      expect(stop).toBe('budget');
      const left = m.cpu.ecx;
      expect(left).toBeGreaterThan(0);
      expect(m.cpu.edi - 0x200000).toBe((0x20000 - left) * 4);
      runToHalt(m);
      expect(m.cpu.ecx).toBe(0);
      expect(Array.from(m.bus.ram.slice(0x200000, 0x280000))).toEqual(src);
    });

    test('REP MOVSD with both pages not present faults on the source first, leaving the destination PTE untouched', () => {
      const m = flat(PM_PRELUDE + identityPaging({ edits: `
        and dword [0x21000 + 0x50*4], ~1     ; source page 0x50000 not present
        and dword [0x21000 + 0x60*4], ~1     ; destination page 0x60000 not present` }) + `
        mov esi, 0x50000
        mov edi, 0x60000
        mov ecx, 16
        cld
        rep movsd
        hlt`);
      runToHalt(m);
      expect(peek32(m, 0x3000)).toBe(14);
      expect(peek32(m, 0x3004)).toBe(0); // not present, read, supervisor
      expect(m.cpu.cr2 >>> 0).toBe(0x50000);
      expect(m.cpu.ecx).toBe(16);
    });

    test('REP MOVSD into a present but clean page sets its dirty bit only once it writes', () => {
      const m = flat(PM_PRELUDE + identityPaging({ edits: `
        and dword [0x21000 + 0x50*4], ~1     ; source page 0x50000 not present` }) + `
        mov esi, 0x50000
        mov edi, 0x60000
        mov ecx, 16
        cld
        rep movsd
        hlt`);
      runToHalt(m);
      expect(peek32(m, 0x3000)).toBe(14);
      expect(peek32(m, 0x21000 + 0x60 * 4) & 0x60).toBe(0); // destination neither accessed nor dirty
    });

    test('REP MOVSD faulting at a limit stops at the first element outside the segment', () => {
      const m = flat(PM_PRELUDE + `
        mov dword [0x800 + 0x38], 0x0000ffff   ; 0x38: data, base 0, limit 0xFFFF (byte granular)
        mov dword [0x800 + 0x3c], 0x00409200
        mov ax, 0x38
        mov es, ax
        mov esi, 0x20000
        mov edi, 0xff00
        mov ecx, 0x100
        cld
        rep movsd
        hlt`);
      pattern(m, 0x20000, 0x400);
      runToHalt(m);
      expect(peek32(m, 0x3000)).toBe(13); // #GP
      expect(m.cpu.ecx).toBe(0x100 - 0x40);
      expect(m.cpu.edi).toBe(0x10000);
      expect(m.cpu.esi).toBe(0x20100);
    });
  });

  describe('REP STOS', () => {
    test('REP STOSB, STOSW and STOSD fill across page boundaries', () => {
      const m = flat(`
        cld
        mov edi, 0x20ffe
        mov al, 0xa5
        mov ecx, 5000
        rep stosb
        mov edi, 0x30fff
        mov ax, 0x1234
        mov ecx, 3000
        rep stosw
        mov edi, 0x40ffd
        mov eax, 0xdeadbeef
        mov ecx, 2000
        rep stosd
        hlt`);
      runToHalt(m);
      const ram = m.bus.ram;
      expect(Array.from(ram.slice(0x20ffe, 0x20ffe + 5000)).every((b) => b === 0xa5)).toBe(true);
      expect(ram[0x20ffe + 5000]).toBe(0);
      for (let i = 0; i < 3000; i++) expect(ram[0x30fff + 2 * i] | (ram[0x30fff + 2 * i + 1] << 8)).toBe(0x1234);
      for (let i = 0; i < 2000; i++) expect(peek32(m, 0x40ffd + 4 * i)).toBe(0xdeadbeef);
      expect(peek32(m, 0x40ffd + 8000)).toBe(0);
      expect(m.cpu.edi).toBe(0x40ffd + 8000);
    });
  });

  describe('REP MOVS and REP STOS with DF = 1 (copying down)', () => {
    /** What the element loop does: `count` elements of `size` bytes, from the top down. */
    function copyDown(ram: Uint8Array, dst: number, src: number, count: number, size: number): Uint8Array {
      const out = ram.slice();
      for (let i = 0; i < count; i++) {
        for (let b = 0; b < size; b++) out[dst - i * size + b] = out[src - i * size + b];
      }
      return out;
    }

    test('REP MOVSD moving a buffer up over itself across pages (as a decompressor relocating its payload) gives the element loop result', () => {
      const count = 3000, size = 4;
      const m = flat(`
        mov esi, 0x20ffc + ${(count - 1) * size}
        mov edi, 0x21802 + ${(count - 1) * size}
        mov ecx, ${count}
        std
        rep movsd
        cld
        hlt`);
      pattern(m, 0x20ffc, count * size + 0x900);
      const want = copyDown(m.bus.ram, 0x21802 + (count - 1) * size, 0x20ffc + (count - 1) * size, count, size);
      expect(runToHalt(m)).toBe('halt');
      expect(Array.from(m.bus.ram.slice(0x20000, 0x30000))).toEqual(Array.from(want.slice(0x20000, 0x30000)));
      expect(m.cpu.ecx).toBe(0);
      expect(m.cpu.esi).toBe(0x20ffc - size);
      expect(m.cpu.edi).toBe(0x21802 - size);
    });

    test('REP MOVSB with the destination below an overlapping source, copying down, repeats bytes as the element loop does', () => {
      const m = flat(`
        mov esi, 0x20080
        mov edi, 0x2007d
        mov ecx, 0x70
        std
        rep movsb
        cld
        hlt`);
      pattern(m, 0x20000, 0x100);
      const want = copyDown(m.bus.ram, 0x2007d, 0x20080, 0x70, 1);
      runToHalt(m);
      expect(Array.from(m.bus.ram.slice(0x20000, 0x20100))).toEqual(Array.from(want.slice(0x20000, 0x20100)));
    });

    test('REP STOSW copying down fills across a page boundary and stops EDI one element below the run', () => {
      const m = flat(`
        mov edi, 0x31001
        mov ax, 0xbeef
        mov ecx, 1500
        std
        rep stosw
        cld
        hlt`);
      runToHalt(m);
      for (let i = 0; i < 1500; i++) expect(m.bus.ram[0x31001 - 2 * i] | (m.bus.ram[0x31002 - 2 * i] << 8)).toBe(0xbeef);
      expect(m.bus.ram[0x31001 - 2 * 1500 + 1]).toBe(0);
      expect(m.cpu.edi).toBe(0x31001 - 2 * 1500);
    });

    test('REP MOVSD copying down into a page that is not present faults at its first element with ECX/ESI/EDI there', () => {
      const m = flat(PM_PRELUDE + identityPaging({ edits: `
        and dword [0x21000 + 0x5f*4], ~1     ; destination page 0x5F000 not present` }) + `
        mov esi, 0x70ff0
        mov edi, 0x60010
        mov ecx, 64
        std
        rep movsd
        cld
        hlt`);
      pattern(m, 0x70000, 0x1000);
      runToHalt(m);
      expect(peek32(m, 0x3000)).toBe(14);
      expect(m.cpu.cr2 >>> 0).toBe(0x5fffc);
      // 0x60010, 0x6000C, ... 0x60000: five elements were copied before the page below.
      expect(m.cpu.ecx).toBe(64 - 5);
      expect(m.cpu.edi).toBe(0x5fffc);
      expect(m.cpu.esi).toBe(0x70ff0 - 5 * 4);
      expect(peek32(m, 0x60000)).toBe(peek32(m, 0x70ff0 - 16));
    });
  });
});
