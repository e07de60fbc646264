// Random byte sequences as code, in real and protected mode: never a host exception, never a hang, no internal errors.
import { describe, test, expect } from 'vitest';
import fc from 'fast-check';
import { machine, writeFlatGdt, asm, PM_PRELUDE, identityPaging } from './harness.js';

const seed = Number(process.env.SHIKIRI_SEED ?? 0x5eed1486);
const numRuns = Number(process.env.SHIKIRI_RUNS ?? 400);
console.log(`cpu fuzz: seed=${seed} runs=${numRuns} (override with SHIKIRI_SEED / SHIKIRI_RUNS)`);

const code = fc.uint8Array({ minLength: 1, maxLength: 64 });
const BUDGET = 3000;

describe('random code', () => {
  test('in real mode', () => {
    fc.assert(fc.property(code, (bytes) => {
      const m = machine({ ramKiB: 1024 });
      // IVT: every vector points at F000:0000-ish HLT stub at 0x500.
      m.bus.ram[0x500] = 0xf4;
      for (let v = 0; v < 256; v++) { m.bus.ram[v * 4] = 0x00; m.bus.ram[v * 4 + 1] = 0x05; }
      m.bus.loadBytes(0x7c00, bytes);
      m.cpu.enterRealMode(0, 0x7c00, { esp: 0x7000 });
      const before = m.cpu.instructions;
      const stop = m.cpu.run(BUDGET);
      expect(['budget', 'halt', 'shutdown', 'event']).toContain(stop);
      expect(m.cpu.instructions - before).toBeLessThanOrEqual(BUDGET);
      expect(m.cpu.internalErrors, String(m.cpu.lastInternalError)).toBe(0);
    }), { seed, numRuns });
  });

  test('in 32-bit protected mode with paging and an IDT', () => {
    const prelude = asm(PM_PRELUDE + identityPaging({ entries: 256 }) + `
      jmp 0x40000`, 32, 0x10000);
    fc.assert(fc.property(code, fc.boolean(), (bytes, ring3) => {
      const m = machine({ ramKiB: 2048 });
      writeFlatGdt(m.bus);
      m.bus.loadBytes(0x10000, prelude);
      const body = ring3 ? Uint8Array.of(0x6a, 0x23, 0x68, 0, 0, 6, 0, 0x6a, 0x02, 0x6a, 0x1b, 0x68, 0x10, 0, 4, 0, 0xcf) : new Uint8Array(0);
      // ring3: push 0x23; push 0x60000; push 2; push 0x1b; push 0x40010; iret
      m.bus.loadBytes(0x40000, body);
      m.bus.loadBytes(ring3 ? 0x40010 : 0x40000, bytes);
      new DataView(m.bus.ram.buffer).setUint32(0x904, 0x70000, true);
      new DataView(m.bus.ram.buffer).setUint32(0x908, 0x10, true);
      m.cpu.enterFlatProtectedMode({ eip: 0x10000, esp: 0x80000, codeSelector: 8, dataSelector: 0x10, gdtBase: 0x800, gdtLimit: 0x3f });
      const stop = m.cpu.run(BUDGET + 5000);
      expect(['budget', 'halt', 'shutdown', 'event']).toContain(stop);
      expect(m.cpu.internalErrors, String(m.cpu.lastInternalError)).toBe(0);
    }), { seed, numRuns });
  });

  test('in 16-bit protected mode segments', () => {
    fc.assert(fc.property(code, (bytes) => {
      const m = machine({ ramKiB: 1024 });
      writeFlatGdt(m.bus);
      m.bus.loadBytes(0x4000, bytes);
      m.cpu.enterFlatProtectedMode({ eip: 0, esp: 0x8000, codeSelector: 8, dataSelector: 0x10, gdtBase: 0x800, gdtLimit: 0x3f });
      // Reload CS as the 16-bit code segment (GDT 0x30) with base 0x4000.
      const dv = new DataView(m.bus.ram.buffer);
      dv.setUint32(0x800 + 6 * 8, 0x4000ffff, true);
      m.cpu.loadState({ ...m.cpu.saveState(), segments: { ...m.cpu.saveState().segments, cs: { selector: 0x30, base: 0x4000, limit: 0xffff, attr: 0x9b } } });
      const stop = m.cpu.run(BUDGET);
      expect(['budget', 'halt', 'shutdown', 'event']).toContain(stop);
      expect(m.cpu.internalErrors, String(m.cpu.lastInternalError)).toBe(0);
    }), { seed, numRuns });
  });
});
