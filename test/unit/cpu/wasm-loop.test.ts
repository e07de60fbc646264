// The 'wasm' engine's WebAssembly instance: one memory shared by the bus and the core, the form numbers both loops agree on, and its clear errors.
import { describe, test, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { WasmLoop, WASM_MAX_RAM, compileWasmLoop } from '../../../src/cpu/x86/wasm-loop.js';
import { Cpu } from '../../../src/cpu/x86/cpu.js';
import { CPU_MODELS } from '../../../src/cpu/x86/models.js';
import { AddressSpace } from '../../../src/core/address-space.js';
import { Clock } from '../../../src/core/clock.js';
import { NO_INTERRUPTS } from '../../../src/core/interrupt-controller.js';
import fc from 'fast-check';
import { flat, onEngine, PM_PRELUDE, identityPaging } from '../../cpu/harness.js';
import { propertyParams } from '../../helpers/property.js';

/** `const NAME = n` pairs of a source file (both files write the form kinds so). */
function constants(path: string): Map<string, number> {
  const text = readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
  const out = new Map<string, number>();
  for (const m of text.matchAll(/(?:const |, )([A-Z][A-Z0-9_]*) = (\d+)/g)) out.set(m[1], Number(m[2]));
  return out;
}

describe('the WebAssembly loop', () => {
  test('numbers every form as the decoded-instruction cache does', () => {
    const js = constants('src/cpu/x86/decoded-cache.ts');
    const wasm = constants('src/cpu/x86/wasm/decoded-loop.ts');
    const forms = [...js.keys()].filter((k) => !['MAX_INVALIDATIONS', 'QUICK_RUN', 'FILL_RUN', 'NO_REG', 'SIZE', 'MASK', 'NO_EXIT'].includes(k));
    expect(forms.length).toBeGreaterThan(70);
    for (const name of forms) expect([name, wasm.get(name)]).toEqual([name, js.get(name)]);
    expect(wasm.get('NO_REG')).toBe(js.get('NO_REG'));
  });

  test('numbers its control-block slots and stops as the host does', () => {
    const host = readFileSync(new URL('../../../src/cpu/x86/wasm-loop.ts', import.meta.url), 'utf8');
    const loop = readFileSync(new URL('../../../src/cpu/x86/wasm/decoded-loop.ts', import.meta.url), 'utf8');
    const slots = new Map([...loop.matchAll(/export const ((?:C|STOP)_[A-Z0-9_]+): i32 = (\d+);/g)].map((m) => [m[1], Number(m[2])]));
    const used = [...host.matchAll(/((?:C|STOP)_[A-Z0-9_]+) = (\d+)/g)];
    expect(used.length).toBeGreaterThan(40);
    for (const [, name, value] of used) expect([name, slots.get(name)]).toEqual([name, Number(value)]);
  });

  test('shares one memory with the bus and the core: RAM, registers, TLB and the cache', () => {
    const { cpu, bus } = onEngine('wasm').machine();
    const w = cpu.wasm!;
    expect(bus.ram).toBe(w.ram);
    expect(bus.pageFlags).toBe(w.pageFlags);
    expect(cpu.tlb).toBe(w.tlb);
    expect(cpu.decoded!.tag).toBe(w.tag);
    expect(cpu.r32.buffer).toBe(w.memory.buffer);
    cpu.r32[3] = 0x12345678;
    expect(new DataView(w.memory.buffer).getUint32(w.regsOffset + 12, true)).toBe(0x12345678);
  });

  test('runs a loop of forms itself, with the interpreter\'s results, count and time', () => {
    const src = `
      mov ecx, 1000
      xor eax, eax
    top:
      add eax, ecx
      imul edx, eax, 3
      bts edx, 4
      loop top
      hlt`;
    const w = flat(src, { engine: 'wasm' }), i = flat(src, { engine: 'interp' });
    expect(w.cpu.run(10_000)).toBe('halt');
    expect(i.cpu.run(10_000)).toBe('halt');
    expect(w.cpu.eax).toBe(500500);
    expect([w.cpu.r32.slice(), w.cpu.getEflags(), w.cpu.instructions, w.clock.now]).toEqual([i.cpu.r32.slice(), i.cpu.getEflags(), i.cpu.instructions, i.clock.now]);
    expect(w.cpu.wasm!.retired).toBeGreaterThan(3900);
  });

  test('stops at the budget even when its last instruction jumps to a page the TLB does not hold yet', () => {
    // Paged: the JMP's target page is not in the TLB the first time, so the loop cannot open its
    // window; the budget must still end the slice there, not one instruction later.
    const src = `${PM_PRELUDE}
      ${identityPaging()}
      mov ecx, 3
    top:
      add eax, 1
      jmp next
      times 0x2000 db 0x90
    next:
      dec ecx
      jnz top
      hlt`;
    for (const slice of [2, 3, 4, 5, 6, 7]) {
      const w = flat(src, { engine: 'wasm' }), plain = flat(src, { decodedCache: false });
      // (The prelude and the page tables' set-up take about 4 500 instructions.)
      for (let i = 0; i < 5_000 && !plain.cpu.halted; i++) {
        w.cpu.run(slice); plain.cpu.run(slice);
        expect([slice, i, w.cpu.eip >>> 0, w.cpu.instructions, w.clock.now]).toEqual([slice, i, plain.cpu.eip >>> 0, plain.cpu.instructions, plain.clock.now]);
      }
      expect(w.cpu.halted).toBe(true);
      expect(w.cpu.wasm!.retired).toBeGreaterThan(0);
    }
  });

  test('compiles its module ahead on request (a browser main thread), then builds machines from it', async () => {
    await compileWasmLoop();
    await compileWasmLoop();
    const w = flat('mov eax, 7\nadd eax, 5\nhlt', { engine: 'wasm' });
    expect(w.cpu.run(100)).toBe('halt');
    expect(w.cpu.eax).toBe(12);
  });

  test('refuses a RAM store above its limit, and a core whose bus is not on its memory', () => {
    expect(() => new WasmLoop(WASM_MAX_RAM + 0x1000)).toThrow(/engine 'wasm': RAM store of .* above its limit/);
    const bus = new AddressSpace(0x100000);
    expect(() => new Cpu({ bus, clock: new Clock(1e6), interrupts: NO_INTERRUPTS, model: CPU_MODELS.i486sx, engine: 'wasm' }))
      .toThrow(/engine 'wasm': the bus's RAM must be the WasmLoop's/);
    expect(() => new AddressSpace(0x100000, undefined, new WasmLoop(0x200000))).toThrow(/RAM store of 2097152 bytes/);
  });
});

describe('the WebAssembly loop\'s decoder', () => {
  /** Bytes biased to the opcodes and ModRM/SIB forms the cache decodes, with random bytes between. */
  const OPCODES = [0x00, 0x01, 0x02, 0x03, 0x05, 0x0f, 0x11, 0x19, 0x21, 0x29, 0x2b, 0x31, 0x33, 0x39, 0x3b, 0x3c, 0x40, 0x48, 0x50, 0x58,
    0x66, 0x68, 0x69, 0x6a, 0x6b, 0x74, 0x80, 0x81, 0x83, 0x84, 0x85, 0x88, 0x89, 0x8a, 0x8b, 0x8d, 0x90, 0xa0, 0xa1, 0xa2, 0xa3, 0xa8,
    0xa9, 0xb0, 0xb8, 0xc1, 0xc3, 0xc6, 0xc7, 0xc9, 0xd1, 0xd3, 0xe2, 0xe8, 0xe9, 0xeb, 0xf6, 0xf7, 0xff,
    0xa4, 0xa5, 0xa6, 0xa7, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, 0xf2, 0xf3];
  const SECOND = [0x80, 0x8f, 0x90, 0x9f, 0xaf, 0xb6, 0xb7, 0xba, 0xbe, 0xbf, 0x89, 0x8b, 0xc7, 0x90];
  const byteArb = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...OPCODES), fc.constantFrom(...SECOND), fc.constantFrom(0x04, 0x05, 0x44, 0x84, 0xc0, 0xd8, 0x24, 0x64, 0xe5));
  const caseArb = fc.record({
    bytes: fc.array(byteArb, { minLength: 1, maxLength: 16 }),
    // Near the page end too, where an instruction may not fit.
    offset: fc.oneof(fc.integer({ min: 0, max: 0xfff }), fc.integer({ min: 0xff0, max: 0xfff })),
  });

  test('fills a slot byte for byte as DecodedCache.fill does, page watch included', () => {
    // Both on the wasm engine (whose cache decodes string instructions too): one filled by the
    // TypeScript decoder, the other by the loop's.
    const js = onEngine('wasm').machine({ ramKiB: 64 }), wasm = onEngine('wasm').machine({ ramKiB: 64 });
    fc.assert(fc.property(caseArb, ({ bytes, offset }) => {
      const p = 0x3000 + offset, s = p & 0xffff;
      for (const m of [js, wasm]) {
        const d = m.cpu.decoded!;
        d.flush();
        for (const f of [d.op, d.a, d.b, d.imm, d.seg, d.base, d.index, d.scale, d.disp]) f[s] = 0;
        m.bus.ram.fill(0, 0x3000, 0x4000);
        m.bus.ram.set(bytes.slice(0, 0x4000 - p), p);
      }
      js.cpu.decoded!.fill(p, s);
      const queued = wasm.cpu.wasm!.decodeInto(p, s);
      const slot = (m: typeof js) => {
        const d = m.cpu.decoded!;
        return { tag: d.tag[s], info: d.info[s], op: d.op[s], a: d.a[s], b: d.b[s], imm: d.imm[s], seg: d.seg[s], base: d.base[s], index: d.index[s], scale: d.scale[s], disp: d.disp[s] };
      };
      expect(slot(wasm)).toEqual(slot(js));
      // A page with a form is watched (its writes take the bus's slow path), and queued for the bus's records.
      const watched = (js.bus.pageFlags[3] & 2) === 0;
      expect((wasm.bus.pageFlags[3] & 2) === 0).toBe(watched);
      expect(queued).toBe(watched ? 1 : 0);
    }), propertyParams('the wasm decoder = DecodedCache.fill on random bytes', 3000));
  });
});

describe('string instructions in the WebAssembly loop', () => {
  const SRC = 0x50000, DST = 0x60000;
  /** Run `body` (ESI = SRC, EDI = DST, EBX = 0 set first) to its HLT on the wasm engine and on the plain decoder. */
  function both(body: string, budget = 1_000_000) {
    const src = `mov esi, ${SRC}\nmov edi, ${DST}\nxor ebx, ebx\n${body}\nhlt`;
    const run = (engine: 'wasm' | 'interp', decodedCache: boolean) => {
      const m = flat(src, { engine, decodedCache });
      for (let i = 0; i < 0x8000; i++) m.bus.ram[SRC + i] = (i * 7 + (i >> 9)) & 0xff;
      expect(m.cpu.run(budget)).toBe('halt');
      return m;
    };
    const w = run('wasm', true), plain = run('interp', false);
    const state = (m: typeof w) => ({
      regs: Array.from(m.cpu.r32), eflags: m.cpu.getEflags(), instructions: m.cpu.instructions, now: m.clock.now,
      src: Array.from(m.bus.ram.subarray(SRC - 0x100, SRC + 0x8000)), dst: Array.from(m.bus.ram.subarray(DST - 0x8000, DST + 0x8000)),
      top: Array.from(m.bus.ram.subarray(m.bus.ram.length - 0x100)),
    });
    expect(state(w)).toEqual(state(plain));
    return w;
  }

  test.each([
    ['REP MOVSD forward', 'mov ecx, 1000\nrep movsd'],
    ['REP MOVSB down, across a REP restart (5000 elements)', `std\nmov esi, ${SRC + 0x5000}\nmov edi, ${DST + 0x5000}\nmov ecx, 5000\nrep movsb\ncld`],
    ['overlapping REP MOVSB (destination one byte above the source)', `mov edi, ${SRC + 1}\nmov ecx, 300\nrep movsb`],
    ['REP STOSD and REP STOSB', 'mov eax, 0x12345678\nmov ecx, 3000\nrep stosd\nmov al, 0xa5\nmov ecx, 77\nrep stosb'],
    ['REPNE SCASB to a byte', `mov edi, ${SRC}\nmov al, [${SRC + 0x321}]\nmov ecx, 0x8000\nrepne scasb`],
    ['REPE CMPSD to a difference', `mov edi, ${DST}\nmov ecx, 200\nrep movsd\nmov byte [${DST + 0x100}], 0\nmov esi, ${SRC}\nmov edi, ${DST}\nmov ecx, 0x1000\nrepe cmpsd`],
    ['REPE CMPSB down across pages and a REP restart', `mov ecx, 0x3000\nrep movsb\nstd\nmov esi, ${SRC + 0x2fff}\nmov edi, ${DST + 0x2fff}\nmov ecx, 0x3000\nrepe cmpsb\ncld`],
    ['REPNE SCASD over 6000 dwords, not found', `mov edi, ${SRC}\nmov eax, 0xffffffff\nmov ecx, 6000\nrepne scasd`],
    ['LODSB in a loop', 'mov ecx, 2000\nl: lodsb\nadd ebx, eax\nloop l'],
    ['single MOVS, STOS, SCAS, CMPS, LODS of dwords', 'movsd\nstosd\nscasd\ncmpsd\nlodsd\nmovsb\nstosb\nscasb\ncmpsb\nlodsb'],
    ['REP with ECX = 0', 'xor ecx, ecx\nrep movsd\nrep stosb'],
  ])('%s: as the decoder', (_name, body) => {
    expect(both(body).cpu.wasm!.retired).toBeGreaterThan(3);
  });

  test('a REP STOSD running off the end of RAM: the loop stops at the first element it cannot do, the decoder finishes that step', () => {
    // 4 MiB of RAM: the last 64 bytes, then unmapped space (writes ignored).
    const w = both(`mov edi, ${4 * 1024 * 1024 - 64}\nmov eax, 0xdeadbeef\nmov ecx, 100\nrep stosd`);
    expect(w.cpu.ecx).toBe(0);
    expect(w.cpu.edi).toBe(4 * 1024 * 1024 + 336);
  });
});
