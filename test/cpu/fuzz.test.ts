// Random byte sequences as code, in real and protected mode: never a host exception, never a hang, no internal errors; on both engines, and the jit ends where the interpreter ends.
import { describe, test, expect } from 'vitest';
import fc from 'fast-check';
import { writeFlatGdt, asm, PM_PRELUDE, identityPaging, ENGINES, onEngine, type Engine, type TestMachine } from './harness.js';

const seed = Number(process.env.SHIKIRI_SEED ?? 0x5eed1486);
const numRuns = Number(process.env.SHIKIRI_RUNS ?? 400);
console.log(`cpu fuzz: seed=${seed} runs=${numRuns} (override with SHIKIRI_SEED / SHIKIRI_RUNS)`);

const code = fc.uint8Array({ minLength: 1, maxLength: 64 });
const BUDGET = 3000;

/** The end state the engines must agree on. */
function endState(m: TestMachine, stop: string) {
  const c = m.cpu;
  return { stop, r32: Array.from(c.r32), eip: c.eip, eflags: c.getEflags(), cs: c.cs, ss: c.ss, instructions: c.instructions, now: m.clock.now, exception: c.lastException };
}

/** The fuzz runs, each building its machine on `engine` and returning its end state. */
const runs = {
  real(engine: Engine, bytes: Uint8Array) {
    const m = onEngine(engine).machine({ ramKiB: 1024 });
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
    return { m, end: endState(m, stop) };
  },
  protected(engine: Engine, bytes: Uint8Array, ring3: boolean) {
    const m = onEngine(engine).machine({ ramKiB: 2048 });
    writeFlatGdt(m.bus);
    m.bus.loadBytes(0x10000, pmPrelude());
    const body = ring3 ? Uint8Array.of(0x6a, 0x23, 0x68, 0, 0, 6, 0, 0x6a, 0x02, 0x6a, 0x1b, 0x68, 0x10, 0, 4, 0, 0xcf) : new Uint8Array(0);
    // ring3: push 0x23; push 0x60000; push 2; push 0x1b; push 0x40010; iret
    m.bus.loadBytes(0x40000, body);
    m.bus.loadBytes(ring3 ? 0x40010 : 0x40000, bytes);
    new DataView(m.bus.ram.buffer, m.bus.ram.byteOffset).setUint32(0x904, 0x70000, true);
    new DataView(m.bus.ram.buffer, m.bus.ram.byteOffset).setUint32(0x908, 0x10, true);
    m.cpu.enterFlatProtectedMode({ eip: 0x10000, esp: 0x80000, codeSelector: 8, dataSelector: 0x10, gdtBase: 0x800, gdtLimit: 0x3f });
    const stop = m.cpu.run(BUDGET + 5000);
    expect(['budget', 'halt', 'shutdown', 'event']).toContain(stop);
    expect(m.cpu.internalErrors, String(m.cpu.lastInternalError)).toBe(0);
    return { m, end: endState(m, stop) };
  },
  protected16(engine: Engine, bytes: Uint8Array) {
    const m = onEngine(engine).machine({ ramKiB: 1024 });
    writeFlatGdt(m.bus);
    m.bus.loadBytes(0x4000, bytes);
    m.cpu.enterFlatProtectedMode({ eip: 0, esp: 0x8000, codeSelector: 8, dataSelector: 0x10, gdtBase: 0x800, gdtLimit: 0x3f });
    // Reload CS as the 16-bit code segment (GDT 0x30) with base 0x4000.
    const dv = new DataView(m.bus.ram.buffer, m.bus.ram.byteOffset);
    dv.setUint32(0x800 + 6 * 8, 0x4000ffff, true);
    m.cpu.loadState({ ...m.cpu.saveState(), segments: { ...m.cpu.saveState().segments, cs: { selector: 0x30, base: 0x4000, limit: 0xffff, attr: 0x9b } } });
    const stop = m.cpu.run(BUDGET);
    expect(['budget', 'halt', 'shutdown', 'event']).toContain(stop);
    expect(m.cpu.internalErrors, String(m.cpu.lastInternalError)).toBe(0);
    return { m, end: endState(m, stop) };
  },
};

let prelude: Uint8Array | undefined;
/** Flat protected mode with an IDT and paging (256 pages), then a jump to the code at 0x40000. */
function pmPrelude(): Uint8Array {
  prelude ??= asm(PM_PRELUDE + identityPaging({ entries: 256 }) + `
      jmp 0x40000`, 32, 0x10000);
  return prelude;
}

for (const engine of ENGINES) {
  describe(`random code (${engine} engine)`, () => {
    // Real mode and 16-bit code never run compiled (the jit takes only 32-bit code and stack):
    // there the jit engine is only checked for robustness.
    test('in real mode', () => {
      fc.assert(fc.property(code, (bytes) => { runs.real(engine, bytes); }), { seed, numRuns });
    });

    test(`in 32-bit protected mode with paging and an IDT${engine === 'jit' ? ', ending where the interpreter ends' : ''}`, () => {
      let compiled = 0;
      fc.assert(fc.property(code, fc.boolean(), (bytes, ring3) => {
        const { m, end } = runs.protected(engine, bytes, ring3);
        compiled += m.cpu.blocks?.compiled ?? 0;
        if (engine === 'jit') expect(end).toEqual(runs.protected('interp', bytes, ring3).end);
      }), { seed, numRuns });
      if (engine === 'jit') expect(compiled).toBeGreaterThan(0);
    });

    test('in 16-bit protected mode segments', () => {
      fc.assert(fc.property(code, (bytes) => { runs.protected16(engine, bytes); }), { seed, numRuns });
    });
  });
}
