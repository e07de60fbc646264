// The 'wasm' engine's WebAssembly instance: one memory shared by the bus and the core, the form numbers both loops agree on, and its clear errors.
import { describe, test, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { WasmLoop, WASM_MAX_RAM } from '../../../src/cpu/x86/wasm-loop.js';
import { Cpu } from '../../../src/cpu/x86/cpu.js';
import { CPU_MODELS } from '../../../src/cpu/x86/models.js';
import { AddressSpace } from '../../../src/core/address-space.js';
import { Clock } from '../../../src/core/clock.js';
import { NO_INTERRUPTS } from '../../../src/core/interrupt-controller.js';
import { flat, onEngine } from '../../cpu/harness.js';

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

  test('refuses a RAM store above its limit, and a core whose bus is not on its memory', () => {
    expect(() => new WasmLoop(WASM_MAX_RAM + 0x1000)).toThrow(/engine 'wasm': RAM store of .* above its limit/);
    const bus = new AddressSpace(0x100000);
    expect(() => new Cpu({ bus, clock: new Clock(1e6), interrupts: NO_INTERRUPTS, model: CPU_MODELS.i486sx, engine: 'wasm' }))
      .toThrow(/engine 'wasm': the bus's RAM must be the WasmLoop's/);
    expect(() => new AddressSpace(0x100000, undefined, new WasmLoop(0x200000))).toThrow(/RAM store of 2097152 bytes/);
  });
});
