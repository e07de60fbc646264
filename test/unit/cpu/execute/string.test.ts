// REP MOVS/STOS and REPE/REPNE CMPS/SCAS: the page-run fast paths give the element loop's results, register values, flags and faults (on both engines).
import { describe, test, expect } from 'vitest';
import fc from 'fast-check';
import { runToHalt, peek32, PM_PRELUDE, identityPaging, ENGINES, onEngine, type TestMachine } from '../../../cpu/harness.js';
import { propertyParams } from '../../../helpers/property.js';
import { CF, DF, OF, SF, ZF } from '../../../../src/cpu/x86/state.js';

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

  describe('REPE/REPNE CMPS and SCAS', () => {
    const flagsOf = (m: TestMachine) => m.cpu.eflags & (CF | ZF | SF | OF);

    test('REPE CMPSD over equal buffers several pages long runs to ECX = 0 with ZF set', () => {
      const m = flat(`
        mov esi, 0x20ffd
        mov edi, 0x40802
        mov ecx, 2500
        cld
        repe cmpsd
        hlt`);
      const bytes = pattern(m, 0x20ffd, 10000);
      m.bus.ram.set(bytes, 0x40802);
      runToHalt(m);
      expect([m.cpu.ecx, m.cpu.esi, m.cpu.edi]).toEqual([0, 0x20ffd + 10000, 0x40802 + 10000]);
      expect(flagsOf(m)).toBe(ZF);
    });

    test('REPE CMPSB stops after the first unequal pair, three pages in, with the flags of CMP on that pair', () => {
      const m = flat(`
        mov esi, 0x20000
        mov edi, 0x30800
        mov ecx, 16000
        cld
        repe cmpsb
        hlt`);
      const bytes = pattern(m, 0x20000, 16000);
      m.bus.ram.set(bytes, 0x30800);
      m.bus.ram[0x30800 + 9000] = bytes[9000] + 1; // source byte below the destination's: CF, SF of a small negative
      runToHalt(m);
      expect([m.cpu.ecx, m.cpu.esi, m.cpu.edi]).toEqual([16000 - 9001, 0x20000 + 9001, 0x30800 + 9001]);
      expect(flagsOf(m)).toBe(CF | SF);
    });

    test('REPNE SCASB finds AL on a later page and REPNE SCASD runs out without a match (ZF clear)', () => {
      const found = flat(`
        mov edi, 0x40000
        mov al, 0x5a
        mov ecx, 20000
        cld
        repne scasb
        hlt`);
      found.bus.ram.fill(0x11, 0x40000, 0x40000 + 20000);
      found.bus.ram[0x40000 + 12345] = 0x5a;
      runToHalt(found);
      expect([found.cpu.ecx, found.cpu.edi]).toEqual([20000 - 12346, 0x40000 + 12346]);
      expect(flagsOf(found)).toBe(ZF);
      const missing = flat(`
        mov edi, 0x40001
        mov eax, 0x12345678
        mov ecx, 3000
        cld
        repne scasd
        hlt`);
      missing.bus.ram.fill(0x77, 0x40000, 0x40000 + 13000);
      runToHalt(missing);
      expect([missing.cpu.ecx, missing.cpu.edi]).toEqual([0, 0x40001 + 12000]);
      expect(flagsOf(missing)).toBe(CF | SF); // 0x12345678 - 0x77777777 = 0x9ABCDF01, with a borrow
    });

    test('REPE CMPSW copying down crosses a page boundary and stops at the unequal pair below it', () => {
      const m = flat(`
        mov esi, 0x21100
        mov edi, 0x51100
        mov ecx, 1000
        std
        repe cmpsw
        cld
        hlt`);
      const bytes = pattern(m, 0x21100 - 1998, 2000);
      m.bus.ram.set(bytes, 0x51100 - 1998);
      m.bus.ram[0x51100 - 2 * 300 + 1] ^= 0x80; // the 301st word going down differs in its high byte
      runToHalt(m);
      expect([m.cpu.ecx, m.cpu.esi, m.cpu.edi]).toEqual([1000 - 301, 0x21100 - 2 * 301, 0x51100 - 2 * 301]);
      expect(flagsOf(m) & ZF).toBe(0);
    });

    test('REPNE SCASB over a page that is not present faults there, with ECX/EDI at the faulting element and the earlier flags kept', () => {
      const m = flat(PM_PRELUDE + identityPaging({ edits: `
        and dword [0x21000 + 0x61*4], ~1     ; page 0x61000 not present` }) + `
        mov edi, 0x60ff0
        mov al, 0x5a
        mov ecx, 100
        cld
        repne scasb
        hlt`);
      m.bus.ram.fill(0x11, 0x60000, 0x61000);
      m.bus.ram[0x60fff] = 0x7f; // the last element before the fault: CMP 0x5A, 0x7F borrows and is negative
      runToHalt(m);
      expect(peek32(m, 0x3000)).toBe(14);
      expect(m.cpu.cr2 >>> 0).toBe(0x61000);
      expect([m.cpu.ecx, m.cpu.edi]).toEqual([100 - 16, 0x61000]);
      expect(flagsOf(m)).toBe(CF | SF);
    });
  });

  describe('fast paths against the element loop', () => {
    // The same program runs twice: once as it is, once with a data breakpoint armed on an
    // address it never touches, which turns the fast paths off (every element through the
    // element loop) and changes nothing else. Both runs must end in the same state.
    const VARIANTS = [
      'rep movsb', 'rep movsw', 'rep movsd', 'rep stosb', 'rep stosw', 'rep stosd',
      'repe cmpsb', 'repe cmpsw', 'repe cmpsd', 'repne cmpsb', 'repne cmpsw', 'repne cmpsd',
      'repe scasb', 'repe scasw', 'repe scasd', 'repne scasb', 'repne scasw', 'repne scasd',
    ];
    const BUF = 0x100000, BUF_BYTES = 0x40000;
    const program = (insn: string, dr7: number, paging: string) => PM_PRELUDE + `
        mov eax, 0x7f000
        mov dr0, eax
        mov eax, ${dr7}
        mov dr7, eax
        ${paging}
        mov esi, [0x3100]
        mov edi, [0x3104]
        mov ecx, [0x3108]
        mov eax, [0x310c]
        cld
        cmp dword [0x3110], 0
        je .go
        std
      .go:
        ${insn}
        cld
        hlt`;
    const caseArb = fc.record({
      variant: fc.integer({ min: 0, max: VARIANTS.length - 1 }),
      down: fc.boolean(),
      count: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 12000 })),
      srcAt: fc.integer({ min: 0x10000, max: 0x1ffff }),
      dstAt: fc.integer({ min: 0x10000, max: 0x2ffff }),
      acc: fc.integer({ min: 0, max: 0xffffffff }),
      seed: fc.integer({ min: 1, max: 0x7fffffff }),
      plants: fc.array(fc.integer({ min: 0, max: BUF_BYTES - 1 }), { maxLength: 6 }),
      missingPage: fc.option(fc.integer({ min: 0, max: (BUF_BYTES >> 12) - 1 }), { nil: undefined }),
    });
    type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

    // Paged runs map the first 4 MiB one to one, less the page whose number is at [0x3114].
    const PAGED = identityPaging({ edits: 'mov ebx, [0x3114]\n        and dword [0x21000 + ebx*4], ~1' });

    function run(c: Case, reference: boolean): TestMachine {
      const m = flat(program(VARIANTS[c.variant], reference ? 0xf0002 : 0, c.missingPage === undefined ? '' : PAGED), { ramKiB: 4096 });
      // A buffer of few distinct values, so that equal and unequal elements both come up, with
      // the source region copied into the destination region for CMPS to run long.
      let x = c.seed;
      for (let i = 0; i < BUF_BYTES; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; m.bus.ram[BUF + i] = (x >>> 16) % 3 === 0 ? 0x5a : 0x11; }
      m.bus.ram.copyWithin(BUF + c.dstAt, BUF + c.srcAt, BUF + c.srcAt + 0x8000);
      for (const p of c.plants) m.bus.ram[BUF + p] ^= 0x4b;
      const v = new DataView(m.bus.ram.buffer, m.bus.ram.byteOffset);
      v.setUint32(0x3100, BUF + c.srcAt, true);
      v.setUint32(0x3104, BUF + c.dstAt, true);
      v.setUint32(0x3108, c.count, true);
      v.setUint32(0x310c, (c.acc & 0xff) === 0 ? 0x5a5a5a5a : c.acc % 2 ? 0x11111111 : c.acc, true);
      v.setUint32(0x3110, c.down ? 1 : 0, true);
      v.setUint32(0x3114, (BUF >> 12) + (c.missingPage ?? 0), true);
      runToHalt(m, 10_000_000);
      return m;
    }

    test('give the element loop state: registers, flags, memory, fault, count and time', () => {
      fc.assert(fc.property(caseArb, (c) => {
        const fast = run(c, false), ref = run(c, true);
        const state = (m: TestMachine) => ({
          regs: [m.cpu.eax, m.cpu.ecx, m.cpu.esi, m.cpu.edi].map((r) => r >>> 0),
          eflags: m.cpu.eflags & (CF | ZF | SF | OF | DF | 0x4 | 0x10),
          fault: [peek32(m, 0x3000), peek32(m, 0x3004), peek32(m, 0x3008), m.cpu.cr2 >>> 0],
          instructions: m.cpu.instructions,
          now: m.clock.now,
        });
        expect(state(fast)).toEqual(state(ref));
        expect(Buffer.compare(fast.bus.ram.subarray(BUF, BUF + BUF_BYTES), ref.bus.ram.subarray(BUF, BUF + BUF_BYTES))).toBe(0);
      }), propertyParams('string fast paths against the element loop', 150));
    });
  });
});
